"""``govern test``: run the pass/fail examples of policy packs (named ``examples`` as pytest would
collect a module named ``test``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from govern.core.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    test = subparsers.add_parser("test", parents=[common], help="run the pass/fail examples of policy packs")
    test.add_argument("packs", nargs="*", metavar="PACK", help="pack folders or files (default: the built-in packs)")
    test.set_defaults(func=cmd_test)


def cmd_test(args: argparse.Namespace) -> int:
    from govern.cli.app import options_from, registry_for
    from govern.testing import run_examples

    options = options_from(args, "test")
    lines, failures, errors = run_examples(options, args.packs, registry_for(options))
    for error in errors:
        print(f"govern: {error.located()}", file=sys.stderr)
    for line in lines:
        if not args.quiet or not line.startswith("ok"):
            print(line)
    if not args.quiet:
        total = len(lines)
        print(f"\n{total - failures} passed, {failures} failed")
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failures else EXIT_OK
