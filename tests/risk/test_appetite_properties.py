"""Properties of risk appetite version 2 (docs/design/semantics.md 8.7-8.9), checked with hypothesis.

1. Raising a risk's score never moves it to a lower zone (appetite < tolerance < outside < capacity).
2. Widening a level's tolerance never adds an error.
3. A version-1 (short-form) statement gives exactly the version-1 findings: RISK-002, RISK-007, RISK-008
   and RISK-010 are compared with ``v1_oracle`` below, an independent, deliberately plain reading of
   version-1 semantics (section 7): a breach is an error unless a live, valid acceptance by a holder of
   an accept_by role who is not the risk owner covers it (then a warning); capacity can never be accepted.

The statements are generated (valid by construction: appetite <= tolerance < capacity, levels rising),
the manifests are the pack's compliant base.yaml with generated risks, and every run is the real engine.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.core.loader import load_file
from govern.core.model import Context
from govern.core.resources import policies_dir
from govern.risk.appetite import LEVELS, ZONES, statement_from_data
from govern.testing import evaluate_manifest, load_rules

AS_OF = dt.date(2026, 11, 22)
_, ALL_RULES, _, _ = load_rules(no_plugins=True)
RISK_RULES = [rule for rule in ALL_RULES if rule.domain == "risk"]
BASE = load_file(str(policies_dir() / "examples" / "base.yaml")).documents[0].data
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

OWNER = {"name": "Daniel Reyes", "email": "d.reyes@lbx.example.gov"}  # base.yaml's service owner
PEOPLE = {  # base.yaml's role holders, and one stranger
    "siro": {"name": "Sarah Ahmed", "email": "s.ahmed@lbx.example.gov"},
    "sro": {"name": "Hannah Okoro", "email": "h.okoro@lbx.example.gov"},
    "owner": OWNER,
    "stranger": {"name": "Pat Nobody", "email": "p.nobody@example.gov"},
}
ROLE_OF = {"siro": "senior_information_risk_owner", "sro": "senior_responsible_owner"}
CATEGORIES = {"security": "averse", "information": "minimal", "financial": "cautious", "people": "open",
              "strategy": "eager"}
BOARD = "Departmental Board"


# --------------------------------------------------------------------------- generated statements


@st.composite
def thresholds(draw, version2: bool = True) -> dict[str, Any]:
    """Rising appetites, each tolerance in [appetite, capacity), capacity above them all."""
    capacity = draw(st.integers(8, 25))
    appetites = sorted(draw(st.lists(st.integers(1, capacity - 1), min_size=5, max_size=5)))
    levels: dict[str, Any] = {}
    for level, appetite in zip(LEVELS, appetites):
        levels[level] = {"appetite": appetite, "tolerance": draw(st.integers(appetite, capacity - 1))} if version2 else appetite
    return {"levels": levels, "capacity": capacity}


def v2_statement(drawn: dict[str, Any], triggers: bool = True) -> dict[str, Any]:
    return {
        "apiVersion": "govern/v1", "kind": "RiskAppetite",
        "metadata": {"name": "dept-2026", "approved_by": BOARD, "approved_on": "2026-06-01", "review_by": "2027-06-01"},
        "levels": drawn["levels"],
        "capacity": {"score": drawn["capacity"], "decided_by": "Executive Committee"},
        **({"impact_triggers": {"averse": 4, "minimal": 5}} if triggers else {}),
        "delegation": [
            {"categories": ["security", "information"], "up_to": "tolerance", "accept_by": ["senior_information_risk_owner"]},
            {"categories": ["financial"], "up_to": "tolerance", "accept_by": ["senior_responsible_owner"]},
            {"up_to": "tolerance", "accept_by": ["senior_responsible_owner"], "max_days": 90},
            {"up_to": "capacity", "accept_by": ["board"]},
        ],
        "categories": CATEGORIES,
    }


@st.composite
def v1_statements(draw) -> dict[str, Any]:
    drawn = draw(thresholds(version2=False))
    statement = {
        "apiVersion": "govern/v1", "kind": "RiskAppetite",
        "metadata": {"name": "short-2026", "approved_by": BOARD, "approved_on": "2026-06-01", "review_by": "2027-06-01"},
        "levels": drawn["levels"],
        "categories": CATEGORIES,
        "escalation": {"capacity": drawn["capacity"]},
        "portfolio": {"max_risks_above_appetite": draw(st.integers(0, 2))},
    }
    roles = draw(st.sampled_from([[], ["senior_information_risk_owner"], ["senior_responsible_owner"],
                                  ["senior_information_risk_owner", "senior_responsible_owner"]]))
    if roles:
        above: dict[str, Any] = {"accept_by": roles}
        if draw(st.booleans()):
            above["max_days"] = draw(st.integers(30, 400))
        statement["escalation"]["above_appetite"] = above
    if draw(st.booleans()):
        statement["impact_caps"] = {"averse": draw(st.integers(1, 5)), "minimal": 5}
    return statement


# --------------------------------------------------------------------------- generated risks

DATES = ["2025-06-01", "2026-03-01", "2026-10-01", "2026-12-01", "2027-03-01", "2028-01-01"]


@st.composite
def escalations(draw) -> dict[str, Any] | None:
    kind = draw(st.sampled_from(["none", "acceptance", "decision", "both"]))
    out: dict[str, Any] = {}
    if kind in ("acceptance", "both"):
        out.update({"accepted_by": PEOPLE[draw(st.sampled_from(sorted(PEOPLE)))],
                    "accepted_on": draw(st.sampled_from(DATES[:3])), "expires": draw(st.sampled_from(DATES))})
    if kind in ("decision", "both"):
        out["decision"] = {"board": draw(st.sampled_from([BOARD, "Executive Committee", "Project Board"])),
                           "minute": "M/2026/1", "date": draw(st.sampled_from(DATES[:4]))}
    return out or None


@st.composite
def risks(draw, escalate: bool = True) -> list[dict[str, Any]]:
    out = []
    for n in range(draw(st.integers(1, 3))):
        risk = {"id": f"R{n + 1}", "title": "A risk", "category": draw(st.sampled_from(sorted(CATEGORIES))),
                "owner": OWNER, "inherent": {"likelihood": 5, "impact": 5},
                "residual": {"likelihood": draw(st.integers(1, 5)), "impact": draw(st.integers(1, 5))},
                "mitigations": ["a control"], "target": {"likelihood": 1, "impact": 1, "by": "2027-06-30"},
                "review_by": "2027-01-31"}
        escalation = draw(escalations()) if escalate else None
        if escalation:
            risk["escalation"] = escalation
        out.append(risk)
    return out


def run(statement: dict[str, Any], risk_list: list[dict[str, Any]]) -> list[Any]:
    data = copy.deepcopy(BASE)
    data["risks"] = copy.deepcopy(risk_list)
    ctx = Context(as_of=AS_OF, appetite=statement_from_data(statement, "appetite.yaml"))
    return [f for f in evaluate_manifest(data, RISK_RULES, ctx, "initiative.yaml", portfolio=True) if f.domain == "risk"]


def errors(findings: list[Any]) -> set[tuple[str, str]]:
    return {(f.rule, f.path) for f in findings if f.severity == "error"}


# --------------------------------------------------------------------------- 1. zones only rise with the score


@PROPERTY
@given(thresholds(), st.sampled_from(LEVELS), st.integers(1, 5), st.integers(1, 5), st.integers(0, 4), st.integers(0, 4))
def test_raising_a_score_never_moves_a_risk_to_a_lower_zone(drawn, level, likelihood, impact, more_l, more_i):
    statement = statement_from_data(v2_statement(drawn))
    higher_l, higher_i = min(5, likelihood + more_l), min(5, impact + more_i)
    before = statement.zone(level, likelihood * impact)
    after = statement.zone(level, higher_l * higher_i)
    assert ZONES.index(after) >= ZONES.index(before), (level, likelihood, impact, higher_l, higher_i)


@PROPERTY
@given(thresholds(), st.sampled_from(sorted(CATEGORIES)), st.integers(1, 5), st.integers(1, 5), st.integers(1, 4))
def test_raising_a_risks_residual_through_the_engine_never_lowers_its_zone(drawn, category, likelihood, impact, more):
    from govern.risk.functions import assess_risks

    statement = statement_from_data(v2_statement(drawn))
    data = copy.deepcopy(BASE)
    data["risks"] = [{"id": "R1", "category": category, "owner": OWNER,
                      "residual": {"likelihood": likelihood, "impact": impact}},
                     {"id": "R2", "category": category, "owner": OWNER,
                      "residual": {"likelihood": min(5, likelihood + more), "impact": impact}}]
    low, high = assess_risks(data, statement, AS_OF)
    assert ZONES.index(high.zone) >= ZONES.index(low.zone)


# --------------------------------------------------------------------------- 2. a wider tolerance never adds an error


@PROPERTY
@given(thresholds(), risks(), st.sampled_from(LEVELS), st.integers(1, 10), st.booleans())
def test_a_wider_tolerance_never_adds_an_error(drawn, risk_list, level, wider, triggers):
    narrow = v2_statement(drawn, triggers)
    wide = copy.deepcopy(narrow)
    entry = wide["levels"][level]
    entry["tolerance"] = min(drawn["capacity"] - 1, entry["tolerance"] + wider)
    before, after = errors(run(narrow, risk_list)), errors(run(wide, risk_list))
    assert after <= before, (level, after - before)


# --------------------------------------------------------------------------- 3. version 1 is kept exactly


def v1_oracle(statement: dict[str, Any], risk_list: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """Version 1 in a few lines: (rule, path, severity) of RISK-002, RISK-007, RISK-008 and RISK-010."""
    levels, caps = statement["levels"], statement.get("impact_caps", {})
    capacity = statement["escalation"]["capacity"]
    above = statement["escalation"].get("above_appetite", {})
    roles, max_days = above.get("accept_by", []), above.get("max_days")
    holders = {ROLE_OF[key]: person for key, person in PEOPLE.items() if key in ROLE_OF}
    out, unaccepted = set(), 0
    for n, risk in enumerate(risk_list):
        level = CATEGORIES[risk["category"]]
        likelihood, impact = risk["residual"]["likelihood"], risk["residual"]["impact"]
        score = likelihood * impact
        over, capped, at_capacity = score > levels[level], level in caps and impact > caps[level], score >= capacity
        escalation = risk.get("escalation") or {}
        valid = False
        if "accepted_by" in escalation and not at_capacity:
            who = escalation["accepted_by"]
            start = dt.date.fromisoformat(escalation["accepted_on"])
            end = dt.date.fromisoformat(escalation["expires"])
            if max_days:
                end = min(end, start + dt.timedelta(days=max_days))
            valid = (who != OWNER and any(holders.get(role) == who for role in roles) and AS_OF <= end)
        severity = "warning" if valid else "error"
        if over:
            out.add(("RISK-002", f"/risks/{n}/residual", severity))
        if capped:
            out.add(("RISK-007", f"/risks/{n}/residual/impact", severity))
        if at_capacity:
            out.add(("RISK-008", f"/risks/{n}/residual", "error"))
        if (over or capped or at_capacity) and not valid:
            unaccepted += 1
    if unaccepted > statement["portfolio"]["max_risks_above_appetite"]:
        out.add(("RISK-010", "/portfolio/max_risks_above_appetite", "error"))
    return out


V1_RULES = {"RISK-002", "RISK-007", "RISK-008", "RISK-010"}


@PROPERTY
@given(v1_statements(), risks())
def test_a_short_form_statement_gives_exactly_the_version_1_findings(statement, risk_list):
    for risk in risk_list:  # version 1 has no board decisions: keep acceptances only
        if risk.get("escalation"):
            risk["escalation"].pop("decision", None)
            if not risk["escalation"]:
                del risk["escalation"]
    got = {(f.rule, f.path, f.severity) for f in run(statement, risk_list) if f.rule in V1_RULES}
    assert got == v1_oracle(statement, risk_list)


def test_the_oracle_is_not_trivial():
    """The oracle itself tells a warning from an error and counts the portfolio: it can fail."""
    statement = {"levels": {"averse": 4, "minimal": 6, "cautious": 9, "open": 12, "eager": 16}, "impact_caps": {"averse": 3},
                 "escalation": {"capacity": 20, "above_appetite": {"accept_by": ["senior_information_risk_owner"]}},
                 "portfolio": {"max_risks_above_appetite": 0}}
    bare = [{"category": "security", "residual": {"likelihood": 2, "impact": 4}}]
    assert v1_oracle(statement, bare) == {("RISK-002", "/risks/0/residual", "error"),
                                          ("RISK-007", "/risks/0/residual/impact", "error"),
                                          ("RISK-010", "/portfolio/max_risks_above_appetite", "error")}
    accepted = [{**bare[0], "escalation": {"accepted_by": PEOPLE["siro"], "accepted_on": "2026-10-01", "expires": "2027-01-31"}}]
    assert v1_oracle(statement, accepted) == {("RISK-002", "/risks/0/residual", "warning"),
                                              ("RISK-007", "/risks/0/residual/impact", "warning")}
