#!/usr/bin/env python3
"""Every command that spreads worlds over mpirun's ranks gives the files of a threaded run.

Runs each case once in one process with two threads and once under `mpirun -np N` with one
thread per rank, then compares every file the two wrote, byte for byte. Only the "execution"
block of the JSON files may differ: it records how the run went (ranks, threads, wall time,
memory), not what it produced. The cases: a plain run (at 2 and 3 ranks: 3 shares a job list
unevenly), an experiment of worlds, a user split, a sweep, a regression check and a calibration.
Then the failures: a rank killed mid-run fails the whole job with no output folder left behind,
and a command that runs no world (train) is refused under several ranks.

Usage: distributed_runs.py P2PSIM_BINARY MPIRUN SOURCE_DIR
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

BINARY, MPIRUN, ROOT = sys.argv[1], sys.argv[2], sys.argv[3]
# CI runs as root on a 2-core machine: allow both, and leave placement to the kernel.
ENVIRONMENT = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
MPI_FLAGS = ["--oversubscribe", "--bind-to", "none"]
failures = []


def scenario(path):
    return os.path.join(ROOT, path)


def run(arguments, ranks=None):
    command = [BINARY] + arguments
    if ranks:
        command = [MPIRUN, "-np", str(ranks)] + MPI_FLAGS + command
    return subprocess.run(command, env=ENVIRONMENT, capture_output=True, text=True)


def without_execution(text):
    """A JSON file's text without its "execution" block (a flat object)."""
    return re.sub(r'"execution": \{[^{}]*\}', '"execution": {}', text)


def files_under(folder):
    found = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            found[os.path.relpath(path, folder)] = path
    return found


def compare_folders(case, threaded, distributed):
    failed_before = len(failures)
    ours, theirs = files_under(threaded), files_under(distributed)
    if sorted(ours) != sorted(theirs):
        failures.append(f"{case}: files differ: {sorted(ours)} vs {sorted(theirs)}")
        return
    for name in sorted(ours):
        with open(ours[name], "rb") as a, open(theirs[name], "rb") as b:
            first, second = a.read(), b.read()
        if name.endswith(".json"):
            first = without_execution(first.decode()).encode()
            second = without_execution(second.decode()).encode()
        if first != second:
            failures.append(f"{case}: {name} differs between the threaded and the mpirun run")
    if len(failures) == failed_before:
        print(f"{case}: {len(ours)} file(s) identical")


def compare(case, arguments, scratch, ranks=2):
    """Runs `arguments + --out <folder>` threaded and under mpirun, and compares the outputs."""
    threaded = os.path.join(scratch, case, "threaded")
    distributed = os.path.join(scratch, case, "ranks")
    one = run(arguments + ["--threads", "2", "--out", threaded])
    many = run(arguments + ["--threads", "1", "--out", distributed], ranks=ranks)
    if one.returncode != 0 or many.returncode != 0:
        failures.append(f"{case}: exit codes {one.returncode} and {many.returncode}:\n"
                        f"{one.stderr}\n{many.stdout}\n{many.stderr}")
        return
    compare_folders(case, threaded, distributed)


def compare_check(scratch):
    """check writes JUnit XML, not a folder: compare it without its times."""
    arguments = ["check", scenario("scenarios/regression/orders_funnel.toml"),
                 "--baselines", scenario("results/baselines")]
    junit = [os.path.join(scratch, "check-threaded.xml"), os.path.join(scratch, "check-ranks.xml")]
    one = run(arguments + ["--threads", "2", "--junit", junit[0]])
    many = run(arguments + ["--threads", "1", "--junit", junit[1]], ranks=2)
    if one.returncode != many.returncode:
        failures.append(f"check: exit codes {one.returncode} and {many.returncode}: {many.stderr}")
        return
    texts = []
    for file in junit:
        with open(file) as xml:
            texts.append(re.sub(r'time="[^"]*"', "", xml.read()))
    if texts[0] != texts[1]:
        failures.append("check: the JUnit XML differs between the threaded and the mpirun run")
    else:
        print("check: JUnit XML identical")


def killed_rank_fails_the_job(scratch):
    out = os.path.join(scratch, "killed")
    command = [MPIRUN, "-np", "2"] + MPI_FLAGS + [
        BINARY, "run", scenario("scenarios/quickstart.toml"), "--replications", "400",
        "--threads", "1", "--quiet", "--out", out]
    launcher = subprocess.Popen(command, env=ENVIRONMENT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
    time.sleep(1.5)
    ranks = subprocess.run(["pgrep", "-P", str(launcher.pid)], capture_output=True, text=True)
    pids = [int(pid) for pid in ranks.stdout.split()]
    if len(pids) != 2:
        launcher.kill()
        failures.append(f"killed rank: expected 2 ranks under mpirun, found {pids}")
        return
    os.kill(pids[-1], signal.SIGKILL)
    output, _ = launcher.communicate(timeout=120)
    if launcher.returncode == 0:
        failures.append("killed rank: mpirun exited 0")
    if "signal 9" not in output:
        failures.append(f"killed rank: mpirun did not name the killed rank:\n{output}")
    # The lead rank opens (and locks) the folder before running, and mpirun's abort ends it
    # before it could remove the empty folder: what matters is that nothing was written in it.
    if os.path.exists(out) and os.listdir(out):
        failures.append(f"killed rank: the output folder was written: {os.listdir(out)}")
    else:
        print(f"killed rank: exit code {launcher.returncode}, no output folder")


def train_is_refused():
    result = run(["train", "/nonexistent"], ranks=2)
    if result.returncode == 0 or "train runs in one process" not in result.stdout + result.stderr:
        failures.append(f"train under mpirun: not refused: {result.returncode} {result.stderr}")
    else:
        print("train under mpirun: refused")


def main():
    quickstart = scenario("scenarios/quickstart.toml")
    with tempfile.TemporaryDirectory(prefix="p2psim_distributed_") as scratch:
        run_arguments = ["run", quickstart, "--replications", "4", "--seed", "11", "--quiet"]
        compare("run", run_arguments, scratch)
        compare("run-3-ranks", run_arguments, scratch, ranks=3)
        compare("experiment", ["run", scenario("scenarios/examples/experiment_growth.toml"),
                               "--replications", "4", "--quiet"], scratch)
        compare("user-split", ["run", scenario("scenarios/examples/experiment_user_split.toml"),
                               "--replications", "3", "--quiet"], scratch)
        compare("sweep", ["sweep", quickstart, "--set", "markets.ng.merchants.count=40,60",
                          "--replications", "3", "--quiet"], scratch)
        compare_check(scratch)
        compare("calibrate", ["calibrate", quickstart,
                              scenario("tests/scenarios/quickstart_small.targets.toml"),
                              "--quiet"], scratch)
        killed_rank_fails_the_job(scratch)
        train_is_refused()
    for failure in failures:
        print("FAIL:", failure)
    sys.exit(1 if failures else 0)


main()
