#!/usr/bin/env python3
"""The memory estimate `validate` prints is within 25% of the peak a run measures.

Usage: tests/memory_estimate.py BINARY SCENARIO...

Each scenario is validated (its estimate read from the `memory:` line) and run on one thread
(`validate` assumes all cores: the scenarios here have one replication, so one world either way);
the run's peak (summary.json execution.peak_memory_bytes, the process's maximum resident set) must
be within 25% of the estimate. Exits 1 and says which scenario missed, and by how much.
"""
import json
import re
import subprocess
import sys
import tempfile

UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def estimate_bytes(binary, scenario):
    text = subprocess.run([binary, "validate", scenario], check=True, capture_output=True,
                          text=True).stdout
    found = re.search(r"memory: about ([0-9.]+) (KiB|MiB|GiB|TiB) at peak", text)
    if not found:
        sys.exit(f"{scenario}: no memory estimate in validate's output:\n{text}")
    return float(found.group(1)) * UNITS[found.group(2)]


def measured_bytes(binary, scenario):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([binary, "run", scenario, "--threads", "1", "--quiet", "--out", out],
                       check=True)
        with open(f"{out}/summary.json") as summary:
            return json.load(summary)["execution"]["peak_memory_bytes"]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, failed = sys.argv[1], False
    for scenario in sys.argv[2:]:
        estimate, measured = estimate_bytes(binary, scenario), measured_bytes(binary, scenario)
        error = estimate / measured - 1.0
        print(f"{scenario}: estimate {estimate / 2**20:.0f} MiB, measured peak "
              f"{measured / 2**20:.0f} MiB ({error:+.1%})")
        failed = failed or abs(error) > 0.25
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
