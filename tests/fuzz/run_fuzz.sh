#!/usr/bin/env bash
# The scenario fuzzer as CI runs it (docs/architecture.md, Fuzzing the scenario loader): builds
# it in build-fuzz with clang, replays every committed finding (tests/fuzz/findings/), then fuzzes
# from the repository's scenarios for a fixed number of executions with a fixed seed, so a run
# can be repeated.
# Fails on any finding: a committed case that still crashes, hangs or runs out of memory, or a new
# input that does, left in build-fuzz/fuzz/findings/.
#
#   tests/fuzz/run_fuzz.sh           build, replay the findings, fuzz (FUZZ_RUNS, FUZZ_SEED)
#   tests/fuzz/run_fuzz.sh replay    build and replay the findings only
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${FUZZ_RUNS:-100000}
seed=${FUZZ_SEED:-1}
work=build-fuzz/fuzz
fuzzer=build-fuzz/scenario_fuzzer
# The first day of the largest seed takes well under a second here; 20 s is a hang. 2 GB is four
# times the fuzzer's peak over 100,000 executions (about 400 MB).
limits=(-timeout=20 -rss_limit_mb=2048)

# clang 16, not Debian's default clang 14: clang 14 cannot compile libstdc++ 12's <ranges>
# (std::views::iota in core/dense_id.hpp).
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DP2PSIM_FUZZ=ON -DP2PSIM_BUILD_TESTS=OFF -DP2PSIM_BUILD_BENCHMARKS=OFF -DP2PSIM_MPI=OFF
cmake --build build-fuzz --target scenario_fuzzer

export UBSAN_OPTIONS=print_stacktrace=1
if symbolizer=$(command -v llvm-symbolizer); then export ASAN_SYMBOLIZER_PATH=$symbolizer; fi

mkdir -p "$work"
# Each committed finding on its own, so that every one still failing is named, not only the first.
failing=()
for finding in tests/fuzz/findings/*.toml; do
  [ -e "$finding" ] || continue
  if ! "$fuzzer" "${limits[@]}" "$finding" >"$work/replay.log" 2>&1; then
    failing+=("$finding")
    grep -E "ERROR|SUMMARY|runtime error" "$work/replay.log" | head -3 || true
  fi
done
if [ ${#failing[@]} -gt 0 ]; then
  echo "scenario fuzzer: ${#failing[@]} committed finding(s) still fail: ${failing[*]}" >&2
  exit 1
fi
echo "scenario fuzzer: every committed finding loads or is refused"
if [ "${1:-}" = replay ]; then exit 0; fi

# A fresh corpus each time: the same seeds and the same -seed give the same executions, as long as
# addresses do not move from run to run (compared pointers steer libFuzzer's mutations), hence
# setarch -R where the machine allows it.
rm -rf "$work/corpus"
mkdir -p "$work/corpus" "$work/findings"
/usr/bin/python3 tests/fuzz/make_corpus.py . "$work/corpus" "$work/scenario.dict"
fixed_addresses=()
if setarch -R true 2>/dev/null; then fixed_addresses=(setarch -R); fi
"${fixed_addresses[@]}" "$fuzzer" "${limits[@]}" -runs="$runs" -seed="$seed" -reload=0 \
  -dict="$work/scenario.dict" -artifact_prefix="$work/findings/" -print_final_stats=1 "$work/corpus"
