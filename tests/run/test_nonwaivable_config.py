"""Configuration and baselines cannot switch off, downgrade or absorb a rule that is not waivable.

docs/design/semantics.md, Non-waivable rules: a configuration file applies to every run, so turning a
`waivable: false` rule off (`severity: off`, `skip`, an `only` or `packs` that leaves it
out) or lowering its severity is a located configuration error (exit 2) naming the rule.
`--skip`/`--only` on the command line stay allowed for one run, and are recorded in the
report's provenance. Any other severity override is shown in the JSON and text reports
and on the board pack. A baseline entry for such a rule absorbs nothing: the finding
stays failing and a BASELINE-REFUSED notice says why. These run the real CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _only_govern_itself(monkeypatch):
    """These tests are about govern's own packs: plugins installed beside it (CI installs the example
    plugins, whose rules are not waivable either) would change which rules a setting leaves out."""
    monkeypatch.setenv("GOVERN_DISABLE_PLUGIN_AUTOLOAD", "1")
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ["--as-of", "2026-11-22"]

# A local pack with a non-waivable warning, so raising and lowering can both be tried.
PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: nw-tests, version: "1", domain: nwtest}
rules:
  - id: NW-001
    title: Tags recorded
    severity: warning
    accountable: service_owner
    waivable: false
    rationale: Test rule.
    remediation: Add metadata.tags.
    require: {required: [metadata], properties: {metadata: {required: [tags]}}}
    examples: {pass: [{manifest: {metadata: {tags: [a]}}}], fail: [{manifest: {metadata: {}}}]}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def schema(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")))


REFUSED = [
    ('severity:\n  PRIV-001: "off"\n', "govern.yaml:2:3", "`severity: PRIV-001: off` would switch off PRIV-001, a rule that cannot be waived"),
    ("severity:\n  PRIV-008: warning\n", "govern.yaml:2:3", "`severity: PRIV-008: warning` would lower PRIV-008 from error"),
    ("skip: [ACC-002]\n", "govern.yaml:1:8", "`skip: ACC-002` would switch off ACC-002"),
    ("skip:\n  - privacy\n", "govern.yaml:2:5",
     "`skip: privacy` would switch off PRIV-001, PRIV-004, PRIV-006, PRIV-008, PRIV-011, rules that cannot be waived"),
    ("only: [security, governance]\n", "govern.yaml:1:8",
     "`only: [security, governance]` leaves out ACC-002, DATA-004, PRIV-001, PRIV-004, PRIV-006, PRIV-008, PRIV-011, RISK-008"),
    ("packs: {disable: [risk-appetite]}\n", "govern.yaml:1:19", "`packs.disable: risk-appetite` would switch off RISK-008"),
    ("packs:\n  enable: [security]\n", "govern.yaml:2:12", "`packs.enable: [security]` leaves out ACC-002, DATA-004,"),
    ("policies: [rules]\nseverity: {NW-001: info}\n", "govern.yaml:2:12", "`severity: NW-001: info` would lower NW-001 from warning"),
]


@pytest.mark.parametrize(("config", "where", "words"), REFUSED, ids=[c[2][:40] for c in REFUSED])
def test_configuration_cannot_switch_off_or_lower_a_rule_that_is_not_waivable(project, config, where, words):
    (project / "govern.yaml").write_text(config, encoding="utf-8")
    for command in (["check", "m.yaml", *AS_OF], ["portfolio", "m.yaml", *AS_OF], ["rules"]):
        result = run_cli(*command, cwd=project)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert result.stderr.startswith(f"govern: {where}: {words}"), result.stderr
        assert "(waivable: false)" in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""  # no report at all: never a verdict made with the rule off


def test_the_same_in_pyproject_toml(project):
    (project / "pyproject.toml").write_text('[tool.govern]\nskip = ["PRIV-001"]\n', encoding="utf-8")
    result = run_cli("check", "m.yaml", *AS_OF, cwd=project)
    assert result.returncode == 2 and result.stderr.startswith("govern: pyproject.toml:2:1: `skip: PRIV-001` would switch off")


def test_the_command_line_may_leave_a_rule_out_for_one_run_and_it_is_recorded(project):
    result = run_cli("check", "m.yaml", *AS_OF, "--skip", "PRIV-001", "--skip", "privacy", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["provenance"]["arguments"]["skip"] == ["PRIV-001", "privacy"]
    # a file's only/skip replaced by the command line's switches nothing off
    (project / "govern.yaml").write_text("only: [security]\n", encoding="utf-8")
    assert run_cli("check", "m.yaml", *AS_OF, "--only", "security", cwd=project).returncode == 0
    # raising a non-waivable rule, or restating its severity, is allowed
    (project / "govern.yaml").write_text("policies: [rules]\nseverity: {NW-001: error, PRIV-001: error}\n", encoding="utf-8")
    text = (project / "m.yaml").read_text(encoding="utf-8").replace("  tags: [council-tax, change-of-circumstances]\n", "")
    (project / "m.yaml").write_text(text, encoding="utf-8")
    raised = run_cli("check", "m.yaml", *AS_OF, "--format", "json", cwd=project)
    assert raised.returncode == 1
    report = json.loads(raised.stdout)
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("NW-001", "error")]
    assert report["overrides"] == [{"rule": "NW-001", "title": "Tags recorded", "default": "warning", "severity": "error",
                                    "source": "govern.yaml"}]


def test_other_severity_overrides_are_shown_in_every_report(project):
    (project / "govern.yaml").write_text('severity:\n  DATA-007: "off"\n  SEC-004: error\n  GOV-001: error\n', encoding="utf-8")
    expected = [
        {"rule": "DATA-007", "title": "Information asset registered", "default": "warning", "severity": "off", "source": "govern.yaml"},
        {"rule": "SEC-004", "title": "Pen test within 12 months", "default": "warning", "severity": "error", "source": "govern.yaml"},
    ]  # GOV-001 is an error already: nothing changed, nothing shown
    check = run_cli("check", "m.yaml", *AS_OF, "--format", "json", cwd=project)
    report = json.loads(check.stdout)
    assert report["overrides"] == expected
    errors = list(schema("report").iter_errors(report))
    assert not errors, errors[0].message
    text = run_cli("check", "m.yaml", *AS_OF, cwd=project).stdout
    assert "Severity changed by govern.yaml: DATA-007 warning -> off; SEC-004 warning -> error." in text
    board = json.loads(run_cli("portfolio", "m.yaml", *AS_OF, "--format", "json", cwd=project).stdout)
    assert board["overrides"] == expected
    errors = list(schema("portfolio-report").iter_errors(board))
    assert not errors, errors[0].message
    html = run_cli("portfolio", "m.yaml", *AS_OF, "--format", "html", cwd=project).stdout
    assert "Severities changed by configuration</strong> (govern.yaml)" in html
    assert "DATA-007 Information asset registered: warning &#8594; <strong>off</strong> (not run)" in html
    assert "SEC-004 Pen test within 12 months: warning &#8594; error" in html
    (project / "govern.yaml").unlink()  # without overrides, nothing is added to any report
    plain = run_cli("check", "m.yaml", *AS_OF, "--format", "json", cwd=project).stdout
    assert '"overrides"' not in plain
    assert "Severities changed" not in run_cli("portfolio", "m.yaml", *AS_OF, "--format", "html", cwd=project).stdout


def test_a_baseline_never_absorbs_a_rule_that_is_not_waivable(project):
    text = BASE.read_text(encoding="utf-8")
    broken = (text.replace("  statement_url: https://lbx.example.gov/council-tax/accessibility\n", "")  # ACC-002
              .replace("  information_asset_register: IAR-0212\n", ""))  # DATA-007, a waivable warning
    (project / "m.yaml").write_text(broken, encoding="utf-8")
    first = run_cli("check", "m.yaml", *AS_OF, "--format", "json:baseline.json", cwd=project)
    assert first.returncode == 1
    again = run_cli("check", "m.yaml", *AS_OF, "--baseline", "baseline.json", "--format", "json", cwd=project)
    assert again.returncode == 1, again.stdout  # ACC-002 still fails the run
    report = json.loads(again.stdout)
    found = [(f["rule"], f["severity"], f["status"]) for f in report["findings"]]
    assert found == [("DATA-007", "warning", "existing"), ("ACC-002", "error", "open"), ("BASELINE-REFUSED", "info", "open")]
    refused = report["findings"][2]
    assert refused["path"] == "/accessibility/statement_url" and "ACC-002 cannot be waived" in refused["message"]
    assert report["summary"]["errors"] == 1
    errors = list(schema("report").iter_errors(report))
    assert not errors, errors[0].message
    summary = run_cli("check", "m.yaml", *AS_OF, "--baseline", "baseline.json", cwd=project).stdout
    assert "1 in the baseline but not waivable (still failing)" in summary
    # once met, the entry is resolved like any other
    (project / "m.yaml").write_text(text.replace("  information_asset_register: IAR-0212\n", ""), encoding="utf-8")
    fixed = run_cli("check", "m.yaml", *AS_OF, "--baseline", "baseline.json", "--format", "json", cwd=project)
    assert fixed.returncode == 0
    assert [(f["rule"], f["status"]) for f in json.loads(fixed.stdout)["findings"]] == [
        ("DATA-007", "existing"), ("BASELINE-RESOLVED", "resolved")]
