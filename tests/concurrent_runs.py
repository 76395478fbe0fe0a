#!/usr/bin/env python3
"""Pairs of runs started at once on one output folder never mix their files.

Usage: tests/concurrent_runs.py BINARY SCENARIO [PAIRS]

Each pair runs SCENARIO with seeds 1 and 2 into the same --out at the same moment. A run either
exits 0 or is refused (exit 3, the folder is being written by another run); afterwards the folder
holds exactly the files of one run, every one of them byte-identical to that seed's reference
(summary.json without its execution block), no staged `.partial` file is left, and a run that
exited 0 alone owns the folder. Exits 1 at the first pair that breaks this, saying how.
"""
import json
import os
import subprocess
import sys
import tempfile

FILES = ["kpis.csv", "daily.csv", "fraud_labels.csv", "segments.csv", "summary.json"]


def contents(folder):
    result = {}
    for name in FILES:
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            result[name] = None
            continue
        with open(path, "rb") as file:
            data = file.read()
        if name == "summary.json":
            summary = json.loads(data)
            summary.pop("execution", None)
            data = json.dumps(summary, sort_keys=True).encode()
        result[name] = data
    return result


def command(binary, scenario, seed, out):
    return [binary, "run", scenario, "--seed", str(seed), "--threads", "1", "--quiet",
            "--out", out]


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    binary, scenario = sys.argv[1], sys.argv[2]
    pairs = int(sys.argv[3]) if len(sys.argv) == 4 else 80
    with tempfile.TemporaryDirectory() as root:
        references = {}
        for seed in (1, 2):
            out = os.path.join(root, f"reference{seed}")
            subprocess.run(command(binary, scenario, seed, out), check=True)
            references[seed] = contents(out)
        refused = 0
        for pair in range(pairs):
            out = os.path.join(root, f"pair{pair}")
            runs = {seed: subprocess.Popen(command(binary, scenario, seed, out),
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                    for seed in (1, 2)}
            codes = {seed: run.wait() for seed, run in runs.items()}
            errors = {seed: run.stderr.read().decode() for seed, run in runs.items()}
            if any(code not in (0, 3) for code in codes.values()):
                sys.exit(f"pair {pair}: exit codes {codes}: {errors}")
            for seed, code in codes.items():
                if code == 3 and "another p2psim run is writing it" not in errors[seed]:
                    sys.exit(f"pair {pair}: seed {seed} refused for another reason: {errors[seed]}")
            refused += sum(code == 3 for code in codes.values())
            found = contents(out)
            owners = [seed for seed in (1, 2) if found == references[seed]]
            if len(owners) != 1:
                sys.exit(f"pair {pair}: the folder matches no single run (exit codes {codes})")
            if codes[owners[0]] != 0:
                sys.exit(f"pair {pair}: the folder holds seed {owners[0]}'s files, which was refused")
            partial = [name for name in os.listdir(out) if name.endswith(".partial")]
            if partial:
                sys.exit(f"pair {pair}: staged files left behind: {partial}")
        print(f"{pairs} pairs on one folder: none mixed, {refused} run(s) refused by the lock")


if __name__ == "__main__":
    main()
