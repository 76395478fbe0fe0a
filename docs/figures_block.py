"""The figures block a docs script keeps in a Markdown file, between two marker lines.

Each script under docs/ that quotes the binary's figures (market_presets.py, user_habits.py,
risk_model_loop.py) prints its block, checks that the document holds exactly it, or rewrites it.
"""
import os
import sys
import tempfile


def markers(script):
    """The marker lines of `script`'s block, e.g. "docs/user_habits.py"."""
    return (f"<!-- figures of {script}: begin -->\n", f"<!-- figures of {script}: end -->\n")


def arguments(usage):
    """(binary, mode) from `BINARY [--check|--update]` on the command line, mode None to print;
    None after printing `usage` when the command line is anything else."""
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and
                                       sys.argv[2] not in ("--check", "--update")):
        print(usage, file=sys.stderr)
        return None
    return os.path.abspath(sys.argv[1]), (sys.argv[2] if len(sys.argv) == 3 else None)


def apply(doc, script, block, mode):
    """Print (mode None), check (--check) or rewrite (--update) `script`'s block in `doc`.

    Returns 0, or 1 when the document lacks the markers or, on --check, holds other figures.
    """
    begin, end = markers(script)
    if mode is None:
        sys.stdout.write(block)
        return 0
    with open(doc) as file:
        text = file.read()
    start, stop = text.find(begin), text.find(end)
    if start < 0 or stop < start:
        print(f"{doc} has no figures block ({begin.strip()} ... {end.strip()})", file=sys.stderr)
        return 1
    start += len(begin)
    if mode == "--update":
        with open(doc, "w") as file:
            file.write(text[:start] + block + text[stop:])
        return 0
    if text[start:stop] != block:
        print(f"{doc}'s figures are not what the binary gives now; run {script} BINARY --update. "
              "Now:\n" + block, file=sys.stderr)
        return 1
    return 0


def main(usage, doc, script, figures):
    """The whole command of a docs script whose block is `figures(binary, work)`, with `work` a
    temporary directory: parse the command line, run, then print, check or rewrite."""
    parsed = arguments(usage)
    if parsed is None:
        return 2
    binary, mode = parsed
    with tempfile.TemporaryDirectory() as work:
        block = figures(binary, work)
    return apply(doc, script, block, mode)
