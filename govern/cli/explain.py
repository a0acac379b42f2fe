"""``govern explain RULE|FUNCTION``: one rule for people, with its examples, or one check function with its options
(the text is ``govern.cli.rules.explain`` and ``govern.cli.rules.explain_function``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from govern.core.errors import EXIT_OK, GovernError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    explain = subparsers.add_parser("explain", parents=[common], help="explain one rule or check function")
    explain.add_argument("rule", metavar="RULE|FUNCTION")
    explain.set_defaults(func=cmd_explain)


def cmd_explain(args: argparse.Namespace) -> int:
    from govern.cli.app import options_from, registry_for
    from govern.cli.rules import explain
    from govern.run.runner import build_rules

    options = options_from(args, "explain")
    options.only, options.skip = [], []
    options.examples = True
    rules, errors, _ = build_rules(options, registry_for(options))
    wanted = args.rule.upper()
    for rule in rules:
        if rule.id == wanted or wanted in rule.aliases:
            sys.stdout.write(explain(rule, options))
            return EXIT_OK
    from govern.core.engine import NOTICES

    if wanted in NOTICES:
        title, domain, severity = NOTICES[wanted]
        sys.stdout.write(f"{wanted}: {title}\n  domain: {domain}\n  severity: {severity}\n  A notice govern itself raises; it is not a rule of a pack.\n")
        return EXIT_OK
    function = registry_for(options).functions.get(args.rule)
    if function is not None:
        from govern.cli.rules import explain_function

        sys.stdout.write(explain_function(function, rules))
        return EXIT_OK
    for error in errors:
        print(f"govern: {error.located()}", file=sys.stderr)
    raise GovernError(f"no rule or check function {args.rule!r} (see `govern rules`)")
