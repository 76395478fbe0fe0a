#!/usr/bin/env python3
"""The risk-model loop of docs/risk-models.md, run end to end; prints the figures the doc quotes.

Steps, each a p2psim command:
  1. run the incumbent policy with an export (scenarios/examples/risk_model_loop/incumbent.toml);
  2. train a score on the export (review capacity 100 attempts a day);
  3. profile the export's segments;
  4. run the experiment: the incumbent against the trained score, in the loop
     (scenarios/examples/risk_model_loop/experiment.toml, which includes trained_score.toml).
The trained fragment must equal the committed trained_score.toml, so the experiment runs the
model this script trains.

Usage (from anywhere):
  docs/risk_model_loop.py BINARY            print the figures as Markdown
  docs/risk_model_loop.py BINARY --check    exit 1 unless docs/risk-models.md holds exactly them
                                            and trained_score.toml is what train writes
  docs/risk_model_loop.py BINARY --update   rewrite both from this run
"""
import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOOP = os.path.join(ROOT, "scenarios", "examples", "risk_model_loop")
DOC = os.path.join(ROOT, "docs", "risk-models.md")
CAPACITY = 100


def p2psim(binary, work, *arguments):
    subprocess.run([binary, *arguments, "--quiet"], cwd=work, check=True)


def percent(value):
    return f"{100 * value:.1f}%"


def read_csv(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as file:
        return list(csv.DictReader(file))


def training_figures(model):
    train = model["train"]
    lines = [
        f"Train window days {model['train_days'][0]}-{model['train_days'][1]}, labels known on "
        f"day {model['label_day']}, test days {model['test_days'][0]}-{model['test_days'][1]}: "
        f"{train['attempts']} attempts, {train['orders']} orders, {train['known_fraud']} known "
        f"as fraud; {train['unlabelled_attempts']} attempts stopped by the incumbent rule before "
        f"an order (no label); {train['true_fraud']} fraudulent attempts in truth.",
        "",
        "| model trained on | judged against | ROC-AUC | average precision | "
        f"precision at {CAPACITY}/day | recall at {CAPACITY}/day |",
        "|---|---|---|---|---|---|",
    ]
    for e in model["evaluations"]:
        lines.append(
            f"| {e['model']} | {e['labels']} | {e['roc_auc']:.3f} | {e['average_precision']:.3f} "
            f"| {percent(e['at_capacity']['precision'])} | {percent(e['at_capacity']['recall'])} |")
    weights = sorted(model["model"]["weights"].items(),
                     key=lambda item: -abs(item[1]["standardised_weight"]))[:5]
    lines += ["", "Largest standardised weights: " + ", ".join(
        f"`{name}` {w['standardised_weight']:+.2f}" for name, w in weights) + "."]
    return lines


def profile_figures(rows):
    singles = [r for r in rows if " & " not in r["dimension"]]
    singles.sort(key=lambda r: int(r["rank_by_rate"]))
    lines = ["| segment | attempts | fraud rate [95% interval] | lift | share of loss |",
             "|---|---|---|---|---|"]
    for r in singles[:5]:
        lines.append(
            f"| {r['dimension']} = {r['value']} | {r['attempts']} | "
            f"{percent(float(r['fraud_rate']))} [{percent(float(r['fraud_rate_low']))}, "
            f"{percent(float(r['fraud_rate_high']))}] | {float(r['lift']):.1f} | "
            f"{percent(float(r['loss_share']))} |")
    return lines


def experiment_figures(rows):
    kpis = ["fraud_loss_usd", "catch_rate", "good_orders_blocked", "gmv_usd", "review_queue_wait",
            "score_roc_auc"]
    units = {"fraud_loss_usd": " (USD)", "gmv_usd": " (USD)", "review_queue_wait": " (minutes)"}
    lines = ["| arm | " + " | ".join(f"`{k}`{units.get(k, '')}" for k in kpis) + " |",
             "|---" * (len(kpis) + 1) + "|"]
    by_arm = {}
    for r in rows:
        if r["market"] == "ng" and r["kpi"] in kpis:
            by_arm.setdefault(r["arm"], {})[r["kpi"]] = r
    for arm, values in by_arm.items():
        cells = []
        for kpi in kpis:
            if kpi not in values:  # not produced: no order went to review, or no score ranked
                cells.append("-")
                continue
            r = values[kpi]
            mean = float(r["mean"])
            if kpi == "catch_rate":
                text = percent(mean)
            elif kpi == "score_roc_auc":
                text = f"{mean:.3f}"
            else:
                text = f"{mean:,.1f}"
            if r["relative"]:
                text += (f" ({float(r['relative']):+.1%} [{float(r['relative_low']):+.1%}, "
                         f"{float(r['relative_high']):+.1%}])")
            cells.append(text)
        lines.append(f"| {arm} | " + " | ".join(cells) + " |")
    return lines


def adaptation_reading(rows):
    """Whether fraudsters' adaptation measurably erodes the score's cut of fraud losses: the
    trained_score and static_fraud arms' intervals of the change, overlapping or not."""
    loss = {r["arm"]: r for r in rows if r["market"] == "ng" and r["kpi"] == "fraud_loss_usd"}
    adapting, static = loss["trained_score"], loss["static_fraud"]
    low_a, high_a = float(adapting["relative_low"]), float(adapting["relative_high"])
    low_s, high_s = float(static["relative_low"]), float(static["relative_high"])
    intervals = (f"{float(adapting['relative']):+.1%} [{low_a:+.1%}, {high_a:+.1%}] with adapting "
                 f"fraudsters, {float(static['relative']):+.1%} [{low_s:+.1%}, {high_s:+.1%}] "
                 "with static ones")
    if low_a <= high_s and low_s <= high_a:
        return ("**Fraudsters adapting**: the score's change of fraud losses is " + intervals +
                ". The intervals overlap: over four weeks, with these adaptation settings, the "
                "fraudsters' reaction does not measurably erode the score's effect on losses.")
    less = float(adapting["relative"]) > float(static["relative"])
    return ("**Fraudsters adapting**: the score's change of fraud losses is " + intervals +
            ". The intervals do not overlap: the fraudsters' reaction "
            + ("measurably erodes the score's effect on losses." if less else
               "leaves the score a larger effect on losses than against static fraudsters."))


def figures(binary, work):
    p2psim(binary, work, "run", os.path.join(LOOP, "incumbent.toml"), "--export", "orders",
           "--out", "incumbent", "--threads", "2")
    p2psim(binary, work, "train", "incumbent/export", "--capacity", str(CAPACITY), "--out",
           "model")
    p2psim(binary, work, "profiles", "incumbent/export", "--out", "profiles")
    with open(os.path.join(work, "model", "model.json")) as file:
        model = json.load(file)
    lines = ["**Step 2, train.** " + training_figures(model)[0], *training_figures(model)[1:]]
    lines += ["", "**Step 3, profiles**: the five single segments with the highest fraud rate.", ""]
    lines += profile_figures(read_csv(os.path.join(work, "profiles", "profiles.csv")))
    lines += ["", "**Step 4, in the loop**: means over 8 replications; in brackets the change "
              "against the incumbent with its 95% interval (paired, common random numbers).", ""]
    return lines


def main():
    binary = os.path.abspath(sys.argv[1])
    mode = sys.argv[2] if len(sys.argv) > 2 else "--print"
    work = tempfile.mkdtemp(prefix="p2psim_risk_model_loop_")
    try:
        lines = figures(binary, work)
        trained = open(os.path.join(work, "model", "score.toml")).read()
        committed_path = os.path.join(LOOP, "trained_score.toml")
        committed = open(committed_path).read()
        if mode == "--update":
            open(committed_path, "w").write(trained)
            committed = trained
        elif trained != committed:
            print(f"{committed_path} is not what train writes now: run {sys.argv[0]} BINARY "
                  "--update", file=sys.stderr)
            return 1
        p2psim(binary, work, "run", os.path.join(LOOP, "experiment.toml"), "--out", "experiment",
               "--threads", "2")
        experiment = read_csv(os.path.join(work, "experiment", "comparison.csv"))
        lines += experiment_figures(experiment)
        lines += ["", adaptation_reading(experiment)]
    finally:
        shutil.rmtree(work)
    block = "".join(line + "\n" for line in lines)
    return figures_block.apply(DOC, "docs/risk_model_loop.py", block,
                               None if mode == "--print" else mode)


if __name__ == "__main__":
    sys.exit(main())
