"""``govern plugins``: which plugins loaded, their versions, origin and contributions."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from govern.core.errors import EXIT_ERROR, EXIT_OK, GovernError

FORMATS = ("table", "json")
_LABELS = (
    ("packs", "packs"),
    ("rules", "rules"),
    ("functions", "functions"),
    ("formats", "formats"),
    ("extensions", "extensions"),
)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "plugins",
        parents=[common],
        help="list loaded plugins and what each contributes",
        description="List the loaded plugins (govern's own 'builtin' first), their versions and origin, "
        "and the packs, rules, check functions, formats and extension blocks each contributes. "
        "Formats: table (default), json.",
    )
    parser.set_defaults(func=cmd_plugins)


def plugins_report(options: Any) -> tuple[list[dict[str, Any]], list[GovernError]]:
    """Every loaded plugin with its contributions, and every plugin error."""
    from govern.cli.app import registry_for
    from govern.plugins.manager import describe_plugins
    from govern.run.runner import build_rules

    registry = registry_for(options)
    options.only, options.skip, options.severity = [], [], {}  # list what plugins give, not what a run selects
    rules, errors, packs = build_rules(options, registry)
    return describe_plugins(registry, rules, packs), errors


def render_json(plugins: list[dict[str, Any]], errors: list[GovernError]) -> str:
    from govern import __version__

    body = {
        "govern_version": __version__,
        "plugins": plugins,
        "errors": [
            {"rule": e.rule, "file": e.file, "line": e.line, "column": e.column, "message": e.message} for e in errors
        ],
    }
    from govern.core.text import json_safe

    return json_safe(json.dumps(body, indent=2, ensure_ascii=False)) + "\n"


def render_table(plugins: list[dict[str, Any]]) -> str:
    from tabulate import tabulate

    from govern.core.text import one_line

    rows = []
    for plugin in plugins:
        lines = []
        for key, label in _LABELS:
            values = plugin.get(key) or []
            if key == "packs":
                values = [f"{p['name']} {p['version']}".strip() for p in values]
            if values:
                text = f"{label} ({len(values)}): " + ", ".join(one_line(str(v)) for v in values)
                lines += textwrap.wrap(text, 72, subsequent_indent="  ", break_on_hyphens=False)
        rows.append(
            [
                one_line(plugin["name"]),
                one_line(plugin["version"] or "-"),
                one_line(plugin["origin"]),
                "\n".join(lines) or "nothing",
            ]
        )
    table = tabulate(rows, headers=["Plugin", "Version", "Origin", "Contributes"], tablefmt="simple")
    count = len(plugins)
    return f"{table}\n\n{count} plugin{'s' if count != 1 else ''} loaded\n"


def cmd_plugins(args: argparse.Namespace) -> int:
    from govern.cli.app import options_from, outputs, write_atomic

    options = options_from(args, "plugins")
    pairs = outputs(args, "table")
    for name, _ in pairs:
        if name not in FORMATS:
            raise GovernError(f"unknown format {name!r} for plugins (choose from {', '.join(FORMATS)})")
    plugins, errors = plugins_report(options)
    for error in errors:
        print(f"govern: {error.located()}", file=sys.stderr)
    for name, path in pairs:
        text = render_json(plugins, errors) if name == "json" else render_table(plugins)
        if path is None:
            sys.stdout.write(text)
        else:
            write_atomic(path, text)
    return EXIT_ERROR if errors else EXIT_OK
