"""Privacy pack 2.0.0 (docs/design/semantics.md 8.4, 8.8 items 2, 3, 8, 9 and 8.9 items 5, 6).

The tricky cases are real manifests in tests/fixtures/privacy_v2, checked by the real CLI; the
finer points of the DPIA trigger, the review dates and DPA 2018 Part 3 run the rules in process on
base.yaml with one change each.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from govern.core.loader import load_file
from govern.core.model import Context
from govern.plugins.manager import load_plugins
from govern.policy.packs import merge_patch
from govern.run.config import DEFAULTS
from govern.testing import evaluate_manifest, load_rules, run_cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "privacy_v2"
BASE = load_file(str(ROOT / "policies" / "examples" / "base.yaml")).documents[0].data
AS_OF = dt.date(2026, 11, 22)
_, RULES, _, _ = load_rules(no_plugins=True)
BY_ID = {r.id: r for r in RULES}
REGISTRY = load_plugins([], True)
TWO_WP248 = {"privacy": {"dpia": {"screening": {"wp248": ["sensitive-data", "vulnerable-subjects"]}}}}
HR = {"art9": "9(2)(b)", "dpa2018_schedule1": "Part 1 para 1", "appropriate_policy_document": "APD-HR-2025-01"}
NOT_REQUIRED = {"status": "not-required", "completed_on": None, "reviewed_on": None, "reference": None, "review_by": None}


def findings(*patches: dict, rule: str, as_of: dt.date = AS_OF) -> list:
    manifest = BASE
    for patch in patches:
        manifest = merge_patch(manifest, patch)
    ctx = Context(as_of=as_of, config=dict(DEFAULTS), functions=REGISTRY.functions)
    return [f for f in evaluate_manifest(manifest, RULES, ctx) if f.rule == rule]


def check(path: Path, *extra: str, cwd: Path | None = None) -> tuple[int, dict]:
    result = run_cli("check", str(path), "--as-of", "2026-11-22", "--no-plugins", "--format", "json", *extra, cwd=cwd or ROOT)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def rules_in(report: dict) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["severity"]) for f in report["findings"])


def outcome(report: dict, rule: str) -> str:
    (manifest,) = report["manifests"]
    return manifest["outcomes"][rule]


# -- the tricky cases, through the CLI ---------------------------------------------------


def test_a_dpia_completed_before_go_live_passes_and_is_not_stale():
    code, report = check(FIXTURES / "dpia-before-go-live.yaml")
    assert code == 0 and report["findings"] == []
    assert outcome(report, "PRIV-001") == "pass" and outcome(report, "PRIV-003") == "pass"


def test_small_hr_process_screened_not_required_by_the_dpo_with_a_date():
    code, report = check(FIXTURES / "hr-special-category-not-required.yaml")
    assert code == 0 and report["findings"] == []
    assert outcome(report, "PRIV-002") == "pass"
    assert outcome(report, "PRIV-003") == "not-applicable"  # not completed: nothing to review


def test_a_dpia_completed_after_processing_began_is_a_warning():
    code, report = check(FIXTURES / "dpia-after-processing-began.yaml")
    assert code == 0  # a warning does not fail the run
    (finding,) = report["findings"]
    assert (finding["rule"], finding["severity"], finding["path"]) == ("PRIV-001", "warning", "/privacy/dpia/completed_on")
    assert finding["message"].startswith("DPIA completed before processing: completed after processing began")
    assert "2026-02-16" in finding["message"] and "2026-01-12" in finding["message"] and "Art. 35(1)" in finding["message"]


def test_recognised_legitimate_interests_is_a_lawful_basis():
    code, report = check(FIXTURES / "recognised-legitimate-interests.yaml")
    assert code == 0 and report["findings"] == []
    assert outcome(report, "PRIV-004") == "pass" and outcome(report, "PRIV-005") == "pass"


def test_recognised_legitimate_interests_without_its_condition_is_a_priv005_warning(tmp_path):
    text = (FIXTURES / "recognised-legitimate-interests.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "legitimate_interests_justification" not in line]
    (tmp_path / "m.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, report = check(tmp_path / "m.yaml")
    assert code == 0 and rules_in(report) == [("PRIV-005", "warning")]


def test_a_processor_without_art28_terms_is_an_error():
    code, report = check(FIXTURES / "processor-without-art28-terms.yaml")
    assert code == 1
    (finding,) = report["findings"]
    assert (finding["rule"], finding["severity"], finding["path"]) == ("PRIV-015", "error", "/privacy/processors/0/art28_terms")
    assert "UK GDPR Art. 28(3)" in finding["message"]


# -- PRIV-001 trigger (8.4, 8.9 item 6) ---------------------------------------------------


def test_special_category_data_alone_not_at_large_scale_is_not_a_trigger():
    patch = {"data": {"special_category_data": True, "large_scale": False, "special_category_conditions": HR},
             "privacy": {"dpia": {**NOT_REQUIRED, "screening": {"wp248": [], "decided_on": "2025-09-03"}}}}
    assert findings(patch, rule="PRIV-001") == []
    # but as the second WP248 criterion (counted as sensitive-data whether listed or not) it is
    second = {"privacy": {"dpia": {"screening": {"wp248": ["vulnerable-subjects"]}}}}
    (finding,) = findings(patch, second, rule="PRIV-001")
    assert "2 WP248 criteria (sensitive-data, vulnerable-subjects)" in finding.message
    assert "a not-required screening does not settle it" in finding.message


def test_listing_sensitive_data_twice_over_is_still_one_criterion():
    patch = {"data": {"special_category_data": True, "large_scale": False, "special_category_conditions": HR},
             "privacy": {"dpia": {**NOT_REQUIRED, "screening": {"wp248": ["sensitive-data"], "decided_on": "2025-09-03"}}}}
    assert findings(patch, rule="PRIV-001") == []


@pytest.mark.parametrize("kind", ["special_category_data", "criminal_offence_data"])
def test_large_scale_or_missing_large_scale_is_a_trigger_unless_a_dated_decision_says_otherwise(kind):
    conditions = {"special_category_conditions": HR} if kind == "special_category_data" else \
        {"criminal_offence_conditions": {"official_authority": True}}
    data = {"data": {kind: True, **conditions}}
    undated = {"privacy": {"dpia": {**NOT_REQUIRED, "screening": {"wp248": []}}}}
    (missing,) = findings(data, undated, rule="PRIV-001")
    assert "data.large_scale not recorded (counted as large scale" in missing.message and missing.severity == "error"
    dated = {"privacy": {"dpia": {"screening": {"decided_on": "2025-09-03"}}}}
    assert findings(data, undated, dated, rule="PRIV-001") == []
    (large,) = findings(data, undated, dated, {"data": {"large_scale": True}}, rule="PRIV-001")
    assert "on a large scale (Art. 35(3)(b))" in large.message


def test_a_solely_automated_significant_decision_is_a_trigger():
    tool = {"name": "Discount review", "decision_role": "decision-support", "significant_decisions": True,
            "personal_data": True}  # decision support with no oversight recorded counts as solely automated
    (finding,) = findings({"algorithmic_tools": [tool], "privacy": {"dpia": {"status": "in-progress"}}}, rule="PRIV-001")
    assert "Discount review (/algorithmic_tools/0) takes solely automated significant decisions" in finding.message
    overseen = {**tool, "human_oversight": {"reference": "HO-1", "reviewer_can_override": True}}
    assert findings({"algorithmic_tools": [overseen], "privacy": {"dpia": {"status": "in-progress"}}}, rule="PRIV-001") == []


@pytest.mark.parametrize(("phase", "status", "fires"), [
    ("discovery", "not-started", False),
    ("alpha", "not-started", True),
    ("alpha", "in-progress", False),
    ("private-beta", "in-progress", True),
    ("public-beta", "in-progress", True),
    ("beta", "in-progress", True),
    ("live", "in-progress", True),
    ("retired", "in-progress", False),
])
def test_phase_gating_accepts_every_processing_phase(phase, status, fires):
    """The check function itself: private-beta and public-beta join the schema's phase list separately
    (docs/design/semantics.md 8.2), and until then the schema refuses them before any rule runs."""
    from govern.policy.functions.privacy import dpia_required

    patch = {"metadata": {"phase": phase}, "privacy": {"dpia": {"status": status, "screening": {"art35_3": ["b"]}}}}
    manifest = merge_patch(merge_patch(BASE, TWO_WP248), patch)
    ctx = Context(as_of=AS_OF, config=dict(DEFAULTS), functions=REGISTRY.functions)
    assert bool(list(dpia_required(manifest, {}, ctx))) is fires


def test_the_start_of_processing_comes_from_phase_history():
    history = {"metadata": {"phase_history": [{"phase": "alpha", "since": "2024-06-01"},
                                              {"phase": "beta", "since": "2025-04-01"}]}}
    done = {"privacy": {"dpia": {"completed_on": "2025-12-01", "reviewed_on": None}}}  # before live, after beta began
    (late,) = findings(TWO_WP248, history, done, rule="PRIV-001")
    assert late.severity == "warning" and "began on 2025-04-01" in late.message
    early = {"privacy": {"dpia": {"completed_on": "2025-03-20"}}}
    assert findings(TWO_WP248, history, done, early, rule="PRIV-001") == []
    # an entry for the current phase gives way to phase_since (8.8 item 10)
    current = {"metadata": {"phase_history": [{"phase": "live", "since": "2025-01-01"}]}}
    assert findings(TWO_WP248, current, done, rule="PRIV-001") == []


# -- PRIV-002 and PRIV-003 (8.8 items 2-3, 8.9 item 5) ------------------------------------


def test_an_undated_not_required_decision_is_a_priv002_warning_and_nothing_more():
    patch = {"privacy": {"dpia": {**NOT_REQUIRED, "screening": {"wp248": []}}}}
    (finding,) = findings(patch, rule="PRIV-002")
    assert finding.severity == "warning" and finding.path == "/privacy/dpia/screening/decided_on"
    assert finding.message.startswith("DPIA screening recorded: decision not dated")
    assert findings(patch, rule="PRIV-001") == []


def test_priv003_counts_from_the_later_of_completed_on_and_reviewed_on():
    old = {"privacy": {"dpia": {"completed_on": "2024-05-14", "reviewed_on": None, "review_by": None,
                                "screening": {"updated_on": "2024-05-01"}}}}
    (stale,) = findings(old, rule="PRIV-003")
    assert stale.severity == "warning" and stale.path == "/privacy/dpia/completed_on"
    assert findings(old, {"privacy": {"dpia": {"reviewed_on": "2026-01-10"}}}, rule="PRIV-003") == []
    # review_by counts only when after the later date; otherwise that date + 12 months
    before = {"privacy": {"dpia": {"reviewed_on": "2026-01-10", "review_by": "2025-06-01"}}}
    assert findings(old, before, rule="PRIV-003") == []  # 2026-01-10 + 12 months is after as_of
    after = {"privacy": {"dpia": {"reviewed_on": "2025-10-01", "review_by": "2026-10-01"}}}
    (passed,) = findings(old, after, rule="PRIV-003")
    assert passed.path == "/privacy/dpia/review_by"


def test_priv003_error_when_the_screening_changed_after_the_latest_review():
    patch = {"privacy": {"dpia": {"completed_on": "2024-05-14", "reviewed_on": "2026-02-16",
                                  "screening": {"updated_on": "2026-05-04"}}}}
    (error,) = findings(patch, rule="PRIV-003")
    assert error.severity == "error" and "after the DPIA was last reviewed on 2026-02-16" in error.message
    assert findings(patch, {"privacy": {"dpia": {"reviewed_on": "2026-05-04"}}}, rule="PRIV-003") == []


def test_priv003_no_longer_judges_a_dpia_by_the_current_phase():
    patch = {"metadata": {"phase_since": "2026-06-01"},
             "privacy": {"dpia": {"completed_on": "2026-01-10", "reviewed_on": None, "review_by": "2027-01-10",
                                  "screening": {"updated_on": "2026-01-02"}}}}
    assert findings(patch, rule="PRIV-003") == []


# -- PRIV-004 and PRIV-005 (8.4, 8.8 item 9) ----------------------------------------------


def test_public_task_without_legal_power_is_a_warning_of_a_non_waivable_rule():
    (finding,) = findings({"data": {"legal_power": None}}, rule="PRIV-004")
    assert (finding.severity, finding.path) == ("warning", "/data/legal_power") and "Art. 6(3)" in finding.message
    (error,) = findings({"data": {"lawful_basis": None, "legal_power": None}}, rule="PRIV-004")
    assert error.severity == "error"


def test_lawful_bases_are_snake_case():
    (refused,) = findings({"data": {"lawful_basis": "recognised-legitimate-interests"}}, rule="GOV-SCHEMA")
    assert refused.path == "/data/lawful_basis" and "recognised_legitimate_interests" in refused.message
    assert not findings({"data": {"lawful_basis": "recognised_legitimate_interests", "legal_power": None,
                                  "legitimate_interests_justification": "Annex 1 para 3"}}, rule="PRIV-004")


# -- DPA 2018 Part 3 (8.8 item 8) ---------------------------------------------------------

PART3 = {"metadata": {"organisation": {"type": "police", "nation": "england"}},
         "data": {"regime": "dpa-part-3", "part3": {"logging": True}}}


@pytest.mark.parametrize(("rule", "patch", "reference"), [
    ("PRIV-002", {"privacy": {"dpia": {"screening": None}}}, "s.64"),
    ("PRIV-003", {"privacy": {"dpia": {"review_by": "2026-11-01"}}}, "s.64"),
    ("PRIV-009", {**TWO_WP248, "privacy": {**TWO_WP248["privacy"], "dpo_consulted": False}}, "ss.69-71"),
    ("PRIV-010", {"privacy": {"international_transfers": [{"to": "IN", "recipient": "Desk"}]}}, "ss.72-78"),
    ("PRIV-011", {"privacy": {"dpia": {"residual_high_risk": True}}}, "s.65"),
    ("PRIV-015", {"privacy": {"processors": [{"name": "CaseCo", "contract": "C-1", "art28_terms": False}]}}, "s.59"),
])
def test_part3_rules_apply_with_part3_references(rule, patch, reference):
    assert findings(PART3, patch, rule=rule), rule
    assert any(reference in ref.clause for ref in BY_ID[rule].references)
    if rule == "PRIV-015":
        assert "DPA 2018 s.59" in findings(PART3, patch, rule=rule)[0].message


@pytest.mark.parametrize("field", ["special_category_data", "biometric_data", "genetic_data"])
def test_part3_sensitive_processing_includes_biometric_and_genetic_data(field):
    assert findings(PART3, {"data": {field: True}}, rule="PRIV-012")
    assert not findings(PART3, {"data": {field: True, "part3": {
        "logging": True, "sensitive_processing_basis": "consent", "appropriate_policy_document": "APD-1"}}}, rule="PRIV-012")


def test_part4_processing_gets_only_the_priv014_notice():
    found = [f for f in evaluate_manifest(merge_patch(BASE, {"data": {"regime": "dpa-part-4"}}), RULES,
                                          Context(as_of=AS_OF, config=dict(DEFAULTS), functions=REGISTRY.functions))]
    assert sorted({f.rule for f in found if f.rule.startswith("PRIV-")}) == ["PRIV-014"]


# -- PRIV-015 (8.4, section 9 opening list) -----------------------------------------------


def test_priv015_stops_once_the_data_is_disposed_of():
    patch = {"privacy": {"processors": [{"name": "CaseCo", "contract": "C-1", "art28_terms": False}]}}
    assert findings(patch, rule="PRIV-015")
    disposed = {"metadata": {"phase": "retired"}, "data": {"disposal": {"completed_on": "2026-07-01"}}}
    assert findings(patch, disposed, rule="PRIV-015") == []
    pending = {"metadata": {"phase": "retired"}, "data": {"disposal": {"completed_on": "2026-12-01"}}}
    assert findings(patch, pending, rule="PRIV-015")


def test_priv015_contract_in_force():
    contract = {"id": "C-1", "supplier": "CaseCo", "ends_on": "2026-06-01"}
    patch = {"contracts": [contract], "privacy": {"processors": [{"name": "CaseCo", "contract": "C-1", "art28_terms": True}]}}
    (lapsed,) = findings(patch, rule="PRIV-015")
    assert "ended 2026-06-01" in lapsed.message
    assert findings(patch, {"contracts": [{**contract, "ends_on": "2026-11-22"}]}, rule="PRIV-015") == []


@pytest.mark.parametrize("processors", [
    [{"contract": []}],
    [{"name": "CaseCo", "art28_terms": True, "contract": ["C-1"]}],
    [{"name": "CaseCo", "art28_terms": True, "contract": {"id": "C-1"}}],
    ["CaseCo"],
])
def test_odd_processor_entries_never_crash(tmp_path, processors):
    """A list or mapping where a contract reference belongs used to crash COM-002 (unhashable list)."""
    manifest = merge_patch(BASE, {"privacy": {"processors": processors},
                                  "contracts": [{"id": ["C-1"], "supplier": "CaseCo", "ends_on": "2026-01-01"}]})
    path = tmp_path / "m.yaml"
    path.write_text(json.dumps(manifest, default=str), encoding="utf-8")
    code, report = check(path)
    assert code == 1
    rules = {f["rule"] for f in report["findings"]}
    assert "GOV-SCHEMA" in rules and "GOV-ENGINE" not in rules and not any(r.startswith("GOV-CHECK") for r in rules)
    ctx = Context(as_of=AS_OF, config=dict(DEFAULTS), functions=REGISTRY.functions)
    in_process = evaluate_manifest(manifest, RULES, ctx)  # the rules themselves, past the schema
    assert not [f for f in in_process if f.rule.startswith("GOV-") and f.rule != "GOV-SCHEMA"], in_process


# -- the pack says what changed ----------------------------------------------------------


@pytest.mark.parametrize("rule", ["PRIV-001", "PRIV-002", "PRIV-003", "PRIV-004", "PRIV-005", "PRIV-015"])
def test_explain_says_what_changed_in_pack_version_2(rule):
    result = run_cli("explain", rule, "--no-plugins")
    assert result.returncode == 0, result.stderr
    assert "changed in pack version 2:" in result.stdout


def test_pack_versions_are_2():
    code, report = check(FIXTURES / "dpia-before-go-live.yaml")
    versions = {p["name"]: p["version"] for p in report["provenance"]["packs"]}
    assert versions["privacy"] == "2.0.0" and versions["processors"] == "2.0.0" and versions["data"] == "2.0.0"
    result = run_cli("rules", "--no-plugins", "--format", "json")
    listed = {r["id"]: r for r in json.loads(result.stdout)}
    assert listed["PRIV-001"]["waiver_policy"] == "statutory" and listed["DATA-004"]["waivable"] is True
