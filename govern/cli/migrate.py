"""``govern migrate PATHS``: what a portfolio gains, loses and sees change between two pack versions.

The comparison is ``govern.run.migration``; this module parses the command line and writes the
result as text, JSON or Markdown. Exit codes: 0 when both runs completed (whatever moved), 2 for
an input error (a manifest or pack that cannot be read, an unknown pack version), each located.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from govern.core.errors import EXIT_ERROR, EXIT_OK


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:  # noqa: ARG001 - its own options
    from govern.cli.app import _date, _size

    migrate = subparsers.add_parser(
        "migrate", help="what a portfolio gains, loses and sees change between two pack versions",
        description="Check the manifests under two versions of govern's packs (a frozen version and the current "
        "one, or two folders of your own) and list, manifest by manifest, the findings gained, lost and whose "
        "severity changed, each with the rule's `changed:` reason, and the totals before and after. Both runs use "
        "this installation's check functions. Exit 0 when both runs completed, 2 for an input error.",
    )
    migrate.add_argument("paths", nargs="+", metavar="PATH", help="manifest files, or folders searched for *.yaml/*.yml")
    migrate.add_argument("--from", dest="from_version", type=_version, metavar="N",
                         help="the pack version before (default: the newest frozen version, 1)")
    migrate.add_argument("--to", dest="to_version", type=_version, metavar="N",
                         help="the pack version after (default: the current packs, 2)")
    migrate.add_argument("--from-packs", metavar="DIR", help="a folder of packs to use instead of version --from")
    migrate.add_argument("--to-packs", metavar="DIR", help="a folder of packs to use instead of version --to")
    migrate.add_argument("--as-of", type=_date, metavar="DATE", help="the run date for both runs (default: today)")
    migrate.add_argument("--format", dest="migrate_format", choices=("text", "json", "markdown"), default="text",
                         help="output format (default: text)")
    migrate.add_argument("--appetite", metavar="FILE", help="risk appetite statement (default: the bundled statement)")
    migrate.add_argument("--policies", action="append", default=[], metavar="DIR",
                         help="extra policy packs, used in both runs (repeatable)")
    migrate.add_argument("--config", metavar="FILE", help="configuration file (default: govern.yaml or [tool.govern] found upwards)")
    migrate.add_argument("--plugin", action="append", default=[], dest="plugins", metavar="FILE",
                         help="load a plugin module from a file (repeatable)")
    migrate.add_argument("--no-plugins", action="store_true", help="do not autoload installed plugins")
    migrate.add_argument("--max-file-size", type=_size, metavar="BYTES", help="refuse input files larger than this (default 5 MiB)")
    migrate.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    migrate.set_defaults(func=cmd_migrate, only=[], skip=[], waivers=None)


def _version(value: str) -> int:
    text = value[1:] if value[:1] in ("v", "V") else value
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a pack version (a whole number: 1, 2)")
    return int(text)


def cmd_migrate(args: argparse.Namespace) -> int:
    from govern.cli.app import options_from
    from govern.core.text import one_line
    from govern.run.migration import InputErrors, current_version, migrate

    options = options_from(args, "migrate")
    options.waivers = None  # the packs are compared, not the register: a waiver covers a finding in either version
    current = current_version()
    to_version = args.to_version or current
    from_version = args.from_version or max(1, to_version - 1)
    try:
        result = migrate(options, from_version, to_version, args.from_packs, args.to_packs)
    except InputErrors as exc:
        for problem in exc.problems:
            print(f"govern: {problem.located()}", file=sys.stderr)
        print(one_line(f"govern: migrate stopped: {len(exc.problems)} input error{'s' if len(exc.problems) != 1 else ''}"
                       " (fix them and run again)"), file=sys.stderr)
        return EXIT_ERROR
    render = {"text": text, "json": as_json, "markdown": markdown}[args.migrate_format]
    sys.stdout.write(render(result))
    return EXIT_OK


# -- formats -------------------------------------------------------------------------------------


def _severity(change: Any) -> str:
    if change.change == "gained":
        return str(change.after)
    if change.change == "lost":
        return str(change.before)
    return f"{change.before} -> {change.after}"


_MARK = {"gained": "+ gained", "lost": "- lost", "severity": "~ severity"}


def _totals(result: Any) -> str:
    b, a = result.before.totals, result.after.totals
    return (f"Totals: errors {b['errors']} -> {a['errors']}, warnings {b['warnings']} -> {a['warnings']}"
            f" (info {b['info']} -> {a['info']})")


def _counts(result: Any) -> str:
    counts = result.counts()
    unchanged = len(result.manifests) - len(result.changed)
    return (f"{len(result.manifests)} manifest{'s' if len(result.manifests) != 1 else ''}: {len(result.changed)} changed, "
            f"{unchanged} unchanged; findings gained {counts['gained']}, lost {counts['lost']}, "
            f"severity changed {counts['severity']}")


def text(result: Any) -> str:
    from govern.core.text import one_line

    lines = [
        f"govern migrate: pack version {result.before.version} -> {result.after.version}, as of {result.as_of.isoformat()}",
        f"Before: {one_line(result.before.label)}",
        f"After:  {one_line(result.after.label)}",
        f"Limit: {result.limit}",
        "",
    ]
    for manifest in result.changed:
        lines.append(one_line(f"{manifest.file} ({manifest.initiative or 'no metadata.id'})"))
        for change in manifest.changes:
            lines.append(one_line(f"  {_MARK[change.change]:<10} {change.rule} {_severity(change)} at {change.path or '/'}:"
                                  f" {change.message}"))
            lines.append(one_line(f"             why: {change.reason}"))
        lines.append("")
    if not result.changed:
        lines += ["No finding moved between the two pack versions.", ""]
    lines += [_counts(result), _totals(result)]
    return "\n".join(lines) + "\n"


def as_json(result: Any) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _cell(value: Any) -> str:
    from govern.core.text import one_line

    return one_line(str(value)).replace("|", "\\|")


def markdown(result: Any) -> str:
    b, a = result.before, result.after
    lines = [
        f"# Pack version {b.version} to {a.version}: what moved",
        "",
        f"As of {result.as_of.isoformat()}. Before: {_cell(b.label)}. After: {_cell(a.label)}.",
        "",
        f"> {result.limit}",
        "",
        "| | Before | After |",
        "| --- | ---: | ---: |",
        f"| Errors | {b.totals['errors']} | {a.totals['errors']} |",
        f"| Warnings | {b.totals['warnings']} | {a.totals['warnings']} |",
        f"| Info | {b.totals['info']} | {a.totals['info']} |",
        "",
        _counts(result) + ".",
        "",
    ]
    for manifest in result.changed:
        lines += [f"## {_cell(manifest.initiative or 'no metadata.id')} ({_cell(manifest.file)})", "",
                  "| Change | Rule | Severity | Path | Finding | Why |", "| --- | --- | --- | --- | --- | --- |"]
        for change in manifest.changes:
            lines.append(f"| {change.change} | {change.rule} | {_cell(_severity(change))} | `{_cell(change.path or '/')}` "
                         f"| {_cell(change.message)} | {_cell(change.reason)} |")
        lines.append("")
    return "\n".join(lines)
