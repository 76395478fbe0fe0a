#!/usr/bin/env python3
"""The example output of `p2psim check` in docs/cli.md, from the binary.

Copies scenarios/regression/orders_funnel.toml with `daily_visitors` raised from 800 to 1200
into a temporary folder laid out like the repository's, checks it against the committed baseline
(results/baselines) and quotes the scenario's first lines, three KPI lines (orders_created,
completion_rate, visitors) and the closing line. The run's time on the first line is shown as
"..." since it depends on the machine.

Usage (from anywhere):
  docs/check_output.py BINARY            print the block as Markdown
  docs/check_output.py BINARY --check    exit 1 unless docs/cli.md holds exactly it
  docs/check_output.py BINARY --update   rewrite it in docs/cli.md from this run
"""
import os
import re
import subprocess
import sys

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "cli.md")
SCENARIO = os.path.join("scenarios", "regression", "orders_funnel.toml")
QUOTED = ("orders_created", "completion_rate", "visitors")


def figures(binary, work):
    os.makedirs(os.path.join(work, "scenarios", "regression"))
    os.symlink(os.path.join(ROOT, "scenarios", "markets"),
               os.path.join(work, "scenarios", "markets"))
    with open(os.path.join(ROOT, SCENARIO)) as file:
        text = file.read()
    changed = re.sub(r"(?m)^daily_visitors = 800$", "daily_visitors = 1200", text)
    if changed == text:
        raise SystemExit(f"{SCENARIO} no longer has daily_visitors = 800")
    with open(os.path.join(work, SCENARIO), "w") as file:
        file.write(changed)
    shown = subprocess.run([binary, "check", SCENARIO, "--baselines",
                            os.path.join(ROOT, "results", "baselines"), "--junit",
                            os.path.join(work, "junit.xml"), "--threads", "2"],
                           cwd=work, capture_output=True, text=True).stdout.splitlines()
    head = [re.sub(r" in [0-9.]+ s: ", " in ... s: ", shown[0]), shown[1]]
    kpis = [line for line in shown[2:]
            if len(line.split()) > 2 and line.split()[1] == "ng" and line.split()[2] in QUOTED]
    closing = [line for line in shown if line.startswith("check: ")]
    return "```\n" + "\n".join(head + kpis + ["  ..."] + closing) + "\n```\n"


if __name__ == "__main__":
    sys.exit(figures_block.main(__doc__, DOC, "docs/check_output.py", figures))
