"""The governance pack (GOV-001..GOV-012): behaviour beyond the pack's own examples.

The examples in policies/governance.yaml are run by tests/policy/test_packs.py; these
tests pin what users depend on: where findings point, which severity each phase
gets, boundaries of the date checks, and that each gap is its own finding.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from govern.core.engine import evaluate
from govern.policy.functions.governance import FUNCTIONS
from govern.core.loader import Document, load_file
from govern.policy.packs import merge_patch
from govern.testing import DEFAULT_AS_OF, load_rules, run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE_FILE = ROOT / "policies" / "examples" / "base.yaml"
BASE = load_file(str(BASE_FILE)).documents[0].data
_, RULES, CTX_FOR, _ = load_rules(no_plugins=True)
GOV_RULES = [r for r in RULES if r.pack == "governance"]
ALPHA_APPROVAL = {"board": "Digital Investment Board", "date": "2024-09-10", "decision": "approved", "phase": "alpha"}


def manifest(patch: dict | None = None) -> dict:
    return merge_patch(copy.deepcopy(BASE), patch or {})


def run(data: dict, as_of: dt.date = DEFAULT_AS_OF):
    doc = Document("<test>", 0, data, {"": (1, 1)})
    return evaluate(doc, RULES, CTX_FOR(as_of))


def findings(data: dict, rule: str, as_of: dt.date = DEFAULT_AS_OF):
    return [f for f in run(data, as_of).findings if f.rule == rule]


def in_alpha(patch: dict | None = None) -> dict:
    """Base moved to alpha, with an alpha approval so that GOV-005 stays quiet."""
    alpha = manifest({"metadata": {"phase": "alpha"}, "accountability": {"approvals": [ALPHA_APPROVAL]}})
    return merge_patch(alpha, patch or {})


def write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def check_json(*args: str) -> tuple[int, list[dict]]:
    result = run_cli("check", *args, "--as-of", "2026-11-22", "--format", "json", "--no-plugins", cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


# -- the pack as a whole -------------------------------------------------------


def test_pack_has_every_gov_rule_with_its_accountable_role():
    expected = {
        "GOV-001": ("error", "senior_responsible_owner"),
        "GOV-002": ("error", "senior_responsible_owner"),
        "GOV-003": ("error", "senior_responsible_owner"),
        "GOV-004": ("warning", "senior_responsible_owner"),
        "GOV-005": ("error", "senior_responsible_owner"),
        "GOV-006": ("error", "service_owner"),
        "GOV-007": ("error", "senior_responsible_owner"),
        "GOV-008": ("warning", "senior_responsible_owner"),
        "GOV-009": ("warning", "information_asset_owner"),
        "GOV-010": ("warning", "senior_responsible_owner"),
        "GOV-011": ("warning", "service_owner"),
        "GOV-012": ("warning", "service_owner"),
        "GOV-013": ("warning", "senior_responsible_owner"),
    }
    got = {r.id: (r.severity, r.accountable) for r in GOV_RULES}
    assert got == expected
    for rule in GOV_RULES:
        assert rule.domain == "governance" and rule.waivable
        assert rule.references and all(ref.framework for ref in rule.references)
        assert all(ref.url.startswith("https://") for ref in rule.references if ref.url)
        assert rule.rationale and rule.remediation
    assert {r.id for r in GOV_RULES if r.defaults} >= {"GOV-008", "GOV-012"}


def test_base_manifest_has_no_governance_finding():
    assert [f for f in run(manifest()).findings if f.rule.startswith("GOV-")] == []


# -- GOV-001 -------------------------------------------------------------------


def test_gov001_missing_sro_points_at_accountability_in_the_file(tmp_path):
    lines = BASE_FILE.read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.lstrip().startswith("senior_responsible_owner:")]
    assert len(kept) == len(lines) - 1
    target = tmp_path / "no-sro.yaml"
    target.write_text("".join(kept))
    expected_line = next(i for i, line in enumerate(kept, 1) if line.startswith("accountability:"))

    code, found = check_json(str(target), "--only", "GOV-001")
    assert code == 1
    [finding] = found
    assert finding["path"] == "/accountability/senior_responsible_owner"
    assert (finding["line"], finding["column"]) == (expected_line, 1)
    assert finding["accountable"] == {"role": "senior_responsible_owner", "name": None}

    text = run_cli("check", str(target), "--as-of", "2026-11-22", "--only", "GOV-001", "--no-plugins", cwd=ROOT)
    assert f"{target}:{expected_line}:1  ERROR  GOV-001  " in text.stdout


def test_gov001_sro_without_email_points_at_the_email_and_names_the_person():
    [finding] = findings(manifest({"accountability": {"senior_responsible_owner": {"email": None}}}), "GOV-001")
    assert finding.path == "/accountability/senior_responsible_owner/email"
    assert "Hannah Okoro" in finding.message and "no email" in finding.message


def test_gov001_applies_in_every_phase_including_retired():
    for phase in ("discovery", "retired"):
        data = manifest({"metadata": {"phase": phase}, "accountability": {"senior_responsible_owner": None}})
        assert len(findings(data, "GOV-001")) == 1, phase


# -- GOV-002 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "severity", "exit_code"), [("alpha", "warning", 0), ("beta", "error", 1), ("live", "error", 1)]
)
def test_gov002_is_a_warning_in_alpha_and_an_error_in_beta_and_live(tmp_path, phase, severity, exit_code):
    data = manifest({"metadata": {"phase": phase}, "accountability": {"service_owner": None}})
    data["accountability"]["approvals"].append({**ALPHA_APPROVAL})
    path = write(tmp_path, f"{phase}.yaml", data)
    code, found = check_json(str(path), "--only", "GOV-002")
    got = [(f["rule"], f["severity"], f["path"]) for f in found]
    assert got == [("GOV-002", severity, "/accountability/service_owner")]
    assert code == exit_code  # the default --fail-on error: a warning does not fail the run


def test_gov002_does_not_apply_in_discovery_or_retired():
    for phase in ("discovery", "retired"):
        result = run(manifest({"metadata": {"phase": phase}, "accountability": {"service_owner": None}}))
        assert result.outcomes["GOV-002"] == "not-applicable", phase


# -- GOV-003 -------------------------------------------------------------------


def test_gov003_applies_to_any_data_block_not_only_personal_data():
    no_iao = {"accountability": {"information_asset_owner": None}}
    assert len(findings(manifest({**no_iao, "data": {"personal_data": False}}), "GOV-003")) == 1
    assert len(findings(manifest({**no_iao, "data": {"personal_data": None}}), "GOV-003")) == 1
    assert run(manifest({**no_iao, "data": None})).outcomes["GOV-003"] == "not-applicable"


# -- GOV-004 -------------------------------------------------------------------


def test_gov004_reports_each_missing_role_at_its_own_path():
    data = manifest({"accountability": {"security_lead": None, "senior_information_risk_owner": None}})
    paths = sorted(f.path for f in findings(data, "GOV-004"))
    assert paths == ["/accountability/security_lead", "/accountability/senior_information_risk_owner"]


def test_gov004_needs_a_siro_only_with_personal_data():
    no_siro = {"accountability": {"senior_information_risk_owner": None}}
    assert len(findings(manifest(no_siro), "GOV-004")) == 1
    assert findings(manifest({**no_siro, "data": {"personal_data": False}}), "GOV-004") == []


def test_gov004_an_unnamed_role_counts_as_missing():
    data = manifest({"accountability": {"security_lead": {"name": None, "email": "sec@lbx.example.gov"}}})
    assert [f.path for f in findings(data, "GOV-004")] == ["/accountability/security_lead"]


# -- GOV-005 -------------------------------------------------------------------


def test_gov005_an_approval_for_another_phase_does_not_count():
    beta_only = [a for a in BASE["accountability"]["approvals"] if a["phase"] == "beta"]
    [finding] = findings(manifest({"accountability": {"approvals": beta_only}}), "GOV-005")
    assert finding.path == "/accountability/approvals"
    assert "live phase" in finding.message and "beta approved on 2025-03-11" in finding.message
    # the same approvals satisfy the rule once the initiative is back in beta
    in_beta = manifest({"metadata": {"phase": "beta"}, "accountability": {"approvals": beta_only}})
    assert findings(in_beta, "GOV-005") == []


def test_gov005_a_future_approval_counts_from_its_date():
    future = [{"board": "Digital Investment Board", "date": "2026-12-01", "decision": "approved", "phase": "live"}]
    data = manifest({"accountability": {"approvals": future}})
    [finding] = findings(data, "GOV-005")
    assert finding.path == "/accountability/approvals/0" and "2026-12-01, after 2026-11-22" in finding.message
    # from its date it counts; dated after live began (phase_since 2026-01-12), it is retrospective
    [late] = findings(data, "GOV-005", dt.date(2026, 12, 1))
    assert late.severity == "warning" and "retrospective approval" in late.message


@pytest.mark.parametrize("decision", ["rejected", "deferred"])
def test_gov005_only_an_approved_decision_counts(decision):
    entry = {"board": "Digital Investment Board", "date": "2026-01-06", "decision": decision, "phase": "live"}
    [finding] = findings(manifest({"accountability": {"approvals": [entry]}}), "GOV-005")
    assert f"is {decision}, not approved" in finding.message


def test_gov005_missing_approvals_point_at_accountability(tmp_path):
    data = manifest({"accountability": {"approvals": None}})
    path = write(tmp_path, "no-approvals.yaml", data)
    _, found = check_json(str(path), "--only", "GOV-005")
    [finding] = found
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("accountability:"))
    assert (finding["path"], finding["line"], finding["column"]) == ("/accountability/approvals", line, 1)


# -- GOV-006 -------------------------------------------------------------------

CENTRAL = {"type": "central-government", "nation": "uk"}


def test_gov006_private_beta_needs_alpha_and_live_needs_live():
    alpha_only = {"metadata": {"organisation": CENTRAL},  # the base is a council, which GOV-006 does not bind
                  "service": {"assessments": [{"stage": "alpha", "date": "2024-12-04", "outcome": "met"}]}}
    private = manifest({**alpha_only, "metadata": {"organisation": CENTRAL, "phase": "private-beta"}})
    assert findings(private, "GOV-006") == []
    # `beta` is checked as private-beta: only the info asking for the precise phase
    [info] = findings(manifest({**alpha_only, "metadata": {"organisation": CENTRAL, "phase": "beta"}}), "GOV-006")
    assert info.severity == "info" and info.path == "/metadata/phase"
    [finding] = findings(manifest(alpha_only), "GOV-006")
    assert finding.path == "/service/assessments" and "needs the live assessment met" in finding.message
    assert finding.accountable.role == "service_owner" and finding.accountable.name == "Daniel Reyes"


def test_gov006_applies_only_to_transactional_services():
    data = manifest({"service": {"transactional": False, "assessments": []}})
    assert run(data).outcomes["GOV-006"] == "not-applicable"
    data = manifest({"service": {"transactional": None, "assessments": []}})
    assert run(data).outcomes["GOV-006"] == "not-applicable"


# -- GOV-007 -------------------------------------------------------------------


def test_gov007_points_at_the_approved_flag():
    [finding] = findings(manifest({"budget": {"approved": False}}), "GOV-007")
    assert finding.path == "/budget/approved" and "found false" in finding.message
    assert run(in_alpha({"budget": {"approved": False}})).outcomes["GOV-007"] == "not-applicable"


# -- GOV-008 -------------------------------------------------------------------


def test_gov008_six_calendar_months_is_the_boundary():
    red = {"rating": "red", "recovery_plan": "RP-1", "assessed_on": "2026-02-28"}
    data = manifest({"governance": {"delivery_confidence": red}})
    assert findings(data, "GOV-008", dt.date(2026, 8, 28)) == []
    [stale] = findings(data, "GOV-008", dt.date(2026, 8, 29))
    assert stale.path == "/governance/delivery_confidence/assessed_on"
    assert "2026-02-28, more than 6 months before 2026-08-29" in stale.message


def test_gov008_missing_plan_and_stale_assessment_are_separate_findings():
    red = {"rating": "amber-red", "recovery_plan": None, "assessed_on": "2025-01-31"}
    paths = sorted(f.path for f in findings(manifest({"governance": {"delivery_confidence": red}}), "GOV-008"))
    assert paths == ["/governance/delivery_confidence/assessed_on", "/governance/delivery_confidence/recovery_plan"]


def test_gov008_applies_only_to_red_and_amber_red():
    for rating in ("green", "amber-green", "amber"):
        data = manifest({"governance": {"delivery_confidence": {"rating": rating, "assessed_on": "2020-01-01"}}})
        assert run(data).outcomes["GOV-008"] == "not-applicable", rating


# -- GOV-009 -------------------------------------------------------------------

DISPOSAL = {"completed_on": "2026-09-15", "schedule": "RS-REV-2024 section 3.1"}


def sharing(*ends: str | None) -> list[dict]:
    out = []
    for i, end in enumerate(ends):
        item = {"with": f"Partner {i}", "agreement": f"ISA-{i}"}
        if end:
            item["ends_on"] = end
        out.append(item)
    return out


def test_gov009_each_unexpired_sharing_is_its_own_finding():
    shared = sharing("2026-06-30", "2027-01-31", None, "2026-11-22")
    data = manifest({"metadata": {"phase": "retired"}, "data": {"disposal": DISPOSAL, "sharing": shared}})
    found = findings(data, "GOV-009")
    assert [(f.path, f.severity) for f in found] == [("/data/sharing/1", "warning"), ("/data/sharing/2", "warning")]
    assert "Partner 1 continues until 2027-01-31" in found[0].message
    assert "Partner 2 has no end date" in found[1].message
    assert all(f.accountable.role == "information_asset_owner" for f in found)


def test_gov009_disposal_needs_a_date_and_a_schedule():
    retired = {"metadata": {"phase": "retired"}, "data": {"sharing": sharing("2026-06-30")}}
    assert [f.path for f in findings(manifest(retired), "GOV-009")] == ["/data/disposal"]
    scheduled = merge_patch(retired, {"data": {"disposal": {"scheduled_on": "2027-02-01", "schedule": "RS"}}})
    assert findings(manifest(scheduled), "GOV-009") == []
    both_missing = merge_patch(retired, {"data": {"disposal": {"schedule": " "}}})
    paths = sorted(f.path for f in findings(manifest(both_missing), "GOV-009"))
    assert paths == ["/data/disposal", "/data/disposal/schedule"]


def test_gov009_applies_only_to_retired_initiatives_with_personal_data():
    assert run(manifest()).outcomes["GOV-009"] == "not-applicable"
    data = manifest({"metadata": {"phase": "retired"}, "data": {"personal_data": False}})
    assert run(data).outcomes["GOV-009"] == "not-applicable"


def test_retired_initiative_is_checked_only_by_rules_without_a_phase_condition():
    retired = {"phase": "retired"}
    data = manifest({"metadata": retired, "data": {"disposal": DISPOSAL, "sharing": sharing("2026-06-30")}})
    outcomes = run(data).outcomes
    phased = ["GOV-002", "GOV-004", "GOV-005", "GOV-006", "GOV-007", "GOV-010", "GOV-011", "GOV-012"]
    assert {rule: outcomes[rule] for rule in phased} == dict.fromkeys(phased, "not-applicable")
    assert {outcomes[r] for r in ("GOV-001", "GOV-003", "GOV-009")} == {"pass"}


# -- GOV-010 / GOV-011 -----------------------------------------------------------


def test_gov010_an_empty_list_counts_as_missing_and_each_field_is_reported():
    assert [f.path for f in findings(manifest({"benefits": {"measures": []}}), "GOV-010")] == ["/benefits/measures"]
    measures = [
        {"name": "Moves reported online"},
        {"name": "Days to update", "baseline": 0, "target": 3, "by": "2027-03-31"},
    ]
    paths = sorted(f.path for f in findings(manifest({"benefits": {"measures": measures}}), "GOV-010"))
    assert paths == ["/benefits/measures/0/baseline", "/benefits/measures/0/by", "/benefits/measures/0/target"]


def test_gov011_applies_only_when_staff_use_the_service():
    data = manifest({"change": None})
    assert [f.path for f in findings(data, "GOV-011")] == ["/change"]
    data["service"]["users"] = ["citizens", "businesses"]
    assert run(data).outcomes["GOV-011"] == "not-applicable"


# -- GOV-012 -------------------------------------------------------------------


@pytest.mark.parametrize(("phase", "severity"), [("alpha", "info"), ("beta", "warning"), ("live", "warning")])
def test_gov012_is_info_in_alpha_and_a_warning_in_beta_and_live(phase, severity):
    data = in_alpha({"metadata": {"phase": phase}, "service": {"user_research": {"last_round_on": "2026-01-10"}}})
    data["accountability"]["approvals"] += BASE["accountability"]["approvals"]
    [finding] = findings(data, "GOV-012")
    assert finding.severity == severity and finding.path == "/service/user_research/last_round_on"


def test_gov012_boundary_and_access_needs(tmp_path):
    on_boundary = manifest({"service": {"user_research": {"last_round_on": "2026-05-22"}}})
    assert findings(on_boundary, "GOV-012") == []
    research = {"last_round_on": "2026-05-21", "included_access_needs": False}
    stale_and_narrow = manifest({"service": {"user_research": research}})
    path = write(tmp_path, "research.yaml", stale_and_narrow)
    _, found = check_json(str(path), "--only", "GOV-012")
    assert sorted(f["path"] for f in found) == [
        "/service/user_research/included_access_needs",
        "/service/user_research/last_round_on",
    ]
    assert all(f["severity"] == "warning" and f["accountable"]["name"] == "Daniel Reyes" for f in found)


# -- robustness ----------------------------------------------------------------

ODD = [
    {},
    {"metadata": {"phase": "live"}},
    {"metadata": {"phase": "live"}, "accountability": {"approvals": ["x", None, {"phase": 3}]}},
    {"metadata": {"phase": "beta"}, "service": {"assessments": "met"}},
    {"metadata": {"phase": "retired"}, "data": {"disposal": [], "sharing": [None, "x", {"ends_on": "2026-02-30"}]}},
    {"governance": {"delivery_confidence": {"rating": "red", "assessed_on": 20260101, "recovery_plan": 7}}},
    [],
    None,
    "text",
]


@pytest.mark.parametrize("data", ODD, ids=range(len(ODD)))
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_governance_functions_never_raise_on_odd_data(name, data):
    function = FUNCTIONS[name]
    options = {"roles_named": {"roles": ["security_lead"], "personal_data_roles": ["senior_information_risk_owner"]},
               "assessment_for_phase": {"stages": {"beta": "alpha", "live": "beta"}}}.get(name, {})
    for violation in function.fn(data, options, CTX_FOR(DEFAULT_AS_OF)):
        assert violation.path.startswith("/") and violation.message


def test_bad_options_for_a_governance_function_are_a_located_load_error(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "apiVersion: govern/v1\nkind: PolicyPack\nmetadata: {name: local, version: '1'}\nrules:\n"
        "  - id: LOCAL-001\n    title: t\n    severity: error\n    rationale: r\n    remediation: m\n"
        "    function: assessment_for_phase\n    with: {stages: {beta: gamma}}\n"
        "    examples: {pass: [{manifest: {}}], fail: [{manifest: {}}]}\n"
    )
    result = run_cli("check", str(BASE_FILE), "--policies", str(pack), "--no-plugins", cwd=ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "pack.yaml:11:" in result.stdout + result.stderr and "assessment_for_phase" in result.stdout + result.stderr
