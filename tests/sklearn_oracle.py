#!/usr/bin/env python3
"""scikit-learn as the oracle of `p2psim train`.

Runs a scenario with a policy (rules, a score and manual review, two replications) with
--export orders, trains on the export, then recomputes from the export's own files what train
reported:
  - the fitted coefficients: scikit-learn's LogisticRegression(C = 1 / l2) on the same rows and
    labels, standardised as StandardScaler does (mean, population standard deviation);
  - ROC-AUC and average precision of each evaluation in model.json: roc_auc_score and
    average_precision_score on test_scores.csv.gz, to 1e-9;
  - precision and recall at capacity: the top `capacity` rows of each day of each replication,
    ties to the earlier attempt, counted exactly.
Usage: sklearn_oracle.py P2PSIM_BINARY SOURCE_DIR
"""
import csv
import glob
import gzip
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def read_orders(export_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(export_dir, "replication-*", "orders.csv.gz"))):
        with gzip.open(path, "rt", newline="") as file:
            rows.extend(csv.DictReader(file))
    return rows


def fit_sklearn(x, y, l2):
    mean = x.mean(axis=0)
    scale = x.std(axis=0)  # population standard deviation, as StandardScaler
    model = LogisticRegression(C=1.0 / l2, solver="newton-cholesky", tol=1e-10, max_iter=1000)
    model.fit((x - mean) / scale, y)
    return model.intercept_[0], model.coef_[0], mean, scale


def compare_model(name, ours, rows, features, labels, l2):
    x = np.array([[float(row["feature_" + f]) for f in features] for row in rows])
    y = np.array(labels, dtype=float)
    intercept, coefficients, mean, scale = fit_sklearn(x, y, l2)
    theirs = np.concatenate([[intercept], coefficients])
    mine = np.array([ours["standardised_intercept"]] +
                    [ours["weights"][f]["standardised_weight"] for f in features])
    # Relative to the largest coefficient: a coefficient near zero has no meaningful relative
    # error of its own. Both are Newton solvers stopped near 1e-10, so 1e-4 leaves a wide margin
    # for the rounding of sums over tens of thousands of rows and nothing for a wrong objective.
    error = np.max(np.abs(mine - theirs)) / np.max(np.abs(theirs))
    check(error < 1e-4, f"{name}: coefficients differ from scikit-learn's by {error:.2e} "
          f"(relative to the largest)\n  p2psim  {mine}\n  sklearn {theirs}")
    for f, m, s in zip(features, mean, scale):
        check(abs(ours["weights"][f]["mean"] - m) <= 1e-9 * max(1.0, abs(m)), f"{name}: mean of {f}")
        check(abs(ours["weights"][f]["scale"] - s) <= 1e-9 * max(1.0, abs(s)), f"{name}: scale of {f}")
    print(f"{name}: {len(rows)} rows, largest coefficient difference {error:.2e} (relative)")


def top_of_each_day(scores, labels, groups, attempts, capacity):
    order = np.lexsort((attempts, -scores, groups))
    reviewed = caught = 0
    rank = 0
    previous = None
    for index in order:
        rank = rank + 1 if groups[index] == previous else 1
        previous = groups[index]
        if rank <= capacity:
            reviewed += 1
            caught += int(labels[index])
    return reviewed, caught


def compare_metrics(evaluation, scores, labels, groups, attempts, capacity):
    name = f"{evaluation['model']} vs {evaluation['labels']}"
    check(evaluation["rows"] == len(scores), f"{name}: rows {evaluation['rows']} != {len(scores)}")
    check(evaluation["positives"] == int(labels.sum()), f"{name}: positives")
    auc = roc_auc_score(labels, scores)
    precision = average_precision_score(labels, scores)
    check(abs(evaluation["roc_auc"] - auc) < 1e-9, f"{name}: ROC-AUC {evaluation['roc_auc']} != {auc}")
    check(abs(evaluation["average_precision"] - precision) < 1e-9,
          f"{name}: average precision {evaluation['average_precision']} != {precision}")
    reviewed, caught = top_of_each_day(scores, labels, groups, attempts, capacity)
    at = evaluation["at_capacity"]
    check(at["reviewed"] == reviewed and at["caught"] == caught,
          f"{name}: at capacity {at['reviewed']}/{at['caught']} != {reviewed}/{caught}")
    print(f"{name}: ROC-AUC {auc:.6f}, average precision {precision:.6f}, "
          f"{caught} caught of {reviewed} reviewed: agree")


def main():
    binary, source = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="p2psim_sklearn_oracle_")
    scenario = os.path.join(source, "scenarios", "examples", "manual_review.toml")
    subprocess.run([binary, "run", scenario, "--export", "orders", "--out", work + "/run", "-q"],
                   check=True)
    subprocess.run([binary, "train", work + "/run/export", "--out", work + "/model", "--l2", "3",
                    "-q"], check=True)
    with open(work + "/model/model.json") as file:
        model = json.load(file)
    features = model["features"]
    first, last = model["train_days"]
    label_day = model["label_day"]
    rows = [row for row in read_orders(work + "/run/export")
            if row["feature_account_age_days"] != "" and row["market"] == model["market"]]
    train = [row for row in rows if first <= int(row["day"]) <= last]
    orders = [row for row in train if row["order"] != ""]
    known = [row["is_fraud"] == "1" and row["revealed_day"] != "" and
             int(row["revealed_day"]) <= label_day for row in orders]
    compare_model("platform-label model", model["model"], orders, features, known, model["l2"])
    truth = [row["is_fraud"] == "1" for row in train]
    compare_model("ground-truth model", model["truth_model"], train, features, truth, model["l2"])

    test_first, test_last = model["test_days"]
    expected_test_rows = sum(1 for row in rows if test_first <= int(row["day"]) <= test_last)
    with gzip.open(work + "/model/test_scores.csv.gz", "rt", newline="") as file:
        scores = list(csv.DictReader(file))
    check(len(scores) == expected_test_rows, f"test rows {len(scores)} != {expected_test_rows}")
    column = lambda name, kind=float: np.array([kind(row[name]) for row in scores])
    groups = column("replication", int) * 100000 + column("day", int)
    attempts = column("attempt", int)
    has_order = column("has_order", int) == 1
    capacity = model["capacity_per_day"]
    by_name = {(e["model"], e["labels"]): e for e in model["evaluations"]}
    truth_labels = "ground truth, every attempt"
    compare_metrics(by_name[("platform labels", truth_labels)], column("probability"),
                    column("is_fraud"), groups, attempts, capacity)
    compare_metrics(by_name[("platform labels", "platform labels at the end of the run, orders only")],
                    column("probability")[has_order], column("known_fraud")[has_order],
                    groups[has_order], attempts[has_order], capacity)
    compare_metrics(by_name[("ground truth labels", truth_labels)],
                    column("truth_model_probability"), column("is_fraud"), groups, attempts, capacity)
    if failures:
        print("\n".join(["FAILED:"] + failures))
        return 1
    print("p2psim train agrees with scikit-learn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
