"""Tests of the govern-childrens-services plugin, with govern's public harness (govern.testing).

Run from the plugin's folder after installing govern and the plugin:
``pip install govern . && python -m pytest``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import govern_childrens_services as plugin
import yaml

from govern.core.checks import CheckFunction
from govern.core.model import Rule
from govern.testing import assert_examples, load_manifest, run_cli

PLUGIN = plugin.__file__
BASE = Path(plugin.__file__).parent / "policies" / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")
ISOLATED = ("--no-plugins", "--plugin", PLUGIN)
RULES = {"CHILD-001", "CHILD-002", "CHILD-003", "CHILD-004"}


def write(tmp_path: Path, manifest: dict, name: str = "initiative.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return str(path)


def variant(**settings) -> dict:
    manifest = load_manifest(BASE)
    manifest["extensions"]["childrens_services"].update(settings)
    return manifest


def findings_of(*args: str) -> tuple[int, list[dict]]:
    result = run_cli("check", *args, *AS_OF, "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def test_every_example_fires_exactly_its_rule_python_rule_included():
    results = assert_examples(plugins=[PLUGIN], source="childrens_services", exact=True, no_plugins=True)
    assert {r.rule for r in results} == RULES


def test_each_hook_contributes_what_the_plugin_promises():
    (rule,) = plugin.govern_rules()
    assert isinstance(rule, Rule) and rule.id == "CHILD-001"
    (function,) = plugin.govern_check_functions()
    assert isinstance(function, CheckFunction) and function.name == "childrens_services.defaults_off"
    assert function.options_schema["required"] == ["settings"]
    (reporter,) = plugin.govern_reporters()
    assert reporter.name == "childrens-csv" and reporter.commands == ("check",)
    assert set(plugin.govern_schema_extensions()) == {"childrens_services"}
    assert [p.name for p in plugin.govern_policy_paths()] == ["policies"]


def test_the_installed_entry_point_is_discovered():
    result = run_cli("plugins", "--format", "json")
    assert result.returncode == 0, result.stderr
    mine = {p["name"]: p for p in json.loads(result.stdout)["plugins"]}["childrens_services"]
    assert mine["origin"] == "entry point govern-childrens-services"
    assert set(mine["rules"]) == RULES
    assert mine["functions"] == ["childrens_services.defaults_off"]
    assert mine["formats"] == ["childrens-csv"] and mine["extensions"] == ["childrens_services"]


def test_python_rule_grades_severity_by_phase(tmp_path):
    manifest = variant(high_privacy_by_default=False)
    live = write(tmp_path, manifest, "live.yaml")
    manifest["metadata"]["phase"] = "alpha"
    manifest["metadata"]["id"] = "LBX-2026-003"
    alpha = write(tmp_path, manifest, "alpha.yaml")
    _, findings = findings_of(live, alpha, *ISOLATED)
    child = sorted((f["file"].rsplit("/", 1)[-1], f["severity"]) for f in findings if f["rule"] == "CHILD-001")
    assert child == [("alpha.yaml", "warning"), ("live.yaml", "error")]


def test_check_function_rules_fire_with_located_messages(tmp_path):
    path = write(tmp_path, variant(geolocation_default_off=False, profiling_default_off=None))
    code, findings = findings_of(path, *ISOLATED)
    assert code == 1
    fired = {f["rule"]: f for f in findings if f["rule"].startswith("CHILD-")}
    assert set(fired) == {"CHILD-002", "CHILD-003"}
    assert fired["CHILD-002"]["message"].endswith("geolocation is on by default (geolocation_default_off is false)")
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert "geolocation_default_off" in lines[fired["CHILD-002"]["line"] - 1]
    assert "not recorded (profiling_default_off)" in fired["CHILD-003"]["message"]
    assert fired["CHILD-003"]["path"] == "/extensions/childrens_services/profiling_default_off"


def test_services_not_likely_to_be_accessed_by_children_are_out_of_scope(tmp_path):
    manifest = variant(likely_accessed_by_children=False, high_privacy_by_default=False, geolocation_default_off=False)
    _, findings = findings_of(write(tmp_path, manifest), *ISOLATED)
    assert not [f for f in findings if f["rule"].startswith("CHILD-")]


def test_a_bad_with_option_in_a_pack_is_a_located_error(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "apiVersion: govern/v1\nkind: PolicyPack\nmetadata: {name: local, version: '1'}\nrules:\n"
        "  - id: LOCAL-001\n    title: t\n    severity: error\n    rationale: r\n    remediation: r\n"
        "    function: childrens_services.defaults_off\n    with: {setting: [geolocation]}\n"
        "    examples: {pass: [{manifest: {}}], fail: [{manifest: {}}]}\n",
        encoding="utf-8",
    )
    result = run_cli("rules", "--policies", str(tmp_path), *ISOLATED)
    assert result.returncode == 2
    assert "pack.yaml:11:" in result.stderr and "childrens_services.defaults_off" in result.stderr


def test_childrens_csv_reporter_is_a_tracker_row_per_initiative(tmp_path):
    write(tmp_path, load_manifest(BASE), "a-good.yaml")
    bad = variant(dpia_covers_children=False)
    bad["metadata"]["id"] = "LBX-2026-009"
    bad["metadata"]["name"] = '=HYPERLINK("http://x")'  # a spreadsheet formula must stay text
    write(tmp_path, bad, "b-bad.yaml")
    adult = variant(likely_accessed_by_children=False)
    adult["metadata"]["id"] = "LBX-2026-010"
    write(tmp_path, adult, "c-adult.yaml")
    args = ("check", str(tmp_path), *AS_OF, *ISOLATED, "--format", "childrens-csv")
    first, second = run_cli(*args), run_cli(*args)
    assert first.returncode == 1, first.stderr
    assert first.stdout == second.stdout  # deterministic bytes
    rows = list(csv.DictReader(io.StringIO(first.stdout)))
    assert [r["file"].rsplit("/", 1)[-1] for r in rows] == ["a-good.yaml", "b-bad.yaml", "c-adult.yaml"]
    good, bad_row, adult_row = rows
    assert (good["code_applies"], good["CHILD-004"], good["open_findings"]) == ("yes", "pass", "0")
    assert (bad_row["CHILD-004"], bad_row["open_findings"]) == ("fail", "1")
    assert bad_row["owners"] == "information_asset_owner: Priya Raman"
    assert bad_row["name"].startswith("'=")
    assert (adult_row["code_applies"], adult_row["CHILD-001"]) == ("no", "not-applicable")


def test_the_csv_format_is_gone_without_the_plugin():
    result = run_cli("check", str(BASE), *AS_OF, "--no-plugins", "--format", "childrens-csv")
    assert result.returncode == 2
    assert "unknown format 'childrens-csv'" in result.stderr and "Traceback" not in result.stderr
