"""The benchmark floor: find and parse the same files govern reads, with libyaml and nothing else.

    python bench/floor.py DIR|FILE ...

Folders are walked the way govern walks them (sorted folders and names, hidden
ones skipped, *.yaml and *.yml); every file is read and every document loaded
with ``yaml.load_all(..., Loader=yaml.CSafeLoader)``. This is the cost of
parsing the YAML: the ratio of govern's time to this one is the benchmark's
measure. Prints the number of files and documents.
"""

from __future__ import annotations

import os
import sys

import yaml


def walk(paths: list[str]) -> list[str]:
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                        files.append(os.path.join(root, name))
        else:
            files.append(path)
    return files


def main(argv: list[str]) -> int:
    files = walk(argv)
    documents = 0
    for path in files:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        for _ in yaml.load_all(text, Loader=yaml.CSafeLoader):
            documents += 1
    print(f"{len(files)} files, {documents} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
