#!/usr/bin/env python3
"""The worked example of docs/experiments.md, from the binary.

Runs scenarios/examples/experiment_growth.toml and quotes what the terminal shows (without the
timing lines), then the reading of it, whose figures come from comparison.csv and summary.json
and whose wording follows them (a claim of significance is only written when p says so).

Usage (from anywhere):
  docs/experiment_growth.py BINARY            print the block as Markdown
  docs/experiment_growth.py BINARY --check    exit 1 unless docs/experiments.md holds exactly it
  docs/experiment_growth.py BINARY --update   rewrite it in docs/experiments.md from this run
"""
import csv
import json
import os
import subprocess
import sys

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "experiments.md")
SCENARIO = os.path.join(ROOT, "scenarios", "examples", "experiment_growth.toml")


def percent(value):
    return f"{100 * value:+.2f}%"


def terminal(binary, out):
    """The run's terminal text without the lines that depend on the machine (time, folder)."""
    shown = subprocess.run([binary, "run", SCENARIO, "--out", out], check=True,
                           capture_output=True, text=True).stdout
    kept = [line for line in shown.splitlines()
            if not line.startswith(("Ran ", "Results: "))]
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + "\n"


def rows(out):
    with open(os.path.join(out, "comparison.csv"), newline="") as file:
        return {(row["arm"], row["kpi"]): row for row in csv.DictReader(file)
                if row["market"] == "ng"}


def significance(p, adjusted):
    p, adjusted = float(p), float(adjusted)
    if adjusted < 0.05:
        return f"significant before and after the correction (p = {p:.4f}, Holm {adjusted:.4f})"
    if p < 0.05:
        return (f"significant before the correction (p = {p:.4f}) but not after it "
                f"(Holm, {adjusted:.4f} over three secondary KPIs): not a finding")
    return f"not significant (p = {p:.4f}, Holm {adjusted:.4f})"


def reading(out):
    table = rows(out)
    with open(os.path.join(out, "summary.json")) as file:
        decisions = {d["arm"]: d["decision"] for d in json.load(file)["decisions"]}
    gmv = table[("campaign", "gmv_usd")]
    merchants = table[("more_merchants", "gmv_usd")]
    fill = table[("control", "fill_rate")]
    completion = table[("campaign", "completion_rate")]
    lines = [
        f"- 20% more visitors raise GMV by {percent(float(gmv['relative']))}, not 20%: visitors "
        "still have to register, pass KYC and place a first order within the two weeks, and the "
        "existing 20,000 users carry most of the volume. The interval is narrow "
        f"({percent(float(gmv['relative_low']))} to {percent(float(gmv['relative_high']))}) with "
        "only 8 replications because common random numbers cancel the noise both arms share. "
        f"Decision: {decisions['campaign']}.",
        f"- More merchants: GMV {percent(float(merchants['relative']))} "
        f"(p = {float(merchants['p_value']):.3f}), decision: {decisions['more_merchants']}. The "
        f"control already fills {100 * float(fill['mean']):.2f}% of order attempts, so merchant "
        "liquidity is not what limits this market. The run could have detected a change of "
        f"{100 * float(merchants['minimum_detectable_relative']):.2f}% with 80% power, so \"no "
        "effect larger than about that\" is the finding.",
        f"- The campaign's completion-rate change ({percent(float(completion['relative']))}) is "
        f"{significance(completion['p_value'], completion['adjusted_p_value'])}.",
    ]
    return "\n".join(lines) + "\n"


def block(binary, work):
    out = os.path.join(work, "growth")
    shown = terminal(binary, out)
    return "```\n" + shown + "```\n\nReading it:\n\n" + reading(out)


if __name__ == "__main__":
    sys.exit(figures_block.main(__doc__, DOC, "docs/experiment_growth.py", block))
