"""Waiver registers through the real CLI: live, expired, stale, conflicting, refused, located errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ["--as-of", "2026-11-22"]
INITIATIVE = "LBX-2025-008"

# A local pack, so these tests depend only on the waiver machinery, not on the baseline catalogue.
PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: waiver-tests, version: "1", domain: waivertest}
rules:
  - id: WT-001
    title: Tags recorded
    severity: error
    accountable: security_lead
    rationale: Test rule.
    remediation: Add metadata.tags.
    require: {required: [metadata], properties: {metadata: {required: [tags]}}}
    examples: {pass: [{manifest: {metadata: {tags: [a]}}}], fail: [{manifest: {metadata: {}}}]}
  - id: WT-002
    title: Budget approved
    severity: error
    accountable: senior_responsible_owner
    waivable: false
    rationale: Test rule that restates a duty.
    remediation: Approve the budget.
    require: {required: [budget], properties: {budget: {required: [approved], properties: {approved: {const: true}}}}}
    examples: {pass: [{manifest: {budget: {approved: true}}}], fail: [{manifest: {budget: {approved: false}}}]}
  - id: WT-003
    title: Risks have a review date
    severity: error
    accountable: service_owner
    rationale: Test rule with one finding per risk.
    remediation: Add review_by.
    require: {properties: {risks: {items: {required: [review_by]}}}}
    examples: {pass: [{manifest: {risks: [{review_by: 2027-01-01}]}}], fail: [{manifest: {risks: [{}]}}]}
"""


def manifest_text() -> str:
    """base.yaml with no tags (WT-001), an unapproved budget (WT-002) and no risk review dates (WT-003)."""
    text = BASE.read_text(encoding="utf-8")
    text = text.replace("  tags: [council-tax, change-of-circumstances]\n", "")
    text = text.replace("approved: true}", "approved: false}")
    text = re.sub(r"^    review_by: .*\n", "", text, flags=re.M)
    assert "tags:" not in text and "approved: false" in text
    return text


def waiver(rule: str, approved_by: str = "{name: Digital Investment Board}", approved_on: str = "2026-03-01",
           expires: str = "2027-03-01", initiative: str = INITIATIVE, path: str | None = None) -> str:
    lines = [
        f"  - initiative: {initiative}",
        f"    rule: {rule}",
        *( [f"    path: {path}"] if path else [] ),
        "    justification: Compensating controls in place",
        f"    approved_by: {approved_by}",
        f"    approved_on: {approved_on}",
        f"    expires: {expires}",
    ]
    return "\n".join(lines) + "\n"


def register(*entries: str) -> str:
    return "apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n" + "".join(entries)


def entry_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("  - initiative:")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "waiver-tests.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(manifest_text(), encoding="utf-8")
    return tmp_path


def check(project: Path, register_text: str | None, *extra: str):
    args = ["check", "m.yaml", "--policies", "packs", "--only", "waivertest", *AS_OF, "--format", "json", *extra]
    if register_text is not None:
        (project / "waivers.yaml").write_text(register_text, encoding="utf-8")
        args += ["--waivers", "waivers.yaml"]
    result = run_cli(*args, cwd=project)
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(report)
    return result, report


def by_rule(report: dict, rule: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == rule]


def test_without_a_register_every_waiver_field_is_null(project):
    result, report = check(project, None)
    assert result.returncode == 1
    assert {f["rule"] for f in report["findings"]} == {"WT-001", "WT-002", "WT-003"}
    assert all(f["waiver"] is None and f["status"] == "open" for f in report["findings"])


def test_live_waiver_marks_the_finding_waived_and_it_stops_blocking(project):
    result, report = check(project, register(waiver("WT-001"), waiver("WT-003")))
    assert result.returncode == 1  # WT-002 still fails
    (wt1,) = by_rule(report, "WT-001")
    assert wt1["status"] == "waived"
    assert wt1["waiver"] == {
        "status": "live", "file": "waivers.yaml", "line": 4,
        "approved_by": {"name": "Digital Investment Board"}, "expires": "2027-03-01",
    }
    assert all(f["status"] == "waived" for f in by_rule(report, "WT-003"))
    assert report["summary"]["waived"] == 3 and report["summary"]["errors"] == 1
    assert not [f for f in report["findings"] if f["rule"].startswith("WAIVER-")]
    result, report = check(project, register(waiver("WT-001"), waiver("WT-003")), "--skip", "WT-002")
    assert result.returncode == 0, result.stdout  # only waived findings left
    assert report["summary"]["errors"] == 0


def test_live_waiver_is_shown_in_text_never_hidden(project):
    (project / "waivers.yaml").write_text(register(waiver("WT-001", expires="2026-12-31")), encoding="utf-8")
    result = run_cli("check", "m.yaml", "--policies", "packs", "--only", "WT-001", *AS_OF, "--waivers", "waivers.yaml", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^m\.yaml:\d+:\d+  WAIVED  WT-001  .*\[waived until 2026-12-31\]$", result.stdout, re.M), result.stdout
    assert "1 waived" in result.stdout


def test_expired_waiver_no_longer_waives_and_warns_at_its_entry(project):
    text = register(waiver("WT-002", approved_by="{name: Board}"), waiver("WT-001", approved_on="2025-01-01", expires="2026-11-21"))
    result, report = check(project, text, "--skip", "WT-002")
    assert result.returncode == 1
    (wt1,) = by_rule(report, "WT-001")
    assert wt1["status"] == "open" and wt1["waiver"]["status"] == "expired"
    assert wt1["waiver"]["line"] == entry_lines(text)[1]
    (expired,) = by_rule(report, "WAIVER-EXPIRED")
    assert expired["severity"] == "warning"
    assert (expired["file"], expired["line"], expired["column"]) == ("waivers.yaml", entry_lines(text)[1], 5)
    assert expired["initiative"] == INITIATIVE and expired["path"] == "/waivers/1"
    assert "2026-11-21" in expired["message"]


def test_waiver_is_live_on_its_expiry_date(project):
    _, report = check(project, register(waiver("WT-001", expires="2026-11-22")), "--only", "WT-001")
    assert by_rule(report, "WT-001")[0]["waiver"]["status"] == "live"


@pytest.mark.parametrize(
    "approver, who",
    [
        ("{name: hannah OKORO}", "senior responsible owner"),  # the SRO, matched by case-insensitive name
        ("{name: Security Lead, email: T.Nowak@lbx.example.gov}", "security lead"),  # WT-001's accountable, by email
    ],
)
def test_waiver_approved_by_a_conflicted_person_does_not_waive(project, approver, who):
    text = register(waiver("WT-001", approved_by=approver))
    result, report = check(project, text, "--only", "WT-001")
    assert result.returncode == 1
    (wt1,) = by_rule(report, "WT-001")
    assert wt1["status"] == "open" and wt1["waiver"]["status"] == "conflict"
    (conflict,) = by_rule(report, "WAIVER-CONFLICT")
    assert conflict["severity"] == "warning" and who in conflict["message"]
    assert (conflict["file"], conflict["line"]) == ("waivers.yaml", 4)
    assert conflict["initiative"] == INITIATIVE


def test_waiver_on_a_rule_that_is_not_waivable_is_refused(project):
    text = register(waiver("WT-002", approved_by="{name: Board}"))
    result, report = check(project, text)
    assert result.returncode == 1
    (wt2,) = by_rule(report, "WT-002")
    assert wt2["status"] == "open" and wt2["waiver"]["status"] == "refused"
    (refused,) = by_rule(report, "WAIVER-REFUSED")
    assert refused["severity"] == "warning" and (refused["line"], refused["column"]) == (4, 5)


def test_waiver_on_a_builtin_statutory_rule_is_refused(tmp_path):
    """PRIV-008 (privacy notice, UK GDPR Art. 13-14) is `waivable: false` in the baseline pack."""
    text = BASE.read_text(encoding="utf-8").replace("  privacy_notice_url: https://lbx.example.gov/council-tax/privacy\n", "")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(register(waiver("PRIV-008")), encoding="utf-8")
    result = run_cli("check", "m.yaml", "--waivers", "waivers.yaml", "--only", "PRIV-008", *AS_OF, "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert by_rule(report, "PRIV-008")[0]["waiver"]["status"] == "refused"
    assert len(by_rule(report, "WAIVER-REFUSED")) == 1


def test_waiver_that_matches_no_finding_is_stale(project):
    text = register(waiver("WT-001", initiative="XYZ-2020-001"), waiver("WT-999"), waiver("WT-001", path="/metadata/name"))
    result, report = check(project, text, "--only", "WT-001")
    stale = by_rule(report, "WAIVER-STALE")
    assert [(f["line"], f["severity"], f["initiative"]) for f in stale] == [
        (line, "info", initiative) for line, initiative in zip(entry_lines(text), ["XYZ-2020-001", INITIATIVE, INITIATIVE])
    ]
    assert "was not among the manifests checked" in stale[0]["message"]
    assert by_rule(report, "WT-001")[0]["waiver"] is None
    assert result.returncode == 1


def test_waiver_path_is_a_json_pointer_prefix(project):
    _, report = check(project, register(waiver("WT-003", path="/risks/0")), "--only", "WT-003")
    findings = {f["path"]: f for f in by_rule(report, "WT-003")}
    assert set(findings) == {"/risks/0/review_by", "/risks/1/review_by"}
    assert findings["/risks/0/review_by"]["status"] == "waived"
    assert findings["/risks/1/review_by"]["status"] == "open" and findings["/risks/1/review_by"]["waiver"] is None


def test_waiver_approved_after_the_run_date_does_not_waive(project):
    _, report = check(project, register(waiver("WT-001", approved_on="2026-12-01", expires="2027-06-01")), "--only", "WT-001")
    assert by_rule(report, "WT-001")[0]["status"] == "open"


@pytest.mark.parametrize(
    "entry, pointer_line, message",
    [
        (waiver("WT-001", expires="2026-02-30"), 9, "expires"),
        (waiver("WT-001").replace("    justification: Compensating controls in place\n", ""), 4, "justification is missing"),
        (waiver("WT-001", approved_on="2027-03-02"), 9, "before approved_on"),
        (waiver("WT-001").replace("rule:", "rules:"), 4, "rules"),
    ],
)
def test_bad_register_is_a_located_input_error(project, entry, pointer_line, message):
    (project / "waivers.yaml").write_text(register(entry), encoding="utf-8")
    result = run_cli("check", "m.yaml", "--policies", "packs", "--only", "waivertest", *AS_OF, "--waivers", "waivers.yaml", cwd=project)
    assert result.returncode == 2, result.stdout
    line = next(line for line in result.stdout.splitlines() if "GOV-INPUT" in line)
    assert line.startswith(f"waivers.yaml:{pointer_line}:"), line
    assert message in line
    assert "Traceback" not in result.stderr


def test_unreadable_or_wrong_kind_register_is_exit_2(project):
    result = run_cli("check", "m.yaml", "--only", "waivertest", "--policies", "packs", "--waivers", "missing.yaml", cwd=project)
    assert result.returncode == 2 and "missing.yaml:1:1  ERROR  GOV-INPUT" in result.stdout
    result = run_cli("check", "m.yaml", "--only", "waivertest", "--policies", "packs", "--waivers", "m.yaml", cwd=project)
    assert result.returncode == 2 and re.search(r"^m\.yaml:\d+:\d+  ERROR  GOV-INPUT  expected a WaiverRegister", result.stdout, re.M)


def test_manifest_outcome_is_waived_when_every_finding_is(project):
    _, report = check(project, register(waiver("WT-001"), waiver("WT-003", path="/risks/0")))
    outcomes = report["manifests"][0]["outcomes"]
    assert outcomes == {"WT-001": "waived", "WT-002": "fail", "WT-003": "fail"}


def test_waivers_command_lists_every_status(project):
    text = register(
        waiver("WT-001"),                                        # live
        waiver("WT-003", expires="2026-12-10"),                  # expiring: within 30 days
        waiver("WT-003", approved_on="2025-01-01", expires="2026-01-01"),  # expired
        waiver("WT-001", initiative="XYZ-2020-001"),             # stale
        waiver("WT-001", approved_by="{name: Hannah Okoro}"),    # conflict
        waiver("WT-002"),                                        # refused
    )
    (project / "waivers.yaml").write_text(text, encoding="utf-8")
    args = ["waivers", "waivers.yaml", "m.yaml", "--policies", "packs", *AS_OF]
    result = run_cli(*args, "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)["waivers"]
    assert [w["status"] for w in listed] == ["live", "expiring", "expired", "stale", "conflict", "refused"]
    assert [w["line"] for w in listed] == entry_lines(text)
    table = run_cli(*args, cwd=project)
    rows = [line for line in table.stdout.splitlines() if line.startswith("waivers.yaml:")]
    statuses = [re.search(r"  (live|expiring|expired|stale|conflict|refused|pending)  ", row).group(1) for row in rows]
    assert statuses == ["live", "expiring", "expired", "stale", "conflict", "refused"]
    assert "expires in 18 days" in table.stdout
    assert table.stdout == run_cli(*args, cwd=project).stdout  # deterministic


def test_waivers_command_without_manifests_judges_dates_and_rules(project):
    text = register(waiver("WT-001"), waiver("WT-001", expires="2026-01-01", approved_on="2025-01-01"), waiver("WT-002"))
    (project / "waivers.yaml").write_text(text, encoding="utf-8")
    result = run_cli("waivers", "waivers.yaml", "--policies", "packs", *AS_OF, "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert [w["status"] for w in json.loads(result.stdout)["waivers"]] == ["live", "expired", "refused"]


def test_waivers_command_reports_a_bad_register_located(project):
    (project / "waivers.yaml").write_text(register(waiver("WT-001", expires="soon")), encoding="utf-8")
    result = run_cli("waivers", "waivers.yaml", "--policies", "packs", *AS_OF, cwd=project)
    assert result.returncode == 2
    assert re.search(r"waivers\.yaml:9:\d+: invalid WaiverRegister: .*expires", result.stderr), result.stderr


def test_register_named_in_the_configuration_applies(project):
    (project / "config").mkdir()
    (project / "config" / "waivers.yaml").write_text(register(waiver("WT-001")), encoding="utf-8")
    (project / "govern.yaml").write_text("waivers: config/waivers.yaml\n", encoding="utf-8")
    _, report = check(project, None, "--only", "WT-001")
    (wt1,) = by_rule(report, "WT-001")
    assert wt1["status"] == "waived" and wt1["waiver"]["file"] == "config/waivers.yaml"


def test_capacity_breach_rule_is_never_waivable():
    result = run_cli("rules", "--format", "json", "--only", "RISK-008", cwd=ROOT)
    rules = json.loads(result.stdout) if result.returncode == 0 else []
    risk = [r for r in rules if r["id"] == "RISK-008"]
    assert risk[0]["waivable"] is False
