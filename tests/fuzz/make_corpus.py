#!/usr/bin/env python3
"""Writes the scenario fuzzer's seed corpus and dictionary.

The corpus: every scenario file of the repository (scenarios/**/*.toml, tests/scenarios/*.toml),
its includes rewritten relative to the repository root, where the fuzzer's input sits among
copies of those trees (scenario_fuzzer.cpp). The dictionary: every key, table and name the
loader and the strategies spell out in their sources, and numbers at the edges of what a value
can hold, so mutations write keys the loader reads rather than random bytes.

Usage: make_corpus.py REPOSITORY CORPUS_FOLDER DICTIONARY_FILE
"""
import pathlib
import posixpath
import re
import sys
import tomllib

INCLUDE = re.compile(r"^include\s*=\s*\[[^\]]*\]", re.MULTILINE)
NAME = re.compile(r'"([a-z][a-z0-9_.]*)"')
KEY_SOURCES = ["sim/scenario/*.cpp", "sim/world/world_config.hpp", "strategies/*.cpp"]
EDGE_VALUES = ["0", "-1", "1e308", "1e-308", "1e307", "-1e308", "nan", "inf", "-inf", "0.0",
               "4294967295", "4294967296", "9223372036854775807", "-9223372036854775808",
               "1e12", "[[", "]]", "= [", "= {", "((((", "\"\"", "true", "false"]


def rooted(text, file, repository):
    """The file's text with each include as a path from the repository root."""
    try:
        includes = tomllib.loads(text).get("include")
    except tomllib.TOMLDecodeError:
        return text  # a file that is broken on purpose is a seed as it is
    if not isinstance(includes, list) or not all(isinstance(entry, str) for entry in includes):
        return text
    folder = file.parent.relative_to(repository).as_posix()
    paths = [posixpath.normpath(posixpath.join(folder, entry)) for entry in includes]
    written = "include = [" + ", ".join(f'"{path}"' for path in paths) + "]"
    return INCLUDE.sub(lambda _: written, text, count=1)


def write_dictionary(repository, dictionary):
    names = set()
    for pattern in KEY_SOURCES:
        for source in repository.glob(pattern):
            names.update(NAME.findall(source.read_text(encoding="utf-8")))
    words = sorted(names) + EDGE_VALUES
    lines = ['"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"' for word in words]
    dictionary.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    repository = pathlib.Path(sys.argv[1]).resolve()
    output = pathlib.Path(sys.argv[2])
    write_dictionary(repository, pathlib.Path(sys.argv[3]))
    output.mkdir(parents=True, exist_ok=True)
    files = sorted(repository.glob("scenarios/**/*.toml")) + sorted(
        repository.glob("tests/scenarios/*.toml"))
    for file in files:
        name = file.relative_to(repository).as_posix().replace("/", "_")
        text = rooted(file.read_text(encoding="utf-8"), file, repository)
        (output / name).write_text(text, encoding="utf-8")
    print(f"{len(files)} seeds in {output}")


if __name__ == "__main__":
    main()
