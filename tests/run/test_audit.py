"""Audit-grade evidence: passes, provenance, `govern verify`, phased-in rules, baselines.

Real files in tmp_path and real `python -m govern` subprocesses throughout.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
DEFAULT_APPETITE = ROOT / "policies" / "default-appetite.yaml"
AS_OF = ["--as-of", "2026-11-22"]

LOCAL_PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: local, version: 1.0.0, domain: governance}
rules:
  - id: LOC-001
    title: Tagged
    severity: warning
    accountable: service_owner
    rationale: Tags help a portfolio office find initiatives.
    remediation: Add metadata.tags.
    require: {required: [metadata], properties: {metadata: {required: [tags], properties: {tags: {minItems: 1}}}}}
    examples:
      pass: [{manifest: {metadata: {tags: [a]}}}]
      fail: [{manifest: {metadata: {}}}]
  - id: LOC-002
    title: Owning team recorded
    severity: error
    effective_from: 2027-01-01
    rationale: From 2027 every initiative names its owning team.
    remediation: Add metadata.owner_team.
    require: {required: [metadata], properties: {metadata: {required: [owner_team]}}}
    examples:
      pass: [{manifest: {metadata: {owner_team: revenues}}}]
      fail: [{manifest: {metadata: {}}}]
  - id: LOC-003
    title: Legacy code recorded
    severity: error
    retired_on: 2026-06-01
    rationale: The legacy code register closed in June 2026.
    remediation: Nothing; the rule is retired.
    require: {required: [metadata], properties: {metadata: {required: [legacy_code]}}}
    examples:
      pass: [{manifest: {metadata: {legacy_code: L-1}}}]
      fail: [{manifest: {metadata: {}}}]
"""

WAIVERS = """\
apiVersion: govern/v1
kind: WaiverRegister
waivers:
  - initiative: LBX-2025-009
    rule: SEC-004
    justification: Pen test booked for December; compensating monitoring in place
    approved_by: {name: Chief Information Security Officer}
    approved_on: 2026-10-01
    expires: 2026-12-31
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def report_validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_json(cwd: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    result = run_cli("check", *args, *AS_OF, "--format", "json", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    report_validator().validate(report)
    return result, report


def stale_pen_test(text: str, ident: str = "LBX-2025-009") -> str:
    """base.yaml with another id and a penetration test 22 months old (SEC-004, waivable)."""
    out = text.replace("LBX-2025-008", ident)
    out = out.replace("completed_on: 2026-03-09, tester", "completed_on: 2025-01-09, tester")
    assert out != text
    return out


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """a.yaml compliant, b.yaml with a waived SEC-004, a local pack, a waiver register."""
    (tmp_path / "m").mkdir()
    (tmp_path / "packs").mkdir()
    shutil.copy(BASE, tmp_path / "m" / "a.yaml")
    (tmp_path / "m" / "b.yaml").write_text(stale_pen_test(BASE.read_text()))
    (tmp_path / "packs" / "local.yaml").write_text(LOCAL_PACK)
    (tmp_path / "waivers.yaml").write_text(WAIVERS)
    return tmp_path


PORTFOLIO_ARGS = ("m", "--policies", "packs", "--waivers", "waivers.yaml")


# -- passes are evidence ----------------------------------------------------------------------


def test_passes_are_listed_for_a_compliant_manifest(tmp_path: Path) -> None:
    shutil.copy(BASE, tmp_path / "base.yaml")
    _, report = check_json(tmp_path, "base.yaml")
    assert report["findings"] == []
    outcomes = report["manifests"][0]["outcomes"]
    rules = json.loads(run_cli("rules", "--format", "json", cwd=tmp_path).stdout)
    manifest_rules = {r["id"] for r in rules if r["scope"] == "manifest"}
    assert set(outcomes) == manifest_rules  # every rule considered is listed
    assert set(outcomes.values()) <= {"pass", "not-applicable"}
    assert outcomes["GOV-001"] == "pass" and outcomes["PRIV-008"] == "pass"
    assert list(outcomes) == sorted(outcomes)

    terse = run_cli("check", "base.yaml", *AS_OF, cwd=tmp_path)
    assert terse.returncode == 0 and "PASS" not in terse.stdout
    shown = run_cli("check", "base.yaml", *AS_OF, "--show-passes", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    passed = sorted(rule for rule, outcome in outcomes.items() if outcome == "pass")
    napp = sum(1 for outcome in outcomes.values() if outcome == "not-applicable")
    assert f"base.yaml: LBX-2025-008: {len(passed)} pass, {napp} not applicable" in shown.stdout
    listed = [line.split()[1] for line in shown.stdout.splitlines() if line.startswith("  PASS  ")]
    assert listed == passed
    assert any(line.startswith("  PASS  GOV-001") and line.endswith("SRO named") for line in shown.stdout.splitlines())


def test_outcomes_record_fail_and_waived(portfolio: Path) -> None:
    _, report = check_json(portfolio, *PORTFOLIO_ARGS)
    by_file = {m["file"]: m["outcomes"] for m in report["manifests"]}
    assert by_file["m/b.yaml"]["SEC-004"] == "waived"
    assert by_file["m/a.yaml"]["SEC-004"] == "pass"
    _, unwaived = check_json(portfolio, "m", "--policies", "packs")
    assert {m["file"]: m["outcomes"] for m in unwaived["manifests"]}["m/b.yaml"]["SEC-004"] == "fail"


# -- provenance --------------------------------------------------------------------------------


def test_provenance_hashes_are_the_files_hashes(portfolio: Path) -> None:
    shutil.copy(ROOT / "tests" / "fixtures" / "contract" / "rules-default-appetite.yaml", portfolio / "appetite.yaml")
    (portfolio / "govern.yaml").write_text("home_country: GB\n")
    _, report = check_json(portfolio, *PORTFOLIO_ARGS, "--appetite", "appetite.yaml")
    prov = report["provenance"]
    assert prov["as_of"] == "2026-11-22" and prov["govern_version"] == report["govern_version"]
    assert {m["file"]: m["sha256"] for m in prov["manifests"]} == {
        "m/a.yaml": sha256(portfolio / "m" / "a.yaml"),
        "m/b.yaml": sha256(portfolio / "m" / "b.yaml"),
    }
    assert [m["git"] for m in prov["manifests"]] == [None, None]  # tmp_path is no git repository
    packs = {p["name"]: p for p in prov["packs"]}
    assert packs["local"] == {"name": "local", "version": "1.0.0", "file": "packs/local.yaml",
                              "sha256": sha256(portfolio / "packs" / "local.yaml"), "source": "local"}
    assert packs["privacy"]["sha256"] == sha256(ROOT / "policies" / "privacy.yaml")
    assert prov["plugins"][0]["name"] == "builtin" and prov["plugins"][0]["version"] == report["govern_version"]
    appetite = {"file": "appetite.yaml", "sha256": sha256(portfolio / "appetite.yaml"), "default": False}
    assert prov["appetite"] == appetite
    assert prov["waivers"]["file"] == "waivers.yaml" and prov["waivers"]["sha256"] == sha256(portfolio / "waivers.yaml")
    assert prov["config"] == {"file": "govern.yaml", "sha256": sha256(portfolio / "govern.yaml")}
    assert prov["baseline"] is None
    assert prov["arguments"]["paths"] == ["m"] and prov["arguments"]["policies"] == ["packs"]


def test_provenance_defaults_and_nulls(tmp_path: Path) -> None:
    shutil.copy(BASE, tmp_path / "base.yaml")
    _, report = check_json(tmp_path, "base.yaml")
    prov = report["provenance"]
    assert prov["appetite"]["default"] is True
    assert prov["appetite"]["sha256"] == sha256(DEFAULT_APPETITE)
    assert prov["waivers"] is None and prov["config"] is None and prov["baseline"] is None


def test_two_runs_give_the_same_bytes(portfolio: Path) -> None:
    first = run_cli("check", *PORTFOLIO_ARGS, *AS_OF, "--format", "json", cwd=portfolio)
    second = run_cli("check", *PORTFOLIO_ARGS, *AS_OF, "--format", "json", cwd=portfolio)
    assert first.returncode == second.returncode == 0, first.stderr
    assert '"provenance"' in first.stdout and first.stdout == second.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (Debian: apt-get install git)")
def test_git_commit_and_dirty_state(tmp_path: Path) -> None:
    def git(*argv: str) -> str:
        identity = ["-c", "user.name=Audit Test", "-c", "user.email=audit@example.gov", "-c", "commit.gpgsign=false"]
        done = subprocess.run(["git", *identity, *argv], cwd=tmp_path, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    git("init", "-q")
    shutil.copy(BASE, tmp_path / "base.yaml")
    git("add", "base.yaml")
    git("commit", "-q", "-m", "manifest")
    head = git("rev-parse", "HEAD")
    (tmp_path / "new.yaml").write_text(stale_pen_test(BASE.read_text()))

    _, report = check_json(tmp_path, "base.yaml", "new.yaml")
    states = {m["file"]: m["git"] for m in report["provenance"]["manifests"]}
    assert states["base.yaml"] == {"commit": head, "dirty": False, "tracked": True}
    assert states["new.yaml"] == {"commit": head, "dirty": True, "tracked": False}

    with open(tmp_path / "base.yaml", "a", encoding="utf-8") as handle:
        handle.write("# edited after the commit\n")
    _, edited = check_json(tmp_path, "base.yaml")
    assert edited["provenance"]["manifests"][0]["git"] == {"commit": head, "dirty": True, "tracked": True}


# -- govern verify -------------------------------------------------------------------------------


def verify(cwd: Path, report: str = "report.json", *args: str) -> subprocess.CompletedProcess:
    return run_cli("verify", report, *args, cwd=cwd)


def test_verify_passes_on_an_unchanged_report(portfolio: Path) -> None:
    made = run_cli("check", *PORTFOLIO_ARGS, *AS_OF, "--format", "json:report.json", cwd=portfolio)
    assert made.returncode == 0, made.stderr
    result = verify(portfolio)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("report.json: verified: 2 files")


def test_verify_names_exactly_the_manifest_pack_and_waiver_that_changed(portfolio: Path) -> None:
    run_cli("check", *PORTFOLIO_ARGS, *AS_OF, "--format", "json:report.json", cwd=portfolio)
    a = portfolio / "m" / "a.yaml"
    a.write_text(a.read_text().replace("tags: [council-tax, change-of-circumstances]", "tags: []"))
    pack = portfolio / "packs" / "local.yaml"
    pack.write_text(pack.read_text().replace("title: Tagged", "title: Tagged at least once"))
    register = portfolio / "waivers.yaml"
    register.write_text(register.read_text().replace("expires: 2026-12-31", "expires: 2026-11-01"))

    result = verify(portfolio, "report.json", "--format", "json")
    assert result.returncode == 1, result.stderr
    out = json.loads(result.stdout)
    assert out["verified"] is False
    assert [(d["kind"], d["subject"]) for d in out["inputs"]] == [
        ("manifest", "m/a.yaml"), ("pack", "local"), ("waivers", "waivers.yaml"),
    ]
    messages = [d["message"] for d in out["inputs"]]
    assert messages[0].startswith("manifest m/a.yaml changed (sha256 ")
    assert messages[1].startswith("pack local 1.0.0 changed (sha256 ")
    assert messages[2].startswith("waiver register waivers.yaml changed (sha256 ")
    assert messages[2].endswith("waiver of SEC-004 for LBX-2025-009 (entry 1) changed")
    findings = [d["message"] for d in out["findings"]]
    new = "finding LOC-001 for LBX-2025-008 at m/a.yaml /metadata/tags is new: not in the report (warning, open)"
    assert new in findings
    unwaived = [m for m in findings if m.startswith("finding SEC-004 for LBX-2025-009 at m/b.yaml ")]
    assert len(unwaived) == 1 and unwaived[0].endswith("(warning waived -> warning open)")

    text = verify(portfolio)
    assert text.returncode == 1
    assert "  manifest m/a.yaml changed (sha256 " in text.stdout
    assert "m/b.yaml changed" not in text.stdout and "pack privacy" not in text.stdout
    assert "appetite" not in text.stdout and "configuration" not in text.stdout


def test_verify_says_which_finding_is_no_longer_reproduced(portfolio: Path) -> None:
    run_cli("check", *PORTFOLIO_ARGS, *AS_OF, "--format", "json:report.json", cwd=portfolio)
    (portfolio / "m" / "b.yaml").write_text(BASE.read_text().replace("LBX-2025-008", "LBX-2025-009"))
    result = verify(portfolio)
    assert result.returncode == 1
    gone = "finding SEC-004 for LBX-2025-009 at m/b.yaml /security/penetration_test/completed_on no longer reproduced"
    assert f"  {gone} (warning, waived)\n" in result.stdout
    assert "WAIVER-STALE" in result.stdout  # the waiver now matches nothing: a new notice
    (portfolio / "m" / "b.yaml").unlink()
    gone = verify(portfolio)
    assert gone.returncode == 1 and "manifest m/b.yaml is missing" in gone.stdout


def test_verify_notices_a_new_manifest_and_a_new_pack(portfolio: Path) -> None:
    run_cli("check", *PORTFOLIO_ARGS, *AS_OF, "--format", "json:report.json", cwd=portfolio)
    (portfolio / "m" / "c.yaml").write_text(BASE.read_text().replace("LBX-2025-008", "LBX-2025-010"))
    extra = LOCAL_PACK.replace("name: local", "name: extra").replace("LOC-", "EXT-")
    (portfolio / "packs" / "extra.yaml").write_text(extra)
    out = json.loads(verify(portfolio, "report.json", "--format", "json").stdout)
    heads = [d["message"].split(":")[0] for d in out["inputs"]]
    assert heads == ["manifest m/c.yaml is new", "pack extra 1.0.0 is new"]


def test_verify_rejects_what_is_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{\n  "findings": [\n}\n')
    broken = verify(tmp_path, "broken.json")
    assert broken.returncode == 2 and broken.stderr.startswith("govern: broken.json:3:1: report is not valid JSON")
    assert "Traceback" not in broken.stderr
    shutil.copy(BASE, tmp_path / "base.yaml")
    old = json.loads(run_cli("check", "base.yaml", *AS_OF, "--format", "json", cwd=tmp_path).stdout)
    del old["provenance"]
    (tmp_path / "old.json").write_text(json.dumps(old))
    missing = verify(tmp_path, "old.json")
    assert missing.returncode == 2 and "report has no provenance" in missing.stderr
    nothing = verify(tmp_path, "nothing.json")
    assert nothing.returncode == 2 and nothing.stderr.startswith("govern: nothing.json:1:1: cannot read report")


# -- phased-in and retired rules ------------------------------------------------------------------


def test_rule_before_effective_from_is_info_and_after_retired_on_does_not_run(tmp_path: Path) -> None:
    shutil.copy(BASE, tmp_path / "base.yaml")
    (tmp_path / "local.yaml").write_text(LOCAL_PACK)
    chosen = ("--policies", "local.yaml", "--only", "LOC-002", "--only", "LOC-003")
    args = ("check", "base.yaml", *chosen, "--format", "json")

    before = run_cli(*args, "--as-of", "2026-05-31", cwd=tmp_path)
    found = {f["rule"]: f for f in json.loads(before.stdout)["findings"]}
    assert found["LOC-002"]["severity"] == "info"
    assert found["LOC-002"]["message"].endswith("(comes into force on 2027-01-01)")
    assert found["LOC-003"]["severity"] == "error" and before.returncode == 1

    later = run_cli(*args, "--as-of", "2027-01-01", cwd=tmp_path)
    report = json.loads(later.stdout)
    report_validator().validate(report)
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("LOC-002", "error")]
    assert "comes into force" not in report["findings"][0]["message"]
    assert report["manifests"][0]["outcomes"] == {"LOC-002": "fail", "LOC-003": "retired"}

    listed = run_cli("rules", *chosen, cwd=tmp_path)
    rows = {line.split()[0]: line for line in listed.stdout.splitlines() if line.startswith("LOC-")}
    assert "2027-01-01" in rows["LOC-002"] and "2026-06-01" in rows["LOC-003"]
    as_json = json.loads(run_cli("rules", *chosen, "--format", "json", cwd=tmp_path).stdout)[1:]
    assert as_json[0]["retired_on"] == "2026-06-01" and as_json[0]["effective_from"] is None


# -- baseline -----------------------------------------------------------------------------------------

AGREED = "    - {with: LBX Electoral Registration Office, agreement: ISA-2025-007}\n"
UNAGREED = "    - {with: LBX Housing Benefit}\n"
TWO_SHARES = (
    "  sharing:\n" + AGREED,
    "  sharing:\n" + AGREED + UNAGREED,  # DATA-004 at /data/sharing/1/agreement
    "  sharing:\n" + UNAGREED + AGREED,  # the same problem at /data/sharing/0/agreement
)


def test_baseline_marks_existing_and_fails_only_on_new(tmp_path: Path) -> None:
    manifest = tmp_path / "x.yaml"
    manifest.write_text(stale_pen_test(BASE.read_text()))
    first = run_cli("check", "x.yaml", *AS_OF, "--format", "json:baseline.json", "--fail-on", "warning", cwd=tmp_path)
    assert first.returncode == 1

    again = ("check", "x.yaml", *AS_OF, "--baseline", "baseline.json", "--format", "json")
    same = run_cli(*again, "--fail-on", "warning", cwd=tmp_path)
    assert same.returncode == 0, same.stdout
    report = json.loads(same.stdout)
    report_validator().validate(report)
    assert [(f["rule"], f["status"]) for f in report["findings"]] == [("SEC-004", "existing")]
    assert report["provenance"]["baseline"] == {"file": "baseline.json", "sha256": sha256(tmp_path / "baseline.json")}
    text = run_cli("check", "x.yaml", *AS_OF, "--baseline", "baseline.json", cwd=tmp_path).stdout
    assert "WARNING(existing)  SEC-004" in text

    manifest.write_text(manifest.read_text().replace("mfa: {admins: true,", "mfa: {admins: false,"))
    worse = run_cli(*again, cwd=tmp_path)
    assert worse.returncode == 1  # the new SEC-002 error fails as usual
    statuses = {f["rule"]: f["status"] for f in json.loads(worse.stdout)["findings"]}
    assert statuses == {"SEC-004": "existing", "SEC-002": "open"}


def test_baseline_never_absorbs_a_finding_at_another_pointer(tmp_path: Path) -> None:
    manifest = tmp_path / "x.yaml"
    text = BASE.read_text()
    assert TWO_SHARES[0] in text
    manifest.write_text(text.replace(TWO_SHARES[0], TWO_SHARES[1]))
    _, first = check_json(tmp_path, "x.yaml")
    assert [(f["rule"], f["path"]) for f in first["findings"]] == [("DATA-004", "/data/sharing/1/agreement")]
    (tmp_path / "baseline.json").write_text(json.dumps(first))

    manifest.write_text(text.replace(TWO_SHARES[0], TWO_SHARES[2]))  # the same problem, now at item 0
    moved = run_cli("check", "x.yaml", *AS_OF, "--baseline", "baseline.json", "--format", "json", "--fail-on", "warning",
                    cwd=tmp_path)
    report = json.loads(moved.stdout)
    report_validator().validate(report)
    found = {(f["rule"], f["path"]): f for f in report["findings"]}
    assert found[("DATA-004", "/data/sharing/0/agreement")]["status"] == "open"
    resolved = found[("BASELINE-RESOLVED", "/data/sharing/1/agreement")]
    assert resolved["status"] == "resolved" and resolved["severity"] == "info"
    assert resolved["file"] == "x.yaml" and resolved["line"] == first["findings"][0]["line"]
    assert moved.returncode == 1  # DATA-004 (a warning since data pack 2.0.0) is new


def test_baseline_never_absorbs_a_finding_from_another_file(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(stale_pen_test(BASE.read_text()))
    run_cli("check", "x.yaml", *AS_OF, "--format", "json:baseline.json", cwd=tmp_path)
    shutil.copy(tmp_path / "x.yaml", tmp_path / "y.yaml")  # same initiative, rule and pointer; another file
    other = run_cli("check", "y.yaml", *AS_OF, "--baseline", "baseline.json", "--fail-on", "warning",
                    "--format", "json", cwd=tmp_path)
    assert other.returncode == 1
    found = {(f["rule"], f["file"]): f["status"] for f in json.loads(other.stdout)["findings"]}
    assert found == {("SEC-004", "y.yaml"): "open", ("BASELINE-RESOLVED", "x.yaml"): "resolved"}


def test_baseline_does_not_absorb_a_graver_finding_or_one_that_was_waived(portfolio: Path) -> None:
    run_cli("check", *PORTFOLIO_ARGS, *AS_OF, "--format", "json:baseline.json", cwd=portfolio)
    unwaived = run_cli("check", "m", "--policies", "packs", *AS_OF, "--baseline", "baseline.json",
                       "--fail-on", "warning", "--format", "json", cwd=portfolio)
    assert unwaived.returncode == 1  # it was waived in the baseline: without the waiver it is new
    assert {f["rule"]: f["status"] for f in json.loads(unwaived.stdout)["findings"]}["SEC-004"] == "open"


def test_invalid_baseline_is_a_located_input_error(tmp_path: Path) -> None:
    shutil.copy(BASE, tmp_path / "base.yaml")
    (tmp_path / "bad.json").write_text('{"findings": [\n  {"rule": 1}\n]}\n')
    bad = run_cli("check", "base.yaml", *AS_OF, "--baseline", "bad.json", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.startswith("govern: bad.json:1:1: baseline is not a valid govern JSON report")
    (tmp_path / "bad.json").write_text("[1, 2,]")
    syntax = run_cli("check", "base.yaml", *AS_OF, "--baseline", "bad.json", cwd=tmp_path)
    assert syntax.returncode == 2 and syntax.stderr.startswith("govern: bad.json:1:7: baseline is not valid JSON")


def test_verify_replays_a_baseline(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(stale_pen_test(BASE.read_text()))
    run_cli("check", "x.yaml", *AS_OF, "--format", "json:baseline.json", cwd=tmp_path)
    run_cli("check", "x.yaml", *AS_OF, "--baseline", "baseline.json", "--format", "json:report.json", cwd=tmp_path)
    assert verify(tmp_path).returncode == 0
    emptied = {**json.loads((tmp_path / "baseline.json").read_text()), "findings": []}
    (tmp_path / "baseline.json").write_text(json.dumps(emptied))
    changed = verify(tmp_path)
    assert changed.returncode == 1
    assert "  baseline baseline.json changed (sha256 " in changed.stdout
    assert "(warning existing -> warning open)" in changed.stdout


def test_verify_still_compares_hashes_when_the_check_cannot_rerun(tmp_path: Path) -> None:
    shutil.copy(BASE, tmp_path / "base.yaml")
    (tmp_path / "govern.yaml").write_text("home_country: GB\n")
    made = run_cli("check", "base.yaml", *AS_OF, "--format", "json:report.json", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    (tmp_path / "govern.yaml").write_text("home_country: [not, a, country]\n")
    result = verify(tmp_path)
    assert result.returncode == 1, result.stderr
    assert "  configuration govern.yaml changed (sha256 " in result.stdout
    assert "  the check cannot be re-run: govern.yaml:1:" in result.stdout
    assert "manifest" not in result.stdout


def test_verify_catches_an_altered_finding_message(tmp_path):
    """A report is evidence: editing what a finding says must not pass verification."""
    base = Path(__file__).resolve().parents[2] / "policies" / "examples" / "base.yaml"
    (tmp_path / "m.yaml").write_text(base.read_text().replace("logging_monitoring: true", "logging_monitoring: false"))
    made = run_cli("check", "m.yaml", "--as-of", "2026-11-22", "--format", "json", "--output", "r.json", cwd=tmp_path)
    assert made.returncode == 1, made.stderr
    assert run_cli("verify", "r.json", cwd=tmp_path).returncode == 0
    report = json.loads((tmp_path / "r.json").read_text())
    report["findings"][0]["message"] = "nothing to see here"
    (tmp_path / "r.json").write_text(json.dumps(report))
    result = run_cli("verify", "r.json", cwd=tmp_path)
    assert result.returncode == 1 and "nothing to see here" in result.stdout
