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
    from govern.cli.output import outputs

    if baseline is None and {name for name, _ in outputs(args, options.config.get("format", "text"))} == {"json"}:
        from govern.reporters.json_ import finding_row

        options.rows = finding_row  # only JSON reads the findings: workers write its rows
    report = run_check(options)
    reporters = report.registry.reporters
    if baseline is not None:
        from govern.run.baseline import apply_baseline

        apply_baseline(report, baseline)
    emit(report, args, reporters, "check", options.config.get("format", "text"))
    return report.exit_code(options.fail_on)
