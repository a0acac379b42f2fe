"""Security pack 2.0.0 in real `govern` runs (docs/design/semantics.md 8.2, 8.5, 8.8 item 4, 8.9 items 10-11).

Every case runs the CLI as a subprocess on a real manifest written from the pack's example base
(a council, cloud hosted, live, processing personal data), so what is checked is what a user
sees: exit code, rule, severity, JSON Pointer, line and message.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from govern.core.loader import load_file
from govern.core.resources import policies_dir
from govern.policy.packs import merge_patch
from govern.testing import run_cli

AS_OF = "2026-11-22"
BASE = load_file(str(policies_dir() / "examples" / "base.yaml")).documents[0].data
DEPARTMENT = load_file(str(policies_dir() / "examples" / "department.yaml")).documents[0].data
AS_LIVE = "retired but still holding data: checked as if live"
SHARING_ENDED = [{"with": "LBX Electoral Registration Office", "agreement": "ISA-2025-007", "ends_on": "2026-06-30"}]
HOLDING = {"metadata": {"phase": "retired"},
           "data": {"disposal": {"scheduled_on": "2027-03-31", "schedule": "RS 4.2"}, "sharing": SHARING_ENDED}}
DISPOSED = {"metadata": {"phase": "retired"},
            "data": {"disposal": {"completed_on": "2026-09-30", "schedule": "RS 4.2",
                                  "sanitisation": {"completed_on": "2026-10-14", "method": "provider-deletion",
                                                   "evidence": "DC-2026-118"}},
                     "sharing": SHARING_ENDED}}
LIVE_LIKE = ("SEC-001", "SEC-002", "SEC-006", "SEC-007")


def patched(patch: dict[str, Any], base: dict[str, Any] = BASE) -> dict[str, Any]:
    return merge_patch(copy.deepcopy(base), patch)


def write(folder: Path, data: dict[str, Any], name: str = "initiative.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def check(folder: Path, data: dict[str, Any], *args: str) -> tuple[int, list[dict[str, Any]]]:
    """Exit code and findings of a real `govern check --format json` of ``data``."""
    path = write(folder, data)
    result = run_cli("check", str(path), "--as-of", AS_OF, "--no-plugins", "--format", "json", *args, cwd=folder)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def of(findings: list[dict[str, Any]], *rules: str) -> list[tuple[str, str, str]]:
    return sorted((f["rule"], f["severity"], f["path"]) for f in findings if f["rule"] in rules)


def line_of(path: Path, key: str) -> int:
    lines = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.lstrip().startswith(f"{key}:")]
    assert len(lines) == 1, lines
    return lines[0]


# -- 8.2 / 8.9 item 11: retired but still holding data ----------------------------------------------


def test_a_retired_system_still_holding_data_without_encryption_fires_sec001(tmp_path):
    data = patched({**HOLDING, "security": {"encryption": {"at_rest": False}}})
    code, findings = check(tmp_path, data)
    assert code == 1
    assert of(findings, *LIVE_LIKE) == [("SEC-001", "error", "/security/encryption/at_rest")]
    (finding,) = [f for f in findings if f["rule"] == "SEC-001"]
    assert finding["message"].endswith(f"({AS_LIVE})")
    assert finding["line"] == line_of(tmp_path / "initiative.yaml", "at_rest")


def test_a_retired_system_whose_disposal_and_sanitisation_completed_has_no_finding(tmp_path):
    gaps = {"encryption": {"at_rest": False}, "mfa": False, "incident_response_plan": False, "logging_monitoring": False}
    code, findings = check(tmp_path, patched({**DISPOSED, "security": gaps}))
    assert of(findings, *LIVE_LIKE) == []
    # the same gaps while the data is still held: every rule of 8.2 checks it as if live
    code, findings = check(tmp_path, patched({**HOLDING, "security": gaps}))
    assert code == 1
    assert {f["rule"] for f in findings if f["rule"] in LIVE_LIKE} == set(LIVE_LIKE)
    assert all(f["message"].endswith(f"({AS_LIVE})") for f in findings if f["rule"] in LIVE_LIKE)


def test_disposal_without_sanitisation_or_dated_after_the_run_still_holds_data(tmp_path):
    unsanitised = {**DISPOSED, "data": {"disposal": {"sanitisation": {"completed_on": None}}}}
    later = {**DISPOSED, "data": {"disposal": {"completed_on": "2026-12-01"}}}
    later_sanitised = {**DISPOSED, "data": {"disposal": {"sanitisation": {"completed_on": "2026-11-23"}}}}
    for patch in (unsanitised, later, later_sanitised):
        data = merge_patch(patched(DISPOSED), {**patch, "security": {"encryption": {"at_rest": False}}})
        code, findings = check(tmp_path, data)
        assert of(findings, "SEC-001") == [("SEC-001", "error", "/security/encryption/at_rest")], patch
    # disposal completed, no sanitisation recorded at all: no longer holding data (8.9 item 11, "where present")
    data = patched({**DISPOSED, "security": {"encryption": {"at_rest": False}}})
    data["data"]["disposal"].pop("sanitisation")
    assert of(check(tmp_path, data)[1], "SEC-001") == []


def test_explain_says_which_rules_check_a_retired_system_as_live():
    for rule in LIVE_LIKE:
        result = run_cli("explain", rule, "--no-plugins")
        assert result.returncode == 0
        assert "retired but still holding data: checked as if live" in result.stdout, rule
    assert "retired but still holding data" not in run_cli("explain", "SEC-004", "--no-plugins").stdout


LOCAL_PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: dept, version: 1.0.0, domain: security}
examples: {base: examples/base.yaml, as_of: 2026-11-22}
rules:
  - id: DEPT-001
    title: Backups recorded
    severity: warning
    accountable: security_lead
    rationale: A retired system still holding data needs its backups known.
    remediation: Record security.backup.
    as_live_while_holding_data: true
    when: {required: [metadata], properties: {metadata: {properties: {phase: {const: live}}}}}
    require: {required: [security], properties: {security: {required: [backup]}}}
    examples:
      pass:
        - {name: base manifest}
        - name: retired and disposed of
          patch: {metadata: {phase: retired}, data: {disposal: {completed_on: 2026-09-30}}, security: {backup: null}}
      fail:
        - {name: no backups, patch: {security: {backup: null}}}
        - name: retired but still holding data
          patch: {metadata: {phase: retired}, data: {disposal: {scheduled_on: 2027-03-31}}, security: {backup: null}}
"""


def test_a_local_pack_can_use_as_live_while_holding_data(tmp_path):
    packs = tmp_path / "packs"
    (packs / "examples").mkdir(parents=True)
    (packs / "dept.yaml").write_text(LOCAL_PACK, encoding="utf-8")
    (packs / "examples" / "base.yaml").write_text((policies_dir() / "examples" / "base.yaml").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    args = ("--policies", str(packs), "--only", "DEPT-001")
    held = patched({**HOLDING, "security": {"backup": None}})
    assert of(check(tmp_path, held, *args)[1], "DEPT-001") == [("DEPT-001", "warning", "/security/backup")]
    gone = patched({**DISPOSED, "security": {"backup": None}})
    assert of(check(tmp_path, gone, *args)[1], "DEPT-001") == []
    tested = run_cli("test", "--no-plugins", "--policies", str(packs), cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "ok   DEPT-001 fail retired but still holding data" in tested.stdout


# -- SEC-002: MFA by account type ----------------------------------------------------------------------


def test_staff_without_mfa_on_a_cloud_service_is_a_warning(tmp_path):
    code, findings = check(tmp_path, patched({"security": {"mfa": {"staff": False}}}))
    assert code == 0  # a warning does not fail the run
    assert of(findings, "SEC-002") == [("SEC-002", "warning", "/security/mfa/staff")]
    (finding,) = [f for f in findings if f["rule"] == "SEC-002"]
    assert "security.mfa.staff is false" in finding["message"]
    assert finding["line"] == line_of(tmp_path / "initiative.yaml", "staff")
    # not recorded on cloud hosting: a warning too; on premises staff are not asked about
    assert of(check(tmp_path, patched({"security": {"mfa": {"staff": None}}}))[1], "SEC-002") == [
        ("SEC-002", "warning", "/security/mfa/staff")]
    on_premises = {"security": {"hosting": {"type": "on-premises"}, "mfa": {"staff": False}}}
    assert of(check(tmp_path, patched(on_premises))[1], "SEC-002") == []


def test_admins_false_or_missing_is_an_error(tmp_path):
    for value in (False, None):
        code, findings = check(tmp_path, patched({"security": {"mfa": {"admins": value}}}))
        assert code == 1
        assert of(findings, "SEC-002") == [("SEC-002", "error", "/security/mfa/admins")]
    code, findings = check(tmp_path, patched({"security": {"mfa": None}}))
    assert of(findings, "SEC-002") == [("SEC-002", "error", "/security/mfa/admins"),
                                        ("SEC-002", "warning", "/security/mfa/staff")]  # users missing: nothing


def test_users_are_risk_based_and_one_login_counts(tmp_path):
    code, findings = check(tmp_path, patched({"security": {"mfa": {"users": False}}}))
    assert code == 0 and of(findings, "SEC-002") == [("SEC-002", "info", "/security/mfa/users")]
    for value in ("one-login", None, True):
        assert of(check(tmp_path, patched({"security": {"mfa": {"users": value}}}))[1], "SEC-002") == [], value
    no_personal_data = {"data": {"personal_data": False}, "security": {"mfa": {"users": False}}}
    assert of(check(tmp_path, patched(no_personal_data))[1], "SEC-002") == []


def test_a_bare_boolean_sets_all_three(tmp_path):
    assert of(check(tmp_path, patched({"security": {"mfa": True}}))[1], "SEC-002") == []
    code, findings = check(tmp_path, patched({"security": {"mfa": False}}))
    assert code == 1
    assert of(findings, "SEC-002") == [("SEC-002", "error", "/security/mfa"), ("SEC-002", "info", "/security/mfa"),
                                        ("SEC-002", "warning", "/security/mfa")]


def test_hosting_without_type_is_a_located_schema_error(tmp_path):
    data = patched({})
    data["security"]["hosting"].pop("type")
    code, findings = check(tmp_path, data)
    assert code == 1
    schema = [f for f in findings if f["rule"] == "GOV-SCHEMA"]
    assert [(f["severity"], f["path"]) for f in schema] == [("error", "/security/hosting/type")]
    assert schema[0]["line"] == line_of(tmp_path / "initiative.yaml", "hosting")
    text = run_cli("check", str(tmp_path / "initiative.yaml"), "--as-of", AS_OF, "--no-plugins", cwd=tmp_path)
    assert "initiative.yaml:" in text.stdout and "security.hosting.type is missing" in text.stdout


def test_users_one_login_is_the_only_text_accepted(tmp_path):
    code, findings = check(tmp_path, patched({"security": {"mfa": {"users": "yes"}}}))
    assert code == 1
    assert [f["path"] for f in findings if f["rule"] == "GOV-SCHEMA"] == ["/security/mfa/users"]


# -- SEC-003: severity by scope ---------------------------------------------------------------------------


def test_a_council_without_ppn_014_assurance_gets_a_warning_not_an_error(tmp_path):
    code, findings = check(tmp_path, patched({"security": {"supplier_assurance": None}}))
    assert code == 0
    assert of(findings, "SEC-003") == [("SEC-003", "warning", "/security/supplier_assurance")]
    assert "assumed scope" not in findings[[f["rule"] for f in findings].index("SEC-003")]["message"]


def test_uk_government_bodies_get_an_error(tmp_path):
    for kind in ("central-government", "arms-length-body"):
        data = patched({"metadata": {"organisation": {"type": kind, "nation": "uk"}}, "security": {"supplier_assurance": None}})
        code, findings = check(tmp_path, data, "--only", "SEC-003")
        assert code == 1 and of(findings, "SEC-003") == [("SEC-003", "error", "/security/supplier_assurance")], kind
    for kind in ("nhs", "police", "devolved-administration", "other"):
        data = patched({"metadata": {"organisation": {"type": kind}}, "security": {"supplier_assurance": None}})
        assert of(check(tmp_path, data, "--only", "SEC-003")[1], "SEC-003") == [
            ("SEC-003", "warning", "/security/supplier_assurance")], kind


def test_no_organisation_type_is_an_error_marked_assumed_and_configuration_decides(tmp_path):
    data = patched({"metadata": {"organisation": None}, "security": {"supplier_assurance": None}})
    code, findings = check(tmp_path, data)
    (finding,) = [f for f in findings if f["rule"] == "SEC-003"]
    assert finding["severity"] == "error" and "assumed scope" in finding["message"]
    (gov013,) = [f for f in findings if f["rule"] == "GOV-013"]
    assert "SEC-003" in gov013["message"]
    (tmp_path / "govern.yaml").write_text("organisation: {type: local-authority, nation: england}\n", encoding="utf-8")
    assert of(check(tmp_path, data)[1], "SEC-003") == [("SEC-003", "warning", "/security/supplier_assurance")]


def test_a_configured_severity_applies_to_every_body(tmp_path):
    (tmp_path / "govern.yaml").write_text("severity: {SEC-003: error}\n", encoding="utf-8")
    data = patched({"security": {"supplier_assurance": None}})
    assert of(check(tmp_path, data)[1], "SEC-003") == [("SEC-003", "error", "/security/supplier_assurance")]


def test_explain_and_rules_show_the_severity_by_scope():
    result = run_cli("explain", "SEC-003", "--no-plugins")
    assert result.returncode == 0
    assert ("severity error for UKG: central-government; arms-length-body (uk, england) "
            "(severity warning for every other body)") in result.stdout
    assert "changed in pack version 2" in result.stdout
    rules = json.loads(run_cli("rules", "--no-plugins", "--format", "json", "--domain", "security").stdout)
    sec003 = next(r for r in rules if r["id"] == "SEC-003")
    assert sec003["severity"] == "warning"
    assert sec003["severity_by_scope"] == [
        {"applies_to": {"scope": ["UKG"]}, "severity": "error"}]
    table = run_cli("rules", "--no-plugins", "--domain", "security").stdout
    assert "warning, error by scope" in table


# -- SEC-005 references -------------------------------------------------------------------------------------


def test_sec005_cites_caf_b4_and_the_gds_way_not_the_14_day_clause():
    text = run_cli("explain", "SEC-005", "--no-plugins").stdout
    assert "B4 System security" in text and "The GDS Way" in text
    assert "https://gds-way.digital.cabinet-office.gov.uk/" in text and "https://www.ncsc.gov.uk/collection/cyber-assessment-framework" in text
    references = text.split("References:")[1].split("Examples:")[0]
    assert "14 days" not in references and "Cyber Essentials" not in references


# -- SEC-006: exercised incident plan -------------------------------------------------------------------


def test_incident_plan_cases(tmp_path):
    path = "/security/incident_response_plan"
    cases = [
        (False, [("SEC-006", "error", path)]),
        (None, [("SEC-006", "error", path)]),
        (True, [("SEC-006", "warning", path)]),
        ({"reference": "IRP-1"}, [("SEC-006", "warning", f"{path}/tested_on")]),
        ({"reference": "IRP-1", "tested_on": "2025-11-21"}, [("SEC-006", "warning", f"{path}/tested_on")]),
        ({"reference": "IRP-1", "tested_on": "2025-11-22"}, []),  # exactly 12 months
        ({"reference": "IRP-1", "tested_on": "2026-12-01"}, [("SEC-006", "warning", f"{path}/tested_on")]),  # not yet
    ]
    for value, expected in cases:
        data = patched({})
        data["security"]["incident_response_plan"] = value
        if value is None:
            del data["security"]["incident_response_plan"]
        code, findings = check(tmp_path, data)
        assert of(findings, "SEC-006") == expected, value
        assert code == (1 if expected and expected[0][1] == "error" else 0), value
    data = patched({"security": {"incident_response_plan": True}})
    (finding,) = [f for f in check(tmp_path, data)[1] if f["rule"] == "SEC-006"]
    assert "not evidenced as exercised" in finding["message"]


def test_the_exercise_interval_is_configurable_and_explained(tmp_path):
    data = patched({"security": {"incident_response_plan": {"tested_on": "2025-06-01"}}})
    (finding,) = [f for f in check(tmp_path, data)[1] if f["rule"] == "SEC-006"]
    assert "more than 12 months" in finding["message"]
    (tmp_path / "govern.yaml").write_text("security: {incident_plan_months: 24}\n", encoding="utf-8")
    assert of(check(tmp_path, data)[1], "SEC-006") == []
    explained = run_cli("explain", "SEC-006", "--no-plugins").stdout
    defaults = explained.split("govern defaults (not a framework's figures):")[1]
    assert "12-month" in defaults and "security.incident_plan_months" in " ".join(defaults.split())


def test_a_bad_interval_in_configuration_is_a_located_error(tmp_path):
    (tmp_path / "govern.yaml").write_text("fail_on: error\nsecurity: {incident_plan_months: 0}\n", encoding="utf-8")
    path = write(tmp_path, patched({}))
    result = run_cli("check", str(path), "--as-of", AS_OF, "--no-plugins", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "govern.yaml:2" in result.stderr + result.stdout


# -- SEC-009: GovAssure, scope UKG ----------------------------------------------------------------------------


def test_sec009_wants_the_independent_review_and_improvement_plan_for_critical_systems(tmp_path):
    caf = {"critical_system": True, "profile": "enhanced", "self_assessed_on": "2026-06-30"}
    code, findings = check(tmp_path, patched({"security": {"caf": caf}}, DEPARTMENT))
    assert of(findings, "SEC-009") == [("SEC-009", "warning", "/security/caf/improvement_plan"),
                                        ("SEC-009", "warning", "/security/caf/independent_review_on")]
    full = {**caf, "independent_review_on": "2026-09-12", "improvement_plan": "CAF-IP-2026"}
    assert of(check(tmp_path, patched({"security": {"caf": full}}, DEPARTMENT))[1], "SEC-009") == []
    # scope UKG: a council's critical system is not bound by GovAssure
    assert of(check(tmp_path, patched({"security": {"caf": caf}}))[1], "SEC-009") == []


# -- the pack ---------------------------------------------------------------------------------------------------


def test_the_pack_is_version_2_and_its_examples_pass():
    pack = yaml.safe_load((policies_dir() / "security.yaml").read_text(encoding="utf-8"))
    assert pack["metadata"]["version"] == "2.0.0"
    changed = {rule["id"] for rule in pack["rules"] if rule.get("changed")}
    assert {"SEC-001", "SEC-002", "SEC-003", "SEC-005", "SEC-006", "SEC-007", "SEC-009"} <= changed
    result = run_cli("test", "--no-plugins")
    assert result.returncode == 0, result.stdout[-2000:]
    for name in ("retired but still holding data, not encrypted at rest", "retired with disposal and sanitisation completed",
                 "tricky: staff without MFA on a cloud service (warning)",
                 "tricky: a council without PPN 014 assurance (warning, not error)"):
        assert name in result.stdout, name
