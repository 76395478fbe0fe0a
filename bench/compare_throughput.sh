#!/usr/bin/env bash
# End-to-end throughput of two p2psim binaries on the same scenarios, in alternating runs on one
# thread, so that a change to the world is measured before and after on the same machine under
# the same load. Prints one Markdown row per binary and scenario: the best and median of the
# runs (orders/s per thread as the binary reports it) and the peak memory. docs/performance.md
# quotes these rows.
#
# Usage: bench/compare_throughput.sh OLD_BINARY NEW_BINARY [RUNS] [SCENARIO...]
# Default scenarios: scenarios/benchmarks/large_market.toml and large_market_policies.toml;
# default RUNS: 4 of each binary (old, new, old, new, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/compare_throughput.sh OLD_BINARY NEW_BINARY [RUNS] [SCENARIO...]}
new=${2:?usage: bench/compare_throughput.sh OLD_BINARY NEW_BINARY [RUNS] [SCENARIO...]}
runs=${3:-4}
shift $(($# < 3 ? $# : 3))
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(scenarios/benchmarks/large_market.toml scenarios/benchmarks/large_market_policies.toml)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The run's last lines: "Simulated N orders in S s on 1 thread(s): R orders/s per thread; peak
# memory M MiB." -> "R S M N".
one_run() {
  "$1" run "$2" --threads 1 --out "$out/run" |
    sed -nE 's/^Simulated ([0-9]+) orders in ([0-9.]+) s on 1 thread\(s\): ([0-9]+) orders\/s per thread; peak memory ([0-9]+) MiB\./\3 \2 \4 \1/p'
}

echo "| scenario | binary | orders | best wall | best orders/s | median orders/s | peak memory |"
echo "|---|---|---|---|---|---|---|"
for scenario in "${scenarios[@]}"; do
  : >"$out/old" && : >"$out/new"
  for ((run = 0; run < runs; ++run)); do
    one_run "$old" "$scenario" >>"$out/old"
    one_run "$new" "$scenario" >>"$out/new"
  done
  for which in old new; do
    binary=$old && [ $which = new ] && binary=$new
    sort -n -r "$out/$which" | awk -v name="$(basename "$scenario" .toml)" -v bin="$binary" '
      { rate[NR] = $1; wall[NR] = $2; memory[NR] = $3; orders = $4 }
      END {
        median = (NR % 2) ? rate[(NR + 1) / 2] : (rate[NR / 2] + rate[NR / 2 + 1]) / 2
        printf "| %s | %s | %.2f M | %.2f s | %.0f k | %.0f k | %d MiB |\n",
               name, bin, orders / 1e6, wall[1], rate[1] / 1e3, median / 1e3, memory[1]
      }'
  done
done
