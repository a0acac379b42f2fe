"""What the engine works out once and reuses (whom each rule binds, per kind of body) never goes stale:
the same manifest checked against other rules, other scopes or another configuration is judged afresh."""

from __future__ import annotations

import datetime as dt

from govern.core.engine import evaluate
from govern.core.loader import load_text
from govern.core.model import Context, Rule, Violation

MANIFEST = """\
apiVersion: govern/v1
kind: Initiative
metadata:
  id: REUSE-2026-001
  name: Reuse
  department: test
  phase: live
  organisation: {type: local-authority, nation: england}
"""


def _ran(data, ctx):
    yield Violation("/metadata/name", "ran")


def rule(rule_id: str, **extra) -> Rule:
    return Rule(id=rule_id, title=rule_id, domain="governance", severity="warning", accountable=None, check=_ran,
                rationale="r", remediation="r", **extra)


def ids(rules, config=None) -> list[str]:
    doc = load_text(MANIFEST, "m.yaml")[0][0]
    ctx = Context(as_of=dt.date(2026, 11, 22), config=config if config is not None else {})
    return sorted({f.rule for f in evaluate(doc, rules, ctx).findings if f.rule.startswith("T-")})


def test_rules_added_or_replaced_in_the_same_list_are_judged_afresh():
    rules = [rule("T-001"), rule("T-002", applies_to={"scope": ("UKG",)})]
    assert ids(rules) == ["T-001"]  # a council is outside UKG
    rules.append(rule("T-003"))  # the same list object, one rule more
    assert ids(rules) == ["T-001", "T-003"]
    rules[1] = rule("T-002", applies_to={"organisation_types": ("local-authority",)})  # the same id, a new scope
    assert ids(rules) == ["T-001", "T-002", "T-003"]


def test_another_configuration_is_judged_afresh():
    rules = [rule("T-004", applies_to={"scope": ("UKG",)})]
    assert ids(rules, {}) == []
    assert ids(rules, {"rules": {"T-004": {"extend_scope": ["local-authority"]}}}) == ["T-004"]  # adopted
    assert ids(rules, {}) == []
