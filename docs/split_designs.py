#!/usr/bin/env python3
"""The figures of docs/experiments.md's split designs, from the binary.

Runs the four split examples of scenarios/examples/ (each with compare_with_worlds, so every
estimate stands beside the true effect) and words each reading from comparison.csv: a bias is
called a bias only when it exceeds two of its standard errors (se / sqrt(replications)), and a
direction (overstates, understates) is only written when it is.
  market split    experiment_market_split.toml: the terminal, and the bias against noise;
  user split      experiment_user_split.toml: the terminal and the reading of the fee waiver;
  merchant split  experiment_merchant_split.toml: the step-up rule's fraud-loss cut;
  switchback      experiment_switchback.toml: the same rule switched by time block.

Usage (from anywhere):
  docs/split_designs.py BINARY            print the blocks as Markdown
  docs/split_designs.py BINARY --check    exit 1 unless docs/experiments.md holds exactly them
  docs/split_designs.py BINARY --update   rewrite them in docs/experiments.md from this run
"""
import csv
import json
import math
import os
import subprocess
import sys

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "experiments.md")
EXAMPLES = os.path.join(ROOT, "scenarios", "examples")


def run(binary, work, name):
    """(terminal text without the machine-dependent lines, comparison rows by (market, kpi),
    summary.json) of scenarios/examples/`name`.toml."""
    out = os.path.join(work, name)
    shown = subprocess.run([binary, "run", os.path.join(EXAMPLES, name + ".toml"), "--out", out],
                           check=True, capture_output=True, text=True).stdout
    kept = [line for line in shown.splitlines() if not line.startswith(("Ran ", "Results: "))]
    while kept and not kept[-1].strip():
        kept.pop()
    with open(os.path.join(out, "comparison.csv"), newline="") as file:
        rows = {(row["market"], row["kpi"]): row for row in csv.DictReader(file)}
    with open(os.path.join(out, "summary.json")) as file:
        summary = json.load(file)
    return "\n".join(kept) + "\n", rows, summary


def number(row, key):
    return float(row[key])


def noise(row):
    """The standard error of the mean estimate: se / sqrt(replications)."""
    return number(row, "standard_error") / math.sqrt(number(row, "replications"))


def usd(value):
    """12,345 -> "12.3 k", 850 -> "850"."""
    return f"{value / 1000:.1f} k" if abs(value) >= 1000 else f"{value:.0f}"


def measured_days(summary):
    simulation = summary["scenario"]["simulation"]
    return simulation["days"] - simulation["warmup_days"]


def bias_reading(row, larger, smaller):
    """How the estimate stands against the true effect: (is the bias beyond noise, its wording),
    `larger` or `smaller` the words for an estimate larger or smaller in size than the truth."""
    bias, error = number(row, "bias"), noise(row)
    ratio = abs(bias) / error if error > 0 else math.inf
    if ratio <= 2:
        return False, (f"bias {usd(bias)} USD, {ratio:.1f} times its standard error of "
                       f"{usd(number(row, 'standard_error'))} / sqrt({row['replications']}): "
                       "no bias beyond noise")
    estimate, truth = number(row, "estimate"), number(row, "true_effect")
    word = larger if abs(estimate) > abs(truth) else smaller
    return True, (f"{word} it (bias {usd(bias)} USD, {ratio:.1f} times its "
                  f"standard error of {usd(number(row, 'standard_error'))} / "
                  f"sqrt({row['replications']}))")


def market_split(binary, work):
    shown, rows, _ = run(binary, work, "experiment_market_split")
    gmv = rows[("all", "gmv_usd")]
    ratio = number(gmv, "standard_error") / abs(number(gmv, "true_effect"))
    bias, error = number(gmv, "bias"), noise(gmv)
    replications = gmv["replications"]
    if abs(bias) <= 2 * error:
        verdict = (f"The GMV bias over {replications} replications ({usd(bias)} USD) is "
                   f"{abs(bias) / error:.1f} times `se / sqrt({replications})` "
                   f"({usd(error)}): noise, not a systematic error.")
    else:
        verdict = (f"The GMV bias over {replications} replications ({usd(bias)} USD) is "
                   f"{abs(bias) / error:.1f} times `se / sqrt({replications})` "
                   f"({usd(error)}): more than noise explains.")
    return (f"In this run the GMV estimate's standard error is {ratio:.1f} times the true "
            "effect:\n\n```\n" + shown + "```\n\n" + verdict + "\n")


def user_split(binary, work):
    shown, rows, summary = run(binary, work, "experiment_user_split")
    gmv, fill = rows[("ng", "gmv_usd")], rows[("ng", "fill_rate")]
    revenue, cost = rows[("ng", "net_revenue_usd")], rows[("ng", "incentive_cost_usd")]
    orders = rows[("ng", "orders_completed")]
    replications = gmv["replications"]
    estimate, truth = number(gmv, "estimate"), number(gmv, "true_effect")
    biased, reading = bias_reading(gmv, "the split **overstates**", "the split **understates**")
    lines = [f"How to read it ({replications} replications, each of three worlds: the split, the "
             "control world and the all-treated world):", ""]
    gmv_line = (f"- The split says the waiver adds {usd(estimate)} USD of GMV over the "
                f"{measured_days(summary)} measured days ({100 * number(gmv, 'relative'):+.0f}%); "
                f"the true effect of waiving the fee for everyone is {usd(truth)}: {reading}.")
    if biased and abs(estimate) > abs(truth):
        gmv_line += (" Treated users' extra orders take ads that control users would have filled, "
                     "so the control arm looks worse than it would without the test.")
    gmv_line += (" Each replication's interval is wide (users' own habits make per-user GMV very "
                 "uneven, docs/model.md), so it still contains the true effect in "
                 f"{100 * number(gmv, 'coverage'):.0f}% of replications instead of 95%.")
    lines.append(gmv_line)
    split_fill, global_fill = number(fill, "estimate"), number(fill, "true_effect")
    if split_fill > 0 > global_fill:
        lines.append(f"- `fill_rate` shows the mechanism: within the split the treated users fill "
                     f"more of their attempts ({100 * split_fill:+.2f} points), but a global "
                     f"launch lowers everyone's fill rate by {-100 * global_fill:.2f} points. "
                     "The split cannot see a cost that falls on everyone.")
    else:
        lines.append(f"- `fill_rate`: {100 * split_fill:+.2f} points within the split, "
                     f"{100 * global_fill:+.2f} points under a global launch.")
    lines.append(f"- `unit se` (what one replication's users claim, "
                 f"{usd(number(gmv, 'unit_standard_error'))}) against `se` (the estimate's real "
                 f"spread over replications, {usd(number(gmv, 'standard_error'))}): "
                 + ("the intervals are somewhat narrow" if number(gmv, "unit_standard_error") <
                    number(gmv, "standard_error") else "the intervals are not too narrow")
                 + (", and centred on the wrong value. More users would not help; more merchants "
                    "would (the tests run the same waiver with 40 merchants and find no bias "
                    "beyond noise)." if biased else "."))
    lines.append(f"- `incentive_cost_usd` (in comparison.csv): the waived fees, "
                 f"{usd(number(cost, 'estimate'))} estimated against "
                 f"{usd(number(cost, 'true_effect'))} true. The control world runs no campaign, "
                 "so its cost is 0 rather than absent.")
    revenue_share = abs(number(revenue, "bias") / number(revenue, "true_effect"))
    lines.append(f"- Net revenue falls by the waived fees, {usd(-number(revenue, 'true_effect'))} "
                 f"USD, and the split's bias there is {usd(number(revenue, 'bias'))} "
                 f"({100 * revenue_share:.0f}% of it)"
                 + (": fees forgone depend on treated users' own trades, not on what they take "
                    "from others." if revenue_share < 0.1 else "."))
    lines.append(f"- CUPED removes {100 * number(gmv, 'variance_reduction'):.0f}% of the variance "
                 "of the GMV difference here (comparison.csv's `variance_reduction`: "
                 f"{number(gmv, 'variance_reduction'):.2f} for `gmv_usd`, "
                 f"{number(orders, 'variance_reduction'):.2f} for `orders_completed`) although "
                 f"the warm-up is only {summary['scenario']['simulation']['warmup_days']} days: "
                 "users keep their own activity and order sizes, so a user's first days say "
                 "something about the next ones. Users who arrive later have no warm-up and gain "
                 "nothing; docs/model.md (Heterogeneous users) gives what it removes with a 7-day "
                 "warm-up (scenarios/examples/user_habits.toml).")
    return "```\n$ build/p2psim run scenarios/examples/experiment_user_split.toml\n" + shown + \
        "```\n\n" + "\n".join(lines) + "\n"


def moves(value):
    """A change of fraud losses in words: -1234 -> "cuts fraud losses by 1.2 k"."""
    return f"{'cuts' if value < 0 else 'raises'} fraud losses by {usd(abs(value))}"


def fraud_cut(binary, work, name, subject, larger, smaller):
    """(rows, is the bias beyond noise, estimate, true effect, the fraud-loss sentence) of one
    step-up example."""
    _, rows, summary = run(binary, work, name)
    loss = rows[("ng", "fraud_loss_usd")]
    biased, reading = bias_reading(loss, larger, smaller)
    text = (f"{subject} that the rule {moves(number(loss, 'estimate'))} USD over the "
            f"{measured_days(summary)} measured days, while rolling it out everywhere "
            f"{moves(number(loss, 'true_effect')).replace('fraud losses', 'them')} "
            f"({loss['replications']} replications; "
            f"coverage {100 * number(loss, 'coverage'):.0f}%): {reading}.")
    return rows, biased, number(loss, "estimate"), number(loss, "true_effect"), text


def merchant_split(binary, work):
    rows, biased, estimate, truth, text = fraud_cut(
        binary, work, "experiment_merchant_split", "the split estimates",
        "the split **overstates**", "the split **understates**")
    if not biased:
        text += " At this size of effect the run cannot tell the spill-over from noise."
    elif abs(estimate) < abs(truth):
        text += " That is the spill-over's direction."
    else:
        text += " That is the opposite of what the spill-over alone would give."
    if ("ng", "catch_rate") not in rows:
        text += " (`catch_rate` has no estimate there: the control arm screens no orders.)"
    return "In this run " + text + "\n"


def switchback(binary, work):
    _, biased, estimate, truth, text = fraud_cut(
        binary, work, "experiment_switchback", "the blocks estimate",
        "the blocks **overstate**", "the blocks **understate**")
    if not biased:
        text += (" Here carry-over is small, because the rule stops each fraudulent order at "
                 "creation and the fraudsters' learning is slow next to a block.")
    elif abs(estimate) > abs(truth):
        text += (" That is away from zero, not the bias towards zero that carry-over alone "
                 "would give.")
    return "In this run " + text + "\n"


def figures(binary, work):
    return {"market split": market_split(binary, work), "user split": user_split(binary, work),
            "merchant split": merchant_split(binary, work), "switchback": switchback(binary, work)}


if __name__ == "__main__":
    sys.exit(figures_block.main(__doc__, DOC, "docs/split_designs.py", figures))
