"""Phases, governance and data sharing as revised in pack version 2 (docs/design/semantics.md 8.2, 8.3, 8.5).

Every test runs the real CLI (``python -m govern``) on real manifest files written from the
built-in example bases: the phase vocabulary (private-beta, public-beta, `beta` read as
private-beta) and what "at least beta" gates, ``phase_history``, GOV-005's decisions, conditions
and retrospective approvals, GOV-006's scope, stages and the `beta` info, GOV-008's two scales,
and DATA-004 as a waivable warning satisfied by an agreement or a legal gateway.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from govern.core import phases
from govern.core.loader import load_file
from govern.core.resources import policies_dir
from govern.policy.packs import merge_patch
from govern.testing import run_cli

EXAMPLES = policies_dir() / "examples"
COUNCIL_BASE = load_file(str(EXAMPLES / "base.yaml")).documents[0].data  # a council, live
DEPARTMENT_BASE = load_file(str(EXAMPLES / "department.yaml")).documents[0].data  # central government, live
AS_OF = ("--as-of", "2026-11-22")
CASES = EXAMPLES / "cases"
ALPHA_MET = {"stage": "alpha", "date": "2024-12-04", "outcome": "met"}
BETA_MET = {"stage": "beta", "date": "2025-12-10", "outcome": "met"}
LIVE_MET = {"stage": "live", "date": "2026-01-05", "outcome": "met"}
BETA_APPROVAL = {"board": "Digital Investment Board", "date": "2025-03-11", "decision": "approved", "phase": "beta"}


def department(patch: dict[str, Any] | None = None) -> dict[str, Any]:
    """The department base (central government, live, in GOV-006's scope) with a merge patch."""
    return merge_patch(copy.deepcopy(DEPARTMENT_BASE), patch or {})


def council(patch: dict[str, Any] | None = None) -> dict[str, Any]:
    return merge_patch(copy.deepcopy(COUNCIL_BASE), patch or {})


def in_beta(phase: str, assessments: list[dict], patch: dict[str, Any] | None = None) -> dict[str, Any]:
    """The department in a beta phase, approved (as `beta`) before it began and with its equality record before that."""
    data = department({
        "metadata": {"phase": phase, "phase_since": "2025-03-17"},
        "accountability": {"approvals": [BETA_APPROVAL]},
        "equality": {"assessed_on": "2025-02-01"},
        "service": {"assessments": assessments},
    })
    return merge_patch(data, patch or {})


def write(folder: Path, data: dict[str, Any], name: str = "m.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def check(path: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_cli("check", path.name, *AS_OF, "--no-plugins", "--format", "json", *args, cwd=path.parent)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def of(findings: list[dict], rule: str) -> list[dict]:
    return [f for f in findings if f["rule"] == rule]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# -- the phase vocabulary and "at least beta" ---------------------------------------------------


def test_the_phase_order_reads_beta_as_private_beta():
    assert phases.ORDER == ("discovery", "alpha", "private-beta", "public-beta", "live")
    for phase in ("private-beta", "public-beta", "beta", "live"):
        assert phases.at_least(phase, "private-beta") and phases.at_least(phase, "beta")
    for phase in ("discovery", "alpha", "retired", "gamma", None):
        assert not phases.at_least(phase, "beta")
    assert phases.at_least("public-beta", "public-beta") and not phases.at_least("beta", "public-beta")
    assert phases.covers("beta", "private-beta") and phases.covers("beta", "public-beta")
    assert phases.covers("private-beta", "beta") and not phases.covers("private-beta", "public-beta")


@pytest.mark.parametrize("phase, fires", [("alpha", False), ("private-beta", True), ("public-beta", True),
                                          ("beta", True), ("live", True)])
def test_a_duty_from_beta_binds_private_and_public_beta(tmp_path, phase, fires):
    """ACC-002 (accessibility statement) applies from beta: its `when` lists every beta phase."""
    data = council({"metadata": {"phase": phase}, "accessibility": {"statement_url": None}})
    _, findings = check(write(tmp_path, data), "--only", "ACC-002")
    assert bool(of(findings, "ACC-002")) is fires


@pytest.mark.parametrize("phase", ["private-beta", "public-beta", "beta"])
def test_every_phase_of_the_vocabulary_is_valid_and_an_unknown_one_is_located(tmp_path, phase):
    _, findings = check(write(tmp_path, council({"metadata": {"phase": phase}})))
    assert of(findings, "GOV-SCHEMA") == []
    path = write(tmp_path, council({"metadata": {"phase": "gamma"}}), "gamma.yaml")
    code, findings = check(path)
    [schema] = of(findings, "GOV-SCHEMA")
    assert code == 1 and schema["path"] == "/metadata/phase" and schema["line"] == line_of(path, "phase: gamma")


def test_phase_history_entries_need_a_phase_and_a_date(tmp_path):
    path = write(tmp_path, council({"metadata": {"phase_history": [{"phase": "alpha"}]}}))
    code, findings = check(path)
    [schema] = of(findings, "GOV-SCHEMA")
    assert code == 1 and schema["path"].startswith("/metadata/phase_history/0")
    assert schema["line"] == line_of(path, "- phase: alpha")


@pytest.mark.parametrize("phase", ["private-beta", "public-beta"])
def test_init_writes_a_skeleton_in_the_new_phases(tmp_path, phase):
    result = run_cli("init", "--phase", phase, "--organisation", "central-government", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert data["metadata"]["phase"] == phase and f"phase: {phase}}}" in result.stdout
    refused = run_cli("init", "--phase", "gamma", cwd=tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and "private-beta" in refused.stderr


# -- GOV-005 --------------------------------------------------------------------------------------


def test_gov005_approved_with_conditions_counts_and_an_overdue_condition_is_a_warning():
    code, findings = check(CASES / "gov-005-overdue-condition.yaml")
    [finding] = of(findings, "GOV-005")
    path = CASES / "gov-005-overdue-condition.yaml"
    assert finding["severity"] == "warning" and finding["path"] == "/accountability/approvals/1/conditions/1"
    assert finding["line"] == line_of(path, "condition: Close the two high findings")
    assert "was due 2026-06-30 and is not met" in finding["message"]
    assert code == 0  # a warning: the live phase is approved


def test_gov005_a_condition_met_or_not_yet_due_gives_nothing(tmp_path):
    conditions = [{"condition": "Publish the dashboard", "due": "2026-04-30", "met": True},
                  {"condition": "Close the assessment's actions", "due": "2026-12-31", "met": False}]
    approvals = [{**BETA_APPROVAL, "phase": "live", "date": "2026-01-06", "decision": "approved-with-conditions",
                  "conditions": conditions}]
    _, findings = check(write(tmp_path, council({"accountability": {"approvals": approvals}})), "--only", "GOV-005")
    assert findings == []


def test_gov005_an_approval_after_the_phase_began_is_retrospective():
    path = CASES / "gov-005-retrospective-approval.yaml"
    _, findings = check(path)
    [finding] = of(findings, "GOV-005")
    assert finding["severity"] == "warning" and finding["path"] == "/accountability/approvals/1/date"
    assert "retrospective approval" in finding["message"] and "2026-01-12" in finding["message"]


def test_gov005_a_history_entry_for_the_current_phase_is_ignored_for_phase_since(tmp_path):
    """Live since 2026-01-12 (phase_since), approved 2026-01-06: a history entry saying live began earlier changes nothing."""
    data = council({"metadata": {"phase_history": [{"phase": "alpha", "since": "2024-06-03"},
                                                   {"phase": "live", "since": "2025-12-01"}]}})
    _, findings = check(write(tmp_path, data), "--only", "GOV-005")
    assert findings == []


def test_gov005_an_approval_dated_after_the_run_date_does_not_count(tmp_path):
    approvals = [{**BETA_APPROVAL, "phase": "live", "date": "2026-12-01"}]
    path = write(tmp_path, council({"accountability": {"approvals": approvals}}))
    code, findings = check(path, "--only", "GOV-005")
    [finding] = findings
    assert code == 1 and finding["severity"] == "error" and "after 2026-11-22" in finding["message"]


def test_gov005_no_approval_at_all_stays_an_error(tmp_path):
    code, findings = check(write(tmp_path, council({"accountability": {"approvals": []}})), "--only", "GOV-005")
    assert code == 1 and [f["severity"] for f in findings] == ["error"]


@pytest.mark.parametrize("phase", ["private-beta", "public-beta"])
def test_gov005_an_approval_of_beta_covers_private_and_public_beta(tmp_path, phase):
    data = council({"metadata": {"phase": phase, "phase_since": "2025-03-17"},
                    "accountability": {"approvals": [BETA_APPROVAL]}})
    _, findings = check(write(tmp_path, data), "--only", "GOV-005")
    assert findings == []


def test_gov005_a_private_beta_approval_does_not_cover_public_beta(tmp_path):
    data = council({"metadata": {"phase": "public-beta", "phase_since": "2025-06-02"},
                    "accountability": {"approvals": [{**BETA_APPROVAL, "phase": "private-beta"}]}})
    code, findings = check(write(tmp_path, data), "--only", "GOV-005")
    assert code == 1 and "no approval is recorded for the public-beta phase" in findings[0]["message"]


def test_gov005_the_old_conditional_decision_is_a_located_schema_error(tmp_path):
    approvals = [{**BETA_APPROVAL, "phase": "live", "date": "2026-01-06", "decision": "conditional"}]
    path = write(tmp_path, council({"accountability": {"approvals": approvals}}))
    code, findings = check(path)
    [schema] = of(findings, "GOV-SCHEMA")
    assert code == 1 and schema["path"] == "/accountability/approvals/0/decision"
    assert schema["line"] == line_of(path, "decision: conditional")


# -- GOV-006 --------------------------------------------------------------------------------------


def test_gov006_a_councils_live_service_without_a_gds_assessment_has_no_finding():
    code, findings = check(CASES / "gov-006-council-live-without-gds-assessment.yaml")
    assert code == 0 and of(findings, "GOV-006") == []


@pytest.mark.parametrize("phase, assessments, missing", [
    ("private-beta", [ALPHA_MET], []),
    ("private-beta", [], ["no service assessment"]),
    ("public-beta", [ALPHA_MET, BETA_MET], []),
    ("public-beta", [ALPHA_MET], ["no beta assessment"]),
    ("public-beta", [{**BETA_MET, "outcome": "not-met"}], ["no alpha assessment", "beta assessment of 2025-12-10 was not met"]),
])
def test_gov006_each_beta_phase_needs_its_assessments(tmp_path, phase, assessments, missing):
    _, findings = check(write(tmp_path, in_beta(phase, assessments)), "--only", "GOV-006")
    assert len(findings) == len(missing)
    for finding, text in zip(findings, missing):
        assert finding["severity"] == "error" and text in finding["message"]


def test_gov006_live_needs_the_live_assessment_not_the_beta_one(tmp_path):
    code, findings = check(write(tmp_path, department({"service": {"assessments": [ALPHA_MET, BETA_MET]}})),
                           "--only", "GOV-006")
    [finding] = findings
    assert code == 1 and "no live assessment is recorded" in finding["message"]
    _, findings = check(write(tmp_path, department({"service": {"assessments": [ALPHA_MET, BETA_MET, LIVE_MET]}}), "ok.yaml"),
                        "--only", "GOV-006")
    assert findings == []


def test_gov006_beta_is_checked_as_private_beta_with_an_info(tmp_path):
    path = CASES / "gov-006-beta-is-info.yaml"
    code, findings = check(path)
    [info] = of(findings, "GOV-006")
    assert code == 0 and info["severity"] == "info" and info["path"] == "/metadata/phase"
    assert "say private-beta or public-beta" in info["message"] and info["line"] == line_of(path, "phase: beta")
    # `beta` gates as private-beta: without the alpha assessment it is an error as well as the info
    _, findings = check(write(tmp_path, in_beta("beta", [])), "--only", "GOV-006")
    assert sorted(f["severity"] for f in findings) == ["error", "info"]


@pytest.mark.parametrize("patch", [
    {"metadata": {"organisation": {"type": "local-authority", "nation": "england"}}},
    {"service": {"transactional": False}},
    {"service": {"public_facing": False}},
], ids=["a council", "not transactional", "internal service"])
def test_gov006_the_beta_info_appears_only_where_gov006_applies(tmp_path, patch):
    _, findings = check(write(tmp_path, in_beta("beta", [ALPHA_MET], patch)), "--only", "GOV-006")
    assert findings == []


def test_gov006_is_scoped_to_uk_government_bodies(tmp_path):
    result = run_cli("rules", "--only", "GOV-006", "--format", "json", "--no-plugins", cwd=tmp_path)
    [rule] = [r for r in json.loads(result.stdout) if r.get("id") == "GOV-006"]
    assert rule["applies_to"] == {"scope": ["UKG"]}  # central government, and ALBs in England or UK-wide
    assert any(ref.get("url") == "https://www.gov.uk/service-manual/service-assessments" for ref in rule["references"])
    alb = in_beta("private-beta", [], {"metadata": {"organisation": {"type": "arms-length-body", "nation": "uk"}}})
    _, findings = check(write(tmp_path, alb), "--only", "GOV-006")
    assert [f["severity"] for f in findings] == ["error"]


# -- GOV-008 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("confidence, scale", [
    ({"rating": "red"}, "IPA three-point scale: red, amber, green"),
    ({"rating": "red", "scale": "five-point"}, "five-point scale"),
    ({"rating": "amber-red"}, "five-point scale"),
])
def test_gov008_shows_the_scale_in_use(tmp_path, confidence, scale):
    data = council({"governance": {"delivery_confidence": {**confidence, "assessed_on": "2026-09-30", "recovery_plan": None}}})
    _, findings = check(write(tmp_path, data), "--only", "GOV-008")
    [finding] = findings
    assert finding["path"] == "/governance/delivery_confidence/recovery_plan" and scale in finding["message"]


def test_gov008_amber_on_the_three_point_scale_needs_no_plan_and_amber_red_is_not_on_it(tmp_path):
    amber = council({"governance": {"delivery_confidence": {"rating": "amber", "scale": "three-point", "recovery_plan": None}}})
    _, findings = check(write(tmp_path, amber), "--only", "GOV-008")
    assert findings == []
    mixed = council({"governance": {"delivery_confidence": {"rating": "amber-red", "scale": "three-point"}}})
    path = write(tmp_path, mixed, "mixed.yaml")
    code, findings = check(path)
    [schema] = of(findings, "GOV-SCHEMA")
    assert code == 1 and schema["path"].startswith("/governance/delivery_confidence")


# -- DATA-004 -------------------------------------------------------------------------------------


def test_data004_a_statutory_disclosure_under_a_legal_gateway_has_no_finding():
    code, findings = check(CASES / "data-004-statutory-disclosure-under-legal-gateway.yaml")
    assert code == 0 and of(findings, "DATA-004") == []


def test_data004_sharing_without_agreement_or_gateway_is_a_waivable_warning(tmp_path):
    data = council({"data": {"sharing": [{"with": "Valuation Office Agency"}]}})
    path = write(tmp_path, data)
    code, findings = check(path, "--only", "DATA-004")
    [finding] = findings
    assert code == 0 and finding["severity"] == "warning" and finding["path"] == "/data/sharing/0/agreement"
    cited = {ref.get("clause") for ref in finding["references"]}
    assert "Art. 5(2) (accountability)" in cited and not any("Art. 26" in (c or "") for c in cited)
    assert "statutory" not in json.dumps(finding).lower().replace("statutory power", "")
    (tmp_path / "waivers.yaml").write_text(
        "apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
        "  - initiative: LBX-2025-008\n    rule: DATA-004\n    justification: Agreement in signature, disclosure paused\n"
        "    approved_by: {name: Digital Investment Board}\n    approved_on: 2026-03-01\n    expires: 2027-03-01\n",
        encoding="utf-8")
    code, findings = check(path, "--only", "DATA-004", "--waivers", "waivers.yaml")
    [waived] = findings
    assert code == 0 and waived["status"] == "waived" and waived["waiver"]["status"] == "live"


def test_data004_a_joint_controller_needs_an_arrangement_and_only_then_art26_is_cited(tmp_path):
    data = council({"data": {"sharing": [{"with": "LBX Public Health", "agreement": "ISA-2026-003", "joint_controller": True}]}})
    path = write(tmp_path, data)
    code, findings = check(path, "--only", "DATA-004")
    [finding] = findings
    assert code == 1 and finding["severity"] == "error" and finding["path"] == "/data/sharing/0/arrangement"
    art26 = [ref for ref in finding["references"] if "Art. 26" in (ref.get("clause") or "")]
    assert art26 and art26[0]["url"] == "https://www.legislation.gov.uk/eur/2016/679/article/26"
    data["data"]["sharing"][0]["arrangement"] = "JCA-2026-002"
    _, findings = check(write(tmp_path, data, "ok.yaml"), "--only", "DATA-004")
    assert findings == []


def test_data004_explain_says_what_changed_and_is_not_statutory(tmp_path):
    result = run_cli("explain", "DATA-004", "--no-plugins", cwd=tmp_path)
    assert result.returncode == 0
    assert "changed in pack version 2" in result.stdout and "waivable: yes" in result.stdout
    assert "statutory duty" not in result.stdout
    rules = json.loads(run_cli("rules", "--only", "DATA-004", "--format", "json", "--no-plugins", cwd=tmp_path).stdout)
    [rule] = [r for r in rules if r.get("id") == "DATA-004"]
    assert rule["waivable"] is True and rule.get("waiver_policy") is None
