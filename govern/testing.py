"""The test harness for policy packs and plugins, public for rule authors.

``govern test`` uses it, the core's own meta-tests use it, and a
department's plugin tests use it the same way::

    from govern.testing import assert_examples, run_cli

    def test_examples():
        assert_examples("policies/", plugins=["my_plugin.py"])

    def test_cli_reports_my_rule(tmp_path):
        result = run_cli("check", "examples/bad.yaml", "--format", "json")
        assert result.returncode == 1

Each rule's ``pass`` examples must not fire the rule and each ``fail``
example must fire it; ``exact=True`` also demands that a failing example
fires that rule and no other.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govern.loader import Document

DEFAULT_AS_OF = dt.date(2026, 11, 22)


@dataclass
class ExampleResult:
    rule: str
    kind: str  # "pass" or "fail"
    source: str
    ok: bool
    fired: list[str] = field(default_factory=list)  # every rule id that fired
    problem: str = ""

    def line(self) -> str:
        status = "ok  " if self.ok else "FAIL"
        text = f"{status} {self.rule} {self.kind:<4} {self.source}"
        return f"{text}: {self.problem}" if self.problem else text


def evaluate_manifest(
    manifest: dict[str, Any], rules: list[Any], ctx: Any, label: str = "<example>", portfolio: bool = False
) -> list[Any]:
    """Findings of ``rules`` on one in-memory manifest (and of portfolio rules, if asked)."""
    from govern.engine import evaluate, portfolio_findings

    doc = Document(label, 0, manifest, {"": (1, 1)})
    findings = evaluate(doc, rules, ctx).findings
    if portfolio:
        findings += portfolio_findings([doc], rules, ctx)
    return findings


def check_examples(
    rules: list[Any], all_rules: list[Any], ctx_for: Any, exact: bool = False
) -> list[ExampleResult]:
    """Run every example of ``rules`` against ``all_rules``; ``ctx_for(as_of)`` builds the context."""
    results = []
    for rule in rules:
        for example in rule.examples:
            ctx = ctx_for(example.as_of or DEFAULT_AS_OF)
            findings = evaluate_manifest(example.manifest, all_rules, ctx, example.source, rule.scope == "portfolio")
            fired = sorted({f.rule for f in findings})
            own = rule.id in fired
            result = ExampleResult(rule.id, example.kind, example.source, True, fired)
            if example.kind == "pass" and own:
                messages = "; ".join(f.message for f in findings if f.rule == rule.id)
                result.ok, result.problem = False, f"expected no {rule.id}, got: {messages}"
            elif example.kind == "fail" and not own:
                result.ok, result.problem = False, f"expected {rule.id} to fire; fired: {', '.join(fired) or 'nothing'}"
            elif exact and example.kind == "fail" and fired != [rule.id]:
                others = ", ".join(r for r in fired if r != rule.id)
                result.ok, result.problem = False, f"fires other rules too: {others}"
            results.append(result)
    return results


def load_rules(packs: Iterable[str] = (), plugins: Iterable[str] = (), no_plugins: bool = False, options: Any = None):
    """(rules of the given packs or all, every rule, context factory, errors)."""
    from govern.plugins import load_plugins
    from govern.policies import load_packs
    from govern.run import Options, build_rules, make_context

    options = options or Options()
    registry = load_plugins(list(plugins), no_plugins)
    all_rules, errors, _ = build_rules(options, registry)
    if packs:
        chosen, pack_errors, _ = load_packs([Path(p) for p in packs], registry.functions, "local")
        errors += pack_errors
        known = {r.id for r in all_rules}
        all_rules = all_rules + [r for r in chosen if r.id not in known]
    else:
        chosen = all_rules

    def ctx_for(as_of: dt.date):
        return make_context(options, registry, as_of)

    return chosen, all_rules, ctx_for, errors


def run_examples(options: Any, packs: list[str], registry: Any = None) -> tuple[list[str], int, list[Any]]:
    """What ``govern test`` prints: one line per example, the failure count, load errors."""
    chosen, all_rules, ctx_for, errors = load_rules(packs, options.plugins, options.no_plugins, options)
    results = check_examples(chosen, all_rules, ctx_for)
    missing = [r.id for r in chosen if r.scope == "manifest" and not {e.kind for e in r.examples} >= {"pass", "fail"}]
    lines = [result.line() for result in results]
    lines += [f"FAIL {rule_id} needs at least one pass and one fail example" for rule_id in missing]
    failures = sum(not r.ok for r in results) + len(missing)
    return lines, failures, errors


def assert_examples(*packs: str, plugins: Iterable[str] = (), exact: bool = False) -> list[ExampleResult]:
    """Assert that every example of ``packs`` (all loaded rules if none) behaves; for pytest."""
    chosen, all_rules, ctx_for, errors = load_rules(packs, plugins)
    assert not errors, "packs failed to load:\n" + "\n".join(e.located() for e in errors)
    results = check_examples(chosen, all_rules, ctx_for, exact)
    bad = [r.line() for r in results if not r.ok]
    assert not bad, "examples failed:\n" + "\n".join(bad)
    return results


def run_cli(*args: str, cwd: str | os.PathLike | None = None, env: dict[str, str] | None = None,
            input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m govern ARGS`` as a real subprocess and capture its output."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "govern", *args],
        cwd=cwd, env=full_env, input=input, capture_output=True, text=True, timeout=timeout,
    )
