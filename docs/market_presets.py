#!/usr/bin/env python3
"""The market presets' facts in docs/model.md's Competition and capital, from the binary.

First the presets' payment methods, as their files set them. Then each preset of
scenarios/markets/ at its default size, alone, seed 7:
  1. a week (8 days, 1 of warm-up), 2 replications: the share of its listed merchants that
     complete an order in the week, the median merchant's completion rate reaching 95% (the
     share of rated merchants at 95% or more), and the cancellation bans;
  2. a month (31 days, 1 of warm-up), 4 replications, as is and with every payment method's
     freeze_probability at 0: the merchants' profit and loss, and the recalls their receiving
     balances could not cover.
The facts the presets must show are checked too: at least 80% of listed merchants trade in a
week, the median completion rate is at least 95%, bans occur, the month's P&L is not negative,
and turning freezes on lowers it (means over the replications).

Usage (from anywhere):
  docs/market_presets.py BINARY            print the figures as Markdown
  docs/market_presets.py BINARY --check    exit 1 unless docs/model.md holds exactly them and
                                           the presets show the facts
  docs/market_presets.py BINARY --update   rewrite them in docs/model.md from this run
"""
import csv
import os
import re
import subprocess
import sys
import tempfile
import tomllib

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "model.md")
MARKETS = ["ar", "br", "in", "ke", "ng", "tr"]


def preset(code):
    return os.path.join(ROOT, "scenarios", "markets", code + ".toml")


def without_freezes(work, code):
    """A copy of the preset with every payment method's freeze_probability at 0."""
    with open(preset(code)) as file:
        text = re.sub(r"(?m)^freeze_probability = .*$", "freeze_probability = 0.0", file.read())
    path = os.path.join(work, "nofreeze_" + code + ".toml")
    with open(path, "w") as file:
        file.write(text)
    return path


def run(binary, work, name, included, days, replications):
    path = os.path.join(work, name + ".toml")
    with open(path, "w") as file:
        file.write(f'name = "{name}"\ninclude = ["{included}"]\n[simulation]\ndays = {days}\n'
                   f"warmup_days = 1\nseed = 7\nreplications = {replications}\n")
    out = os.path.join(work, name)
    subprocess.run([binary, "run", path, "--out", out, "--quiet"], check=True)
    means = {}
    with open(os.path.join(out, "kpis.csv"), newline="") as file:
        for row in csv.DictReader(file):
            if row["market"] != "all":
                means[row["kpi"]] = means.get(row["kpi"], 0.0) + float(row["value"]) / replications
    return means


def payment_methods():
    """The presets' payment methods as their files set them, one row each."""
    rows = ["| preset | method | share | reversible: window, share of claims granted | a recall "
            "takes | freeze: probability, mean days | bank account |",
            "|---|---|---|---|---|---|---|"]
    for code in MARKETS:
        with open(preset(code), "rb") as file:
            methods = tomllib.load(file)["markets"][code]["payment_methods"]
        for method in methods:
            reversal = "no"
            if method.get("reversible", False):
                reversal = (f"{method['reversal_window_days']:g} days, "
                            f"{method.get('reversal_probability', 1.0):g}")
            recall = ("what the account holds" if method.get("recovery_limited_to_balance", False)
                      else "the whole payment")
            freeze = "never"
            if method.get("freeze_probability", 0.0) > 0.0:
                freeze = f"{method['freeze_probability']:g}, {method.get('freeze_days_mean', 7.0):g}"
            rows.append(f"| {code} | {method['name']} | {method['share']:g} | {reversal} | {recall} "
                        f"| {freeze} | {method.get('bank_account', '') or 'own'} |")
    return rows


def facts(binary, work):
    rows, failures = [], []
    for code in MARKETS:
        with open(preset(code), "rb") as file:
            listed = tomllib.load(file)["markets"][code]["merchants"]["count"]
        week = run(binary, work, "week_" + code, preset(code), 8, 2)
        month = run(binary, work, "month_" + code, preset(code), 31, 4)
        calm = run(binary, work, "calm_" + code, without_freezes(work, code), 31, 4)
        trading = week["active_merchants"] / listed
        at_95 = week["merchants_completing_95_share"]
        bans = week.get("cancellation_bans", 0.0)
        pnl, pnl_calm = month["merchant_pnl"], calm["merchant_pnl"]
        uncovered = month["fraud_claims_uncovered_usd"]
        rows.append(f"| {code} | {listed} | {100 * trading:.0f}% | {100 * at_95:.0f}% | "
                    f"{bans:.1f} | {pnl:,.0f} | {pnl_calm:,.0f} | {uncovered:,.0f} |")
        if trading < 0.8:
            failures.append(f"{code}: {100 * trading:.0f}% of listed merchants trade in a week")
        if at_95 < 0.5:
            failures.append(f"{code}: the median merchant completes under 95%")
        if bans <= 0.0:
            failures.append(f"{code}: no cancellation ban in a week")
        if pnl < 0.0:
            failures.append(f"{code}: merchants lose {-pnl:,.0f} USD over a month")
        if pnl >= pnl_calm:
            failures.append(f"{code}: freezes do not lower merchants' P&L "
                            f"({pnl:,.0f} with, {pnl_calm:,.0f} without)")
    block = "".join(line + "\n" for line in [
        *payment_methods(),
        "",
        "| preset | listed merchants | trading in a week | rated merchants at 95%+ completion | "
        "cancellation bans a week | merchants' P&L over a month, USD | the same without "
        "freezes | recalls not covered over the month, USD |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ])
    return block, failures


def main():
    parsed = figures_block.arguments(__doc__)
    if parsed is None:
        return 2
    binary, mode = parsed
    with tempfile.TemporaryDirectory() as work:
        block, failures = facts(binary, work)
    for failure in failures:
        print("market preset fact not shown: " + failure, file=sys.stderr)
    status = figures_block.apply(DOC, "docs/market_presets.py", block, mode)
    return 1 if failures else status


if __name__ == "__main__":
    sys.exit(main())
