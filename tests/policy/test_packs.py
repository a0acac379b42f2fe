"""Meta-tests over the built-in packs: every rule is exemplified and its examples behave."""

from __future__ import annotations

import pytest

from govern.core.resources import policies_dir
from govern.testing import DEFAULT_AS_OF, check_examples, evaluate_manifest, load_rules

CHOSEN, ALL_RULES, CTX_FOR, ERRORS = load_rules(no_plugins=True)
MANIFEST_RULES = [r for r in CHOSEN if r.scope == "manifest"]


def test_builtin_packs_load_without_errors():
    assert ERRORS == []
    assert MANIFEST_RULES, "no built-in rules loaded"


@pytest.mark.parametrize("rule", CHOSEN, ids=lambda r: r.id)
def test_rule_has_pass_and_fail_examples(rule):
    kinds = {example.kind for example in rule.examples}
    assert kinds >= {"pass", "fail"}, f"{rule.id} lacks a {'pass' if 'pass' not in kinds else 'fail'} example"


@pytest.mark.parametrize("rule", CHOSEN, ids=lambda r: r.id)
def test_examples_fire_exactly_their_rule(rule):
    results = check_examples([rule], ALL_RULES, CTX_FOR, exact=True)
    bad = [r.line() for r in results if not r.ok]
    assert not bad, "\n".join(bad)


def test_base_manifest_is_fully_compliant():
    from govern.core.loader import load_file

    loaded = load_file(str(policies_dir() / "examples" / "base.yaml"))
    assert loaded.errors == []
    findings = evaluate_manifest(loaded.documents[0].data, ALL_RULES, CTX_FOR(DEFAULT_AS_OF))
    assert [f"{f.rule}: {f.message}" for f in findings] == []


def test_meta_check_catches_a_failing_example_that_fires_nothing():
    """The exactness check itself must be able to fail."""
    import dataclasses

    from govern.core.model import Example

    rule = MANIFEST_RULES[0]
    base = next(e for e in rule.examples if e.kind == "pass")
    broken = dataclasses.replace(rule, examples=(Example("fail", "a compliant manifest", base.manifest, base.as_of),))
    results = check_examples([broken], ALL_RULES, CTX_FOR, exact=True)
    assert not results[0].ok and "expected" in results[0].problem
