"""``govern check``: check manifests against the policy packs and write the report."""

from __future__ import annotations

import argparse
from typing import Any

from govern.core.errors import GovernError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from govern.cli.app import ALLOW_EMPTY_HELP

    check = subparsers.add_parser("check", parents=[common], help="check initiative manifests", description="Check manifests (files, or folders searched for *.yaml/*.yml) against the policy packs.")
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument("--show-passes", action="store_true", help="also list the rules each manifest passed")
    check.add_argument(
        "--skip-non-govern", action="store_true",
        help="skip named files that are not govern documents, as a folder walk does (for pre-commit's file lists)",
    )
    check.add_argument("--baseline", metavar="REPORT.json", help="findings already in this previous JSON report are shown as existing, not failing")
    check.add_argument("--allow-empty", action="store_true", help=ALLOW_EMPTY_HELP)
    check.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from govern.cli.app import options_from
    from govern.cli.output import emit
    from govern.run.runner import run_check

    options = options_from(args, "check")
    if not options.paths:
        raise GovernError("nothing to check: give one or more manifest files or folders")
    baseline = None
    if getattr(args, "baseline", None):  # read first: a bad baseline (a FIFO, too large) fails before the run
        from govern.run.baseline import load_report

        baseline = load_report(args.baseline, "baseline", max_size=options.max_file_size)
    if baseline is None:
        options.rows = _rows(args, options)
    report = run_check(options)
    reporters = report.registry.reporters
    if baseline is not None:
        from govern.run.baseline import apply_baseline

        apply_baseline(report, baseline)
    emit(report, args, reporters, "check", options.config.get("format", "text"))
    return report.exit_code(options.fail_on)


def _rows(args: argparse.Namespace, options: Any) -> Any:
    """``Options.rows`` when one JSON or text report is all the run writes: its workers then write each
    finding's row or line as the report will show it (the same options as ``emit`` gives the format)."""
    import sys

    from govern.cli.output import outputs, terminal, use_colour

    pairs = outputs(args, options.config.get("format", "text"))
    if len(pairs) != 1:
        return None
    name, path = pairs[0]
    if name == "json":
        from govern.reporters.json_ import rows

        return rows
    if name == "text":
        from govern.reporters.text import rows

        return rows(colour=path is None and use_colour(sys.stdout), quiet=args.quiet,
                    details=path is None and terminal(sys.stdout))
    return None
