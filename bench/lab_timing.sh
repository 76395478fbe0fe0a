#!/usr/bin/env bash
# Wall time and peak memory of the risk-model lab's commands on a large export: `p2psim train`
# (and `p2psim profiles` when the binary has it) on the orders of large_market, about 4.5 M order
# attempts, pinned to one core. The targets are at most 60 s and under 2 GiB for train.
# Prints one Markdown row per command; docs/performance.md quotes them.
#
# Usage: bench/lab_timing.sh [BINARY] [EXPORT_DIR]
# Without EXPORT_DIR, the export is made first (large_market, one replication, one thread) into a
# temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/p2psim}
export_dir=${2:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ -z "$export_dir" ]; then
  "$binary" run scenarios/benchmarks/large_market.toml --replications 1 --threads 1 \
    --export orders --out "$scratch/run" --quiet
  export_dir=$scratch/run/export
fi
rows=$(zcat "$export_dir"/replication-*/orders.csv.gz | tail -n +2 | wc -l)
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

echo "| command | order rows | wall | peak memory |"
echo "|---|---|---|---|"
commands=(train)
if "$binary" profiles --help >/dev/null 2>&1; then commands+=(profiles); fi
for command in "${commands[@]}"; do
  /usr/bin/time -f "%e %M" -o "$scratch/time" "${pin[@]}" "$binary" "$command" "$export_dir" \
    --out "$scratch/$command" --quiet
  read -r wall kilobytes <"$scratch/time"
  echo "| \`p2psim $command\` | $rows | $wall s | $((kilobytes / 1024)) MiB |"
done
