"""Behaviour of the security and accessibility packs beyond their examples.

The examples (tests/policy/test_packs.py) prove each rule fires alone; these tests pin
what the examples cannot: severities within one rule, locations in a real file,
YAML 1.2 typing, period boundaries and robustness on odd data.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.core.engine import evaluate
from govern.policy.functions.accessibility import meets, parse_target
from govern.core.loader import Document, load_file
from govern.policy.packs import merge_patch
from govern.core.resources import policies_dir
from govern.testing import evaluate_manifest, load_rules, run_cli

AS_OF = dt.date(2026, 11, 22)
_, ALL_RULES, CTX_FOR, _ERRORS = load_rules(no_plugins=True)
RULES = {rule.id: rule for rule in ALL_RULES}
OURS = sorted(r for r in RULES if r.startswith(("SEC-", "ACC-")) and RULES[r].pack in ("security", "accessibility"))
BASE = load_file(str(policies_dir() / "examples" / "base.yaml")).documents[0].data


def manifest(patch: dict[str, Any] | None = None) -> dict[str, Any]:
    return merge_patch(BASE, patch or {})


def found(patch: dict[str, Any] | None, rule_id: str, as_of: dt.date = AS_OF) -> list[tuple[str, str]]:
    """(severity, path) of ``rule_id``'s findings on base + patch."""
    findings = evaluate_manifest(manifest(patch), ALL_RULES, CTX_FOR(as_of))
    return sorted((f.severity, f.path) for f in findings if f.rule == rule_id)


def outcome(data: dict[str, Any], rule_id: str) -> str:
    doc = Document("<test>", 0, data, {"": (1, 1)})
    return evaluate(doc, [RULES[rule_id]], CTX_FOR(AS_OF)).outcomes[rule_id]


def write(
    tmp_path: Path, data: dict[str, Any], name: str = "initiative.yaml", replace: tuple[str, str] | None = None
) -> Path:
    text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True)
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1])
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def key_position(path: Path, key: str) -> tuple[int, int]:
    """Line and column (1-based) of the only ``key:`` in the file."""
    hits = [
        (number, line.index(f"{key}:") + 1)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(f"{key}:")
    ]
    assert len(hits) == 1, hits
    return hits[0]


def check_json(tmp_path: Path, *args: str):
    """Run ``govern check`` for real; the report keeps only findings located in tmp_path's manifests."""
    result = run_cli("check", *args, "--as-of", AS_OF.isoformat(), "--no-plugins", "--format", "json", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    names = {p.name for p in tmp_path.iterdir()}
    report["findings"] = [f for f in report["findings"] if Path(f["file"]).name in names]
    return result, report


# -- real `govern check` runs ---------------------------------------------------------------------


def test_sec005_critical_is_an_error_and_high_a_warning_each_at_its_own_key(tmp_path):
    path = write(tmp_path, manifest({"security": {"penetration_test": {"open_critical": 1, "open_high": 3}}}))
    result, report = check_json(tmp_path, str(path), "--only", "SEC-005")
    assert result.returncode == 1, result.stderr
    got = {f["path"]: (f["severity"], f["line"], f["column"]) for f in report["findings"] if f["rule"] == "SEC-005"}
    assert got == {
        "/security/penetration_test/open_critical": ("error", *key_position(path, "open_critical")),
        "/security/penetration_test/open_high": ("warning", *key_position(path, "open_high")),
    }
    messages = sorted(f["message"] for f in report["findings"] if f["rule"] == "SEC-005")
    assert "1 critical finding is still open" in messages[0] and "3 high findings are still open" in messages[1]


def test_sec005_open_highs_alone_do_not_fail_the_run(tmp_path):
    path = write(tmp_path, manifest({"security": {"penetration_test": {"open_high": 2}}}))
    result, report = check_json(tmp_path, str(path), "--only", "SEC-005")
    assert [f["severity"] for f in report["findings"]] == ["warning"]
    assert result.returncode == 0


def test_bare_true_mfa_satisfies_sec002(tmp_path):
    path = write(tmp_path, manifest({"security": {"mfa": True}}))
    assert "  mfa: true\n" in path.read_text(encoding="utf-8")
    result, report = check_json(tmp_path, str(path), "--only", "security")
    assert result.returncode == 0, result.stdout
    assert [f["rule"] for f in report["findings"]] == []
    assert report["manifests"][0]["outcomes"]["SEC-002"] == "pass"


def test_mfa_yes_is_a_string_and_a_schema_error(tmp_path):
    """YAML 1.2: only true/false are booleans, so `mfa: yes` is the string "yes"."""
    path = write(tmp_path, manifest({"security": {"mfa": True}}), replace=("  mfa: true\n", "  mfa: yes\n"))
    result, report = check_json(tmp_path, str(path), "--only", "SEC-002")
    assert result.returncode == 1
    line, column = key_position(path, "mfa")
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert set(by_rule) == {"GOV-SCHEMA"}  # one root cause, one finding: SEC-002 adds none about the same value
    finding = by_rule["GOV-SCHEMA"]
    assert (finding["severity"], finding["path"], finding["line"], finding["column"]) == (
        "error", "/security/mfa", line, column,
    )
    assert "'yes'" in finding["message"]
    assert report["manifests"][0]["outcomes"]["SEC-002"] != "pass"  # never a pass on a refused value


def test_acc001_warns_for_21_aa_and_errors_for_20_aa(tmp_path):
    write(tmp_path, manifest({"metadata": {"id": "LBX-T-021"}, "accessibility": {"wcag_target": "2.1-AA"}}), "a21.yaml")
    write(tmp_path, manifest({"metadata": {"id": "LBX-T-020"}, "accessibility": {"wcag_target": "2.0-AA"}}), "a20.yaml")
    result, report = check_json(tmp_path, ".", "--only", "ACC-001")
    assert result.returncode == 1
    got = sorted((Path(f["file"]).name, f["severity"], f["path"]) for f in report["findings"])
    assert got == [
        ("a20.yaml", "error", "/accessibility/wcag_target"),
        ("a21.yaml", "warning", "/accessibility/wcag_target"),
    ]
    line, column = key_position(tmp_path / "a21.yaml", "wcag_target")
    warning = next(f for f in report["findings"] if f["file"].endswith("a21.yaml"))
    assert (warning["line"], warning["column"]) == (line, column)
    # the warning alone does not fail a run at the default --fail-on error
    alone, _ = check_json(tmp_path, "a21.yaml", "--only", "ACC-001")
    assert alone.returncode == 0


def test_a_waiver_cannot_remove_the_statutory_accessibility_statement_duty(tmp_path):
    """Tricky case (docs/design/semantics.md): a waived legal duty. ACC-002 is `waivable: false`, so a board's waiver is refused."""
    path = write(tmp_path, manifest({"accessibility": {"statement_url": None}}))
    (tmp_path / "waivers.yaml").write_text(
        "apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
        "  - initiative: LBX-2025-008\n    rule: ACC-002\n    justification: Statement being drafted\n"
        "    approved_by: {name: Chief Digital Officer}\n    approved_on: 2026-11-01\n    expires: 2026-12-31\n",
        encoding="utf-8",
    )
    result, report = check_json(tmp_path, str(path), "--only", "ACC-002", "--waivers", "waivers.yaml")
    assert result.returncode == 1
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert set(by_rule) == {"ACC-002", "WAIVER-REFUSED"}
    assert by_rule["ACC-002"]["status"] == "open" and by_rule["ACC-002"]["severity"] == "error"
    assert by_rule["ACC-002"]["waiver"]["status"] == "refused"


def test_explain_names_govern_defaults_and_statutory_rules():
    sec004 = run_cli("explain", "SEC-004")
    assert sec004.returncode == 0, sec004.stderr
    assert "govern defaults" in sec004.stdout and "12-month" in sec004.stdout
    acc002 = run_cli("explain", "ACC-002")
    assert acc002.returncode == 0
    assert "waivable: no" in acc002.stdout


# -- security ----------------------------------------------------------------------------------


def test_sec002_admin_and_user_mfa_are_separate_findings_with_their_own_severities():
    patch = {"security": {"mfa": {"admins": False, "users": False}}}
    # version 2: the public without MFA where personal data is processed is an info (risk-based), whoever the users are
    assert found(patch, "SEC-002") == [("error", "/security/mfa/admins"), ("info", "/security/mfa/users")]
    assert found({**patch, "data": {"personal_data": False}}, "SEC-002") == [("error", "/security/mfa/admins")]
    assert found({"security": {"mfa": {"users": False}}, "data": {"personal_data": False}}, "SEC-002") == []


def test_sec002_bare_false_fails_every_account_type():
    assert found({"security": {"mfa": False}}, "SEC-002") == [
        ("error", "/security/mfa"), ("info", "/security/mfa"), ("warning", "/security/mfa")]


@pytest.mark.parametrize(
    ("patch", "applies"),
    [
        ({}, True),  # cloud hosting and a processor
        ({"security": {"hosting": {"type": "on-premises"}}, "privacy": {"processors": None}}, False),
        ({"security": {"hosting": {"type": "on-premises"}}}, True),  # a processor is enough
        ({"security": {"hosting": {"type": "third-party-managed"}}, "privacy": {"processors": None}}, True),
        ({"privacy": {"processors": []}, "security": {"hosting": {"type": "on-premises"}}}, False),  # empty = none
        ({"data": {"personal_data": False}}, True),  # still OFFICIAL
        ({"data": {"personal_data": False, "classification": "SECRET"}}, False),
    ],
)
def test_sec003_applies_to_third_parties_handling_personal_or_official_data(patch, applies):
    assert outcome(manifest(patch), "SEC-003") == ("pass" if applies else "not-applicable")


@pytest.mark.parametrize(
    ("assurance", "expected"),
    [
        ({"certificate_expires": "2026-11-22"}, []),
        ({"certificate_expires": "2026-11-21"}, [("warning", "/security/supplier_assurance/certificate_expires")]),
        ({"certificate_expires": None}, [("warning", "/security/supplier_assurance/certificate_expires")]),
        ("cyber-essentials", [("warning", "/security/supplier_assurance")]),
        ("iso-27001", [("warning", "/security/supplier_assurance"), ("warning", "/security/supplier_assurance")]),
        ({"scheme": None}, [("warning", "/security/supplier_assurance/scheme")]),
    ],
)
def test_sec003_scheme_and_certificate_expiry(assurance, expected):
    # the base manifest is a council: PPN 014 does not bind it, so a gap is a warning (version 2)
    assert found({"security": {"supplier_assurance": assurance}}, "SEC-003") == expected
    central = {"metadata": {"organisation": {"type": "central-government", "nation": "uk"}}}
    assert found({**central, "security": {"supplier_assurance": assurance}}, "SEC-003") == [
        ("error", path) for _, path in expected]


def test_sec003_reports_the_expired_date_against_the_run_date():
    findings = evaluate_manifest(
        manifest({"security": {"supplier_assurance": {"certificate_expires": "2026-08-31"}}}), ALL_RULES, CTX_FOR(AS_OF)
    )
    (finding,) = [f for f in findings if f.rule == "SEC-003"]
    assert "expired on 2026-08-31, before 2026-11-22" in finding.message
    assert (finding.accountable.role, finding.accountable.name) == ("security_lead", "Tomasz Nowak")


def test_sec004_never_tested_is_an_error_and_stale_or_outrun_tests_are_warnings():
    path = "/security/penetration_test/completed_on"
    assert found({"security": {"penetration_test": None}}, "SEC-004") == [("error", path)]
    assert found({"security": {"penetration_test": {"completed_on": None}}}, "SEC-004") == [("error", path)]
    assert found({"security": {"penetration_test": {"completed_on": "2025-11-21"}}}, "SEC-004") == [("warning", path)]
    assert found({"security": {"penetration_test": {"completed_on": "2025-11-22"}}}, "SEC-004") == []
    # Tricky case (docs/design/semantics.md): a recent test that predates a significant change is still stale
    assert found({"security": {"last_significant_change": "2026-09-01"}}, "SEC-004") == [("warning", path)]
    assert found({"security": {"last_significant_change": "2026-03-08"}}, "SEC-004") == []


def test_sec004_counts_calendar_months_from_a_leap_day():
    patch = {"security": {"penetration_test": {"completed_on": "2024-02-29"}}}
    assert found(patch, "SEC-004", as_of=dt.date(2025, 2, 28)) == []
    stale = [("warning", "/security/penetration_test/completed_on")]
    assert found(patch, "SEC-004", as_of=dt.date(2025, 3, 1)) == stale


DISPOSED = {"disposal": {"completed_on": "2026-09-30", "sanitisation": {"completed_on": "2026-10-14"}}}


@pytest.mark.parametrize("phase", ["discovery", "alpha", "retired"])
def test_phase_gated_security_rules_do_not_apply_before_beta_or_when_retired(phase):
    # a retired initiative only once its data is disposed of and its storage sanitised (version 2:
    # tests/policy/test_security_v2.py has the retired system still holding data)
    data = manifest({"metadata": {"phase": phase}, "security": {"penetration_test": None}, "data": DISPOSED})
    for rule_id in ("SEC-002", "SEC-004", "SEC-006", "SEC-007"):
        assert outcome(data, rule_id) == "not-applicable", rule_id


def test_sec006_accepts_a_plan_object_with_exists_true():
    plan = {"exists": True, "reference": "IRP-1", "tested_on": "2026-05-14"}
    assert found({"security": {"incident_response_plan": plan}}, "SEC-006") == []
    # version 2: a plan without tested_on exists but is not evidenced as exercised (a warning, not an error)
    assert found({"security": {"incident_response_plan": {"reference": "IRP-1", "tested_on": None}}}, "SEC-006") == [
        ("warning", "/security/incident_response_plan/tested_on")
    ]


def test_sec009_is_owned_by_the_siro():
    # GovAssure binds central government; the base manifest is a council
    data = manifest({"metadata": {"organisation": {"type": "central-government", "nation": "uk"}},
                     "security": {"caf": {"critical_system": True}}})
    findings = evaluate_manifest(data, ALL_RULES, CTX_FOR(AS_OF))
    own = [f for f in findings if f.rule == "SEC-009"]
    assert {(f.severity, f.path) for f in own} == {
        ("warning", "/security/caf/profile"),
        ("warning", "/security/caf/self_assessed_on"),
        ("warning", "/security/caf/independent_review_on"),  # version 2: the GovAssure review and plan
        ("warning", "/security/caf/improvement_plan"),
    }
    assert {(f.accountable.role, f.accountable.name) for f in own} == {("senior_information_risk_owner", "Sarah Ahmed")}


# -- accessibility ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "severity"),
    [
        ("2.2-AA", None), ("2.2-AAA", None), ("3.0-AA", None), ("2.10-AA", None),
        ("2.1-AA", "warning"), ("2.1-AAA", "warning"),
        ("2.0-AA", "error"), ("2.0-AAA", "error"), ("2.1-A", "error"), ("2.2-A", "error"), ("1.0-AAA", "error"),
        (None, "error"),
    ],
)
def test_acc001_compares_version_and_level(target, severity):
    got = found({"accessibility": {"wcag_target": target}}, "ACC-001")
    assert got == ([] if severity is None else [(severity, "/accessibility/wcag_target")])


def test_wcag_targets_compare_numerically_not_as_text():
    assert parse_target("2.10-AA") == (2, 10, 2)
    assert meets(parse_target("2.10-AA"), parse_target("2.2-AA"))
    assert not meets(parse_target("2.2-A"), parse_target("2.1-AA"))
    assert parse_target("WCAG 2.2") is None and parse_target(22) is None


def test_acc001_applies_to_internal_web_services_and_apps_but_not_phone_only():
    internal = {"service": {"public_facing": False, "users": ["staff"]}, "accessibility": {"wcag_target": "2.0-AA"}}
    assert found(internal, "ACC-001") == [("error", "/accessibility/wcag_target")]
    phone_only = {"service": {"channels": ["phone", "post"]}, "accessibility": {"wcag_target": "2.0-AA"}}
    assert found(phone_only, "ACC-001") == []


def test_acc002_is_statutory_and_not_waivable():
    assert RULES["ACC-002"].waivable is False
    assert any("2018/952" in (ref.url or "") for ref in RULES["ACC-002"].references)


def test_acc003_review_must_follow_the_audit():
    path = "/accessibility/statement_reviewed_on"
    assert found({"accessibility": {"statement_reviewed_on": "2026-04-19"}}, "ACC-003") == [("warning", path)]
    assert found({"accessibility": {"statement_reviewed_on": "2026-04-20"}}, "ACC-003") == []
    # no statement: nothing to review (ACC-002 reports the missing statement)
    assert outcome(manifest({"accessibility": {"statement_url": None}}), "ACC-003") == "not-applicable"


def test_acc004_stale_audit_warns_while_not_compliant_in_live_is_an_error():
    stale_and_failing = {"accessibility": {"audit": {"completed_on": "2025-10-15", "outcome": "not-compliant"}}}
    assert found(stale_and_failing, "ACC-004") == [
        ("error", "/accessibility/audit/outcome"),
        ("warning", "/accessibility/audit/completed_on"),
    ]
    in_beta = {"metadata": {"phase": "beta"}, "accessibility": {"audit": {"outcome": "not-compliant"}}}
    assert found(in_beta, "ACC-004") == []


def test_acc005_null_claim_is_not_applicable_and_parts_are_required():
    data = manifest()
    data["accessibility"] = {**data["accessibility"], "disproportionate_burden": None}
    assert outcome(data, "ACC-005") == "not-applicable"
    claim = {"assessed_on": "2026-03-02", "reference": "", "parts": []}
    assert found({"accessibility": {"disproportionate_burden": claim}}, "ACC-005") == [
        ("error", "/accessibility/disproportionate_burden/parts"),
        ("error", "/accessibility/disproportionate_burden/reference"),
    ]


@pytest.mark.parametrize(
    ("channels", "fires"),
    [
        (["web", "phone"], False),
        (["web", "face-to-face"], False),
        (["web", "post"], False),
        (["web", "email"], False),
        (["web"], True),
        (["web", "api"], True),
        (["mobile-app"], True),
        (["web", "mobile-app", "api"], True),
    ],
)
def test_acc006_api_and_apps_are_not_assisted_routes(channels, fires):
    patch = {"service": {"channels": channels, "assisted_digital": False}}
    assert found(patch, "ACC-006") == ([("warning", "/service/channels")] if fires else [])
    assert found({"service": {"channels": channels, "assisted_digital": True}}, "ACC-006") == []


def test_acc006_only_for_public_transactional_services():
    patch = {"service": {"channels": ["web"], "assisted_digital": False}}
    for field in ("transactional", "public_facing"):
        data = manifest({"service": {**patch["service"], field: False}})
        assert outcome(data, "ACC-006") == "not-applicable", field


# -- metadata and robustness ---------------------------------------------------------------------


def test_every_rule_is_loaded_with_its_accountable_role_and_https_references():
    assert OURS == sorted([f"SEC-00{i}" for i in range(1, 10)] + [f"ACC-00{i}" for i in range(1, 7)])
    for rule_id in OURS:
        rule = RULES[rule_id]
        expected = (
            "senior_information_risk_owner" if rule_id == "SEC-009"
            else "service_owner" if rule_id.startswith("ACC") else "security_lead"
        )
        assert rule.accountable == expected, rule_id
        assert rule.references and all((ref.url or "").startswith("https://") for ref in rule.references), rule_id
        assert rule.domain == ("security" if rule_id.startswith("SEC") else "accessibility")


ODD = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "yes", "2025-13-40", "2026-01-01", "2.2-AA"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "users", "admins", "scheme", "completed_on"]), inner, max_size=3),
    max_leaves=6,
)
POINTERS = [
    ("security",), ("security", "mfa"), ("security", "penetration_test"), ("security", "supplier_assurance"),
    ("security", "caf"), ("security", "hosting"), ("accessibility",), ("accessibility", "wcag_target"),
    ("accessibility", "audit"), ("accessibility", "disproportionate_burden"), ("service", "channels"),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(POINTERS), value=ODD)
def test_checks_never_raise_on_odd_data(where, value):
    data = manifest()
    node = data
    for key in where[:-1]:
        node[key] = dict(node[key]) if isinstance(node.get(key), dict) else {}
        node = node[key]
    node[where[-1]] = value
    doc = Document("<odd>", 0, data, {"": (1, 1)})
    result = evaluate(doc, [RULES[r] for r in OURS], CTX_FOR(AS_OF))
    assert [f.message for f in result.findings if f.rule == "GOV-ENGINE"] == []
