#!/usr/bin/env python3
"""The figures of docs/model.md's Heterogeneous users, from the binary.

Two runs each, with users' own habits (the defaults) and with every user alike
(users.activity_sigma = 0, users.order_usd_persistence = 0):
  1. the quickstart with an export of accounts: the share of the orders of the users who placed
     any that the most active 10% of them placed, averaged over the replications;
  2. scenarios/examples/user_habits.toml, a user split with a 7-day warm-up and CUPED: the share
     of the variance of the difference that CUPED removed (comparison.csv).
The block is the reading of those figures (its wording follows them), then their table.

Usage (from anywhere):
  docs/user_habits.py BINARY            print the figures as Markdown
  docs/user_habits.py BINARY --check    exit 1 unless docs/model.md holds exactly them
  docs/user_habits.py BINARY --update   rewrite them in docs/model.md from this run
"""
import csv
import glob
import gzip
import os
import subprocess
import sys

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "model.md")
ALIKE = "[markets.ng.users]\nactivity_sigma = 0.0\norder_usd_persistence = 0.0\n"


def scenario(work, source, alike):
    """`source` as is, or a scenario that includes it with every user alike."""
    if not alike:
        return source
    path = os.path.join(work, "alike_" + os.path.basename(source))
    with open(path, "w") as file:
        file.write(f'name = "alike"\ninclude = ["{source}"]\n' + ALIKE)
    return path


def run(binary, work, name, *arguments):
    out = os.path.join(work, name)
    subprocess.run([binary, "run", *arguments, "--out", out, "--quiet"], check=True)
    return out


def top_decile_share(out):
    """Mean over replications of the top 10% of trading users' share of their orders."""
    shares = []
    for path in sorted(glob.glob(os.path.join(out, "export", "replication-*", "accounts.csv.gz"))):
        with gzip.open(path, "rt", newline="") as file:
            orders = sorted((int(row["orders"]) for row in csv.DictReader(file)
                             if row["is_fraud"] == "0" and int(row["orders"]) > 0), reverse=True)
        shares.append(sum(orders[: len(orders) // 10]) / sum(orders))
    return sum(shares) / len(shares)


def variance_reductions(out):
    with open(os.path.join(out, "comparison.csv"), newline="") as file:
        return {row["kpi"]: row["variance_reduction"] for row in csv.DictReader(file)
                if row["market"] == "ng"}


def figures(binary, work):
    quickstart = os.path.join(ROOT, "scenarios", "quickstart.toml")
    split = os.path.join(ROOT, "scenarios", "examples", "user_habits.toml")
    rows, shares, removed = [], {}, {}
    for alike, label in ((False, "own habits (defaults)"), (True, "every user alike")):
        tag = "alike" if alike else "habits"
        exported = run(binary, work, "quickstart_" + tag, scenario(work, quickstart, alike),
                       "--export", "accounts")
        reductions = variance_reductions(run(binary, work, "split_" + tag,
                                             scenario(work, split, alike)))
        shares[alike] = top_decile_share(exported)
        removed[alike] = [float(reductions[kpi]) for kpi in ("gmv_usd", "orders_completed")]
        rows.append(f"| {label} | {100 * shares[alike]:.0f}% | "
                    f"{100 * removed[alike][0]:.1f}% | {100 * removed[alike][1]:.1f}% |")
    reading = (
        "The most active tenth of the users who trade in the quickstart's 14 days place "
        f"{100 * shares[False]:.0f}% of their orders (alike, the Poisson noise of a few attempts "
        f"each gives them {100 * shares[True]:.0f}%), and with their own habits "
        + ("a user's warm-up predicts their measured period: "
           if min(removed[False]) > 4 * max(*removed[True], 0.01) else "")
        + f"CUPED removes {100 * min(removed[False]):.0f}% to "
        f"{100 * max(removed[False]):.0f}% of the variance of a user split "
        "(`scenarios/examples/user_habits.toml`: 7-day warm-up, 7 measured days), against "
        f"{100 * max(removed[True]):.1f}% or less with every user alike.")
    return "".join(line + "\n" for line in [
        reading,
        "",
        "| users | top 10% of trading users' share of orders (quickstart, 14 days) | "
        "variance CUPED removes: GMV | orders completed (user_habits.toml) |",
        "|---|---|---|---|",
        *rows,
    ])


if __name__ == "__main__":
    sys.exit(figures_block.main(__doc__, DOC, "docs/user_habits.py", figures))
