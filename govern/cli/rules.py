"""``govern rules`` (the command is at the end), and rule metadata for people, which ``govern explain`` prints too."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from govern.core.errors import EXIT_ERROR, EXIT_OK
from govern.core.model import Rule
from govern.core.scope import describe, waiver_text
from govern.core.text import clean, one_line


def rule_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "domain": rule.domain,
        "severity": rule.severity,
        "accountable": rule.accountable,
        "waivable": rule.waivable,
        "scope": rule.scope,
        "source": rule.source,
        "pack": rule.pack,
        "references": [ref.to_dict() for ref in rule.references],
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
        "retired_on": rule.retired_on.isoformat() if rule.retired_on else None,
        "aliases": list(rule.aliases),
        "applies_to": {key: list(values) for key, values in (rule.applies_to or {}).items()} or None,
        "waiver_policy": rule.waiver_policy,
        "changed": rule.changed,
        "severity_by_scope": [{"applies_to": {key: list(values) for key, values in scope.items()}, "severity": severity}
                              for scope, severity in rule.severity_by_scope] or None,
        "as_live_while_holding_data": rule.as_live_while_holding_data,
    }


def render_rules(rules: list[Rule], fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps([rule_dict(r) for r in rules], indent=2) + "\n"
    from tabulate import tabulate

    rows = [
        [
            one_line(str(value))  # a local pack's title cannot drive the terminal
            for value in (
                r.id,
                severity_text(r),
                r.domain,
                r.title,
                r.accountable or "",
                "yes" if r.waivable else f"no ({r.waiver_policy})" if r.waiver_policy else "no",
                _applies(r),
                r.effective_from.isoformat() if r.effective_from else "",
                r.retired_on.isoformat() if r.retired_on else "",
                r.source if r.source == r.pack or not r.pack else f"{r.source} ({r.pack})",
            )
        ]
        for r in rules
    ]
    headers = ["ID", "Severity", "Domain", "Title", "Accountable", "Waivable", "Applies to", "From", "Retired", "Source"]
    table = tabulate(rows, headers=headers, tablefmt="github" if fmt == "markdown" else "simple")
    return f"{table}\n\n{len(rules)} rules\n"


def severity_text(rule: Rule) -> str:
    """The table's severity: "warning, error by scope" when some bodies get another (`explain` says which)."""
    if not rule.severity_by_scope:
        return rule.severity
    others = [severity for _, severity in rule.severity_by_scope if severity != rule.severity]
    return f"{rule.severity}, {'/'.join(dict.fromkeys(others))} by scope" if others else rule.severity


def _applies(rule: Rule) -> str:
    """The table's short form of ``applies_to``: the organisation types and regimes, else "all"."""
    scope = rule.applies_to or {}
    parts = [*scope.get("organisation_types", ()), *scope.get("nations", ()), *scope.get("regimes", ())]
    return ", ".join(parts) or "all"


def explain(rule: Rule, options: Any = None) -> str:
    wrap = lambda text: textwrap.fill(" ".join(text.split()), 78, initial_indent="  ", subsequent_indent="  ")  # noqa: E731
    out = [f"{rule.id}: {rule.title}", ""]
    out.append(f"  domain: {rule.domain}    severity: {rule.severity}    accountable: {rule.accountable or '-'}")
    for scope, severity in rule.severity_by_scope:
        out.append(f"  severity {severity} for {describe(scope)} (severity {rule.severity} for every other body)")
    out.append(f"  waivable: {waiver_text(rule.waivable, rule.waiver_policy)}")
    out.append(f"  applies to: {describe(rule.applies_to)}")
    if rule.as_live_while_holding_data:
        out.append("  retired but still holding data: checked as if live (until data.disposal.completed_on and any "
                   "data.disposal.sanitisation.completed_on are both on or before the run date)")
    out.append(f"  source: {rule.source}" + (f" (pack {rule.pack})" if rule.pack else ""))
    if rule.effective_from:
        out.append(f"  in force from: {rule.effective_from.isoformat()}")
    if rule.retired_on:
        out.append(f"  retired on: {rule.retired_on.isoformat()}")
    if rule.aliases:
        out.append(f"  also known as: {', '.join(rule.aliases)}")
    if rule.changed:
        out += ["", "What changed:", wrap(rule.changed)]
    if rule.rationale:
        out += ["", "Why:", wrap(rule.rationale)]
    if rule.remediation:
        out += ["", "How to fix:", wrap(rule.remediation)]
    if rule.defaults:
        out += ["", "govern defaults (not a framework's figures):", wrap(rule.defaults)]
    if rule.domain == "risk" and options is not None:
        from govern.risk.appetite import explain_text

        out += ["", explain_text(options)]
    extra = getattr(rule.check, "explain", None)
    if callable(extra) and options is not None:
        out += ["", extra(options)]
    if rule.references:
        out += ["", "References:"]
        for ref in rule.references:
            out.append(f"  - {ref}{ref.period()}" + (f" <{ref.url}>" if ref.url else "")
                       + (f" (confidence: {ref.confidence})" if ref.confidence else ""))
    if rule.examples:
        out += ["", "Examples:"]
        for example in rule.examples:
            out.append(f"  - {example.kind}: {example.source}")
    return clean("\n".join(out)) + "\n"  # pack text (titles, rationale) never reaches the terminal raw


# -- the command ----------------------------------------------------------------------------


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    rules = subparsers.add_parser("rules", parents=[common], help="list every rule")
    rules.add_argument("--domain", action="append", default=[], help="only rules of this domain (repeatable)")
    rules.set_defaults(func=cmd_rules)


def cmd_rules(args: argparse.Namespace) -> int:
    from govern.cli.app import options_from, registry_for
    from govern.cli.output import write_atomic
    from govern.run.runner import build_rules

    options = options_from(args, "rules")
    registry = registry_for(options)
    rules, errors, _ = build_rules(options, registry)
    for error in errors:
        print(f"govern: {error.located()}", file=sys.stderr)
    if args.domain:
        rules = [r for r in rules if r.domain in args.domain]
    fmt = (args.format or ["table"])[0]
    text = render_rules(rules, fmt)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_ERROR if errors else EXIT_OK


def explain_function(function: Any, rules: list[Rule]) -> str:
    """A check function: what it checks, the options a rule's ``with`` may give, and who calls it.

    A rule author reads this before writing ``function:``; the options schema is the one
    the pack loader validates ``with`` against, so what is shown is what is enforced.
    """
    doc = " ".join((function.fn.__doc__ or function.description or "").replace("``", "`").split())
    wrap = lambda text: textwrap.fill(text, 78, initial_indent="  ", subsequent_indent="  ")  # noqa: E731
    out = [f"{function.name}: a check function (use it in a pack rule as `function: {function.name}`)"]
    if doc:
        out += ["", wrap(doc)]
    properties = function.options_schema.get("properties", {})
    required = set(function.options_schema.get("required", []))
    out += ["", "Options (`with:`):" if properties else "Options (`with:`): none"]
    for name in sorted(properties):
        out.append(f"  {name}{' (required)' if name in required else ''}: {option_summary(properties[name])}")
    users = sorted(rule.id for rule in rules if function.name in getattr(rule.check, "functions", ()))
    out += ["", "Used by: " + (", ".join(users) if users else "no loaded rule")]
    return clean("\n".join(out)) + "\n"


def option_summary(schema: dict[str, Any]) -> str:
    """One line for one option's JSON Schema: its type, allowed values and description."""
    parts = []
    kind = schema.get("type")
    if kind:
        parts.append(kind if isinstance(kind, str) else " or ".join(kind))
    if "enum" in schema:
        parts.append("one of " + ", ".join(json.dumps(value) for value in schema["enum"]))
    items = schema.get("items", {})
    if isinstance(items, dict) and "enum" in items:
        parts.append("each one of " + ", ".join(json.dumps(value) for value in items["enum"]))
    for key in ("minimum", "maximum", "pattern", "default"):
        if key in schema:
            parts.append(f"{key} {json.dumps(schema[key])}")
    if schema.get("description"):
        parts.append(schema["description"])
    return "; ".join(parts) or "any value"
