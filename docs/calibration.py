#!/usr/bin/env python3
"""The figures of docs/calibration.md's worked example, from the binary.

Runs `p2psim calibrate` on scenarios/calibration/kenya_from_ng.toml with
scenarios/calibration/kenya.targets.toml (two threads; the result does not depend on them) and
reads its calibration.json: per target the observed value, the simulated value at the start and
at the fit, and the standardised error; per parameter the stand-in market's own value (from the
resolved scenario of kenya_stand_in.toml), the start, the fit, its standard error and 95%
interval; the objective, the NRMSE and the warnings. Then it runs the calibrated scenario and
the stand-in and sets side by side KPIs the targets left out. Wall time is left out: it varies.

Usage (from anywhere):
  docs/calibration.py BINARY            print the figures as Markdown
  docs/calibration.py BINARY --check    exit 1 unless docs/calibration.md holds exactly them
  docs/calibration.py BINARY --update   rewrite them in docs/calibration.md from this run
"""
import json
import os
import re
import subprocess
import sys

import figures_block

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "calibration.md")
FOLDER = os.path.join(ROOT, "scenarios", "calibration")
SCENARIO = os.path.join(FOLDER, "kenya_from_ng.toml")
TARGETS = os.path.join(FOLDER, "kenya.targets.toml")
STAND_IN = os.path.join(FOLDER, "kenya_stand_in.toml")
# KPIs the targets leave out, to see what the fit carries over and what it does not.
UNTARGETED = ["gmv_usd", "active_users", "time_to_complete_p50_minutes", "fraud_loss_bps",
              "avg_spread_bps"]


def kpi_units():
    """Each KPI's unit, from the tables of docs/kpis.md."""
    units = {}
    with open(os.path.join(ROOT, "docs", "kpis.md")) as file:
        for line in file:
            match = re.match(r"\| `([a-z0-9_.<>]+)` \| ([A-Za-z ]+) \|", line)
            if match:
                units[match.group(1)] = match.group(2).strip()
    return units


def kpi_text(value, unit):
    """A KPI's value as the terminal shows it: shares in %, counts whole, money in cents, bps to a
    tenth, durations to a hundredth."""
    if unit == "ratio":
        return f"{100 * value:.2f}%"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "USD":
        return f"{value:,.2f}"
    if unit == "bps":
        return f"{value:.1f}"
    return f"{value:.2f}"


def resolved_value(scenario, key, code):
    """The value at a dotted key of a resolved scenario, the first market part read as `code`."""
    node = scenario
    parts = key.split(".")
    for index, part in enumerate(parts):
        if isinstance(node, list):
            part = code if index == 1 else part
            node = next(entry for entry in node if entry.get("code", entry.get("name")) == part)
        else:
            node = node[part]
    return node


def run(binary, scenario, out):
    """summary.json of a run of `scenario` (its own seed and replications)."""
    subprocess.run([binary, "run", scenario, "--threads", "2", "--out", out, "--quiet"],
                   check=True)
    with open(os.path.join(out, "summary.json")) as file:
        return json.load(file)


def figures(binary, work):
    out = os.path.join(work, "calibration")
    subprocess.run([binary, "calibrate", SCENARIO, TARGETS, "--threads", "2", "--out", out,
                    "--quiet"], check=True)
    with open(os.path.join(out, "calibration.json")) as file:
        fit = json.load(file)
    units = kpi_units()
    parameters = fit["parameters"]
    stand_in = run(binary, STAND_IN, os.path.join(work, "stand_in"))
    own = [resolved_value(stand_in["scenario"], parameter["key"], "ke") for parameter in parameters]
    calibrated = run(binary, os.path.join(out, "calibrated.toml"), os.path.join(work, "calibrated"))

    lines = [
        f"Status: {fit['status']}; {fit['evaluations']} evaluations of "
        f"{fit['replications']} replications each (seed {fit['seed']}).",
        f"Objective {fit['objective']['start']:.4g} at the start, {fit['objective']['fit']:.4g} "
        f"at the fit; NRMSE {100 * fit['nrmse']['start']:.1f}% at the start, "
        f"{100 * fit['nrmse']['fit']:.2f}% at the fit.",
        "",
        "| target | observed | its standard error | simulated at the start | "
        "simulated at the fit [95% interval] | standardised error at the fit |",
        "|---|---|---|---|---|---|",
    ]
    for target in fit["targets"]:
        unit = units.get(target["kpi"], "")
        start, simulated = target["start"], target["simulated"]
        lines.append(
            f"| `{target['kpi']}` | {kpi_text(target['value'], unit)} | "
            f"{kpi_text(target['standard_error'], unit)} | {kpi_text(start['mean'], unit)} | "
            f"{kpi_text(simulated['mean'], unit)} [{kpi_text(simulated['low'], unit)}, "
            f"{kpi_text(simulated['high'], unit)}] | {target['standardised_error']:+.2f} |")
    lines += [
        "",
        "| parameter (`markets.ng.users.`) | bounds | start | fit | standard error | "
        "95% interval | the stand-in's own value |",
        "|---|---|---|---|---|---|---|",
    ]
    for parameter, own_value in zip(parameters, own):
        error, interval = "not identified", ""
        if parameter["standard_error"] is not None:
            error = f"{parameter['standard_error']:.2g}"
            interval = f"{parameter['interval'][0]:.4g} to {parameter['interval'][1]:.4g}"
        name = parameter["key"].removeprefix("markets.ng.users.")
        lines.append(
            f"| `{name}` | {parameter['lower']:g} to {parameter['upper']:g} ({parameter['scale']}) "
            f"| {parameter['start']:.4g} | {parameter['value']:.4g} | {error} | {interval} | "
            f"{own_value:g} |")
    warnings = fit["warnings"] or ["none"]
    flat = len(fit["flat_directions"])
    lines += ["", f"Flat directions: {flat}. Warnings: " + "; ".join(warnings) + ".", "",
              "KPIs left out of the targets: the stand-in "
              f"({stand_in['replications']} replications) and the calibrated scenario",
              f"({calibrated['replications']} replications from seed {calibrated['seed']}, as in "
              "the fit), mean [95% interval].",
              "",
              "| KPI | stand-in | calibrated scenario |",
              "|---|---|---|"]
    for kpi in UNTARGETED:
        unit = units.get(kpi, "")
        cells = []
        for summary, code in ((stand_in, "ke"), (calibrated, "ng")):
            value = summary["kpis"][code][kpi]
            cells.append(f"{kpi_text(value['mean'], unit)} [{kpi_text(value['low'], unit)}, "
                         f"{kpi_text(value['high'], unit)}]")
        lines.append(f"| `{kpi}` | {cells[0]} | {cells[1]} |")
    return "".join(line + "\n" for line in lines)


if __name__ == "__main__":
    sys.exit(figures_block.main(__doc__, DOC, "docs/calibration.py", figures))
