"""What govern writes by hand beside the maintained library that would do it, timed (issue 19, item 5).

    python bench/deps_compare.py                # corpus of 1,000 manifests under /tmp/govern-bench
    python bench/deps_compare.py --size 10000 --repeat 5

The libraries are not govern dependencies: a missing one is skipped with a message
(``pip install ruamel.yaml orjson`` into a venv of your own to include them). Timed, best of
``--repeat`` runs, interleaved:

- reading YAML with the position of every value: ``govern.core.loader.load_file`` (libyaml events turned
  into JSON data and a pointer -> (line, column) table, with govern's limits); PyYAML's own
  ``compose_all`` with libyaml (nodes carry marks) walked into the same data and table; ruamel.yaml's
  round-trip loader (values carry ``.lc``); and, as the floor, ``yaml.load_all`` with libyaml and no
  positions at all;
- writing the JSON report of a whole check of that corpus: govern's ``reporters.json_.iter_json``
  (each object of a long list through the C encoder), ``json.dumps(indent=2)``, and orjson with
  ``OPT_INDENT_2`` (bytes out, not the same layout).

Prints a markdown table; docs/design/dependencies.md records one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import floor  # noqa: E402
import generate  # noqa: E402
import run  # noqa: E402


def compose_positions(text: str) -> list[tuple[Any, dict[str, tuple[int, int]]]]:
    """PyYAML's composer (libyaml) walked into JSON-like data and a pointer -> (line, column) table."""
    import yaml

    out = []
    for node in yaml.compose_all(text, Loader=yaml.CSafeLoader):
        positions: dict[str, tuple[int, int]] = {}
        constructor = yaml.SafeLoader("")

        def walk(node: Any, pointer: str, positions: dict = positions, constructor: Any = constructor) -> Any:
            positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
            if isinstance(node, yaml.MappingNode):
                return {str(k.value): walk(v, f"{pointer}/{k.value}") for k, v in node.value}
            if isinstance(node, yaml.SequenceNode):
                return [walk(v, f"{pointer}/{i}") for i, v in enumerate(node.value)]
            return constructor.construct_object(node)

        out.append((walk(node, ""), positions))
    return out


def ruamel_loader() -> Callable[[str], Any] | None:
    try:
        from ruamel.yaml import YAML
    except ImportError:
        print("deps_compare: skipping ruamel.yaml: not installed (pip install ruamel.yaml)", file=sys.stderr)
        return None
    yaml_rt = YAML(typ="rt")
    return lambda text: list(yaml_rt.load_all(text))


def best(repeat: int, jobs: dict[str, Callable[[], Any]]) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/tmp/govern-bench")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import yaml

    from govern.core.loader import load_file

    os.makedirs(args.corpus, exist_ok=True)
    folder = run.corpus(args.corpus, args.size, args.seed)
    files = floor.walk([folder])
    texts = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            texts.append(handle.read())
    yaml_jobs: dict[str, Callable[[], Any]] = {
        "yaml.load_all, CSafeLoader (no positions: the floor)":
            lambda: [list(yaml.load_all(t, Loader=yaml.CSafeLoader)) for t in texts],
        "govern.core.loader.load_file (positions, limits)": lambda: [load_file(p) for p in files],
        "yaml.compose_all, CSafeLoader, walked (positions)": lambda: [compose_positions(t) for t in texts],
    }
    ruamel = ruamel_loader()
    if ruamel is not None:
        yaml_jobs["ruamel.yaml round-trip (positions in .lc)"] = lambda: [ruamel(t) for t in texts]
    yaml_times = best(args.repeat, yaml_jobs)

    done = subprocess.run([sys.executable, "-m", "govern", "check", folder, "--format", "json", "--as-of",
                           generate.AS_OF.isoformat()], capture_output=True, text=True, env=run.ENV)
    report = json.loads(done.stdout)
    from govern.reporters.jsonwrite import iter_json

    json_jobs: dict[str, Callable[[], Any]] = {
        "govern iter_json (C encoder per object)": lambda: "".join(iter_json(report)),
        "json.dumps(indent=2)": lambda: json.dumps(report, indent=2, ensure_ascii=False),
    }
    try:
        import orjson

        json_jobs["orjson.dumps(OPT_INDENT_2)"] = lambda: orjson.dumps(report, option=orjson.OPT_INDENT_2)
    except ImportError:
        print("deps_compare: skipping orjson: not installed (pip install orjson)", file=sys.stderr)
    json_times = best(args.repeat, json_jobs)

    print(f"{len(files):,} files, {args.size:,} manifests; report of {len(report['findings']):,} findings; "
          f"best of {args.repeat}\n")
    for title, times, base in (("Reading YAML", yaml_times, "govern.core.loader.load_file (positions, limits)"),
                               ("Writing the JSON report", json_times, "govern iter_json (C encoder per object)")):
        print(f"| {title} | s | x govern |\n|---|---:|---:|")
        for name, seconds in times.items():
            print(f"| {name} | {seconds:.3f} | {seconds / times[base]:.2f}x |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
