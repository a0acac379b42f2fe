"""Risk appetite version 2 (RULES.md 8.7-8.9): the statement, its zones and `govern appetite`.

A version-2 statement gives each level an appetite and a tolerance, a
capacity with the body that decides, impact triggers and a delegation
matrix. These tests read real files and run the real CLI: every problem is
located (file:line:col, exit 2), the zones come out in the order 8.9 item 2
fixes, and a short-form statement is still read as version 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govern.risk.appetite import AppetiteError, load_appetite

V2 = """\
apiVersion: govern/v1
kind: RiskAppetite
metadata: {name: dept-2026, approved_by: Departmental Board, approved_on: 2026-06-01, review_by: 2027-06-01}
levels:
  averse:   {appetite: 4,  tolerance: 6}
  minimal:  {appetite: 6,  tolerance: 9}
  cautious: {appetite: 9,  tolerance: 12}
  open:     {appetite: 12, tolerance: 16}
  eager:    {appetite: 16, tolerance: 16}
capacity: {score: 20, decided_by: Executive Committee}
impact_triggers: {averse: 4, minimal: 5}
delegation:
  - {categories: [security, information], up_to: tolerance, accept_by: [senior_information_risk_owner]}
  - {categories: [financial], up_to: tolerance, accept_by: [senior_responsible_owner]}
  - {up_to: tolerance, accept_by: [senior_responsible_owner], max_days: 90}
  - {up_to: capacity, accept_by: [board]}
scale:
  likelihood: 5
  impact: 5
  descriptors:
    likelihood: {1: Rare, 2: Unlikely, 3: Possible, 4: Likely, 5: Almost certain}
    impact: {1: Minimal, 2: Minor, 3: Moderate, 4: Major, 5: Severe}
categories: {security: averse, information: minimal, financial: cautious, technology: cautious, people: open}
aliases: {cyber: security}
"""


def write(tmp_path: Path, text: str, name: str = "appetite.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govern", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_version_2_statement_is_read(tmp_path):
    statement = load_appetite(write(tmp_path, V2), "appetite.yaml")
    assert statement.version2
    assert statement.levels == {"averse": 4, "minimal": 6, "cautious": 9, "open": 12, "eager": 16}
    assert statement.tolerances == {"averse": 6, "minimal": 9, "cautious": 12, "open": 16, "eager": 16}
    assert (statement.capacity, statement.capacity_by) == (20, "Executive Committee")
    assert statement.impact_triggers == {"averse": 4, "minimal": 5}
    assert statement.descriptors["impact"][5] == "Severe"
    first, second, third, last = statement.delegation
    assert first.categories == ("security", "information") and first.max_days == 180  # the govern default
    assert third.max_days == 90 and last.board and last.up_to == "capacity"


@pytest.mark.parametrize(
    ("score", "zone"),
    [(1, "appetite"), (4, "appetite"), (5, "tolerance"), (6, "tolerance"), (8, "outside"), (19, "outside"),
     (20, "capacity"), (25, "capacity")],
)
def test_zones_are_tested_from_capacity_down(tmp_path, score, zone):
    statement = load_appetite(write(tmp_path, V2))
    assert statement.zone("averse", score) == zone


def test_delegation_first_match_by_category_and_zone(tmp_path):
    statement = load_appetite(write(tmp_path, V2))
    assert statement.delegation_for("security", 6).index == 0
    assert statement.delegation_for("financial", 12).index == 1
    assert statement.delegation_for("people", 14).index == 2
    assert statement.delegation_for("security", 8).index == 3  # outside tolerance: the board
    assert statement.delegation_for("security", 20) is None  # capacity: nobody by delegation


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("averse:   {appetite: 4,  tolerance: 6}", "averse:   {appetite: 4,  tolerance: 3}", (5, 28),
         "levels.averse tolerance 3 is below its appetite 4"),
        ("eager:    {appetite: 16, tolerance: 16}", "eager:    {appetite: 16, tolerance: 20}", (9, 28),
         "levels.eager tolerance 20 is not below capacity 20"),
        ("[security, information]", "[security, climate]", (13, 29), "delegation names climate"),
        ("averse:   {appetite: 4,  tolerance: 6}", "averse:   {appetite: 4}", (5, 3), "tolerance"),
        ("up_to: capacity, accept_by: [board]", "up_to: forever, accept_by: [board]", (16, 5), "up_to"),
        ("capacity: {score: 20,", "capacity: {score: 30,", (10, 19), "capacity.score is 30"),
    ],
)
def test_invalid_version_2_statements_are_located(tmp_path, old, new, where, message):
    assert old in V2
    with pytest.raises(AppetiteError) as caught:
        load_appetite(write(tmp_path, V2.replace(old, new, 1)), "appetite.yaml")
    problems = caught.value.problems
    assert any(message in p.message and (p.line, p.column) >= (where[0], 1) and p.line == where[0]
               for p in problems), [p.located() for p in problems]


def test_an_invalid_statement_is_exit_2_with_a_location_and_no_traceback(tmp_path):
    path = write(tmp_path, V2.replace("averse:   {appetite: 4,  tolerance: 6}", "averse:   {appetite: 4,  tolerance: 3}"))
    done = cli("appetite", path)
    assert done.returncode == 2
    assert f"{path}:5:28: invalid RiskAppetite: levels.averse tolerance 3 is below its appetite 4" in done.stderr
    assert "Traceback" not in done.stderr


def test_short_form_statement_is_still_version_1(tmp_path):
    from govern.core.resources import default_appetite_path

    text = V2
    for level, value in (("averse", 4), ("minimal", 6), ("cautious", 9), ("open", 12), ("eager", 16)):
        start = text.index(f"  {level}:")
        end = text.index("\n", start)
        text = text[:start] + f"  {level}: {value}" + text[end:]
    statement = load_appetite(write(tmp_path, text))
    assert not statement.version2 and statement.tolerances == statement.levels
    assert statement.zone("averse", 5) == "outside"  # tolerance = appetite: nothing in between
    assert "Zones at" not in cli("appetite", str(default_appetite_path())).stdout or statement.version2 is False


def test_govern_appetite_shows_a_zone_grid_per_level_and_the_delegation_table(tmp_path):
    done = cli("appetite", write(tmp_path, V2))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for level in ("averse", "minimal", "cautious", "open", "eager"):
        assert f"Zones at {level}:" in out
    averse = out[out.index("Zones at averse"):out.index("Zones at minimal")]
    # averse (appetite 4, tolerance 6, capacity 20): L5 scores 5 10 15 20 25, L1 scores 1 2 3 4 5
    assert [line.split()[-5:] for line in averse.splitlines() if line.startswith(("L5", "L1"))] == [
        ["T", "O", "O", "C", "C"], ["A", "A", "A", "A", "T"]]
    assert "I5 Severe" in averse and "L5 Almost certain" in averse
    table = out[out.index("Delegation (first matching entry applies)"):]
    assert "delegation entry 1  security, information  tolerance  senior_information_risk_owner" in table
    assert "delegation entry 4  any                    capacity   board" in table
    data = json.loads(cli("appetite", write(tmp_path, V2), "--format", "json").stdout)
    assert data["delegation"][1] == {"entry": "delegation entry 2", "categories": ["financial"], "up_to": "tolerance",
                                     "accept_by": ["senior_responsible_owner"], "max_days": 180}
    cell = next(c for c in data["zones"]["averse"] if (c["likelihood"], c["impact"]) == (4, 2))
    assert cell == {"likelihood": 4, "impact": 2, "score": 8, "zone": "outside"}
