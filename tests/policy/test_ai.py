"""AI and algorithmic tools (AI-001..006) and the date-versioned law of docs/reference/rule-families.md 9.3 (issue 16 item 3)."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from families_support import COUNCIL, findings, manifest

from govern.testing import run_cli

TOOL = {
    "name": "Residents' parking permit eligibility check", "introduced_on": "2025-10-01", "public_effect": True,
    "interacts_with_public": False, "decision_role": "solely-automated", "significant_decisions": True,
    "personal_data": True, "special_category_data": False,
    "human_oversight": {"reference": "HO-1", "reviewer_can_override": True},
    "adm_safeguards": {"informed": True, "representations": True, "human_intervention": True, "contest": True},
    "bias_testing": {"completed_on": "2026-01-10", "reference": "BT-1"}, "dpia_assessed_on": "2025-09-01",
    "atrs": {"status": "not-started"},
}


def ai(data, as_of):
    return sorted((f.rule, f.severity) for f in findings(data, as_of=as_of) if f.rule.startswith("AI-"))


def test_the_law_moved_on_5_february_2026():
    permits = manifest({"algorithmic_tools": [TOOL]}, base=COUNCIL)
    assert ai(permits, dt.date(2026, 1, 15)) == [("AI-002", "error")]  # old Art. 22(2): no ground recorded
    assert ai(permits, dt.date(2026, 3, 1)) == []  # Arts 22A-22C: permitted with the four safeguards


def test_references_follow_as_of_in_a_real_run(tmp_path):
    tool = {**TOOL, "adm_safeguards": {**TOOL["adm_safeguards"], "contest": False}}
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(manifest({"algorithmic_tools": [tool]}, base=COUNCIL)), encoding="utf-8")

    def clauses(as_of: str) -> list[str]:
        result = run_cli("check", "m.yaml", "--as-of", as_of, "--only", "AI-002", "--format", "json", "--no-plugins", cwd=tmp_path)
        finding = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "AI-002"][0]
        return [ref.get("clause", "") for ref in finding["references"]]

    before, after = clauses("2026-01-15"), clauses("2026-03-01")
    assert any("Art. 22(1)-(3)" in c for c in before) and not any("22C" in c for c in before)
    assert any("Art. 22C" in c for c in after) and not any("Art. 22(1)" in c for c in after)


def test_decision_support_in_name_only_is_judged_as_solely_automated():
    tool = {**TOOL, "decision_role": "decision-support", "special_category_data": True,
            "human_oversight": {"reference": "HO-1", "reviewer_can_override": False},
            "adm_safeguards": {"informed": False, "representations": False, "human_intervention": False, "contest": False},
            "atrs": {"status": "published", "url": "https://www.gov.uk/atrs/x"}}
    alb = manifest({"metadata": {"organisation": {"type": "arms-length-body", "nation": "uk"}}, "algorithmic_tools": [tool]})
    got = ai(alb, dt.date(2026, 11, 22))
    assert ("AI-002", "error") in got and ("AI-003", "error") in got and ("AI-004", "warning") in got
    fixed = manifest({"algorithmic_tools": [{**tool, "human_oversight": {"reference": "HO-1", "reviewer_can_override": True}}]}, base=alb)
    assert ai(fixed, dt.date(2026, 11, 22)) == []


def test_explain_shows_when_each_reference_is_the_law():
    out = run_cli("explain", "AI-002").stdout
    assert "(from 2026-02-05)" in out and "(before 2026-02-05)" in out
