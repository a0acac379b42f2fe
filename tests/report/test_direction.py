"""Direction of travel with --compare (issue 17, item 2): every initiative and risk moves, top 10 risks, arrivals.

A previous report is written by the real CLI, the manifests are then edited the way a quarter changes them
(one initiative fixed, one broken, one added, one retired from the folder, one risk worse), and the pack is
rendered again against it.
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
AS_OF = ("--as-of", "2026-11-22")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def quarter(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quarter")
    shutil.copytree(ROOT / "examples" / "portfolio", folder / "portfolio")
    previous = run_cli("portfolio", "portfolio", *AS_OF, "--format", "json", "--output", "previous.json", cwd=folder)
    assert previous.returncode == 0, previous.stderr
    p = folder / "portfolio"
    edit(p / "northvale-parking-services.yaml", "  # security_lead not yet named (gap: GOV-004, warning)\n",
         "  security_lead: {name: Craig Mullen, email: craig.mullen@northvale.example.gov}\n")  # NBC-2026-011 better
    edit(p / "apply-for-a-school-place.yaml", "  service_owner:                 {name: Marcus Boateng, email: marcus.boateng@shire.example.gov}\n", "")
    edit(p / "apply-for-pension-credit.yaml", "residual: {likelihood: 2, impact: 4}", "residual: {likelihood: 3, impact: 4}")
    (p / "vat-returns-api.yaml").unlink()
    data = yaml.safe_load((ROOT / "policies" / "examples" / "base.yaml").read_text(encoding="utf-8"))
    data["metadata"]["id"] = "NEW-2026-001"
    (p / "new.yaml").write_text(yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False), encoding="utf-8")
    return folder


def render(folder: Path, fmt: str, previous: str = "previous.json") -> str:
    result = run_cli("portfolio", "portfolio", *AS_OF, "--compare", previous, "--format", fmt, cwd=folder)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_initiative_and_risk_moves_and_arrivals_are_flagged(quarter: Path) -> None:
    data = json.loads(render(quarter, "json"))
    moves = {m["initiative"]: m["movement"] for m in data["direction"]["initiatives"]}
    assert moves["NBC-2026-011"] == "better" and moves["SCC-2025-019"] == "worse" and moves["NEW-2026-001"] == "new"
    assert moves["CCF-2026-002"] == "unchanged" and "HMRC-2023-112" not in moves
    assert set(moves) == {r["initiative"] for r in data["compliance"]["rows"]}  # every row has its movement
    assert data["direction"]["removed"] == [{"initiative": "HMRC-2023-112", "name": "VAT returns API"}]
    risks = {(r["initiative"], r["id"]): r["movement"] for r in data["risks"]}
    assert risks[("DWP-2024-044", "R1")] == "worse" and risks[("NEW-2026-001", "R1")] == "new"
    assert risks[("LBX-2011-003", "R1")] == "unchanged"
    assert {(r["initiative"], r["id"]) for r in data["direction"]["closed_risks"]} == {("HMRC-2023-112", "R1"), ("HMRC-2023-112", "R2")}


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_arrows_and_words_top_ten_and_arrivals_in_every_format(quarter: Path, fmt: str) -> None:
    out = re.sub(r"<[^>]+>", "", render(quarter, fmt)) if fmt == "html" else render(quarter, fmt)
    for words in ("\u2193 worse", "\u2191 better", "+ new", "\u2192 unchanged"):
        assert words in out, (fmt, words)
    assert "No longer reported (closed or removed): HMRC-2023-112 (" in out.replace("\n", " ")
    assert "Top 10 risks" in out and "\u2193 worse (was 8)" in out.replace("\n", " ") or fmt == "table"


def test_top_ten_is_by_residual_score(quarter: Path) -> None:
    data = json.loads(render(quarter, "json"))
    scored = sorted((r["score"] for r in data["risks"] if r["score"] is not None), reverse=True)[:10]
    out = render(quarter, "markdown")
    table = out[out.index("## Top 10 risks"):out.index("## Risk heatmaps")]
    rows = [line.split("|")[1:-1] for line in table.splitlines() if re.match(r"\| \d+ \|", line)]
    assert [int(r[4]) for r in rows] == scored


def test_a_previous_report_without_risks_says_so(quarter: Path) -> None:
    previous = json.loads((quarter / "previous.json").read_text(encoding="utf-8"))
    del previous["risks"]
    (quarter / "older.json").write_text(json.dumps(previous), encoding="utf-8")
    data: dict[str, Any] = json.loads(render(quarter, "json", "older.json"))
    assert data["direction"]["risks_compared"] is False and all("movement" not in r for r in data["risks"])
    assert "The previous report lists no risks" in render(quarter, "html", "older.json")
