"""``govern config``: the effective configuration and where each value came from."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from govern.core.errors import EXIT_OK, GovernError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "config", parents=[common], help="print the effective configuration and where each value came from",
        description=(
            "Print every setting `govern check` would use, and its source: the default, the configuration "
            "file (--config, else govern.yaml or [tool.govern] in pyproject.toml found from the current "
            "folder upwards) or the command line. Formats: table (default), json."
        ),
    )
    parser.set_defaults(func=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    from govern.cli.app import outputs, write_atomic
    from govern.run.config import resolve

    # this command's --format is its own output format, not the `format` setting it reports
    effective = resolve(argparse.Namespace(**{**vars(args), "format": []}), "check")
    for name, path in outputs(args, "table"):
        if name not in ("table", "json"):
            raise GovernError(f"unknown format {name!r} for config (choose from json, table)")
        text = render_json(effective) if name == "json" else render_table(effective)
        if path is None:
            sys.stdout.write(text)
        else:
            write_atomic(path, text)
    return EXIT_OK


def render_json(effective: Any) -> str:
    settings = {
        key: {"value": effective.values[key], "source": effective.sources[key]} for key in sorted(effective.values)
    }
    document = {"file": effective.file.path if effective.file else None, "settings": settings}
    from govern.core.text import json_safe

    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _show(key: str, value: Any) -> str:
    if value is None:
        return "(the bundled statement)" if key == "appetite" else "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def render_table(effective: Any) -> str:
    from tabulate import tabulate

    from govern.core.text import one_line

    where = effective.file.path if effective.file else "none found (looked for govern.yaml and [tool.govern] in pyproject.toml, from here upwards)"
    rows = [[key, one_line(_show(key, effective.values[key])), one_line(effective.sources[key])] for key in sorted(effective.values)]
    table = tabulate(rows, headers=["setting", "value", "source"], tablefmt="simple", disable_numparse=True)
    return f"configuration file: {one_line(where)}\n\n{table}\n"
