"""Risk appetite: statements, the RISK rules and `govern appetite`.

The cases are the ones a board cares about (docs/design/semantics.md):
acceptances by the wrong person, by the owner, expired or capped; impact caps;
unknown categories and aliases; capacity breaches; and that nothing inside
appetite is ever flagged. Properties check the scoring itself.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.risk.appetite import AppetiteError, load_appetite, statement_from_data
from govern.core.errors import GovernError
from govern.risk.functions import assess_risks, score
from govern.core.loader import load_file
from govern.core.model import Context
from govern.core.resources import default_appetite_path, policies_dir
from govern.testing import evaluate_manifest, load_rules, run_cli

AS_OF = dt.date(2026, 11, 22)
# The contract's full manifest and default appetite, copied verbatim (tests/fixtures/contract/README.md).
CONTRACT = Path(__file__).resolve().parents[1] / "fixtures" / "contract"

_, ALL_RULES, _, _ = load_rules(no_plugins=True)
RISK_RULES = [rule for rule in ALL_RULES if rule.domain == "risk"]
DEFAULT = load_appetite(str(default_appetite_path()), "policies/default-appetite.yaml", default=True)
# The same numbers as a board's own statement (dated, so RISK-009 judges it): the contract's section 2.
BOARD = load_appetite(str(CONTRACT / "rules-default-appetite.yaml"), "appetite.yaml")
BASE = load_file(str(policies_dir() / "examples" / "base.yaml")).documents[0].data

OWNER = {"name": "Daniel Reyes", "email": "d.reyes@lbx.example.gov"}  # base.yaml's service owner
SIRO = {"name": "Sarah Ahmed", "email": "s.ahmed@lbx.example.gov"}
SRO = {"name": "Hannah Okoro", "email": "h.okoro@lbx.example.gov"}
IAO = {"name": "Priya Raman", "email": "p.raman@lbx.example.gov"}
STRANGER = {"name": "Pat Nobody", "email": "p.nobody@example.gov"}


def risk(category: str = "technology", residual=(2, 3), inherent=(4, 4), **extra: Any) -> dict[str, Any]:
    out = {
        "id": "R1",
        "title": "A risk",
        "category": category,
        "owner": OWNER,
        "inherent": {"likelihood": inherent[0], "impact": inherent[1]},
        "residual": {"likelihood": residual[0], "impact": residual[1]},
        "mitigations": ["a control"],
        "review_by": "2027-01-31",
    }
    out.update(extra)
    return {key: value for key, value in out.items() if value is not None}


def accepted(by: dict[str, Any], on: str = "2026-10-01", expires: str | None = "2027-01-31") -> dict[str, Any]:
    out = {"accepted_by": by, "accepted_on": on}
    if expires:
        out["expires"] = expires
    return out


def manifest(*risks: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["risks"] = list(risks)
    data.update(changes)
    return data


def findings(data: dict[str, Any], statement=DEFAULT, as_of: dt.date = AS_OF, portfolio: bool = True):
    ctx = Context(as_of=as_of, appetite=statement)
    found = evaluate_manifest(data, RISK_RULES, ctx, "initiative.yaml", portfolio)
    return [f for f in found if f.domain == "risk"]


def keyed(found) -> set[tuple[str, str, str]]:
    return {(f.rule, f.severity, f.path) for f in found}


def statement(**changes: Any):
    data = copy.deepcopy(DEFAULT.data)
    for pointer, value in changes.items():
        *parents, last = pointer.split("__")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return statement_from_data(data, "appetite.yaml")


# --------------------------------------------------------------------------- the default statement


def test_default_statement_is_the_contracts_section_2():
    import yaml

    text = (CONTRACT / "rules-default-appetite.yaml").read_text(encoding="utf-8")
    expected = json.loads(json.dumps(yaml.safe_load(text), default=str))
    # Same numbers as the contract's section 2; the metadata is the example's (docs/design/semantics.md 8.7):
    # named govern-example, approved by no board, no dates, so it never expires.
    assert {k: v for k, v in DEFAULT.data.items() if k != "metadata"} == {k: v for k, v in expected.items() if k != "metadata"}
    assert DEFAULT.data["metadata"] == {"name": "govern-example", "approved_by": "(example — replace with your board's statement)"}


def test_default_statement_values():
    assert DEFAULT.levels == {"averse": 4, "minimal": 6, "cautious": 9, "open": 12, "eager": 16}
    assert DEFAULT.impact_caps == {"averse": 3, "minimal": 4}
    assert (DEFAULT.capacity, DEFAULT.max_days, DEFAULT.max_risks_above_appetite) == (20, 180, 0)
    assert DEFAULT.accept_by == ("senior_information_risk_owner", "senior_responsible_owner")
    assert DEFAULT.canonical("cyber") == "security" and DEFAULT.threshold("cyber") == 4
    assert DEFAULT.thresholds["delivery"] == DEFAULT.thresholds["project-programme"] == 12
    assert DEFAULT.canonical("climate") is None
    assert DEFAULT.default and len(DEFAULT.sha256) == 64


# --------------------------------------------------------------------------- the full manifest


SECTION_1_RISK = {
    "id": "R1",
    "title": "Health data disclosed to the wrong applicant through case-worker error",
    "category": "information",
    "owner": {"name": "P. Rao", "email": "p.rao@example.gov"},
    "inherent": {"likelihood": 4, "impact": 4},
    "residual": {"likelihood": 2, "impact": 4},
    "target": {"likelihood": 2, "impact": 3, "by": "2026-12-31"},
    "mitigations": ["two-person check on release", "redaction tooling"],
    "review_by": "2026-09-30",
    "escalation": {"accepted_by": {"name": "S. Ahmed"}, "accepted_on": "2026-04-01", "expires": "2026-12-31"},
}


def test_rules_md_section_1_risk_gives_error_capped_acceptance_and_overdue_review():
    data = manifest(SECTION_1_RISK)
    data["accountability"]["senior_information_risk_owner"] = {"name": "S. Ahmed", "email": "s.ahmed@example.gov"}
    found = findings(data, portfolio=False)
    assert keyed(found) == {
        ("RISK-002", "error", "/risks/0/residual"),
        ("RISK-011", "warning", "/risks/0/escalation"),
        ("RISK-005", "warning", "/risks/0/review_by"),
    }
    message = next(f.message for f in found if f.rule == "RISK-011")
    assert "274 days" in message and "capped at 2026-09-28" in message and "lapsed on 2026-09-28" in message
    by_rule = {f.rule: f for f in found}
    assert by_rule["RISK-002"].accountable.to_dict() == {"role": "risk_owner", "name": "P. Rao"}
    assert by_rule["RISK-011"].accountable.role == "senior_responsible_owner"


def test_rules_md_section_1_manifest_through_the_cli(tmp_path):
    (tmp_path / "dfg.yaml").write_bytes((CONTRACT / "rules-full-manifest.yaml").read_bytes())
    (tmp_path / "appetite.yaml").write_bytes((CONTRACT / "rules-default-appetite.yaml").read_bytes())
    expected = {
        ("RISK-002", "error", "/risks/0/residual"),
        ("RISK-011", "warning", "/risks/0/escalation"),
        ("RISK-005", "warning", "/risks/0/review_by"),
    }

    def risk_findings(*extra):
        result = run_cli("check", "dfg.yaml", "--as-of", "2026-11-22", "--format", "json", "--no-plugins", *extra, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        report = json.loads(result.stdout)
        return report, {(f["rule"], f["severity"], f["path"]) for f in report["findings"] if f["domain"] == "risk"}

    # The portfolio rules run in `check` as in `portfolio` (issue 13 item 10): RISK-010 fires against the
    # bundled default and against the section 2 statement given explicitly, located in the statement.
    portfolio_rule = ("RISK-010", "error", "/portfolio/max_risks_above_appetite")
    assert risk_findings()[1] == expected | {portfolio_rule}
    report, found = risk_findings("--appetite", "appetite.yaml")
    assert found == expected | {portfolio_rule}
    portfolio = next(f for f in report["findings"] if f["rule"] == "RISK-010")
    assert portfolio["file"] == "appetite.yaml" and portfolio["initiative"] is None
    assert portfolio["accountable"] == {"role": "approving_body", "name": "Corporate Leadership Board"}


# --------------------------------------------------------------------------- acceptances


BREACH = {"category": "security", "residual": (3, 3), "target": {"likelihood": 1, "impact": 3, "by": "2027-06-30"}}


def test_breach_without_acceptance_is_an_error():
    found = findings(manifest(risk(**BREACH)), portfolio=False)
    assert keyed(found) == {("RISK-002", "error", "/risks/0/residual")}
    assert "3 x 3 = 9 is above the averse appetite for security (at most 4)" in found[0].message


def test_live_acceptance_by_an_allowed_role_is_a_warning():
    for acceptor in (SIRO, SRO, {"name": "sarah ahmed"}):
        found = findings(manifest(risk(**BREACH, escalation=accepted(acceptor))))
        assert keyed(found) == {("RISK-002", "warning", "/risks/0/residual")}, acceptor


@pytest.mark.parametrize(
    ("acceptor", "reason"),
    [
        (IAO, "does not hold a role allowed to accept it"),
        (STRANGER, "does not hold a role allowed to accept it"),
        ({"name": "Sarah Ahmed", "email": "someone.else@example.gov"}, "does not hold a role"),  # email decides
        ({"email": "s.ahmed@lbx.example.gov"}, "does not name who accepted it"),
    ],
)
def test_acceptance_by_the_wrong_person_is_ignored(acceptor, reason):
    found = findings(manifest(risk(**BREACH, escalation=accepted(acceptor))), portfolio=False)
    assert keyed(found) == {("RISK-002", "error", "/risks/0/residual"), ("RISK-011", "warning", "/risks/0/escalation")}
    assert reason in next(f.message for f in found if f.rule == "RISK-011")


def test_acceptance_by_the_risk_owner_is_ignored_even_when_they_hold_an_allowed_role():
    found = findings(manifest(risk(**BREACH, owner=SIRO, escalation=accepted(SIRO))), portfolio=False)
    assert keyed(found) == {("RISK-002", "error", "/risks/0/residual"), ("RISK-011", "warning", "/risks/0/escalation")}
    assert "Sarah Ahmed is the risk's own owner" in next(f.message for f in found if f.rule == "RISK-011")


def test_expired_acceptance_reverts_to_error_and_names_its_end():
    found = findings(manifest(risk(**BREACH, escalation=accepted(SIRO, "2026-03-01", "2026-06-30"))), portfolio=False)
    assert keyed(found) == {("RISK-002", "error", "/risks/0/residual"), ("RISK-011", "warning", "/risks/0/escalation")}
    assert "expired on 2026-06-30, before 2026-11-22" in next(f.message for f in found if f.rule == "RISK-011")


def test_acceptance_longer_than_max_days_is_capped_not_ignored():
    long = accepted(SIRO, "2026-10-01", "2027-09-30")
    found = findings(manifest(risk(**BREACH, escalation=long, review_by="2027-12-31")), portfolio=False)
    assert keyed(found) == {
        ("RISK-002", "warning", "/risks/0/residual"),
        ("RISK-011", "warning", "/risks/0/escalation"),
    }
    message = next(f.message for f in found if f.rule == "RISK-011")
    assert "capped at 2027-03-30" in message and "still counts until 2027-03-30" in message
    # live through the capped end, ignored the day after
    assert keyed(
        findings(
            manifest(risk(**BREACH, escalation=long, review_by="2027-12-31")),
            as_of=dt.date(2027, 3, 30),
            portfolio=False,
        )
    ) == {
        ("RISK-002", "warning", "/risks/0/residual"),
        ("RISK-011", "warning", "/risks/0/escalation"),
    }
    later = findings(
        manifest(risk(**BREACH, escalation=long, review_by="2027-12-31")), as_of=dt.date(2027, 3, 31), portfolio=False
    )
    assert ("RISK-002", "error", "/risks/0/residual") in keyed(later)


def test_acceptance_without_expiry_is_capped_at_max_days():
    found = findings(manifest(risk(**BREACH, escalation=accepted(SIRO, "2026-10-01", None))), portfolio=False)
    assert keyed(found) == {
        ("RISK-002", "warning", "/risks/0/residual"),
        ("RISK-011", "warning", "/risks/0/escalation"),
    }
    assert "no expiry date" in next(f.message for f in found if f.rule == "RISK-011")


def test_effective_end_is_the_earlier_of_expiry_and_max_days():
    data = manifest(risk(**BREACH, escalation=accepted(SIRO, "2026-04-01", "2026-12-31")))
    (assessment,) = assess_risks(data, DEFAULT, AS_OF)
    assert assessment.acceptance.end == dt.date(2026, 9, 28)
    data = manifest(risk(**BREACH, escalation=accepted(SIRO, "2026-10-01", "2026-12-01")))
    assert assess_risks(data, DEFAULT, AS_OF)[0].acceptance.end == dt.date(2026, 12, 1)


def test_statement_allowing_nobody_ignores_every_acceptance():
    nobody = statement(escalation__above_appetite=None)
    found = findings(manifest(risk(**BREACH, escalation=accepted(SIRO))), nobody, portfolio=False)
    assert ("RISK-002", "error", "/risks/0/residual") in keyed(found)
    assert "allows no role" in next(f.message for f in found if f.rule == "RISK-011")


# --------------------------------------------------------------------------- impact caps, capacity


def test_impact_cap_catches_l1_i5_in_a_minimal_category():
    cap = {
        "category": "legal",
        "residual": (1, 5),
        "inherent": (2, 5),
        "target": {"likelihood": 1, "impact": 4, "by": "2027-06-30"},
    }
    found = findings(manifest(risk(**cap)), portfolio=False)
    assert keyed(found) == {("RISK-007", "error", "/risks/0/residual/impact")}
    accepted_cap = findings(manifest(risk(**cap, escalation=accepted(SIRO))))
    assert keyed(accepted_cap) == {("RISK-007", "warning", "/risks/0/residual/impact")}
    # the same cell is fine in a cautious category, which has no cap
    assert findings(manifest(risk(**{**cap, "category": "technology"}))) == []


def test_cap_breach_needs_a_treatment_plan_and_counts_for_the_portfolio():
    found = findings(manifest(risk(category="information", residual=(1, 5), inherent=(2, 5))))
    assert keyed(found) == {
        ("RISK-007", "error", "/risks/0/residual/impact"),
        ("RISK-006", "warning", "/risks/0/target"),
        ("RISK-010", "error", "/portfolio/max_risks_above_appetite"),
    }


def test_capacity_breach_with_an_acceptance_is_never_accepted():
    capacity = {
        "category": "people",
        "residual": (4, 5),
        "inherent": (5, 5),
        "target": {"likelihood": 2, "impact": 4, "by": "2027-03-31"},
    }
    found = findings(manifest(risk(**capacity, escalation=accepted(SIRO))))
    assert keyed(found) == {
        ("RISK-002", "error", "/risks/0/residual"),
        ("RISK-008", "error", "/risks/0/residual"),
        ("RISK-011", "warning", "/risks/0/escalation"),
        ("RISK-010", "error", "/portfolio/max_risks_above_appetite"),
    }
    assert "capacity of 20, which can never be accepted" in next(f.message for f in found if f.rule == "RISK-011")
    rule = next(r for r in RISK_RULES if r.id == "RISK-008")
    assert rule.waivable is False
    assert next(f for f in found if f.rule == "RISK-008").accountable.to_dict() == {
        "role": "senior_responsible_owner",
        "name": "Hannah Okoro",
    }


# --------------------------------------------------------------------------- categories


def test_unknown_category_is_never_skipped_and_not_scored():
    found = findings(manifest(risk(category="climate", residual=(5, 5), inherent=(5, 5))), portfolio=False)
    assert keyed(found) == {("RISK-001", "error", "/risks/0/category")}
    assert found[0].accountable.to_dict() == {"role": "risk_owner", "name": "Daniel Reyes"}


def test_unknown_category_still_gets_the_unscored_rules():
    odd = risk(
        category="climate", residual=(3, 3), inherent=(2, 3), owner={"name": "Daniel Reyes"}, review_by="2026-10-01"
    )
    found = findings(manifest(odd), portfolio=False)
    assert {f.rule for f in found} == {"RISK-001", "RISK-003", "RISK-004", "RISK-005"}


def test_alias_cyber_is_security_and_a_statement_without_it_fires_risk_001():
    inside = risk(category="cyber", residual=(1, 3), inherent=(3, 3))
    assert findings(manifest(inside)) == []
    assert keyed(findings(manifest(risk(category="cyber", residual=(3, 3))), portfolio=False)) == {
        ("RISK-002", "error", "/risks/0/residual"),
        ("RISK-006", "warning", "/risks/0/target"),
    }
    without = statement(aliases={"delivery": "project-programme"})
    assert keyed(findings(manifest(inside), without, portfolio=False)) == {("RISK-001", "error", "/risks/0/category")}


def test_missing_category_fires_risk_001():
    found = findings(manifest(risk(category=None)), portfolio=False)
    assert keyed(found) == {("RISK-001", "error", "/risks/0/category")}
    assert "has no category" in found[0].message


# --------------------------------------------------------------------------- the other rules


def test_residual_above_inherent_owner_and_review():
    assert keyed(findings(manifest(risk(residual=(3, 3), inherent=(2, 3))), portfolio=False)) == {
        ("RISK-003", "error", "/risks/0/residual")
    }
    no_owner = findings(manifest(risk(owner=None)), portfolio=False)
    assert keyed(no_owner) == {("RISK-004", "error", "/risks/0/owner")}
    assert no_owner[0].accountable.to_dict() == {"role": "senior_responsible_owner", "name": "Hannah Okoro"}
    assert keyed(findings(manifest(risk(owner={"name": "D. Reyes"})), portfolio=False)) == {
        ("RISK-004", "error", "/risks/0/owner")
    }
    overdue = findings(manifest(risk(review_by="2026-11-21")), portfolio=False)
    assert keyed(overdue) == {("RISK-005", "warning", "/risks/0/review_by")}
    assert overdue[0].accountable.to_dict() == {"role": "risk_owner", "name": "Daniel Reyes"}
    assert findings(manifest(risk(review_by="2026-11-22"))) == []
    assert keyed(findings(manifest(risk(review_by=None)), portfolio=False)) == {
        ("RISK-005", "warning", "/risks/0/review_by")
    }


def test_treatment_plan_for_a_breach():
    plan = {"category": "security", "residual": (3, 3), "escalation": accepted(SIRO)}
    assert keyed(findings(manifest(risk(**plan, mitigations=[])), portfolio=False)) == {
        ("RISK-002", "warning", "/risks/0/residual"),
        ("RISK-006", "warning", "/risks/0/mitigations"),
        ("RISK-006", "warning", "/risks/0/target"),
    }
    undated = risk(**plan, target={"likelihood": 1, "impact": 3})
    assert ("RISK-006", "warning", "/risks/0/target") in keyed(findings(manifest(undated)))
    too_high = risk(**plan, target={"likelihood": 1, "impact": 4, "by": "2027-01-01"})  # 4 <= 4 but impact 4 > cap 3
    assert "impact cap" in next(f.message for f in findings(manifest(too_high)) if f.rule == "RISK-006")


def test_values_off_the_scale_are_findings_not_crashes():
    found = findings(manifest(risk(category="security", residual=(6, 1), inherent=(6, 1))), portfolio=False)
    assert ("RISK-002", "error", "/risks/0/residual/likelihood") in keyed(found)
    assert ("RISK-003", "error", "/risks/0/inherent/likelihood") in keyed(found)
    weird = manifest(
        {"id": "R1", "category": "security", "residual": {"likelihood": "high", "impact": True}, "owner": "me"},
        {"id": "R2", "category": 7, "residual": None, "escalation": "yes"},
        "not a risk",
    )
    ctx = Context(as_of=AS_OF, appetite=DEFAULT)
    everything = evaluate_manifest(weird, RISK_RULES, ctx, "weird.yaml", True)
    assert not [f for f in everything if f.rule == "GOV-ENGINE"]  # the RISK rules never raise
    found = {(f.rule, f.path) for f in everything}
    assert ("RISK-004", "/risks/1/owner") in found  # R2 has no owner at all
    # a value the schema refuses is one GOV-SCHEMA finding; the RISK rules reading it add none (issue 18)
    for path in ("/risks/0/owner", "/risks/0/residual/likelihood", "/risks/1/category"):
        assert [rule for rule, where in found if where == path] == ["GOV-SCHEMA"], (path, found)


def test_base_manifest_and_every_cell_inside_appetite_are_clean():
    assert findings(manifest(*BASE["risks"])) == []
    for category, level in DEFAULT.categories.items():
        for likelihood in range(1, 6):
            for impact in range(1, 6):
                data = manifest(risk(category, (likelihood, impact), (5, 5)))
                inside = DEFAULT.tolerates(level, likelihood, impact)
                found = findings(data)
                assert (found == []) == inside, (category, likelihood, impact, [f.message for f in found])


# --------------------------------------------------------------------------- portfolio rules


def test_risk_010_counts_across_manifests_and_lists_unknown_categories():
    from govern.core.engine import portfolio_findings
    from govern.core.loader import Document

    one = manifest(risk(category="security", residual=(3, 3)))
    two = manifest(risk(category="people", residual=(4, 5)), risk(category="climate"))
    two["metadata"] = {**two["metadata"], "id": "LBX-2026-099"}
    accepted_one = manifest(risk(category="security", residual=(3, 3), escalation=accepted(SIRO)))
    docs = [Document(f"m{i}.yaml", 0, data, {"": (1, 1)}) for i, data in enumerate((one, two, accepted_one))]
    ctx = Context(as_of=AS_OF, appetite=DEFAULT)
    (found,) = [f for f in portfolio_findings(docs, RISK_RULES, ctx) if f.rule == "RISK-010"]
    assert found.message.count("LBX-2025-008 R1") == 1 and "LBX-2026-099 R1" in found.message
    assert found.message.startswith("Too many") and "2 risks are in breach" in found.message
    assert "Not counted, their category is not in the statement: LBX-2026-099 R1 (climate)" in found.message
    assert (found.file, found.initiative, found.path) == (
        "policies/default-appetite.yaml",
        None,
        "/portfolio/max_risks_above_appetite",
    )
    assert (found.line, found.column) == DEFAULT.locate("/portfolio/max_risks_above_appetite")
    roomy = statement(portfolio={"max_risks_above_appetite": 2})
    assert not [
        f for f in portfolio_findings(docs, RISK_RULES, Context(as_of=AS_OF, appetite=roomy)) if f.rule == "RISK-010"
    ]


@pytest.mark.parametrize(
    ("approved_on", "review_by", "as_of", "current"),
    [
        ("2026-02-03", "2027-02-03", "2026-11-22", True),
        ("2025-11-22", "2026-01-01", "2026-11-22", True),  # exactly 12 months old
        ("2025-11-21", "2026-01-01", "2026-11-22", False),
        ("2024-01-01", "2026-11-22", "2026-11-22", True),  # review due today
        ("2025-06-02", "2026-06-02", "2026-11-22", False),
    ],
)
def test_risk_009_statement_current(approved_on, review_by, as_of, current):
    stated = statement(
        metadata={"name": "s", "approved_by": "Audit Board", "approved_on": approved_on, "review_by": review_by}
    )
    found = [
        f for f in findings(manifest(*BASE["risks"]), stated, dt.date.fromisoformat(as_of)) if f.rule == "RISK-009"
    ]
    assert (found == []) == current
    if found:
        assert (found[0].severity, found[0].path, found[0].file) == ("warning", "/metadata/review_by", "appetite.yaml")
        assert found[0].accountable.to_dict() == {"role": "approving_body", "name": "Audit Board"}


# --------------------------------------------------------------------------- validating statements


def write(tmp_path: Path, text: str, name: str = "appetite.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# A board's statement: the contract's section 2 example (dated, approved by a board), with three more
# comment lines so that its lines are where the tests locate them.
STATEMENT = "#\n#\n#\n" + (CONTRACT / "rules-default-appetite.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("  cautious: 9", "  cautious: 5", (13, 3), "levels.cautious (5) is below levels.minimal (6)"),
        ("  eager: 16", "  eager: 26", (15, 3), "levels.eager is 26, above the highest score"),
        ("impact_caps: {averse: 3,", "impact_caps: {averse: 6,", (16, 15), "impact_caps.averse is 6"),
        ("security: averse,", "security: reckless,", (23, 4), "categories.security"),
        ("{cyber: security,", "{cyber: secure,", (24, 11), "alias cyber points at secure, which is not a category"),
        ("{cyber: security,", "{people: security,", (24, 11), "alias people hides the category"),
        ("capacity: 20 ", "capacity: 30 ", (19, 3), "escalation.capacity is 30"),
        ("review_by: 2027-02-03}", "review_by: 2025-02-03}", (8, 94), "review_by 2025-02-03 is before approved_on"),
    ],
)
def test_invalid_statements_are_located(tmp_path, old, new, where, message):
    assert old in STATEMENT
    path = write(tmp_path, STATEMENT.replace(old, new, 1))
    with pytest.raises(AppetiteError) as caught:
        load_appetite(path, "appetite.yaml")
    problems = caught.value.problems
    assert any(message in p.message and (p.line, p.column) == where for p in problems), [p.located() for p in problems]
    assert isinstance(caught.value, GovernError)


def test_category_with_a_level_the_statement_does_not_define(tmp_path):
    text = STATEMENT.replace("  eager: 16\n", "")
    assert "eager" not in load_appetite(write(tmp_path, text)).levels  # no category uses eager: fine
    with pytest.raises(AppetiteError) as caught:
        load_appetite(write(tmp_path, text.replace("people: open", "people: eager")), "a.yaml")
    assert "category people is eager, a level that levels does not define" in caught.value.message


def test_legacy_level_names_are_read_with_a_notice(tmp_path):
    text = STATEMENT.replace("  minimal: 6", "  minimalist: 6").replace("  eager: 16", "  hungry: 16")
    text = text.replace("people: open", "people: hungry")
    stated = load_appetite(write(tmp_path, text), "a.yaml")
    assert stated.levels == DEFAULT.levels and stated.categories["people"] == "eager"
    assert [(n.path, n.severity) for n in stated.notices] == [
        ("/levels/minimalist", "info"),
        ("/levels/hungry", "info"),
        ("/categories/people", "info"),
    ]
    with pytest.raises(AppetiteError) as caught:
        load_appetite(write(tmp_path, text.replace("  minimalist: 6", "  minimal: 6\n  minimalist: 6")), "a.yaml")
    assert "legacy name of minimal, which is also given" in caught.value.message


def test_a_file_with_several_documents_and_files_without_a_statement(tmp_path):
    other = "apiVersion: govern/v1\nkind: WaiverRegister\nwaivers: []\n---\n"
    assert load_appetite(write(tmp_path, other + STATEMENT)).levels == DEFAULT.levels
    with pytest.raises(AppetiteError, match="holds no RiskAppetite document"):
        load_appetite(write(tmp_path, other))
    with pytest.raises(AppetiteError) as caught:
        load_appetite(write(tmp_path, "apiVersion: govern/v1\nkind: RiskAppetite\nlevels: {averse: [\n"), "b.yaml")
    assert caught.value.file == "b.yaml" and caught.value.line >= 3
    with pytest.raises(AppetiteError) as caught:
        load_appetite(write(tmp_path, STATEMENT.replace("  open: 12", "  open: twelve")), "c.yaml")
    assert (caught.value.line, caught.value.column) == (14, 3)  # the key of the bad value


# --------------------------------------------------------------------------- properties

CATEGORIES = sorted(DEFAULT.categories)
PEOPLE = [OWNER, SIRO, SRO, IAO, STRANGER, {"name": "sarah ahmed"}]
DATES = ["2026-03-01", "2026-06-30", "2026-10-01", "2026-11-22", "2027-01-31", "2027-09-30"]
point = st.integers(1, 5)


@st.composite
def risks_strategy(draw, categories=CATEGORIES + ["cyber", "delivery", "climate"]):
    out = []
    for i in range(draw(st.integers(1, 3))):
        item = risk(
            draw(st.sampled_from(categories)),
            (draw(point), draw(point)),
            (draw(point), draw(point)),
            owner=draw(st.sampled_from([OWNER, SIRO, {"name": "D. Reyes"}])),
            review_by=draw(st.sampled_from(DATES)),
            mitigations=draw(st.sampled_from([["a control"], []])),
        )
        item["id"] = f"R{i + 1}"
        if draw(st.booleans()):
            item["target"] = {"likelihood": draw(point), "impact": draw(point), "by": "2027-06-30"}
        if draw(st.booleans()):
            expires = draw(st.sampled_from([None, *DATES]))
            item["escalation"] = accepted(draw(st.sampled_from(PEOPLE)), draw(st.sampled_from(DATES)), expires)
        out.append(item)
    return out


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(point, point, point, point)
def test_score_is_monotone_in_likelihood_and_impact(l1, i1, l2, i2):
    if l1 <= l2 and i1 <= i2:
        assert score(l1, i1) <= score(l2, i2)
        for level in DEFAULT.levels:  # what a level tolerates is closed downwards
            if DEFAULT.tolerates(level, l2, i2):
                assert DEFAULT.tolerates(level, l1, i1)


def raised(data: dict[str, Any], knob: str, amount: int) -> dict[str, Any]:
    """``data`` with one threshold raised by ``amount``, keeping the statement valid."""
    out = copy.deepcopy(data)
    if knob in DEFAULT.levels:
        levels = out["levels"]
        names = list(levels)
        start = names.index(knob)
        new = min(25, levels[knob] + amount)
        for name in names[start:]:
            levels[name] = max(levels[name], new)
    elif knob in ("averse-cap", "minimal-cap"):
        level = knob.removesuffix("-cap")
        out["impact_caps"][level] = min(5, out["impact_caps"][level] + amount)
    elif knob == "capacity":
        out["escalation"]["capacity"] = min(25, out["escalation"]["capacity"] + amount)
    elif knob == "max_days":
        out["escalation"]["above_appetite"]["max_days"] += amount * 30
    else:
        out["portfolio"]["max_risks_above_appetite"] += amount
    return out


KNOBS = [*DEFAULT.levels, "averse-cap", "minimal-cap", "capacity", "max_days", "portfolio"]
RANK = {"info": 1, "warning": 2, "error": 3}


def _severities(found) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for f in found:
        out[(f.rule, f.path)] = max(out.get((f.rule, f.path), 0), RANK[f.severity])
    return out


@PROPERTY
@given(risks_strategy(), st.sampled_from(KNOBS), st.integers(1, 8), st.sampled_from([AS_OF, dt.date(2027, 2, 1)]))
def test_raising_a_threshold_never_adds_a_finding(risks, knob, amount, as_of):
    data = manifest(*risks)
    before = _severities(findings(data, BOARD, as_of))
    higher = statement_from_data(raised(BOARD.data, knob, amount))
    after = _severities(findings(data, higher, as_of))
    assert set(after) <= set(before)
    assert all(after[key] <= before[key] for key in after)


@PROPERTY
@given(risks_strategy(), st.sampled_from(KNOBS), st.integers(1, 8))
def test_lowering_a_threshold_never_removes_a_finding(risks, knob, amount):
    lower_data = copy.deepcopy(BOARD.data)
    # lower one threshold (and any below it, to keep the levels in order)
    if knob in BOARD.levels:
        names = list(lower_data["levels"])
        new = max(1, lower_data["levels"][knob] - amount)
        for name in names[: names.index(knob) + 1]:
            lower_data["levels"][name] = min(lower_data["levels"][name], new)
    elif knob.endswith("-cap"):
        lower_data["impact_caps"][knob.removesuffix("-cap")] = max(
            1, lower_data["impact_caps"][knob.removesuffix("-cap")] - amount
        )
    elif knob == "capacity":
        lower_data["escalation"]["capacity"] = max(1, 20 - amount)
    elif knob == "max_days":
        lower_data["escalation"]["above_appetite"]["max_days"] = max(1, 180 - amount * 20)
    else:
        lower_data["portfolio"]["max_risks_above_appetite"] = 0
    data = manifest(*risks)
    before = _severities(findings(data, BOARD))
    after = _severities(findings(data, statement_from_data(lower_data)))
    assert set(before) <= set(after)
    assert all(after[key] >= before[key] for key in before)


@PROPERTY
@given(risks_strategy(categories=["security", "information", "legal", "project-programme"]))
def test_an_alias_never_changes_the_result(risks):
    aliases = {
        "security": "cyber",
        "information": "data-and-information",
        "legal": "legal-and-compliance",
        "project-programme": "delivery",
    }
    canonical = manifest(*risks)
    aliased = manifest(*[{**r, "category": aliases[r["category"]]} for r in risks])
    assert keyed(findings(canonical)) == keyed(findings(aliased))


@PROPERTY
@given(risks_strategy())
def test_no_risk_inside_appetite_is_flagged_by_the_scoring_rules(risks):
    for assessment, found in zip(assess_risks(manifest(*risks), DEFAULT, AS_OF), risks, strict=True):
        inside = assessment.known and DEFAULT.tolerates(
            assessment.level, *(found["residual"]["likelihood"], found["residual"]["impact"])
        )
        if inside:
            assert not assessment.breach
    data = manifest(*risks)
    scoring = {"RISK-002", "RISK-006", "RISK-007", "RISK-008", "RISK-011"}
    flagged = {int(f.path.split("/")[2]) for f in findings(data, portfolio=False) if f.rule in scoring}
    for index, assessment in enumerate(assess_risks(data, DEFAULT, AS_OF)):
        if index in flagged:
            assert assessment.breach


# --------------------------------------------------------------------------- the command line


def test_govern_appetite_table_and_grid():
    result = run_cli("appetite", "--no-plugins")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"^security\s+averse\s+4\s+3\s+cyber$", out, re.MULTILINE)
    assert re.search(r"^project-programme\s+open\s+12\s+-\s+delivery$", out, re.MULTILINE)
    assert re.search(r"^L1\s+averse\s+averse\s+averse\s+minimal\s+cautious$", out, re.MULTILINE)
    assert re.search(r"^L5\s+minimal\s+open\s+eager\s+-\s+-$", out, re.MULTILINE)
    assert "govern defaults, not HM Treasury figures" in out
    assert run_cli("appetite", "--no-plugins").stdout == out  # deterministic


def test_govern_appetite_json_markdown_and_currency():
    result = run_cli("appetite", "--format", "json", "--as-of", "2027-06-01", "--no-plugins")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    cells = {(c["likelihood"], c["impact"]): c["level"] for c in report["grid"]}
    assert len(cells) == 25 and cells[(1, 5)] == "cautious" and cells[(1, 4)] == "minimal" and cells[(4, 5)] is None
    assert report["current"] == {  # the bundled example never expires (docs/design/semantics.md 8.7)
        "rule": "RISK-009",
        "current": True,
        "detail": "the bundled example statement does not expire: it is an example, approved by no board",
    }
    board = run_cli("appetite", str(CONTRACT / "rules-default-appetite.yaml"), "--format", "json",
                    "--as-of", "2027-06-01", "--no-plugins")
    assert json.loads(board.stdout)["current"] == {
        "rule": "RISK-009",
        "current": False,
        "detail": "approved on 2026-02-03, more than 12 months before 2027-06-01; "
        "review by 2027-02-03, which has passed at 2027-06-01",
    }
    markdown = run_cli("appetite", "--format", "markdown", "--no-plugins").stdout
    assert "| security " in markdown and "### Likelihood x impact (5 x 5)" in markdown
    bad = run_cli("appetite", "--format", "html", "--no-plugins")
    assert bad.returncode == 2 and "unknown format 'html'" in bad.stderr


def test_govern_appetite_rejects_decreasing_levels_with_a_location(tmp_path):
    write(tmp_path, STATEMENT.replace("  cautious: 9", "  cautious: 5"), "board.yaml")
    result = run_cli("appetite", "board.yaml", "--no-plugins", cwd=tmp_path)
    assert result.returncode == 2
    assert "board.yaml:13:3: invalid RiskAppetite: levels.cautious (5) is below levels.minimal (6)" in result.stderr
    assert "Traceback" not in result.stderr


def check_base_against(tmp_path, statement: str):
    """`govern check` of the compliant base manifest against a statement written in tmp_path, as JSON."""
    base = str(policies_dir() / "examples" / "base.yaml")
    return run_cli("check", base, "--appetite", statement, "--as-of", "2026-11-22", "--format", "json",
                   "--no-plugins", cwd=tmp_path)


def test_check_with_an_appetite_file(tmp_path):
    strict = STATEMENT.replace("technology: cautious", "technology: averse").replace(
        "name: lbx-2026", "name: strict-board"
    )
    write(tmp_path, strict, "strict.yaml")
    result = check_base_against(tmp_path, "strict.yaml")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    got = {(f["rule"], f["severity"], f["path"], f["file"].endswith("strict.yaml")) for f in report["findings"]}
    assert got == {
        ("RISK-002", "error", "/risks/0/residual", False),  # 2 x 3 = 6 > averse 4
        ("RISK-006", "warning", "/risks/0/target", False),
        ("RISK-010", "error", "/portfolio/max_risks_above_appetite", True),
    }
    base = str(policies_dir() / "examples" / "base.yaml")
    clean = run_cli("check", base, "--as-of", "2026-11-22", "--no-plugins", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout


def test_check_with_an_invalid_appetite_file_is_exit_2_located(tmp_path):
    write(tmp_path, STATEMENT.replace("  open: 12", "  open: 8"), "bad.yaml")
    base = str(policies_dir() / "examples" / "base.yaml")
    result = run_cli("check", base, "--appetite", "bad.yaml", "--as-of", "2026-11-22", "--no-plugins", cwd=tmp_path)
    assert result.returncode == 2
    assert re.search(
        r"^bad\.yaml:14:3\s+ERROR\s+GOV-INPUT\s+invalid RiskAppetite: levels\.open \(8\) is below",
        result.stdout,
        re.MULTILINE,
    )
    assert "RISK-" not in result.stdout and "Traceback" not in result.stderr


def test_explain_risk_002_names_the_statement_and_says_defaults(tmp_path):
    result = run_cli("explain", "RISK-002", "--no-plugins")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "statement: govern-example (" in text and "default-appetite.yaml) - the bundled example" in text
    assert "approved by (example — replace with your board's statement)" in text
    assert "averse 4, minimal 6, cautious 9, open 12, eager 16" in text
    assert "govern defaults, not HM Treasury figures" in text
    write(tmp_path, STATEMENT.replace("name: lbx-2026", "name: dwp-2026"), "dwp.yaml")
    own = " ".join(
        run_cli("explain", "RISK-002", "--appetite", "dwp.yaml", "--no-plugins", cwd=tmp_path).stdout.split()
    )
    assert "statement: dwp-2026 (dwp.yaml)" in own and "the statement's own, not HM Treasury figures" in own


def test_check_reports_legacy_level_names_as_info_in_the_statement(tmp_path):
    write(tmp_path, STATEMENT.replace("  minimal: 6", "  minimalist: 6"), "legacy.yaml")
    result = check_base_against(tmp_path, "legacy.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    (found,) = json.loads(result.stdout)["findings"]
    assert (found["rule"], found["severity"], found["file"], found["line"], found["column"], found["path"]) == (
        "APPETITE-LEGACY",
        "info",
        "legacy.yaml",
        12,
        3,
        "/levels/minimalist",
    )
