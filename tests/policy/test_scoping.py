"""Scoping (docs/design/semantics.md 8.1): organisation type, nation and data-protection regime against a rule's ``applies_to``.

Every test runs the real CLI on real files: a council is not judged by the
Service Standard, a body that does not say what it is is judged as central
government and told so (GOV-013), Part 3 and Part 4 processing get their own rules.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from govern.core.resources import policies_dir
from govern.testing import run_cli

BASE = policies_dir() / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")


def manifest(folder: Path, name: str = "m.yaml", **changes: object) -> str:
    """The compliant base manifest with ``metadata``/``data``/``service`` keys changed (None deletes)."""
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        if value is None:
            data[section].pop(key, None)
        else:
            data[section][key] = value
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return name


def check(folder: Path, name: str, *args: str) -> tuple[int, dict]:
    result = run_cli("check", name, *AS_OF, "--no-plugins", "--format", "json", *args, cwd=folder)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def rules_of(report: dict) -> dict[str, dict]:
    return {f["rule"]: f for f in report["findings"]}


def outcomes(report: dict) -> dict[str, str]:
    (only,) = report["manifests"]
    return only["outcomes"]


COUNCIL = {"type": "local-authority", "nation": "england"}
CENTRAL = {"type": "central-government", "nation": "uk"}


def test_a_councils_live_service_without_a_gds_assessment_is_not_a_finding(tmp_path):
    name = manifest(tmp_path, metadata__organisation=COUNCIL, service__assessments=None)
    code, report = check(tmp_path, name)
    assert code == 0 and "GOV-006" not in rules_of(report)
    assert outcomes(report)["GOV-006"] == "not-applicable"
    assert outcomes(report)["SEC-009"] == "not-applicable"


def test_central_government_without_an_assessment_fails_gov_006(tmp_path):
    name = manifest(tmp_path, metadata__organisation=CENTRAL, service__assessments=None)
    code, report = check(tmp_path, name)
    assert code == 1 and rules_of(report)["GOV-006"]["severity"] == "error"
    assert "assumed scope" not in rules_of(report)["GOV-006"]["message"]


def test_an_unknown_type_applies_the_strictest_reading_and_says_so(tmp_path):
    name = manifest(tmp_path, metadata__organisation=None, service__assessments=None)
    code, report = check(tmp_path, name)
    found = rules_of(report)
    assert code == 1
    assert "assumed scope" in found["GOV-006"]["message"]
    assert found["GOV-013"]["severity"] == "warning"
    listed = found["GOV-013"]["message"].rsplit("applied on that assumption: ", 1)[1].split(", ")
    # every rule whose scope leaves out some type is listed (the family packs' UKG, DA, PUB rules too); ALL rules never;
    # SEC-003 applies to every body, but is an error only for central government: that severity is assumed too
    assert {"GOV-006", "SEC-003", "SEC-009", "GOV-014", "COM-003", "ACC-007"} <= set(listed) and "AI-002" not in listed
    assert found["GOV-006"]["scope_basis"] == "assumed"
    assert found["GOV-013"]["accountable"]["role"] == "senior_responsible_owner"


def test_configuration_gives_the_default_organisation_and_the_manifest_wins(tmp_path):
    (tmp_path / "govern.yaml").write_text("organisation: {type: nhs, nation: england}\n", encoding="utf-8")
    plain = manifest(tmp_path, "plain.yaml", metadata__organisation=None, service__assessments=None)
    code, report = check(tmp_path, plain)
    assert code == 0 and not {"GOV-006", "GOV-013"} & set(rules_of(report))
    own = manifest(tmp_path, "own.yaml", metadata__organisation={"type": "arms-length-body"}, service__assessments=None)
    code, report = check(tmp_path, own)
    assert code == 1 and "GOV-006" in rules_of(report)


def test_a_bad_organisation_in_configuration_is_a_located_error(tmp_path):
    (tmp_path / "govern.yaml").write_text("organisation: {type: parish}\n", encoding="utf-8")
    name = manifest(tmp_path)
    result = run_cli("check", name, *AS_OF, "--no-plugins", cwd=tmp_path)
    assert result.returncode == 2 and "govern.yaml:1" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_show_passes_names_the_scope_of_a_rule_that_does_not_bind(tmp_path):
    name = manifest(tmp_path, metadata__organisation=COUNCIL)
    result = run_cli("check", name, *AS_OF, "--no-plugins", "--show-passes", cwd=tmp_path)
    assert "N/A   GOV-006" in result.stdout
    assert "applies to UKG: central-government; arms-length-body (uk, england)" in result.stdout


def test_rules_and_explain_show_applies_to(tmp_path):
    result = run_cli("rules", "--no-plugins", "--format", "json", cwd=tmp_path)
    rules = {r["id"]: r for r in json.loads(result.stdout)}
    assert rules["GOV-006"]["applies_to"] == {"scope": ["UKG"]}
    assert rules["GOV-001"]["applies_to"] is None
    table = run_cli("rules", "--no-plugins", cwd=tmp_path).stdout
    assert "Applies to" in table.splitlines()[0]
    explained = run_cli("explain", "SEC-009", "--no-plugins", cwd=tmp_path).stdout
    assert "applies to: UKG: central-government; arms-length-body (uk, england)" in explained


# -- data-protection regimes ------------------------------------------------------------------------


def test_part3_processing_is_judged_by_part3_rules(tmp_path):
    data_regime = {"regime": "dpa-part-3"}
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    police = {**base["data"], **data_regime, "biometric_data": True, "lawful_basis": None}
    police = {k: v for k, v in police.items() if v is not None}
    name = manifest(tmp_path, metadata__organisation={"type": "police", "nation": "england"})
    data = yaml.safe_load((tmp_path / name).read_text())
    data["data"] = police
    (tmp_path / name).write_text(yaml.safe_dump(data, sort_keys=False))
    code, report = check(tmp_path, name)
    found = rules_of(report)
    assert {"PRIV-012", "PRIV-013"} <= set(found) and "PRIV-004" not in found
    assert outcomes(report)["PRIV-004"] == outcomes(report)["PRIV-006"] == "not-applicable"
    assert outcomes(report)["PRIV-002"] == "pass"  # the DPIA duties stay, under s.64


def test_part4_processing_gets_one_notice_and_no_uk_gdpr_rule(tmp_path):
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    name = manifest(tmp_path, data__regime="dpa-part-4", data__lawful_basis=None)
    code, report = check(tmp_path, name)
    privacy = [f for f in report["findings"] if f["rule"].startswith("PRIV-")]
    assert [(f["rule"], f["severity"]) for f in privacy] == [("PRIV-014", "info")]
    assert all(outcomes(report)[f"PRIV-0{n:02d}"] == "not-applicable" for n in range(1, 12))
    assert base  # the base manifest itself is untouched


# -- applies_to in packs and plugins ----------------------------------------------------------------


PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: local, version: 1.0.0, domain: governance}
rules:
  - id: LOCAL-001
    title: Welsh councils only
    severity: warning
    rationale: r
    remediation: r
    applies_to: {organisation_types: [local-authority], nations: [%s]}
    require: false
    examples: {pass: [{manifest: {}}], fail: [{manifest: {}}]}
"""


@pytest.mark.parametrize(("nation", "fires"), [("wales", True), ("scotland", False)])
def test_a_local_pack_rule_is_scoped_by_type_and_nation(tmp_path, nation, fires):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "local.yaml").write_text(PACK % "wales", encoding="utf-8")
    name = manifest(tmp_path, metadata__organisation={"type": "local-authority", "nation": nation})
    code, report = check(tmp_path, name, "--policies", "p")
    assert ("LOCAL-001" in rules_of(report)) is fires
    assert outcomes(report)["LOCAL-001"] == ("fail" if fires else "not-applicable")


def test_a_pack_rule_with_an_unknown_scope_is_a_located_error(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "local.yaml").write_text(PACK % "atlantis", encoding="utf-8")
    name = manifest(tmp_path)
    result = run_cli("check", name, *AS_OF, "--no-plugins", "--policies", "p", cwd=tmp_path)
    assert result.returncode == 2 and "local.yaml:" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


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


def test_a_plugin_rule_is_scoped_like_a_yaml_rule(tmp_path):
    (tmp_path / "plug.py").write_text(textwrap.dedent(PLUGIN % {"organisation_types": ("nhs",)}), encoding="utf-8")
    council = manifest(tmp_path, "council.yaml", metadata__organisation=COUNCIL)
    code, report = check(tmp_path, council, "--plugin", "plug.py")
    assert "NHS-001" not in rules_of(report) and outcomes(report)["NHS-001"] == "not-applicable"
    trust = manifest(tmp_path, "trust.yaml", metadata__organisation={"type": "nhs"})
    code, report = check(tmp_path, trust, "--plugin", "plug.py")
    assert "NHS-001" in rules_of(report)


def test_a_plugin_rule_with_a_bad_scope_is_refused(tmp_path):
    (tmp_path / "plug.py").write_text(textwrap.dedent(PLUGIN % {"organisation_types": ("parish",)}), encoding="utf-8")
    name = manifest(tmp_path)
    result = run_cli("check", name, *AS_OF, "--no-plugins", "--plugin", "plug.py", cwd=tmp_path)
    assert result.returncode == 2 and "parish" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
