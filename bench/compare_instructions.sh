#!/usr/bin/env bash
# Instructions two p2psim binaries execute for one replication of the same scenarios on one
# thread, counted by valgrind's callgrind: unlike wall time, the count does not move with the
# machine's load, so a small cost of a change shows through the noise of timed runs. Slow (about
# 50 times the run). Prints one Markdown row per scenario; docs/performance.md quotes them.
#
# Usage: bench/compare_instructions.sh OLD_BINARY NEW_BINARY [SCENARIO...]
# Default scenarios: scenarios/benchmarks/large_market.toml and large_market_policies.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/compare_instructions.sh OLD_BINARY NEW_BINARY [SCENARIO...]}
new=${2:?usage: bench/compare_instructions.sh OLD_BINARY NEW_BINARY [SCENARIO...]}
shift 2
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(scenarios/benchmarks/large_market.toml scenarios/benchmarks/large_market_policies.toml)
fi
command -v valgrind >/dev/null || { echo "compare_instructions: valgrind is not installed" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The two binaries run side by side: a count does not depend on what else runs.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$out/$2.callgrind" \
    "$1" run "$3" --replications 1 --threads 1 --out "$out/$2.run" -q >/dev/null 2>&1
  sed -n 's/^summary: //p' "$out/$2.callgrind"
}

echo "| scenario | old instructions | new instructions | change |"
echo "|---|---|---|---|"
for scenario in "${scenarios[@]}"; do
  instructions "$old" old "$scenario" >"$out/old.count" &
  instructions "$new" new "$scenario" >"$out/new.count" &
  wait
  awk -v name="$(basename "$scenario" .toml)" -v old="$(cat "$out/old.count")" \
    -v new="$(cat "$out/new.count")" \
    'BEGIN { printf "| %s | %.3f G | %.3f G | %+.2f%% |\n", name, old / 1e9, new / 1e9, 100 * (new - old) / old }'
done
