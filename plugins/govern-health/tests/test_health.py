"""Tests of the govern-health plugin, with govern's public harness (govern.testing).

Run from the plugin's folder after installing govern and the plugin:
``pip install govern . && python -m pytest``.
"""

from __future__ import annotations

import json
from pathlib import Path

import govern_health
import pytest
import yaml

from govern.testing import assert_examples, load_manifest, run_cli

PLUGIN = govern_health.__file__  # the installed module; `--plugin` on it is the same plugin as the entry point
BASE = Path(govern_health.__file__).parent / "policies" / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")
ISOLATED = ("--no-plugins", "--plugin", PLUGIN)  # this plugin alone, whatever else is installed
RULES = {f"HEALTH-00{i}" for i in range(1, 9)}


def write(tmp_path: Path, manifest: dict, name: str = "initiative.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return str(path)


def check(*args: str) -> tuple[int, list[dict]]:
    result = run_cli("check", *args, *AS_OF, "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)["findings"] if result.stdout else []


def test_every_example_fires_exactly_its_rule():
    results = assert_examples(plugins=[PLUGIN], source="health", exact=True, no_plugins=True)
    assert {r.rule for r in results} == RULES
    assert {r.kind for r in results} == {"pass", "fail"}


def test_the_installed_entry_point_is_discovered():
    result = run_cli("plugins", "--format", "json")
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)["plugins"]}
    health = plugins["health"]
    assert health["origin"] == "entry point govern-health"
    assert health["version"] == govern_health.__version__
    assert [p["name"] for p in health["packs"]] == ["health"]
    assert set(health["rules"]) == RULES
    assert health["extensions"] == ["health"]


def test_rules_are_listed_with_their_source_and_vanish_without_plugins():
    listed = run_cli("rules", "--format", "json", "--domain", "health")
    assert listed.returncode == 0, listed.stderr
    rules = json.loads(listed.stdout)
    assert {r["id"] for r in rules} == RULES
    assert {(r["source"], r["pack"]) for r in rules} == {("health", "health")}
    without = run_cli("rules", "--format", "json", "--no-plugins")
    assert not {r["id"] for r in json.loads(without.stdout)} & RULES


def test_the_base_manifest_passes_the_health_rules_and_the_extension_schema(tmp_path):
    code, findings = check(str(BASE), *ISOLATED)
    assert [f for f in findings if f["rule"].startswith(("HEALTH-", "GOV-SCHEMA", "GOV-EXTENSION"))] == []


def test_a_real_run_reports_located_findings_with_owners(tmp_path):
    manifest = load_manifest(BASE)
    health = manifest["extensions"]["health"]
    del health["manufacturer"]["clinical_safety_officer"]
    health["dspt"]["published_on"] = "2025-06-30"
    code, findings = check(write(tmp_path, manifest), *ISOLATED)
    assert code == 1
    fired = {f["rule"]: f for f in findings if f["rule"].startswith("HEALTH-")}
    assert set(fired) == {"HEALTH-001", "HEALTH-007"}
    cso = fired["HEALTH-001"]
    assert cso["path"] == "/extensions/health/manufacturer/clinical_safety_officer"
    assert cso["line"] > 1 and cso["accountable"] == {"role": "senior_responsible_owner", "name": "Hannah Okoro"}
    assert "2025-06-30, more than 12 months before 2026-11-22" in fired["HEALTH-007"]["message"]
    assert fired["HEALTH-007"]["accountable"]["role"] == "senior_information_risk_owner"


def test_approaching_standards_is_a_warning_not_an_error(tmp_path):
    manifest = load_manifest(BASE)
    manifest["extensions"]["health"]["dspt"]["status"] = "approaching-standards"
    code, findings = check(write(tmp_path, manifest), *ISOLATED)
    assert [(f["rule"], f["severity"]) for f in findings if f["rule"].startswith("HEALTH-")] == [
        ("HEALTH-008", "warning")
    ]


@pytest.mark.parametrize(
    "phase, fired", [("discovery", set()), ("alpha", {"HEALTH-001", "HEALTH-002", "HEALTH-004", "HEALTH-005"})]
)
def test_clinical_safety_duties_start_in_alpha(tmp_path, phase, fired):
    manifest = load_manifest(BASE)
    manifest["metadata"]["phase"] = phase
    manifest["extensions"]["health"] = {"health_it_system": True, "roles": ["manufacturer", "deploying-organisation"]}
    _, findings = check(write(tmp_path, manifest), *ISOLATED)
    assert {f["rule"] for f in findings if f["rule"].startswith("HEALTH-")} == fired


def test_a_mistyped_extension_field_is_a_located_schema_error(tmp_path):
    manifest = load_manifest(BASE)
    manifest["extensions"]["health"]["dspt"]["status"] = "green"
    manifest["extensions"]["health"]["hazzard_log"] = {"reference": "HL-1"}
    path = write(tmp_path, manifest)
    code, findings = check(path, *ISOLATED)
    schema = sorted((f["path"], f["message"]) for f in findings if f["rule"] == "GOV-SCHEMA")
    assert code == 1
    # each at its own place: the unknown key at its own line, the bad value at the value
    assert schema[0][0] == "/extensions/health/dspt/status" and "green" in schema[0][1]
    assert schema[1][0] == "/extensions/health/hazzard_log" and "hazzard_log" in schema[1][1]
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    status = next(f for f in findings if f["path"] == "/extensions/health/dspt/status")
    assert "green" in lines[status["line"] - 1]
    typo = next(f for f in findings if f["path"] == "/extensions/health/hazzard_log")
    assert "hazzard_log" in lines[typo["line"] - 1]


def test_without_the_plugin_the_block_is_an_unowned_extension_warning():
    code, findings = check(str(BASE), "--no-plugins")
    unowned = [f for f in findings if f["rule"] == "GOV-EXTENSION"]
    assert [(f["path"], f["severity"]) for f in unowned] == [("/extensions/health", "warning")]
    assert not [f for f in findings if f["rule"].startswith("HEALTH-")]


def test_govern_test_runs_the_pack_examples():
    result = run_cli("test", str(BASE.parent.parent), *ISOLATED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "34 passed, 0 failed" in result.stdout
