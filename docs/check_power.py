#!/usr/bin/env python3
"""The power of `p2psim check` in docs/cli.md: changes planted in the regression scenarios.

Each planted change is a regression scenario with one value moved by 20% (a fraud typology's
accounts_per_day, the merchants' count, a risk rule's threshold or a limit), written into a
temporary folder laid out like the repository's and checked against the committed baselines
(results/baselines, made from the unchanged scenarios at the same seed and replications: common
random numbers, so the check pairs the replications). The check must fail (exit code 4) with the
named KPI among those that moved; when one does not, this script stops with an error listing
every change the check missed, so that cli.md cannot claim a power the gate does not have. The block is a table: the change, the KPI,
its move, its p-value after Holm's correction and how many of the scenario's KPIs moved.

Usage (from anywhere):
  docs/check_power.py BINARY            print the table as Markdown
  docs/check_power.py BINARY --check    exit 1 unless docs/cli.md holds exactly it
  docs/check_power.py BINARY --update   rewrite it in docs/cli.md from this run
"""
import os
import re
import subprocess
import sys

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "cli.md")
def rate(stem, market, typology, value):
    """A fraud typology's accounts_per_day in one regression scenario, +20%."""
    section = f"[markets.{market}.fraud.{typology}]\naccounts_per_day = "
    return (stem, f"`{market}.fraud.{typology}.accounts_per_day` {value} -> "
            f"{float(value) * 1.2:g}", section + value, section + f"{float(value) * 1.2:g}",
            f"fraud_arrivals.typology.{typology}")


def merchants(stem):
    return (stem, "`ng.merchants.count` 25 -> 30", "[markets.ng.merchants]\ncount = 25\n",
            "[markets.ng.merchants]\ncount = 30\n", "active_merchants")


# (scenario, the change as shown, the text replaced, its replacement, the KPI that must move)
CHANGES = [
    rate("fraud_typologies", "ng", "non_payment", "10"),
    rate("fraud_typologies", "ng", "payment_reversal", "6"),
    rate("fraud_typologies", "ng", "triangulation", "4"),
    rate("fraud_typologies", "ng", "promotion_abuse", "2"),
    rate("fraud_typologies", "ng", "account_takeover", "2"),
    rate("fraud_typologies", "ng", "mule_structuring", "3"),
    rate("fraud_typologies", "ng", "merchant_exit_scam", "1.0"),
    rate("growth_and_controls", "ng", "promotion_abuse", "4"),
    rate("multi_market", "ng", "payment_reversal", "5"),
    rate("multi_market", "br", "payment_reversal", "5"),
    rate("risk_policy", "ng", "non_payment", "10"),
    rate("risk_policy", "ng", "payment_reversal", "6"),
    rate("shocks", "ng", "non_payment", "5"),
    merchants("orders_funnel"),
    merchants("merchants_liquidity"),
    merchants("risk_policy"),
    ("risk_policy", "allow rule `kyc_tier >= 1` -> 1.2", "kyc_tier >= 1 and",
              "kyc_tier >= 1.2 and", "good_orders_blocked"),
    ("risk_policy", "allow rule `completed_orders >= 1` -> 1.2",
              "completed_orders >= 1\"", "completed_orders >= 1.2\"", "good_orders_blocked"),
    ("risk_policy", "block rule `account_age_days < 5` -> 6",
              "account_age_days < 5 and", "account_age_days < 6 and", "good_orders_blocked"),
    ("risk_policy", "block rule `amount_usd > 300` -> 360", "amount_usd > 300",
              "amount_usd > 360", "good_orders_blocked"),
    ("risk_policy", "hold rule `account_age_days < 7` -> 8.4",
              "account_age_days < 7 and", "account_age_days < 8.4 and", "orders_held"),
    ("risk_policy", "score `block_above` 0.9 -> 0.72", "block_above = 0.9",
              "block_above = 0.72", "good_orders_blocked"),
    ("growth_and_controls", "limit `max_order_usd` 300 -> 360", "max_order_usd = 300",
              "max_order_usd = 360", "orders_limited"),
    ("growth_and_controls", "limit `max_daily_usd` 600 -> 720", "max_daily_usd = 600",
              "max_daily_usd = 720", "orders_limited"),
    ("growth_and_controls", "review rule `account_age_days < 3` -> 3.6",
              "account_age_days < 3 and", "account_age_days < 3.6 and", "orders_sent_to_review"),
    ("growth_and_controls", "review rule `amount_usd > 250` -> 300", "amount_usd > 250",
              "amount_usd > 300", "orders_sent_to_review"),
]

KPI_LINE = re.compile(r"^\s*(?P<status>MOVED|changed)\s+(?P<market>\S+)\s+(?P<kpi>\S+)\s+.*\("
                      r"(?P<move>[^;]+); tolerance (?P<tolerance>[^;]+); (paired )?p \S+, "
                      r"after Holm (?P<adjusted>\S+) ")
COUNTS = re.compile(r"(?P<moved>\d+) moved")


def planted(binary, work, change):
    """The check's verdict on one planted change: the row of the table."""
    stem, shown, old, new, kpi = change
    with open(os.path.join(ROOT, "scenarios", "regression", stem + ".toml")) as file:
        text = file.read()
    if text.count(old) != 1:
        raise SystemExit(f"scenarios/regression/{stem}.toml has {old!r} "
                         f"{text.count(old)} times, not once")
    scenario = os.path.join("scenarios", "regression", stem + ".toml")
    with open(os.path.join(work, scenario), "w") as file:
        file.write(text.replace(old, new))
    run = subprocess.run([binary, "check", scenario, "--baselines",
                          os.path.join(ROOT, "results", "baselines"), "--junit",
                          os.path.join(work, "junit.xml"), "--threads", "2"],
                         cwd=work, capture_output=True, text=True)
    lines = run.stdout.splitlines()
    found = [KPI_LINE.match(line) for line in lines]
    mine = [match for match in found if match and match["kpi"] == kpi]
    if run.returncode != 4 or not mine or mine[0]["status"] != "MOVED":
        shown_line = [line for line in lines if kpi in line.split()]
        return None, (f"planted change {shown} in {stem}.toml: check exited with "
                      f"{run.returncode}, not 4, or {kpi} did not move: " +
                      (" ".join(shown_line[0].split()) if shown_line else run.stderr))
    moved = COUNTS.search(lines[0])["moved"]
    return (f"| {stem} | {shown} | `{kpi}` | {mine[0]['move']} | {mine[0]['tolerance']} | "
            f"{mine[0]['adjusted']} | {moved} |"), None


def figures(binary, work):
    os.makedirs(os.path.join(work, "scenarios", "regression"))
    os.symlink(os.path.join(ROOT, "scenarios", "markets"),
               os.path.join(work, "scenarios", "markets"))
    verdicts = [planted(binary, work, change) for change in CHANGES]
    missed = [error for _, error in verdicts if error]
    if missed:
        raise SystemExit("the check must fail on each planted change:\n" + "\n".join(missed))
    rows = [row for row, _ in verdicts]
    return ("| scenario | planted change (+20%) | KPI | its move | tolerance | p after Holm | "
            "KPIs moved |\n|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    sys.exit(figures_block.main(__doc__, DOC, "docs/check_power.py", figures))
