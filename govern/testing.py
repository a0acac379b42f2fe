"""The test harness for policy packs and plugins, public for rule authors.

``govern test`` uses it, govern's own meta-tests use it, and a department's
plugin tests use it the same way. A plugin's ``tests/test_examples.py``::

    from pathlib import Path

    import my_plugin  # the installed package (pip install . first)
    from govern.testing import assert_examples, load_manifest, run_cli

    PLUGIN = my_plugin.__file__  # or a path to the module in your checkout
    BASE = Path(my_plugin.__file__).parent / "policies" / "examples" / "base.yaml"

    def test_every_example_of_my_rules_behaves():
        # the plugin's own rules (YAML and Python), evaluated together with
        # the core's; a failing example must fire its rule and no other of
        # the plugin's rules (exact), whatever the core's rules say about it
        results = assert_examples(plugins=[PLUGIN], source="my_plugin", exact=True, no_plugins=True)
        assert {r.rule for r in results} == {"MYDEPT-001", "MYDEPT-002"}

    def test_my_rule_fires_in_a_real_run(tmp_path):
        manifest = load_manifest(BASE)            # dict, ready to change
        manifest["extensions"]["my_plugin"]["flag"] = False
        ...                                        # write it to tmp_path, then:
        result = run_cli("check", str(tmp_path / "m.yaml"), "--plugin", PLUGIN, "--format", "json")
        assert result.returncode == 1

Each rule's ``pass`` examples must not fire the rule and each ``fail``
example must fire it; ``exact=True`` also demands that a failing example
fires no other rule under test (nor a ``GOV-SCHEMA``/``GOV-EXTENSION``
notice) beyond its ``also_fires``. With no packs and no ``source``, every
loaded rule is under test, as in govern's own meta-test. Examples run at
their pack's ``examples.as_of`` (default ``DEFAULT_AS_OF``, 2026-11-22).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govern.core.loader import Document

DEFAULT_AS_OF = dt.date(2026, 11, 22)


@dataclass
class ExampleResult:
    """One pass or fail example of a rule, and whether it behaved as declared."""

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
    from govern.core.engine import evaluate, portfolio_findings

    doc = Document(label, 0, manifest, {"": (1, 1)})
    findings = evaluate(doc, rules, ctx).findings
    if portfolio:
        findings += portfolio_findings([doc], rules, ctx)
    return findings


def check_examples(
    rules: list[Any], all_rules: list[Any], ctx_for: Any, exact: bool = False, among: Collection[str] | None = None
) -> list[ExampleResult]:
    """Run every example of ``rules`` against ``all_rules``; ``ctx_for(as_of)`` builds the context.

    ``among`` limits what ``exact`` looks at to these rule ids (and govern's
    notices): a plugin's examples need not satisfy every core rule.
    """
    from govern.core.engine import NOTICES

    watched = None if among is None else set(among) | set(NOTICES)
    results = []
    for rule in rules:
        for example in rule.examples:
            ctx = ctx_for(example.as_of or DEFAULT_AS_OF)
            if example.appetite:  # the example brings its own statement (e.g. a stale one for RISK-009)
                import dataclasses

                from govern.risk.appetite import appetite_for

                ctx = dataclasses.replace(ctx, appetite=appetite_for(None, example.appetite))
            if example.config:  # a threshold that is a setting (delegated_authority_limit): the example brings it
                import dataclasses

                ctx = dataclasses.replace(ctx, config={**(ctx.config or {}), **example.config})
            findings = evaluate_manifest(example.manifest, all_rules, ctx, example.source, rule.scope == "portfolio")
            fired = sorted({f.rule for f in findings})
            own = rule.id in fired
            if watched is not None:
                fired = [r for r in fired if r in watched or r in example.also_fires]
            result = ExampleResult(rule.id, example.kind, example.source, True, fired)
            if example.kind == "pass" and own:
                messages = "; ".join(f.message for f in findings if f.rule == rule.id)
                result.ok, result.problem = False, f"expected no {rule.id}, got: {messages}"
            elif example.kind == "fail" and not own:
                result.ok, result.problem = False, f"expected {rule.id} to fire; fired: {', '.join(fired) or 'nothing'}"
            elif exact and example.kind == "fail" and fired != sorted({rule.id, *example.also_fires}):
                others = ", ".join(r for r in fired if r != rule.id and r not in example.also_fires)
                missing = ", ".join(r for r in example.also_fires if r not in fired)
                result.ok = False
                result.problem = f"fires other rules too: {others}" if others else f"does not also fire {missing} (also_fires)"
            results.append(result)
    return results


def load_rules(
    packs: Iterable[str] = (),
    plugins: Iterable[str] = (),
    no_plugins: bool = False,
    options: Any = None,
    source: str | None = None,
    registry: Any = None,
):
    """(rules under test, every rule, context factory, load errors).

    The rules under test are those of ``packs`` (folders or files), else
    those contributed by the plugin named ``source``, else every loaded
    rule. ``plugins`` are plugin files loaded as with ``--plugin``;
    ``no_plugins`` skips installed ones. A pack that a loaded plugin already
    contributes is not loaded twice.
    """
    from govern.plugins.manager import load_for
    from govern.policy.packs import load_packs
    from govern.run.runner import Options, build_rules, make_context

    options = options or Options()
    options.examples = True
    if registry is None:
        options.plugins = list(plugins) or list(options.plugins)
        options.no_plugins = no_plugins or options.no_plugins
        registry = load_for(options)
    all_rules, errors, _ = build_rules(options, registry)
    chosen = [r for r in all_rules if source is None or r.source == source]
    if packs:
        chosen = []
        for pack in packs:
            inside = [r for r in all_rules if _within(r, Path(pack)) and (source is None or r.source == source)]
            if not inside:
                inside, pack_errors, _ = load_packs([Path(pack)], registry.functions, "local", True)
                errors += pack_errors
                known = {r.id for r in all_rules}
                all_rules = all_rules + [r for r in inside if r.id not in known]
            chosen += inside

    def ctx_for(as_of: dt.date):
        return make_context(options, registry, as_of)

    return chosen, all_rules, ctx_for, errors


def _within(rule: Any, pack: Path) -> bool:
    if not rule.location:
        return False
    try:
        file, pack = Path(rule.location[0]).resolve(), pack.resolve()
    except OSError:
        return False
    return file == pack or pack in file.parents


def run_examples(options: Any, packs: list[str], registry: Any = None) -> tuple[list[str], int, list[Any]]:
    """What ``govern test`` prints: one line per example, the failure count, load errors."""
    chosen, all_rules, ctx_for, errors = load_rules(
        packs, options.plugins, options.no_plugins, options, registry=registry
    )
    results = check_examples(chosen, all_rules, ctx_for)
    missing = [r.id for r in chosen if r.scope == "manifest" and not {e.kind for e in r.examples} >= {"pass", "fail"}]
    lines = [result.line() for result in results]
    lines += [f"FAIL {rule_id} needs at least one pass and one fail example" for rule_id in missing]
    failures = sum(not r.ok for r in results) + len(missing)
    return lines, failures, errors


def assert_examples(
    *packs: str,
    plugins: Iterable[str] = (),
    source: str | None = None,
    exact: bool = False,
    no_plugins: bool = False,
) -> list[ExampleResult]:
    """Assert that every example of the rules under test behaves; for pytest.

    The rules under test are those of ``packs``, else of the plugin named
    ``source``, else every loaded rule; they are evaluated together with
    every other loaded rule (the core's included). With packs or a source,
    ``exact`` looks only at the rules under test, so a plugin whose base
    manifest differs from the core's still passes. Every rule under test
    needs a pass and a fail example. Returns the results for further checks.
    """
    chosen, all_rules, ctx_for, errors = load_rules(packs, plugins, no_plugins, source=source)
    assert not errors, "rules failed to load:\n" + "\n".join(e.located() for e in errors)
    assert chosen, f"no rules to test (packs {list(packs)}, source {source!r})"
    among = {r.id for r in chosen} if packs or source else None
    results = check_examples(chosen, all_rules, ctx_for, exact, among)
    bad = [r.line() for r in results if not r.ok]
    bad += [f"FAIL {r.id} needs at least one pass and one fail example"
            for r in chosen if r.scope == "manifest" and not {e.kind for e in r.examples} >= {"pass", "fail"}]
    assert not bad, "examples failed:\n" + "\n".join(bad)
    return results


def load_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """The first Initiative of a YAML file, as plain data (a fresh copy each call)."""
    from govern.core.loader import load_file

    loaded = load_file(str(path))
    assert not loaded.errors, "\n".join(e.located() for e in loaded.errors)
    for doc in loaded.documents:
        if doc.kind == "Initiative":
            return doc.data
    raise AssertionError(f"{path} holds no Initiative")


def run_cli(*args: str, cwd: str | os.PathLike | None = None, env: dict[str, str] | None = None,
            input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m govern ARGS`` as a real subprocess and capture its output."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "govern", *args],
        cwd=cwd, env=full_env, input=input, capture_output=True, text=True, timeout=timeout,
    )
