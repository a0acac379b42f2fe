"""Why a rule cannot be waived, and what that covers (docs/design/semantics.md 8.6, 8.8 item 7, 8.9 item 7).

Every non-waivable rule says why (`waiver_policy: statutory | board-reserved`); `rules` and `explain`
show it, and "statutory duty" is never said of a board-reserved rule. Non-waivable means the breach,
not the paperwork: a waiver of such a rule's warning is honoured, a waiver of its error is refused
(WAIVER-REFUSED), and a baseline absorbs its warnings but not its errors. Configuration may not turn
such a rule off or lower it. These run the real CLI on real files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govern.testing import load_rules, run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "privacy_v2"
AS_OF = ["--as-of", "2026-11-22"]
INITIATIVE = "LBX-2025-008"
STATUTORY = {"PRIV-001", "PRIV-004", "PRIV-006", "PRIV-008", "PRIV-011", "PRIV-012", "PRIV-015", "ACC-002"}


@pytest.fixture(autouse=True)
def _only_govern_itself(monkeypatch):
    monkeypatch.setenv("GOVERN_DISABLE_PLUGIN_AUTOLOAD", "1")


def register(rule: str, path: str | None = None) -> str:
    where = f"    path: {path}\n" if path else ""
    return ("apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
            f"  - initiative: {INITIATIVE}\n    rule: {rule}\n{where}"
            "    justification: Accepted by the board until the review completes\n"
            "    approved_by: {name: Digital Investment Board}\n    approved_on: 2026-03-01\n    expires: 2027-03-01\n")


def check(cwd: Path, manifest: str, *extra: str) -> tuple[int, dict, str]:
    result = run_cli("check", manifest, *AS_OF, "--format", "json", *extra, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout) if result.stdout else {}, result.stderr


def of(report: dict, rule: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == rule]


# -- every non-waivable rule says why ---------------------------------------------------------


def test_every_built_in_rule_that_is_not_waivable_has_a_waiver_policy():
    _, rules, _, errors = load_rules(no_plugins=True)
    assert errors == []
    missing = sorted(r.id for r in rules if not r.waivable and r.waiver_policy is None)
    assert missing == [], f"waivable: false without waiver_policy: {missing}"
    policies = {r.id: r.waiver_policy for r in rules if not r.waivable}
    assert STATUTORY <= set(policies) and {policies[rid] for rid in STATUTORY} == {"statutory"}
    assert policies["RISK-008"] == "board-reserved"
    assert all(r.waiver_policy is None for r in rules if r.waivable)  # a reason only where there is a refusal
    assert "DATA-004" not in policies  # waivable (8.8 item 7)


def test_rules_lists_the_policy():
    result = run_cli("rules", "--no-plugins")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if re.match(r"^[A-Z]+-\d{3} ", line)}
    assert "no (statutory)" in rows["PRIV-015"] and "no (board-reserved)" in rows["RISK-008"]
    listed = {r["id"]: r for r in json.loads(run_cli("rules", "--no-plugins", "--format", "json").stdout)}
    assert (listed["RISK-008"]["waivable"], listed["RISK-008"]["waiver_policy"]) == (False, "board-reserved")
    assert (listed["ACC-002"]["waivable"], listed["ACC-002"]["waiver_policy"]) == (False, "statutory")


def test_explain_says_which_and_never_calls_a_board_reserved_rule_statutory():
    board = run_cli("explain", "RISK-008", "--no-plugins")
    assert board.returncode == 0, board.stderr
    assert "waivable: no (board-reserved: only a board decision can tolerate its errors" in board.stdout
    assert "statutory" not in board.stdout.split("What changed:")[0].split("Why:")[0]
    law = run_cli("explain", "PRIV-015", "--no-plugins")
    assert "waivable: no (statutory: the law leaves no discretion" in law.stdout


# -- waivers: the error is refused, the warning is honoured --------------------------------------


def test_a_waiver_of_a_statutory_error_is_refused(tmp_path):
    (tmp_path / "waivers.yaml").write_text(register("PRIV-015"), encoding="utf-8")
    code, report, _ = check(tmp_path, str(FIXTURES / "processor-without-art28-terms.yaml"), "--waivers", "waivers.yaml")
    assert code == 1
    (finding,) = of(report, "PRIV-015")
    assert finding["status"] == "open" and finding["waiver"]["status"] == "refused"
    (refused,) = of(report, "WAIVER-REFUSED")
    assert "PRIV-015 is not waivable (a statutory duty" in refused["message"]


def test_a_waiver_of_a_timing_warning_of_a_statutory_rule_is_honoured(tmp_path):
    (tmp_path / "waivers.yaml").write_text(register("PRIV-001"), encoding="utf-8")
    code, report, _ = check(tmp_path, str(FIXTURES / "dpia-after-processing-began.yaml"), "--waivers", "waivers.yaml")
    assert code == 0
    (finding,) = of(report, "PRIV-001")
    assert finding["severity"] == "warning" and finding["waiver"]["status"] == "live" and finding["status"] == "waived"
    assert of(report, "WAIVER-REFUSED") == []


def test_a_waiver_of_priv004_honours_the_legal_power_warning_but_not_the_missing_basis(tmp_path):
    text = BASE.read_text(encoding="utf-8")
    (tmp_path / "power.yaml").write_text(text.replace("  legal_power: Local Government Finance Act 1992\n", ""), encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(register("PRIV-004"), encoding="utf-8")
    code, report, _ = check(tmp_path, "power.yaml", "--waivers", "waivers.yaml")
    (warning,) = of(report, "PRIV-004")
    assert (warning["severity"], warning["path"], warning["status"]) == ("warning", "/data/legal_power", "waived")
    assert code == 0 and of(report, "WAIVER-REFUSED") == []
    basis = text.replace("  lawful_basis: public_task           # Local Government Finance Act 1992\n", "")
    (tmp_path / "basis.yaml").write_text(basis, encoding="utf-8")
    code, report, _ = check(tmp_path, "basis.yaml", "--waivers", "waivers.yaml")
    (error,) = of(report, "PRIV-004")
    assert (error["severity"], error["status"], error["waiver"]["status"]) == ("error", "open", "refused")
    assert code == 1 and len(of(report, "WAIVER-REFUSED")) == 1


def test_a_waiver_of_a_board_reserved_error_is_refused_in_the_board_s_words(tmp_path):
    text = BASE.read_text(encoding="utf-8")
    text = text.replace("    category: operations              # cautious", "    category: people")
    text = text.replace("    residual: {likelihood: 2, impact: 2}", "    residual: {likelihood: 4, impact: 5}")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(register("RISK-008"), encoding="utf-8")
    code, report, _ = check(tmp_path, "m.yaml", "--waivers", "waivers.yaml")
    assert code == 1
    (finding,) = of(report, "RISK-008")
    assert finding["waiver"]["status"] == "refused"
    (refused,) = of(report, "WAIVER-REFUSED")
    assert "RISK-008 is board-reserved: only a board decision can tolerate" in refused["message"]
    assert "statutory" not in refused["message"]
    listing = run_cli("waivers", "waivers.yaml", *AS_OF, cwd=tmp_path)  # without manifests: judged by the rule
    assert "refused" in listing.stdout and "statutory" not in listing.stdout, listing.stdout


def test_the_board_pack_never_calls_a_board_reserved_gap_statutory(tmp_path):
    text = BASE.read_text(encoding="utf-8")
    text = text.replace("    category: operations              # cautious", "    category: people")
    text = text.replace("    residual: {likelihood: 2, impact: 2}", "    residual: {likelihood: 4, impact: 5}")
    text = text.replace("    - {name: Civic Forms Ltd, contract: C-2025-031, art28_terms: true, country: GB}",
                        "    - {name: Civic Forms Ltd, contract: C-2025-031, art28_terms: false, country: GB}")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = run_cli("portfolio", "m.yaml", *AS_OF, "--format", "html", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    html = result.stdout
    assert "Not waivable (board-reserved: only a board decision can tolerate it)" in html
    assert "Not waivable (statutory duty)" in html
    assert "direct that RISK-008" not in html and "direct that PRIV-015" in html


# -- baselines absorb warnings, never errors ---------------------------------------------------


def test_a_baseline_absorbs_the_warning_of_a_non_waivable_rule(tmp_path):
    manifest = str(FIXTURES / "dpia-after-processing-began.yaml")
    first = run_cli("check", manifest, *AS_OF, "--format", "json", cwd=tmp_path)
    (tmp_path / "baseline.json").write_text(first.stdout, encoding="utf-8")
    code, report, _ = check(tmp_path, manifest, "--baseline", "baseline.json")
    (finding,) = of(report, "PRIV-001")
    assert finding["status"] == "existing" and of(report, "BASELINE-REFUSED") == []


# -- configuration may not switch such a rule off (exit 2, naming it) ----------------------------


@pytest.mark.parametrize(("config", "rule"), [
    ('severity:\n  PRIV-015: warning\n', "PRIV-015"),
    ('severity:\n  PRIV-004: "off"\n', "PRIV-004"),
    ('skip: [RISK-008]\n', "RISK-008"),
    ('packs: {disable: [processors]}\n', "PRIV-015"),
])
def test_configuration_cannot_turn_off_or_lower_a_non_waivable_rule(tmp_path, config, rule):
    (tmp_path / "govern.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "m.yaml").write_bytes(BASE.read_bytes())
    result = run_cli("check", "m.yaml", *AS_OF, cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("govern: govern.yaml:") and rule in result.stderr and "(waivable: false)" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_configuration_may_turn_off_a_waivable_rule_such_as_data004(tmp_path):
    (tmp_path / "govern.yaml").write_text('severity:\n  DATA-004: "off"\n', encoding="utf-8")
    (tmp_path / "m.yaml").write_bytes(BASE.read_bytes())
    result = run_cli("check", "m.yaml", *AS_OF, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_command_line_may_leave_out_a_non_waivable_rule_and_the_board_pack_lists_it(tmp_path):
    """8.8 item 7: --skip/--only are explicit run options, recorded in provenance, shown as "rules not run"."""
    (tmp_path / "m.yaml").write_bytes((FIXTURES / "processor-without-art28-terms.yaml").read_bytes())
    code, report, _ = check(tmp_path, "m.yaml", "--skip", "PRIV-015")
    assert code == 0 and report["provenance"]["arguments"]["skip"] == ["PRIV-015"]
    said = "Rules not run (left out by --only/--skip for this run, so not judged here): PRIV-015."
    for form in ("table", "markdown"):
        board = run_cli("portfolio", "m.yaml", *AS_OF, "--skip", "PRIV-015", "--format", form, cwd=tmp_path)
        assert board.returncode == 0 and said in " ".join(board.stdout.split()), board.stdout
    board = run_cli("portfolio", "m.yaml", *AS_OF, "--skip", "PRIV-015", "--format", "json", cwd=tmp_path)
    assert json.loads(board.stdout)["rules_not_run"] == [{"rule": "PRIV-015", "title": "Processor bound by Art. 28 terms"}]
    html = run_cli("portfolio", "m.yaml", *AS_OF, "--skip", "PRIV-015", "--format", "html", cwd=tmp_path).stdout
    assert "<strong>Rules not run</strong> (left out by --only/--skip" in html
    plain = run_cli("portfolio", "m.yaml", *AS_OF, "--format", "json", cwd=tmp_path)
    assert "rules_not_run" not in json.loads(plain.stdout)
