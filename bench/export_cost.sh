#!/usr/bin/env bash
# What `--export orders,accounts` costs a large run: the wall time of one binary on large_market
# (one replication, one thread), without and with the export, in alternating runs on the same
# machine, and the peak memory. The aim is at most +30% of the run's time (docs/performance.md
# quotes these rows).
#
# Usage: bench/export_cost.sh [BINARY] [RUNS] [SCENARIO]
# Defaults: build/p2psim, 3 runs of each, scenarios/benchmarks/large_market.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/p2psim}
runs=${2:-3}
scenario=${3:-scenarios/benchmarks/large_market.toml}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Appends "WALL_SECONDS CPU_SECONDS PEAK_KB" of one run to the file $1; the rest are p2psim's
# options.
one_run() {
  local record=$1
  shift
  /usr/bin/time -f "%e %U %M" -o "$scratch/time" "$binary" run "$scenario" --replications 1 \
    --threads 1 --out "$scratch/run" --quiet "$@"
  cat "$scratch/time" >>"$record"
  rm -rf "$scratch/run"
}

: >"$scratch/without" && : >"$scratch/with"
for ((run = 0; run < runs; ++run)); do
  one_run "$scratch/without"
  one_run "$scratch/with" --export orders,accounts
done

# "best median cpu peak" of a record file, cpu and peak at the median run.
summary() {
  sort -n "$1" | awk '{ wall[NR] = $1; cpu[NR] = $2; peak[NR] = $3 }
    END {
      middle = int((NR + 1) / 2)
      printf "%.2f %.2f %.2f %d\n", wall[1], wall[middle], cpu[middle], peak[middle] / 1024
    }'
}
read -r best_without median_without cpu_without peak_without < <(summary "$scratch/without")
read -r best_with median_with cpu_with peak_with < <(summary "$scratch/with")
echo "| run | best wall | median wall | user CPU (median run) | peak memory |"
echo "|---|---|---|---|---|"
echo "| without export | $best_without s | $median_without s | $cpu_without s | $peak_without MiB |"
echo "| --export orders,accounts | $best_with s | $median_with s | $cpu_with s | $peak_with MiB |"
awk -v a="$median_without" -v b="$median_with" -v c="$best_without" -v d="$best_with" \
  'BEGIN { printf "| cost | %+.0f%% | %+.0f%% | | |\n", 100 * (d / c - 1), 100 * (b / a - 1) }'
