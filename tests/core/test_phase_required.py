"""``metadata.phase`` is required, and a manifest without it never looks cleaner (docs/design/semantics.md, Phases).

Most duties start at a phase (alpha, beta, live): before, a manifest that left out its
phase simply escaped them and could pass where the same manifest in live failed. Now it
gets a located GOV-SCHEMA error and is checked as if in the phase that gives the most
errors and warnings. The property tests in test_properties.py check the count on
generated manifests and on every example; these run the real CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ["--as-of", "2026-11-22"]


def report_of(cwd: Path, *args: str) -> tuple[int, dict]:
    result = run_cli("check", *args, *AS_OF, "--format", "json", "--no-plugins", cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def blocking(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["severity"] in ("error", "warning")]


def test_a_manifest_without_a_phase_gets_a_schema_error_located_at_metadata(tmp_path):
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8").replace("  phase: live\n", ""), encoding="utf-8")
    code, report = report_of(tmp_path, "m.yaml")
    assert code == 1
    [schema] = [f for f in report["findings"] if f["rule"] == "GOV-SCHEMA"]
    assert (schema["path"], schema["line"], schema["column"]) == ("/metadata/phase", 6, 1)  # the `metadata:` line
    assert schema["message"] == "metadata.phase is missing"


def test_leaving_out_the_phase_does_not_escape_the_duties_of_live(tmp_path):
    text = BASE.read_text(encoding="utf-8").replace("  statement_url: https://lbx.example.gov/council-tax/accessibility\n", "")
    text = text.replace("  privacy_notice_url: https://lbx.example.gov/council-tax/privacy\n", "")
    (tmp_path / "live.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "none.yaml").write_text(text.replace("  phase: live\n", ""), encoding="utf-8")
    (tmp_path / "gamma.yaml").write_text(text.replace("  phase: live\n", "  phase: gamma\n"), encoding="utf-8")
    _, live = report_of(tmp_path, "live.yaml")
    assert [f["rule"] for f in blocking(live)] == ["PRIV-008", "ACC-002"]  # duties from beta on
    for name in ("none.yaml", "gamma.yaml"):
        code, report = report_of(tmp_path, name)
        assert code == 1
        rules = [f["rule"] for f in blocking(report)]
        assert rules == ["GOV-SCHEMA", "PRIV-008", "ACC-002", "ACC-007"], rules  # as private-beta (what beta means), the equality record postdates the beta approval
        [acc] = [f for f in report["findings"] if f["rule"] == "ACC-002"]
        assert acc["message"].endswith("(no valid metadata.phase: checked as if private-beta)"), acc["message"]


def test_the_same_phase_less_manifest_gives_the_same_bytes(tmp_path):
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8").replace("  phase: live\n", ""), encoding="utf-8")
    first = run_cli("check", "m.yaml", *AS_OF, "--format", "json", "--no-plugins", cwd=tmp_path).stdout
    second = run_cli("check", "m.yaml", *AS_OF, "--format", "json", "--no-plugins", "--jobs", "2", cwd=tmp_path).stdout
    assert first == second and first
