#!/usr/bin/env python3
"""Every runnable scenario of the repository loads with `p2psim validate`.

Runnable: a TOML file under scenarios/ with a top-level `name`. Market presets, fragments (a
trained score) and calibration targets have none: other scenarios include or read them.

Usage: tests/validate_scenarios.py BINARY
"""
import os
import subprocess
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def runnable_scenarios():
    found = []
    for directory, _, files in os.walk(os.path.join(ROOT, "scenarios")):
        for name in sorted(files):
            if not name.endswith(".toml"):
                continue
            path = os.path.join(directory, name)
            with open(path, "rb") as file:
                if "name" in tomllib.load(file):
                    found.append(path)
    return sorted(found)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    scenarios = runnable_scenarios()
    if len(scenarios) < 20:
        print(f"found only {len(scenarios)} runnable scenarios", file=sys.stderr)
        return 1
    return subprocess.run([sys.argv[1], "validate", *scenarios]).returncode


if __name__ == "__main__":
    sys.exit(main())
