"""Named scope codes (docs/reference/rule-families.md "Who a rule binds"; docs/design/semantics.md 8.1, 8.9 items 13, 16).

Every test runs the real CLI on real files built from the department base
(policies/examples/department.yaml): who a rule binds is decided by the scope
codes its pack names in ``applies_to``, a body that does not say what it is is
judged as central government (nation uk) and every finding that exists only
for that says "assumed scope", a body that opts in with ``extend_scope`` gets
findings that say "adopted, not binding", and a rule that does not bind a body
is "not applicable", with the reason.
"""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path

import yaml

from govern.core.resources import policies_dir
from govern.policy.packs import merge_patch
from govern.testing import run_cli

DEPARTMENT = yaml.safe_load((policies_dir() / "examples" / "department.yaml").read_text(encoding="utf-8"))
AS_OF = ("--as-of", "2026-11-22")
CONTRACT = {
    "id": "C-2025-110", "supplier": "CaseCo Ltd", "regime": "procurement-act-2023", "kind": "standard",
    "estimated_value": 6200000, "awarded_on": "2025-06-02", "ends_on": "2028-06-01",
    "manager": {"name": "R. Singh", "email": "r.singh@example.gov"},
    "exit_plan": None, "kpis": None, "performance_assessed_on": "2026-05-30",
}  # no exit plan (COM-001) and no KPIs (COM-003)


def write(folder: Path, patch: dict, name: str = "m.yaml") -> str:
    data = merge_patch(copy.deepcopy(DEPARTMENT), patch)
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False, default_flow_style=False), encoding="utf-8")
    return name


def run(folder: Path, *args: str):
    result = run_cli(*args, cwd=folder)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def check_json(folder: Path, name: str, *args: str) -> tuple[int, dict]:
    result = run(folder, "check", name, *AS_OF, "--no-plugins", "--format", "json", *args)
    return result.returncode, json.loads(result.stdout)


def by_rule(report: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        out.setdefault(finding["rule"], []).append(finding)
    return out


def body(kind: str | None, nation: str | None) -> dict:
    organisation = {"type": kind, "nation": nation}
    return {"metadata": {"organisation": organisation if kind or nation else None}}


# -- who a rule binds ---------------------------------------------------------------------------------


def test_a_scottish_council_gets_com_001_but_not_the_procurement_act_rules(tmp_path):
    name = write(tmp_path, {**body("local-authority", "scotland"), "contracts": [CONTRACT]})
    code, report = check_json(tmp_path, name)
    found = by_rule(report)
    assert "COM-001" in found and found["COM-001"][0]["scope_basis"] == "binding"
    assert not {"COM-003", "COM-004"} & set(found)
    (manifest,) = report["manifests"]
    assert manifest["outcomes"]["COM-003"] == manifest["outcomes"]["COM-004"] == "not-applicable"
    assert manifest["not_applicable"]["COM-003"] == "nation scotland for local-authority"
    assert "COM-001" not in manifest["not_applicable"]


def test_a_scottish_central_government_body_is_bound_by_the_procurement_act(tmp_path):
    name = write(tmp_path, {**body("central-government", "scotland"), "contracts": [CONTRACT]})
    code, report = check_json(tmp_path, name)
    assert {"COM-001", "COM-003"} <= set(by_rule(report)) and code == 1


def test_an_english_council_gets_com_003_not_com_001(tmp_path):
    name = write(tmp_path, {**body("local-authority", "england"), "contracts": [CONTRACT]})
    code, report = check_json(tmp_path, name)
    found = by_rule(report)
    assert "COM-003" in found and "COM-001" not in found
    assert report["manifests"][0]["not_applicable"]["COM-001"] == "nation england for local-authority"


def test_a_welsh_council_is_outside_ukg_and_da_but_inside_pa23_and_gb(tmp_path):
    name = write(tmp_path, {**body("local-authority", "wales"), "contracts": [CONTRACT],
                            "business_case": None, "equality": None})
    code, report = check_json(tmp_path, name)
    found = by_rule(report)
    (manifest,) = report["manifests"]
    for rule in ("GOV-014", "GOV-017", "GOV-024", "AI-001"):  # UKG / DA rules
        assert manifest["outcomes"][rule] == "not-applicable" and rule not in found
        assert manifest["not_applicable"][rule] == "organisation type local-authority"
    assert "COM-003" in found  # PA23: the Procurement Act binds Welsh councils
    assert "ACC-007" in found  # GB: the public sector equality duty
    assert "GOV-013" not in found


def test_an_nhs_body_is_told_why_ukg_rules_do_not_apply(tmp_path):
    name = write(tmp_path, {**body("nhs", "england"), "governance": {"spend_control": None}})
    result = run(tmp_path, "check", name, *AS_OF, "--no-plugins", "--show-passes")
    assert "GOV-017" not in result.stdout.split("\n\n")[0]  # no finding
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if line.startswith("  N/A ")}
    assert "out of scope: organisation type nhs" in lines["GOV-017"]
    assert "UKG: central-government; arms-length-body (uk, england)" in lines["GOV-017"]
    passed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("  PASS ")]
    assert "GOV-017" not in passed  # not applicable is not passed
    # DATA-008 (scope PUB) binds an NHS body; it is quiet only because the data is personal
    assert "its conditions did not match" in lines["DATA-008"] and "out of scope" not in lines["DATA-008"]


# -- assumed scope ------------------------------------------------------------------------------------


def test_no_type_applies_scoped_rules_as_central_government_and_marks_them(tmp_path):
    name = write(tmp_path, {**body(None, None), "contracts": [CONTRACT]})
    code, report = check_json(tmp_path, name)
    found = by_rule(report)
    (notice,) = found["GOV-013"]
    listed = notice["message"].rsplit("applied on that assumption: ", 1)[1].split(", ")
    assert {"COM-001", "COM-003", "GOV-006", "GOV-014"} <= set(listed)
    assert "AI-002" not in listed and "GOV-001" not in listed  # scope ALL, unscoped: never assumed
    for rule in ("COM-001", "COM-003"):
        (finding,) = found[rule]
        assert finding["scope_basis"] == "assumed" and "assumed scope" in finding["message"]
    assert notice["scope_basis"] == "binding"
    sarif = json.loads(run(tmp_path, "check", name, *AS_OF, "--no-plugins", "--format", "sarif").stdout)
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    assert results["COM-003"]["properties"]["scopeBasis"] == "assumed"
    assert results["COM-003"]["properties"]["scope"] == "assumed scope"
    assert "scopeBasis" not in results["GOV-013"]["properties"]
    for fmt in ("text", "junit", "markdown"):
        out = run(tmp_path, "check", name, *AS_OF, "--no-plugins", "--format", fmt).stdout
        assert "assumed scope" in out, fmt


def test_a_finding_of_assumed_scope_is_waivable_though_its_rule_is_not(tmp_path):
    name = write(tmp_path, {**body(None, None), "contracts": [CONTRACT]})
    register = textwrap.dedent("""\
        apiVersion: govern/v1
        kind: WaiverRegister
        waivers:
          - initiative: DFG-2025-008
            rule: COM-003
            justification: The body is a Scottish council; its type is being recorded
            approved_by: {name: Digital Investment Board}
            approved_on: 2026-11-01
            expires: 2027-03-01
        """)
    (tmp_path / "waivers.yaml").write_text(register, encoding="utf-8")
    code, report = check_json(tmp_path, name, "--waivers", "waivers.yaml")
    (com3,) = by_rule(report)["COM-003"]
    assert com3["status"] == "waived" and "WAIVER-REFUSED" not in by_rule(report)
    # the same waiver for a body that records its type is refused: COM-003 is statutory
    typed = write(tmp_path, {**body("local-authority", "england"), "contracts": [CONTRACT]}, "typed.yaml")
    code, report = check_json(tmp_path, typed, "--waivers", "waivers.yaml")
    assert by_rule(report)["COM-003"][0]["status"] == "open" and "WAIVER-REFUSED" in by_rule(report)


def test_a_missing_nation_is_read_as_uk_and_said(tmp_path):
    name = write(tmp_path, {**body("arms-length-body", None), "contracts": [CONTRACT]})
    code, report = check_json(tmp_path, name)
    found = by_rule(report)
    (notice,) = found["GOV-013"]
    assert "nation not recorded, `uk` assumed" in notice["message"]
    listed = notice["message"].rsplit("applied on that assumption: ", 1)[1].split(", ")
    assert "COM-001" in listed and "GOV-006" in listed  # GOV-006 (UKG) binds an ALB only in England or UK-wide
    (com1,) = found["COM-001"]
    assert com1["scope_basis"] == "assumed" and "nation not recorded, uk assumed" in com1["message"]


# -- adopted scope ------------------------------------------------------------------------------------


def test_extend_scope_adopts_a_rule_that_does_not_bind_the_body(tmp_path):
    name = write(tmp_path, {**body("local-authority", "england"), "technology": {"source_code": None}})
    code, report = check_json(tmp_path, name)
    assert "GOV-024" not in by_rule(report)
    (tmp_path / "govern.yaml").write_text("rules:\n  GOV-024: {extend_scope: [local-authority]}\n", encoding="utf-8")
    code, report = check_json(tmp_path, name)
    (finding,) = by_rule(report)["GOV-024"]
    assert finding["scope_basis"] == "adopted" and "adopted, not binding" in finding["message"]
    text = run(tmp_path, "check", name, *AS_OF, "--no-plugins").stdout
    assert "GOV-024" in text and "adopted, not binding" in text
    sarif = json.loads(run(tmp_path, "check", name, *AS_OF, "--no-plugins", "--format", "sarif").stdout)
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "GOV-024"]
    assert result["properties"]["scope"] == "adopted, not binding"
    board = run(tmp_path, "portfolio", name, *AS_OF, "--no-plugins", "--format", "csv").stdout
    assert "scope,,DFG-2025-008,GOV-024," in board and "adopted, not binding" in board


def test_extend_scope_with_an_unknown_type_is_a_located_error(tmp_path):
    name = write(tmp_path, body("local-authority", "england"))
    (tmp_path / "govern.yaml").write_text("rules:\n  GOV-024: {extend_scope: [parish]}\n", encoding="utf-8")
    result = run(tmp_path, "check", name, *AS_OF, "--no-plugins")
    assert result.returncode == 2 and "govern.yaml:2:" in result.stderr + result.stdout


# -- rules, explain and the board pack -------------------------------------------------------------


def test_rules_and_explain_name_the_scope_codes_in_words(tmp_path):
    rules = {r["id"]: r for r in json.loads(run(tmp_path, "rules", "--no-plugins", "--format", "json").stdout)}
    assert rules["COM-003"]["applies_to"] == {"scope": ["PA23"]}
    assert rules["GOV-014"]["applies_to_text"].startswith("UKG: central-government; arms-length-body (uk, england) or DA: ")
    table = run(tmp_path, "rules", "--no-plugins").stdout
    (com1,) = [line for line in table.splitlines() if line.startswith("COM-001")]
    assert "UKG, PUB (scotland)" in com1
    explained = run(tmp_path, "explain", "COM-003", "--no-plugins").stdout
    assert "applies to: PA23: central-government; arms-length-body, local-authority" in explained
    assert "extend_scope" in explained


def test_the_board_pack_lists_the_rules_not_applicable_by_scope(tmp_path):
    name = write(tmp_path, body("local-authority", "wales"))
    page = run(tmp_path, "portfolio", name, *AS_OF, "--no-plugins", "--format", "html").stdout
    assert "Not applicable by scope" in page
    assert "<li><strong>GOV-014</strong> Business case at the stage the phase needs: organisation type local-authority</li>" in page


# -- applies_to in user and plugin packs -----------------------------------------------------------

PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: local, version: 1.0.0, domain: governance}
rules:
  - id: LOCAL-001
    title: Devolved bodies only
    severity: warning
    rationale: r
    remediation: r
    applies_to: %s
    require: false
    examples: {pass: [{manifest: {}}], fail: [{manifest: {}}]}
"""


def test_a_user_pack_names_a_scope_code(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "local.yaml").write_text(PACK % "{any_of: [{scope: [DA]}, {organisation_types: [nhs], nations: [wales]}]}",
                                              encoding="utf-8")
    for kind, nation, fires in (("devolved-administration", "wales", True), ("nhs", "wales", True),
                                ("nhs", "england", False), ("local-authority", "scotland", False)):
        name = write(tmp_path, body(kind, nation))
        code, report = check_json(tmp_path, name, "--policies", "p")
        assert ("LOCAL-001" in by_rule(report)) is fires, (kind, nation)


def test_a_bad_scope_code_in_a_user_pack_is_a_located_error(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "local.yaml").write_text(PACK % "{scope: [UKX]}", encoding="utf-8")
    name = write(tmp_path, {})
    result = run(tmp_path, "check", name, *AS_OF, "--no-plugins", "--policies", "p")
    said = result.stdout + result.stderr
    assert result.returncode == 2 and "local.yaml:10:" in said and "UKX" in said


def test_a_bad_alternative_in_a_user_pack_is_a_located_error(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "local.yaml").write_text(PACK % "{any_of: [{nations: [atlantis]}]}", encoding="utf-8")
    name = write(tmp_path, {})
    result = run(tmp_path, "check", name, *AS_OF, "--no-plugins", "--policies", "p")
    said = result.stdout + result.stderr
    assert result.returncode == 2 and "local.yaml:10:" in said and "atlantis" in said


PLUGIN = """
from govern import hookimpl
from govern.core.model import Rule, Violation


def _always(data, ctx):
    yield Violation("/metadata/name", "ran")


@hookimpl
def govern_rules():
    return [Rule(id="NHS-001", title="NHS only", domain="governance", severity="warning", accountable=None,
                 check=_always, rationale="r", remediation="r", applies_to=%r)]
"""


def test_a_plugin_rule_names_a_scope_code(tmp_path):
    (tmp_path / "plug.py").write_text(textwrap.dedent(PLUGIN % {"scope": ("UKG",)}), encoding="utf-8")
    council = write(tmp_path, body("local-authority", "england"), "council.yaml")
    code, report = check_json(tmp_path, council, "--plugin", "plug.py")
    assert "NHS-001" not in by_rule(report)
    department = write(tmp_path, {}, "department.yaml")
    code, report = check_json(tmp_path, department, "--plugin", "plug.py")
    assert "NHS-001" in by_rule(report)


def test_a_plugin_rule_with_a_bad_scope_code_is_refused_with_exit_2(tmp_path):
    (tmp_path / "plug.py").write_text(textwrap.dedent(PLUGIN % {"any_of": [{"scope": ["UKX"]}]}), encoding="utf-8")
    name = write(tmp_path, {})
    result = run(tmp_path, "check", name, *AS_OF, "--no-plugins", "--plugin", "plug.py")
    said = result.stdout + result.stderr
    assert result.returncode == 2 and "'UKX' is not one of" in said and "applies_to/any_of/0/scope" in said
