"""Configuration (docs/reference/configuration.md): discovery, validation with locations, precedence, `govern config`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ["--as-of", "2026-11-22"]

PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: config-tests, version: "1", domain: configtest}
rules:
  - id: CFG-001
    title: Tags recorded
    severity: warning
    accountable: service_owner
    rationale: Test rule.
    remediation: Add metadata.tags.
    require: {required: [metadata], properties: {metadata: {required: [tags]}}}
    examples: {pass: [{manifest: {metadata: {tags: [a]}}}], fail: [{manifest: {metadata: {}}}]}
"""

# A plugin rule that reports the settings the rules see through ctx.config.
PLUGIN = '''
from govern import hookimpl
from govern.core.model import Rule, Violation


def _settings(data, ctx):
    tiers = ctx.setting("classification", {}).get("tiers")
    yield Violation("/metadata", f"home_country={ctx.setting('home_country', None)} tiers={tiers}")


@hookimpl
def govern_rules():
    return [Rule(id="CFGP-001", title="Settings", domain="configplugin", severity="info", accountable=None,
                 check=_settings, rationale="r", remediation="r")]
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """project/ with a pack under project/rules and a manifest that fails CFG-001 (a warning)."""
    root = tmp_path / "project"
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "pack.yaml").write_text(PACK, encoding="utf-8")
    text = BASE.read_text(encoding="utf-8").replace("  tags: [council-tax, change-of-circumstances]\n", "")
    (root / "initiatives").mkdir()
    (root / "initiatives" / "m.yaml").write_text(text, encoding="utf-8")
    return root


def config_json(cwd: Path, *args: str) -> dict:
    result = run_cli("config", "--format", "json", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def findings(result) -> list[dict]:
    assert result.stdout, result.stderr
    return json.loads(result.stdout)["findings"]


def test_without_a_file_every_setting_is_a_default(tmp_path):
    shown = config_json(tmp_path)
    assert shown["file"] is None
    settings = shown["settings"]
    assert {"policies", "only", "skip", "severity", "appetite", "waivers", "fail_on", "format", "classification",
            "home_country", "plugins", "max_file_size", "jobs"} <= set(settings)
    assert all(s["source"] == "default" for s in settings.values())
    assert settings["fail_on"]["value"] == "error" and settings["home_country"]["value"] == "GB"
    assert "OFFICIAL" in settings["classification"]["value"]["tiers"]


def test_govern_yaml_is_found_upwards_and_its_paths_are_relative_to_it(project):
    (project / "govern.yaml").write_text("policies: [rules]\nfail_on: warning\nformat: json\n", encoding="utf-8")
    cwd = project / "initiatives"
    shown = config_json(cwd)
    assert shown["file"] == "../govern.yaml"
    assert shown["settings"]["policies"] == {"value": ["../rules"], "source": "../govern.yaml"}
    assert shown["settings"]["fail_on"]["source"] == "../govern.yaml"
    assert shown["settings"]["jobs"]["source"] == "default"
    result = run_cli("check", "m.yaml", *AS_OF, cwd=cwd)
    assert result.returncode == 1  # fail_on: warning, and the default format is now json
    assert [f["rule"] for f in findings(result)] == ["CFG-001"]


def test_command_line_overrides_the_file(project):
    (project / "govern.yaml").write_text("policies: [rules]\nfail_on: warning\n", encoding="utf-8")
    result = run_cli("check", "initiatives/m.yaml", *AS_OF, "--fail-on", "error", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "WARNING  CFG-001" in result.stdout
    shown = config_json(project, "--fail-on", "error", "--only", "CFG-001")
    assert shown["settings"]["fail_on"] == {"value": "error", "source": "command line"}
    assert shown["settings"]["only"] == {"value": ["CFG-001"], "source": "command line"}
    assert shown["settings"]["policies"]["source"] == "govern.yaml"
    table = run_cli("config", "--fail-on", "error", cwd=project).stdout
    assert table.startswith("configuration file: govern.yaml\n")
    assert re.search(r"^fail_on\s+error\s+command line$", table, re.M) and re.search(r"^policies\s+\[\"rules\"\]\s+govern\.yaml$", table, re.M)


def test_pyproject_tool_govern_is_read(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.govern]\npolicies = ["rules"]\n\n'
        '[tool.govern.severity]\nCFG-001 = "error"\n',
        encoding="utf-8",
    )
    result = run_cli("check", "initiatives/m.yaml", *AS_OF, "--format", "json", cwd=project)
    assert result.returncode == 1
    assert [(f["rule"], f["severity"]) for f in findings(result)] == [("CFG-001", "error")]
    assert config_json(project)["file"] == "pyproject.toml"


def test_discovery_stops_at_the_first_file_and_skips_pyproject_without_tool_govern(project):
    (project / "govern.yaml").write_text("policies: [rules]\nhome_country: IE\n", encoding="utf-8")
    inner = project / "initiatives"
    (inner / "pyproject.toml").write_text('[project]\nname = "inner"\n', encoding="utf-8")  # no [tool.govern]: skipped
    assert config_json(inner)["file"] == "../govern.yaml"
    (inner / "govern.yaml").write_text("home_country: FR\n", encoding="utf-8")  # nearer: wins, nothing merged
    shown = config_json(inner)
    assert shown["file"] == "govern.yaml"
    assert shown["settings"]["home_country"]["value"] == "FR" and shown["settings"]["policies"]["value"] == []


def test_severity_off_and_skip_and_packs(project, monkeypatch):
    monkeypatch.setenv("GOVERN_DISABLE_PLUGIN_AUTOLOAD", "1")  # `packs.enable` below names govern's own packs only
    config = project / "govern.yaml"
    config.write_text("policies: [rules]\nseverity: {CFG-001: 'off'}\n", encoding="utf-8")
    result = run_cli("check", "initiatives/m.yaml", *AS_OF, "--format", "json", cwd=project)
    assert result.returncode == 0 and findings(result) == []
    config.write_text("policies: [rules]\nskip: [CFG-001]\n", encoding="utf-8")
    assert findings(run_cli("check", "initiatives/m.yaml", *AS_OF, "--format", "json", cwd=project)) == []
    config.write_text("policies: [rules]\npacks: {disable: [config-tests]}\n", encoding="utf-8")
    assert findings(run_cli("check", "initiatives/m.yaml", *AS_OF, "--format", "json", cwd=project)) == []
    every = ", ".join(["config-tests", *sorted(p.stem for p in (ROOT / "policies").glob("*.yaml") if p.stem != "default-appetite")])
    config.write_text(f"policies: [rules]\npacks: {{enable: [{every}]}}\n", encoding="utf-8")
    assert len(findings(run_cli("check", "initiatives/m.yaml", *AS_OF, "--format", "json", cwd=project))) == 1
    # enabling only some packs would switch off rules that cannot be waived: tests/run/test_nonwaivable_config.py


def test_settings_reach_the_rules(project):
    (project / "plugin.py").write_text(PLUGIN, encoding="utf-8")
    (project / "govern.yaml").write_text("home_country: IE\nclassification: {tiers: [PUBLIC, OFFICIAL]}\n", encoding="utf-8")
    result = run_cli("check", "initiatives/m.yaml", "--plugin", "plugin.py", "--only", "CFGP-001", *AS_OF, "--format", "json",
                     cwd=project)
    (finding,) = findings(result)
    assert finding["message"].endswith("home_country=IE tiers=['PUBLIC', 'OFFICIAL']")


def test_max_file_size_from_the_file(project):
    (project / "govern.yaml").write_text("max_file_size: 100\n", encoding="utf-8")
    result = run_cli("check", "initiatives/m.yaml", *AS_OF, cwd=project)
    assert result.returncode == 2 and "over the 100-byte limit" in result.stdout


@pytest.mark.parametrize(
    "name, text, where, message",
    [
        ("govern.yaml", "policies: [rules]\nfail_on: sometimes\n", "govern.yaml:2:1", 'fail_on must be one of "error"'),
        ("govern.yaml", "policies: [rules]\nseverity:\n  CFG-001: loud\n", "govern.yaml:3:3", "severity.CFG-001 must be one of"),
        ("govern.yaml", "fail-on: error\n", "govern.yaml:1:1", "fail-on"),
        ("govern.yaml", "policies: [rules\n", "govern.yaml:1:11", "YAML syntax error"),  # at the unclosed bracket
        ("govern.yaml", "- a list\n", "govern.yaml:1:1", "mapping of settings"),
        ("pyproject.toml", '[tool.govern]\npolicies = ["rules"]\nmax_file_size = "big"\n', "pyproject.toml:3:1", "max_file_size"),
        ("pyproject.toml", '[tool.govern]\nonly = ["security"]\n\n[tool.govern.plugins]\nautoload = "yes"\n', "pyproject.toml:5:1", "autoload"),
        ("pyproject.toml", "[tool.govern]\nfail_on = \n", "pyproject.toml:2:", "TOML syntax error"),
    ],
)
def test_bad_configuration_is_a_located_error_exit_2(project, name, text, where, message):
    (project / name).write_text(text, encoding="utf-8")
    for command in (["check", "initiatives/m.yaml", *AS_OF], ["config"], ["rules"]):
        result = run_cli(*command, cwd=project)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert f"govern: {where}" in result.stderr and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_explicit_config_file(project, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "ci.yaml").write_text("policies: [../project/rules]\nfail_on: warning\n", encoding="utf-8")
    (project / "govern.yaml").write_text("fail_on: never\n", encoding="utf-8")  # ignored: --config wins
    result = run_cli("check", "initiatives/m.yaml", *AS_OF, "--config", str(other / "ci.yaml"), cwd=project)
    assert result.returncode == 1 and "CFG-001" in result.stdout
    (other / "tool.toml").write_text('[tool.govern]\npolicies = ["../project/rules"]\n', encoding="utf-8")
    result = run_cli("check", "initiatives/m.yaml", *AS_OF, "--config", str(other / "tool.toml"), cwd=project)
    assert result.returncode == 0 and "CFG-001" in result.stdout
    missing = run_cli("check", "initiatives/m.yaml", "--config", "nope.yaml", cwd=project)
    assert missing.returncode == 2 and "nope.yaml:1:1: configuration file not found" in missing.stderr
