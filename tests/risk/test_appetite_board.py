"""Risk appetite version 2 and the board (docs/design/semantics.md 8.7, 8.9 items 1 and 3), through the CLI.

- Outside tolerance is the board's: a waiver of that RISK-002 is refused (WAIVER-REFUSED) and only
  ``escalation.decision`` of the statement's board, or of a board the delegation entry names, clears it.
- Board decisions are records: the board pack, markdown and JSON portfolio list each one, what it
  accepted, its board, minute, date and when it lapses; lapsed ones are flagged.
- The bundled statement is the example govern-example: a run notice (stderr for text, ``notices`` in
  JSON, run properties in SARIF), never RISK-009, and no installation path on the board paper.
- Per-organisation statements: a folder of statements, each manifest judged by the one that applies.
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

import pytest
import yaml

from govern.core.resources import policies_dir
from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = ("--as-of", "2026-11-22")
BASE = yaml.safe_load((policies_dir() / "examples" / "base.yaml").read_text(encoding="utf-8"))
V2 = (policies_dir() / "examples" / "appetite-v2.yaml").read_text(encoding="utf-8")
OWNER = {"name": "Daniel Reyes", "email": "d.reyes@lbx.example.gov"}
BOARD = "Corporate Leadership Board"  # approved_by of appetite-v2.yaml


def risk(category: str, likelihood: int, impact: int, rid: str = "R9", **extra) -> dict:
    return {"id": rid, "title": "Phishing of staff accounts", "category": category, "owner": OWNER,
            "inherent": {"likelihood": 5, "impact": 5}, "residual": {"likelihood": likelihood, "impact": impact},
            "target": {"likelihood": 1, "impact": 2, "by": "2027-06-30"}, "mitigations": ["MFA"],
            "review_by": "2027-01-31", **extra}


def decision(board: str = BOARD, date: str = "2026-09-15", **extra) -> dict:
    return {"decision": {"board": board, "minute": "CLB/2026/41", "date": date, **extra}}


def manifest(folder: Path, *risks: dict, name: str = "m.yaml", ident: str = "LBX-2025-008",
             department: str = "lbx-revenues") -> Path:
    data = copy.deepcopy(BASE)
    data["metadata"]["id"], data["metadata"]["department"] = ident, department
    data["risks"] = [*data["risks"], *risks]
    path = folder / name
    path.write_text(yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False), encoding="utf-8")
    return path


def check_json(folder: Path, *args: str) -> tuple[int, dict]:
    result = run_cli("check", *args, *AS_OF, "--format", "json", "--no-plugins", cwd=folder)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result.returncode, json.loads(result.stdout)


def risk_findings(report: dict) -> set[tuple[str, str, str]]:
    return {(f["rule"], f["severity"], f["path"]) for f in report["findings"] if f["rule"].startswith(("RISK", "WAIVER"))}


# --------------------------------------------------------------------------- 8.9 item 1: outside tolerance is the board's


def waivers(path: str = "/risks/2/residual") -> str:
    return ("apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
            f"  - {{initiative: LBX-2025-008, rule: RISK-002, path: {path}, justification: Compensating controls,"
            " approved_by: {name: Digital Investment Board}, approved_on: 2026-03-01, expires: 2027-03-01}\n")


def test_a_waiver_of_an_outside_tolerance_risk_is_refused(tmp_path: Path) -> None:
    (tmp_path / "appetite.yaml").write_text(V2, encoding="utf-8")
    manifest(tmp_path, risk("security", 3, 3))  # 9 > averse tolerance 6
    (tmp_path / "waivers.yaml").write_text(waivers(), encoding="utf-8")
    code, report = check_json(tmp_path, "m.yaml", "--appetite", "appetite.yaml", "--waivers", "waivers.yaml")
    assert code == 1
    (risk002,) = [f for f in report["findings"] if f["rule"] == "RISK-002"]
    assert risk002["severity"] == "error" and risk002["status"] == "open"
    assert risk002["waiver"]["status"] == "refused"
    (refused,) = [f for f in report["findings"] if f["rule"] == "WAIVER-REFUSED"]
    assert "board-reserved" in refused["message"] and "escalation.decision" in refused["message"]


def test_within_tolerance_a_waiver_still_waives(tmp_path: Path) -> None:
    (tmp_path / "appetite.yaml").write_text(V2, encoding="utf-8")
    manifest(tmp_path, risk("security", 2, 3))  # 6: within the averse tolerance, a warning
    (tmp_path / "waivers.yaml").write_text(waivers(), encoding="utf-8")
    _, report = check_json(tmp_path, "m.yaml", "--appetite", "appetite.yaml", "--waivers", "waivers.yaml")
    (risk002,) = [f for f in report["findings"] if f["rule"] == "RISK-002"]
    assert risk002["severity"] == "warning" and risk002["status"] == "waived"
    assert not [f for f in report["findings"] if f["rule"] == "WAIVER-REFUSED"]


def test_only_the_statements_board_or_a_board_the_entry_names_may_decide(tmp_path: Path) -> None:
    named = V2.replace("  - {up_to: capacity, accept_by: [board]}",
                       "  - {categories: [financial], up_to: capacity, accept_by: [{board: Audit and Risk Committee}]}\n"
                       "  - {up_to: capacity, accept_by: [board]}")
    (tmp_path / "appetite.yaml").write_text(named, encoding="utf-8")
    cases = {
        "R1": (risk("security", 3, 3, "R1", escalation=decision()), "warning"),  # the statement's board
        "R2": (risk("security", 3, 3, "R2", escalation=decision("Project Board")), "error"),  # a project board
        "R3": (risk("financial", 3, 5, "R3", escalation=decision("Audit and Risk Committee")), "warning"),  # named
        "R4": (risk("security", 3, 3, "R4", escalation=decision("Audit and Risk Committee")), "error"),  # not here
    }
    manifest(tmp_path, *(r for r, _ in cases.values()))
    _, report = check_json(tmp_path, "m.yaml", "--appetite", "appetite.yaml")
    got = {f["path"]: f["severity"] for f in report["findings"] if f["rule"] == "RISK-002"}
    assert got == {f"/risks/{2 + n}/residual": severity for n, (_, severity) in enumerate(cases.values())}
    why = [f["message"] for f in report["findings"] if f["rule"] == "RISK-011"]
    assert any("Project Board is not a board that may decide on it" in m for m in why)


# --------------------------------------------------------------------------- item 3: decisions as records


def test_the_board_pack_lists_every_decision_what_it_accepted_and_when_it_lapses(tmp_path: Path) -> None:
    (tmp_path / "appetite.yaml").write_text(V2, encoding="utf-8")
    manifest(tmp_path,
             risk("security", 3, 3, "R1", escalation=decision()),  # live: 2026-09-15 + 365 days
             risk("security", 3, 3, "R2", escalation=decision(date="2025-06-01")),  # lapsed 2026-06-01
             risk("people", 4, 5, "R3", escalation=decision("Executive Committee", expires="2027-03-31")))
    args = ("portfolio", "m.yaml", "--appetite", "appetite.yaml", *AS_OF, "--no-plugins")
    board = json.loads(run_cli(*args, "--format", "json", cwd=tmp_path).stdout)
    rows = {d["risk"]: d for d in board["board_decisions"]}
    assert rows["R1"] | {} == rows["R1"] and (rows["R1"]["zone"], rows["R1"]["score"]) == ("outside", 9)
    assert (rows["R1"]["board"], rows["R1"]["minute"], rows["R1"]["date"], rows["R1"]["lapses"], rows["R1"]["status"]) == \
        (BOARD, "CLB/2026/41", "2026-09-15", "2027-09-15", "in force")
    assert (rows["R2"]["lapses"], rows["R2"]["status"]) == ("2026-06-01", "lapsed")
    assert (rows["R3"]["zone"], rows["R3"]["board"], rows["R3"]["lapses"], rows["R3"]["status"]) == \
        ("capacity", "Executive Committee", "2027-03-31", "in force")
    page = run_cli(*args, "--format", "html", cwd=tmp_path).stdout
    section = page[page.index('id="board-decisions-h"'):page.index('id="summary"')]
    words = html.unescape(re.sub(r"<[^>]+>", " ", section))
    assert "security risk outside tolerance, residual score 9" in " ".join(words.split())
    assert "LAPSED" in words and "2026-06-01" in words and "CLB/2026/41" in words
    assert section.count('class="flagged"') == 1
    markdown = run_cli(*args, "--format", "markdown", cwd=tmp_path).stdout
    assert "### Board decisions on record" in markdown and "| LAPSED |" in markdown


# --------------------------------------------------------------------------- item 4: the bundled example


def test_the_bundled_example_is_a_run_notice_not_a_finding(tmp_path: Path) -> None:
    manifest(tmp_path, risk("technology", 2, 3))
    text = run_cli("check", "m.yaml", "--as-of", "2030-01-01", "--no-plugins", cwd=tmp_path)
    assert text.stderr.count("RISK-APPETITE-DEFAULT") == 1 and "govern-example" in text.stderr
    assert "RISK-APPETITE-DEFAULT" not in text.stdout and "RISK-009" not in text.stdout  # never expires
    _, report = check_json(tmp_path, "m.yaml")
    assert [n["rule"] for n in report["notices"]] == ["RISK-APPETITE-DEFAULT"]
    assert not [f for f in report["findings"] if f["rule"] in ("RISK-APPETITE-DEFAULT", "RISK-009")]
    assert report["provenance"]["appetite"]["file"] == "builtin:default-appetite.yaml"
    sarif = json.loads(run_cli("check", "m.yaml", *AS_OF, "--format", "sarif", "--no-plugins", cwd=tmp_path).stdout)
    run = sarif["runs"][0]
    assert run["properties"]["notices"][0]["rule"] == "RISK-APPETITE-DEFAULT"
    assert run["invocations"][0]["toolExecutionNotifications"][0]["descriptor"]["id"] == "RISK-APPETITE-DEFAULT"
    (tmp_path / "own.yaml").write_text(V2, encoding="utf-8")
    own = run_cli("check", "m.yaml", "--appetite", "own.yaml", *AS_OF, "--no-plugins", cwd=tmp_path)
    assert "RISK-APPETITE-DEFAULT" not in own.stderr + own.stdout


def test_findings_of_the_board_name_the_statement_in_use_and_the_paper_no_install_path(tmp_path: Path) -> None:
    manifest(tmp_path, risk("technology", 3, 4))  # above appetite: RISK-010 against the example
    _, report = check_json(tmp_path, "m.yaml")
    (risk010,) = [f for f in report["findings"] if f["rule"] == "RISK-010"]
    assert risk010["accountable"]["name"] == "(example — replace with your board's statement)"
    assert risk010["file"].endswith("default-appetite.yaml")  # a path an editor can open; the paper says "bundled"
    page = run_cli("portfolio", "m.yaml", *AS_OF, "--format", "html", "--no-plugins", cwd=tmp_path).stdout
    assert str(policies_dir()) not in page and str(ROOT) not in page and "site-packages" not in page
    assert "govern-example" in page and "RISK-APPETITE-DEFAULT" in page
    (tmp_path / "own.yaml").write_text(V2, encoding="utf-8")
    manifest(tmp_path, risk("security", 3, 3))
    _, report = check_json(tmp_path, "m.yaml", "--appetite", "own.yaml")
    (risk002,) = [f for f in report["findings"] if f["rule"] == "RISK-002"]
    assert f"only {BOARD} can accept" in risk002["message"]


# --------------------------------------------------------------------------- per-organisation statements


@pytest.fixture
def two_bodies(tmp_path: Path) -> Path:
    statements = tmp_path / "statements"
    statements.mkdir()
    (statements / "revenues.yaml").write_text(
        V2.replace("metadata: {name: lbx-2026-v2,", "metadata: {name: revenues-2026, applies_to: [lbx-revenues],"),
        encoding="utf-8")
    (statements / "housing.yaml").write_text(
        V2.replace("metadata: {name: lbx-2026-v2, approved_by: Corporate Leadership Board,",
                   "metadata: {name: housing-2026, approved_by: Housing Board, applies_to: [lbx-housing],")
          .replace("security: averse", "security: open"), encoding="utf-8")
    manifest(tmp_path, risk("security", 3, 3), name="revenues.yaml")
    manifest(tmp_path, risk("security", 3, 3), name="housing.yaml", ident="LBX-2025-009", department="lbx-housing")
    manifest(tmp_path, name="parks.yaml", ident="LBX-2025-010", department="lbx-parks")
    return tmp_path


def test_each_manifest_is_judged_by_the_statement_that_applies_to_it(two_bodies: Path) -> None:
    code, report = check_json(two_bodies, "revenues.yaml", "housing.yaml", "parks.yaml", "--appetite", "statements")
    assert code == 1
    assert {m["initiative"]: m["appetite"] for m in report["manifests"]} == {
        "LBX-2025-008": "revenues-2026", "LBX-2025-009": "housing-2026", "LBX-2025-010": None}
    by_file = {(f["file"], f["rule"], f["severity"]) for f in report["findings"]}
    assert ("revenues.yaml", "RISK-002", "error") in by_file  # security averse: 9 is outside tolerance 6
    assert not [f for f in report["findings"] if f["file"] == "housing.yaml"]  # security open: within appetite
    assert ("parks.yaml", "APPETITE-NONE", "error") in by_file
    (risk010,) = [f for f in report["findings"] if f["rule"] == "RISK-010"]
    assert risk010["file"] == "statements/revenues.yaml" and "LBX-2025-008 R9" in risk010["message"]


def test_two_statements_for_one_body_are_a_located_error(two_bodies: Path) -> None:
    text = (two_bodies / "statements" / "housing.yaml").read_text(encoding="utf-8")
    (two_bodies / "statements" / "housing.yaml").write_text(
        text.replace("applies_to: [lbx-housing]", "applies_to: [lbx-housing, lbx-revenues]"), encoding="utf-8")
    result = run_cli("check", "revenues.yaml", "--appetite", "statements", *AS_OF, "--no-plugins", cwd=two_bodies)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"statements/revenues\.yaml:\d+:\d+\s+ERROR\s+GOV-INPUT\s+invalid RiskAppetite: lbx-revenues is "
                     r"also in applies_to of housing-2026", result.stdout)
    shown = run_cli("appetite", "statements", "--no-plugins", cwd=two_bodies)
    assert shown.returncode == 2 and "also in applies_to" in shown.stderr
