#!/usr/bin/env bash
# What MPI costs on one machine: the same work, 2 replications of
# scenarios/benchmarks/large_market.toml (1,000,000 users, about 4.5 M orders each), run as one
# process of 2 threads and as `mpirun -np 2` ranks of 1 thread, alternately, ROUNDS times each.
# Both write the same files (tests/distributed_runs.py checks it); the ranks add the launch of
# two processes, the exchange of the outcomes and a scenario loaded twice. docs/scale.md quotes
# the Markdown table this prints.
#
# Usage: bench/distributed_timing.sh [BINARY] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/p2psim}
rounds=${2:-3}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
scenario=scenarios/benchmarks/large_market.toml
arguments=(run "$scenario" --replications 2 --quiet)

timed() {  # prints wall seconds and peak kilobytes of the largest process
  /usr/bin/time -f "%e %M" -o "$scratch/time" "$@"
  cat "$scratch/time"
}

echo "| round | 1 process x 2 threads | 2 ranks x 1 thread | ranks / threads |"
echo "|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  read -r threaded _ < <(timed "$binary" "${arguments[@]}" --threads 2 --out "$scratch/threads")
  read -r ranked _ < <(timed mpirun -np 2 --oversubscribe --bind-to none "$binary" \
    "${arguments[@]}" --threads 1 --out "$scratch/ranks")
  ratio=$(/usr/bin/python3 -c 'import sys; print(f"{float(sys.argv[2]) / float(sys.argv[1]):.3f}")' \
    "$threaded" "$ranked")
  echo "| $round | $threaded s | $ranked s | $ratio |"
done
