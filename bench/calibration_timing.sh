#!/usr/bin/env bash
# Wall time of the calibration example of docs/calibration.md, end to end: `p2psim calibrate`
# of scenarios/calibration/kenya_from_ng.toml (quickstart-sized: 20,000 users, 14 days, 4
# replications) on the six KPIs and four keys of scenarios/calibration/kenya.targets.toml, on
# two threads. The target is well under 3 minutes.
# Prints one Markdown row: evaluations in the trace, the distinct points among them (each run
# once), wall time and peak memory; docs/performance.md quotes it.
#
# Usage: bench/calibration_timing.sh [BINARY] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/p2psim}
threads=${2:-2}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

/usr/bin/time -f "%e %M" -o "$scratch/time" "$binary" calibrate \
  scenarios/calibration/kenya_from_ng.toml scenarios/calibration/kenya.targets.toml \
  --threads "$threads" --out "$scratch/out" --quiet
read -r wall kilobytes <"$scratch/time"
# Evaluations in the trace, and the distinct points among them: a repeated point is not run again.
read -r evaluations points < <(/usr/bin/python3 -c '
import json, sys
trace = json.load(open(sys.argv[1]))["trace"]
print(len(trace), len({tuple(evaluation["values"]) for evaluation in trace}))' \
  "$scratch/out/calibration.json")
per_point=$(/usr/bin/python3 -c \
  'import sys; print(f"{float(sys.argv[1]) / int(sys.argv[2]):.2f}")' "$wall" "$points")

echo "| command | threads | evaluations | points run | wall | per point run | peak memory |"
echo "|---|---|---|---|---|---|---|"
echo "| \`p2psim calibrate\` (kenya_from_ng, kenya.targets) | $threads | $evaluations | $points |" \
  "$wall s | $per_point s | $((kilobytes / 1024)) MiB |"
