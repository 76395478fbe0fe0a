"""The figures block a docs script keeps in a Markdown file, between two marker lines.

Each script under docs/ that quotes the binary's figures (market_presets.py, user_habits.py,
risk_model_loop.py, ...) prints its block, checks that the document holds exactly it, or rewrites
it. A script with several blocks in one document names each part: its figures function returns
a dict {part: block}, and each part sits between `<!-- figures of SCRIPT (PART): begin -->` and
`<!-- figures of SCRIPT (PART): end -->`.
"""
import os
import sys
import tempfile


def markers(script, part=None):
    """The marker lines of `script`'s block, e.g. "docs/user_habits.py", or of its block `part`."""
    name = script if part is None else f"{script} ({part})"
    return (f"<!-- figures of {name}: begin -->\n", f"<!-- figures of {name}: end -->\n")


def arguments(usage):
    """(binary, mode) from `BINARY [--check|--update]` on the command line, mode None to print;
    None after printing `usage` when the command line is anything else."""
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and
                                       sys.argv[2] not in ("--check", "--update")):
        print(usage, file=sys.stderr)
        return None
    return os.path.abspath(sys.argv[1]), (sys.argv[2] if len(sys.argv) == 3 else None)


def apply(doc, script, block, mode):
    """Print (mode None), check (--check) or rewrite (--update) `script`'s block in `doc`, or
    each of its blocks when `block` is a dict {part: block}.

    Returns 0, or 1 when the document lacks the markers or, on --check, holds other figures.
    """
    blocks = block if isinstance(block, dict) else {None: block}
    if mode is None:
        for part, text in blocks.items():
            sys.stdout.write(text if part is None else f"({part})\n{text}\n")
        return 0
    with open(doc) as file:
        text = file.read()
    status = 0
    for part, figures in blocks.items():
        begin, end = markers(script, part)
        start, stop = text.find(begin), text.find(end)
        if start < 0 or stop < start:
            print(f"{doc} has no figures block ({begin.strip()} ... {end.strip()})",
                  file=sys.stderr)
            return 1
        start += len(begin)
        if mode == "--update":
            text = text[:start] + figures + text[stop:]
        elif text[start:stop] != figures:
            print(f"{doc}'s figures{'' if part is None else ' (' + part + ')'} are not what the "
                  f"binary gives now; run {script} BINARY --update. Now:\n" + figures,
                  file=sys.stderr)
            status = 1
    if mode == "--update":
        with open(doc, "w") as file:
            file.write(text)
    return status


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
