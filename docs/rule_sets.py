#!/usr/bin/env python3
"""The figures of docs/strategies.md's Comparing rule sets, from the binary.

Runs scenarios/examples/three_rule_sets.toml (the current rules, a strict policy and a
score-driven one, as the arms of a worlds experiment) and words what each policy does to fraud
losses and GMV from comparison.csv and summary.json: a change is called a cut only when its p is
below 0.05, and the guardrail's verdict and the decisions are the binary's own.

Usage (from anywhere):
  docs/rule_sets.py BINARY            print the figures as Markdown
  docs/rule_sets.py BINARY --check    exit 1 unless docs/strategies.md holds exactly them
  docs/rule_sets.py BINARY --update   rewrite them in docs/strategies.md from this run
"""
import csv
import json
import os
import subprocess
import sys

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "strategies.md")
SCENARIO = os.path.join(ROOT, "scenarios", "examples", "three_rule_sets.toml")
GUARDRAIL = {"safe": "passes", "harm shown": "fails", "not shown": "does not show safety on"}


def fraud(row):
    """The fraud-loss change in words, a cut or a rise only when p < 0.05."""
    relative, p = 100 * float(row["relative"]), float(row["p_value"])
    if p >= 0.05:
        return f"leaves fraud losses within noise ({relative:+.1f}%, p = {p:.3f})"
    return (f"{'cuts' if relative < 0 else 'raises'} fraud losses by {abs(relative):.1f}% "
            f"(p = {p:.3f})")


def gmv(row):
    verdict = row["guardrail"].strip().lower()
    worst = 100 * float(row["guardrail_worst_change"])
    return (f"{GUARDRAIL.get(verdict, verdict)} the GMV guardrail ({100 * float(row['relative']):+.1f}% "
            f"GMV against {worst:+.0f}% allowed)")


def figures(binary, work):
    out = os.path.join(work, "three_rule_sets")
    subprocess.run([binary, "run", SCENARIO, "--out", out, "--quiet"], check=True)
    with open(os.path.join(out, "comparison.csv"), newline="") as file:
        rows = {(row["arm"], row["kpi"]): row for row in csv.DictReader(file)
                if row["market"] == "ng"}
    with open(os.path.join(out, "summary.json")) as file:
        summary = json.load(file)
    decisions = {d["arm"]: d["decision"] for d in summary["decisions"]}
    replications = rows[("strict", "gmv_usd")]["replications"]
    shipped = [arm for arm in ("strict", "score") if decisions[arm] == "ship"]
    names = {"strict": "the strict policy", "score": "the score-driven policy"}
    abandoned = float(rows[("score", "good_orders_abandoned_at_step_up")]["mean"])
    text = (f"On its seed, over {replications} replications, the strict policy "
            f"{fraud(rows[('strict', 'fraud_loss_usd')])} and "
            f"{gmv(rows[('strict', 'gmv_usd')])}; decision: {decisions['strict']}. The "
            f"score-driven policy {fraud(rows[('score', 'fraud_loss_usd')])} and "
            f"{gmv(rows[('score', 'gmv_usd')])}, at the price of {abandoned:.0f} genuine orders "
            f"a replication whose users gave up a step-up; decision: {decisions['score']}. "
            + (f"The decision rule ships {' and '.join(names[arm] for arm in shipped)}."
               if shipped else "The decision rule ships neither."))
    return text + "\n"


if __name__ == "__main__":
    sys.exit(figures_block.main(__doc__, DOC, "docs/rule_sets.py", figures))
