"""The board pack opens with "Decisions for the board": what is asked, of whom and by when (issue 17, item 1).

Real CLI runs on real manifests: each kind of ask is made to appear (and not
appear) by changing a manifest or the configuration, and every format shows
the section first.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")


def as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def manifest(folder: Path, name: str, change=None) -> Path:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    if change:
        change(data)
    path = folder / name
    path.write_text(yaml.safe_dump(as_text(data), sort_keys=False), encoding="utf-8")
    return path


def board(folder: Path, *args: str, fmt: str = "json") -> Any:
    result = run_cli("portfolio", "manifests", *AS_OF, "--format", fmt, *args, cwd=folder)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def accepted_breach(expires: str):
    def change(data: dict[str, Any]) -> None:
        data["risks"][0].update(
            category="security", residual={"likelihood": 3, "impact": 3},
            target={"likelihood": 1, "impact": 3, "by": "2027-06-30"},
            escalation={"accepted_by": {"name": "Sarah Ahmed", "email": "s.ahmed@lbx.example.gov"},
                        "accepted_on": "2026-10-01", "expires": expires},
        )
    return change


def unaccepted_breach(data: dict[str, Any]) -> None:
    data["risks"][0].update(category="security", residual={"likelihood": 3, "impact": 3})


def kinds(data: dict[str, Any]) -> list[str]:
    return [item["kind"] for item in data["decisions"]["items"]]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "manifests").mkdir()
    return tmp_path


def test_a_clean_portfolio_says_in_words_there_is_nothing_to_decide(folder: Path) -> None:
    manifest(folder / "manifests", "clean.yaml")
    data = board(folder)
    assert data["decisions"] == {"window_days": 30, "items": []}
    for fmt in ("table", "markdown", "html"):
        assert "Nothing for the board to decide" in board(folder, fmt=fmt)


def test_a_risk_outside_tolerance_without_a_decision_is_asked_of_its_owner(folder: Path) -> None:
    manifest(folder / "manifests", "breach.yaml", unaccepted_breach)
    [item] = board(folder)["decisions"]["items"]
    assert item["kind"] == "risk" and item["of_whom"] == "Daniel Reyes" and item["by"] == "2026-11-22"
    assert item["asked"].startswith("treat, accept or close risk R1") and "residual score 9" in item["asked"]
    assert re.fullmatch(r"manifests/breach\.yaml:\d+", item["where"])
    line = int(item["where"].rsplit(":", 1)[1])
    assert (folder / "manifests" / "breach.yaml").read_text().splitlines()[line - 1].lstrip().startswith("- id: R1")


def test_an_acceptance_lapsing_within_the_window_is_listed_and_the_window_is_configurable(folder: Path) -> None:
    manifest(folder / "manifests", "accepted.yaml", accepted_breach("2026-12-10"))  # 18 days after as_of
    [item] = board(folder)["decisions"]["items"]
    assert (item["kind"], item["by"], item["of_whom"]) == ("acceptance", "2026-12-10", "Daniel Reyes")
    (folder / "govern.yaml").write_text("board:\n  decision_window_days: 10\n", encoding="utf-8")
    assert board(folder)["decisions"] == {"window_days": 10, "items": []}
    manifest(folder / "manifests", "accepted.yaml", accepted_breach("2027-01-05"))  # 44 days: outside 10, inside 60
    (folder / "govern.yaml").write_text("board:\n  decision_window_days: 60\n", encoding="utf-8")
    assert kinds(board(folder)) == ["acceptance"]


def test_a_bad_window_is_a_located_configuration_error(folder: Path) -> None:
    manifest(folder / "manifests", "clean.yaml")
    (folder / "govern.yaml").write_text("board:\n  decision_window_days: soon\n", encoding="utf-8")
    result = run_cli("portfolio", "manifests", *AS_OF, cwd=folder)
    assert result.returncode == 2 and "govern.yaml:2:" in result.stderr and "Traceback" not in result.stderr


def test_phase_approval_due_and_statutory_gap(folder: Path) -> None:
    def beta_without_approval(data: dict[str, Any]) -> None:
        data["metadata"]["phase"] = "beta"
        data["accountability"]["approvals"] = []
        data["accessibility"].pop("statement_url", None)

    manifest(folder / "manifests", "beta.yaml", beta_without_approval)
    data = board(folder)
    approvals = [i for i in data["decisions"]["items"] if i["kind"] == "approval"]
    assert approvals and "approve the current phase" in approvals[0]["asked"]
    statutory = {f["rule"] for f in data["findings"] if f["rule"] in {i["asked"].split()[2] for i in data["decisions"]["items"]
                                                                      if i["kind"] == "statutory"}}
    assert statutory == {i["asked"].split()[2] for i in data["decisions"]["items"] if i["kind"] == "statutory"}
    order = ["risk", "acceptance", "approval", "waiver", "statutory"]
    assert kinds(data) == sorted(kinds(data), key=order.index)


def test_a_waiver_expiring_is_asked_of_its_approver_once(folder: Path) -> None:
    def no_mfa(data: dict[str, Any]) -> None:
        data["metadata"]["id"] = "WVR-2026-001"
        data["security"].pop("mfa")  # SEC-002 fires twice (admins, users): one waiver, one ask

    manifest(folder / "manifests", "waived.yaml", no_mfa)
    (folder / "waivers.yaml").write_text(
        "apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
        "  - initiative: WVR-2026-001\n    rule: SEC-002\n    justification: Supplier fixes it in December\n"
        "    approved_by: {name: Chief Information Security Officer}\n    approved_on: 2026-10-01\n    expires: 2026-12-10\n",
        encoding="utf-8")
    data = board(folder, "--waivers", "waivers.yaml")
    assert [(i["kind"], i["of_whom"], i["by"], i["where"]) for i in data["decisions"]["items"]] == [
        ("waiver", "Chief Information Security Officer", "2026-12-10", "waivers.yaml:4")]
    (folder / "govern.yaml").write_text("board:\n  decision_window_days: 17\n", encoding="utf-8")
    assert board(folder, "--waivers", "waivers.yaml")["decisions"]["items"] == []


def test_the_section_comes_first_in_every_format_and_matches_the_json() -> None:
    as_json = run_cli("portfolio", "examples/portfolio", *AS_OF, "--format", "json", cwd=ROOT)
    items = json.loads(as_json.stdout)["decisions"]["items"]
    assert {"risk", "approval", "statutory"} <= {i["kind"] for i in items}
    for fmt, first, then in (("table", "Decisions for the board\n", "\nCompliance\n"),
                             ("markdown", "## Decisions for the board", "## Compliance"),
                             ("html", '<h2 id="decisions-h">Decisions for the board</h2>', '<h2 id="summary-h">')):
        out = run_cli("portfolio", "examples/portfolio", *AS_OF, "--format", fmt, cwd=ROOT).stdout
        assert out.index(first) < out.index(then), fmt
        for kind, title in (("risk", "Risks outside tolerance without a decision"), ("statutory", "Statutory gaps")):
            assert re.search(rf"{title}[^\n]* \({sum(i['kind'] == kind for i in items)}\)", out), (fmt, kind)
        if fmt == "table":
            continue  # cells wrap to fit 120 columns (tests/report/test_terminal_table.py)
        for item in items:
            assert item["of_whom"] in out and item["where"] in out, (fmt, item)
