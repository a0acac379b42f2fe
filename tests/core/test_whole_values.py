"""Ids, emails and rule ids are whole values: a trailing newline is a located error, never a second id.

A YAML block scalar (``id: |``) or an escaped ``"\\n"`` adds a newline a reader never sees. JSON
Schema patterns are ECMA-262, where ``$`` ends the string; Python's ``$`` also matched before a
final newline, so ``"LBX-2025-008\\n"`` passed as an id (a second initiative beside the real one,
out of reach of its waivers) and ``"SEC-004\\n"`` as a rule id. These run the real CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ["--as-of", "2026-11-22"]
INITIATIVE = "LBX-2025-008"


def check_json(cwd: Path, *args: str):
    result = run_cli("check", *args, *AS_OF, "--format", "json", "--no-plugins", cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result, (json.loads(result.stdout) if result.stdout else None)


def schema_errors(report: dict) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["message"]) for f in report["findings"] if f["rule"] == "GOV-SCHEMA"]


def test_manifest_id_with_a_trailing_newline_is_a_schema_error(tmp_path):
    text = BASE.read_text(encoding="utf-8").replace(f"  id: {INITIATIVE}\n", f"  id: |\n    {INITIATIVE}\n")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result, report = check_json(tmp_path, "m.yaml")
    assert result.returncode == 1, result.stderr
    errors = schema_errors(report)
    assert [(path, line) for path, line, _ in errors] == [("/metadata/id", 7)], errors
    assert "is not in the form this field needs (Identifier" in errors[0][2]  # its description, never a regular expression


def test_an_id_and_the_same_id_with_a_newline_are_not_two_clean_initiatives(tmp_path):
    text = BASE.read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text.replace(f"  id: {INITIATIVE}\n", f'  id: "{INITIATIVE}\\n"\n'), encoding="utf-8")
    result, report = check_json(tmp_path, ".")
    assert result.returncode == 1
    assert [(f["file"], f["path"]) for f in report["findings"] if f["rule"] == "GOV-SCHEMA"] == [("b.yaml", "/metadata/id")]


def test_email_with_a_trailing_newline_is_a_schema_error(tmp_path):
    text = BASE.read_text(encoding="utf-8").replace(
        "email: h.okoro@lbx.example.gov}", 'email: "h.okoro@lbx.example.gov\\n"}', 1)
    assert '\\n"}' in text
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result, report = check_json(tmp_path, "m.yaml")
    assert result.returncode == 1
    assert [path for path, _, _ in schema_errors(report)] == ["/accountability/senior_responsible_owner/email"]


def _register(initiative: str, rule: str) -> str:
    return ("apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
            f"  - initiative: {initiative}\n    rule: {rule}\n    justification: Compensating controls\n"
            "    approved_by: {name: Digital Investment Board}\n    approved_on: 2026-03-01\n    expires: 2027-03-01\n")


def test_waiver_rule_and_initiative_with_a_trailing_newline_are_located_errors(tmp_path):
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "rule.yaml").write_text(_register(INITIATIVE, '"SEC-004\\n"'), encoding="utf-8")
    (tmp_path / "initiative.yaml").write_text(_register(f'"{INITIATIVE}\\n"', "SEC-004"), encoding="utf-8")
    for name, pointer, line in (("rule.yaml", "/waivers/0/rule", 5), ("initiative.yaml", "/waivers/0/initiative", 4)):
        result, report = check_json(tmp_path, "m.yaml", "--waivers", name)
        assert result.returncode == 2, (name, result.stderr)
        problems = [(f["file"], f["path"], f["line"]) for f in report["findings"] if f["rule"] == "GOV-INPUT"]
        assert problems == [(name, pointer, line)], problems


def test_a_lower_case_waiver_rule_id_is_still_accepted(tmp_path):
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "w.yaml").write_text(_register(INITIATIVE, "sec-004"), encoding="utf-8")
    result, report = check_json(tmp_path, "m.yaml", "--waivers", "w.yaml")
    assert result.returncode == 0, result.stderr
    assert [f["rule"] for f in report["findings"]] == ["WAIVER-STALE"]  # SEC-004 passes: nothing to waive


def test_config_rule_ids_with_a_trailing_newline_are_configuration_errors(tmp_path):
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    for text, where in (
        ('severity:\n  "SEC-004\\n": warning\n', "govern.yaml:2:3"),
        ('skip:\n  - "SEC-004\\n"\n', "govern.yaml:2:5"),
        ('only: ["security\\n"]\n', "govern.yaml:1:8"),
    ):
        (tmp_path / "govern.yaml").write_text(text, encoding="utf-8")
        result = run_cli("check", "m.yaml", *AS_OF, cwd=tmp_path)
        assert result.returncode == 2, (text, result.stdout, result.stderr)
        assert result.stderr.startswith(f"govern: {where}: invalid configuration: "), result.stderr
        assert "is not in the form this field needs" in result.stderr and "Traceback" not in result.stderr


PLUGIN = '''
from govern import hookimpl
from govern.core.model import Rule, Violation


def _never(data, ctx):
    return []


@hookimpl
def govern_rules():
    return [Rule(id="NLP-001\\n", title="t", domain="nl", severity="error", accountable=None, check=_never,
                 rationale="r", remediation="r")]
'''


def test_a_plugin_rule_id_with_a_trailing_newline_is_refused(tmp_path):
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "plugin.py").write_text(PLUGIN, encoding="utf-8")
    result = run_cli("rules", "--plugin", "plugin.py", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "govern_rules() returned rule 'NLP-001\\n': the id must look like ABC-001" in result.stderr
    assert not [r for r in json.loads(result.stdout) if r["id"].startswith("NLP")]
