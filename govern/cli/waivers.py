"""``govern waivers [REGISTER] [PATH...]``: every waiver in a register with its status.

Without manifests a waiver's status comes from its dates and the rule
(live, expiring, expired, pending, refused); given the manifests it is
checked against (``PATH...``) it is also judged against the findings
(stale, conflict), exactly as ``govern check --waivers`` would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Any

from govern.core.errors import EXIT_ERROR, EXIT_OK, GovernError
from govern.core.text import one_line

STATUSES = ("live", "expiring", "expired", "pending", "stale", "conflict", "refused")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "waivers", parents=[common], help="list every waiver with its status",
        description=(
            "List every waiver of a register with its status: live, expiring (within 30 days), expired, "
            "pending (approved after --as-of), refused (rule not waivable); given manifests (PATH...) also "
            "stale (matches no finding) and conflict (approved by the SRO or the accountable person). "
            "The register is the first argument, else --waivers or the configuration's `waivers`."
        ),
    )
    parser.add_argument("items", nargs="*", metavar="REGISTER|PATH", help="the register, then manifests or folders to judge it against")
    parser.set_defaults(func=cmd_waivers)


def split_items(args: argparse.Namespace, configured: str | None) -> tuple[str, list[str]]:
    """(register, manifest paths) from the positional arguments, --waivers and the configuration."""
    items = list(args.items)
    if getattr(args, "waivers", None):
        return args.waivers, items
    if items and not os.path.isdir(items[0]):
        return items[0], items[1:]
    if configured:
        return configured, items
    raise GovernError("no waiver register: give REGISTER, --waivers FILE or `waivers` in the configuration")


def cmd_waivers(args: argparse.Namespace) -> int:
    from govern.cli.app import options_from, outputs, registry_for, write_atomic
    from govern.core.engine import INPUT_RULES

    options = options_from(args, "waivers")
    register_path, paths = split_items(args, options.waivers)
    as_of = options.as_of or dt.date.today()
    if paths:
        from govern.run.runner import run_check

        options.paths, options.waivers, options.as_of = paths, register_path, as_of
        report = run_check(options)
        outcomes = report.waivers
        problems = [f for f in report.findings if f.rule in INPUT_RULES]
    else:
        from govern.run.runner import as_findings, build_rules
        from govern.run.waivers import judge_dates, load_register

        rules, errors, _ = build_rules(options, registry_for(options))
        waivers, problems = load_register(register_path, options.max_file_size)
        problems = as_findings(errors) + problems
        outcomes = judge_dates(waivers, rules, as_of)
    for problem in problems:
        print(one_line(f"govern: {problem.file}:{problem.line}:{problem.column}: {problem.message}"), file=sys.stderr)
    for name, path in outputs(args, "table"):
        if name not in ("table", "json"):
            raise GovernError(f"unknown format {name!r} for waivers (choose from json, table)")
        text = render_json(outcomes, register_path, paths, as_of) if name == "json" else render_table(outcomes, register_path, as_of, args.quiet)
        if path is None:
            sys.stdout.write(text)
        else:
            write_atomic(path, text)
    return EXIT_ERROR if problems else EXIT_OK


def _note(outcome: Any, status: str, as_of: dt.date) -> str:
    from govern.core.checks import as_date

    expires = as_date(outcome.waiver.expires)
    if status in ("live", "expiring") and expires is not None:
        days = (expires - as_of).days
        return "expires today" if days == 0 else f"expires in {days} day{'s' if days != 1 else ''}"
    return outcome.reason


def rows(outcomes: list[Any], as_of: dt.date) -> list[dict[str, Any]]:
    out = []
    for outcome in outcomes:
        waiver = outcome.waiver
        status = outcome.listed_status(as_of)
        out.append({
            "file": waiver.file, "line": waiver.line, "column": waiver.column, "index": waiver.index,
            "initiative": waiver.initiative, "rule": waiver.rule, "path": waiver.path,
            "justification": waiver.justification, "approved_by": waiver.approved_by,
            "approved_on": waiver.approved_on, "expires": waiver.expires,
            "status": status, "note": _note(outcome, status, as_of),
            "findings": sorted(
                ({"file": f.file, "line": f.line, "column": f.column, "rule": f.rule, "path": f.path} for f, _ in outcome.matched),
                key=lambda d: (d["file"], d["line"], d["column"], d["path"]),
            ),
        })
    out.sort(key=lambda r: (r["file"], r["line"], r["column"]))
    return out


def render_json(outcomes: list[Any], register_path: str, paths: list[str], as_of: dt.date) -> str:
    listed = rows(outcomes, as_of)
    summary = {status: sum(r["status"] == status for r in listed) for status in STATUSES}
    document = {"as_of": as_of.isoformat(), "register": register_path, "checked": sorted(paths), "summary": summary, "waivers": listed}
    from govern.core.text import json_safe

    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def render_table(outcomes: list[Any], register_path: str, as_of: dt.date, quiet: bool = False) -> str:
    from tabulate import tabulate

    from govern.core.text import one_line

    listed = rows(outcomes, as_of)
    if not listed:
        return "" if quiet else f"No waivers in {one_line(register_path)}.\n"
    table = [
        [
            f"{r['file']}:{r['line']}", r["initiative"], r["rule"], r["path"] or "-",
            r["approved_by"].get("name", ""), r["expires"], r["status"], r["note"],
        ]
        for r in listed
    ]
    table = [[one_line(str(cell)) for cell in row] for row in table]
    headers = ["waiver", "initiative", "rule", "path", "approved by", "expires", "status", "note"]
    text = tabulate(table, headers=headers, tablefmt="simple", disable_numparse=True) + "\n"
    if not quiet:
        counts = [f"{n} {status}" for status in STATUSES if (n := sum(r["status"] == status for r in listed))]
        plural = "s" if len(listed) != 1 else ""
        text += f"\n{len(listed)} waiver{plural} (as of {as_of.isoformat()}): {', '.join(counts)}.\n"
    return text
