"""Risk appetite version 2 (docs/design/semantics.md 8.7-8.9): the statement, its zones and `govern appetite`.

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


# --------------------------------------------------------------------------- zones and findings (item 2)

import copy  # noqa: E402
import datetime as dt  # noqa: E402

from govern.core.loader import load_file  # noqa: E402
from govern.core.model import Context  # noqa: E402
from govern.core.resources import policies_dir  # noqa: E402
from govern.testing import evaluate_manifest, load_rules  # noqa: E402

AS_OF = dt.date(2026, 11, 22)
_, ALL_RULES, _, _ = load_rules(no_plugins=True)
RISK_RULES = [rule for rule in ALL_RULES if rule.domain == "risk"]
BASE = load_file(str(policies_dir() / "examples" / "base.yaml")).documents[0].data
OWNER = {"name": "Daniel Reyes", "email": "d.reyes@lbx.example.gov"}
SIRO = {"name": "Sarah Ahmed", "email": "s.ahmed@lbx.example.gov"}
SRO = {"name": "Hannah Okoro", "email": "h.okoro@lbx.example.gov"}
TREATED = {"mitigations": ["a control"], "target": {"likelihood": 1, "impact": 2, "by": "2027-06-30"}}


@pytest.fixture(scope="module")
def v2(tmp_path_factory):
    return load_appetite(write(tmp_path_factory.mktemp("v2"), V2), "appetite.yaml")


def risk(category: str, residual: tuple[int, int], escalation: dict | None = None, **extra) -> dict:
    out = {"id": "R1", "title": "A risk", "category": category, "owner": OWNER,
           "inherent": {"likelihood": 5, "impact": 5},
           "residual": {"likelihood": residual[0], "impact": residual[1]},
           "review_by": "2027-01-31", **TREATED, **extra}
    if escalation:
        out["escalation"] = escalation
    return out


def accepted(by: dict, on: str = "2026-10-01", expires: str = "2027-01-31") -> dict:
    return {"accepted_by": by, "accepted_on": on, "expires": expires}


def decided(board: str, date: str = "2026-09-15", minute: str | None = "DB/2026/41", **extra) -> dict:
    out = {"board": board, "date": date, **extra}
    if minute:
        out["minute"] = minute
    return {"decision": out}


def found(statement, *risks: dict, as_of: dt.date = AS_OF, portfolio: bool = True):
    data = copy.deepcopy(BASE)
    data["risks"] = list(risks)
    ctx = Context(as_of=as_of, appetite=statement)
    return [f for f in evaluate_manifest(data, RISK_RULES, ctx, "initiative.yaml", portfolio) if f.domain == "risk"]


def by_rule(findings) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f)
    return out


def severities(findings) -> dict[str, str]:
    return {rule: ",".join(f.severity for f in fs) for rule, fs in by_rule(findings).items()}


def test_within_appetite_gives_nothing(v2):
    assert found(v2, risk("security", (2, 2))) == []


def test_within_tolerance_treated_and_accepted_by_the_delegated_role_is_info(v2):
    result = by_rule(found(v2, risk("security", (2, 3), accepted(SIRO))))
    (finding,) = result["RISK-002"]
    assert finding.severity == "info"
    assert "within its tolerance (6)" in finding.message and "delegation entry 1" in finding.message
    assert set(result) == {"RISK-002"}


def test_within_tolerance_without_acceptance_or_treatment_is_a_warning_never_an_error(v2):
    assert severities(found(v2, risk("security", (2, 3)))) == {"RISK-002": "warning"}
    untreated = risk("security", (2, 3), accepted(SIRO), mitigations=[])
    assert severities(found(v2, untreated)) == {"RISK-002": "warning", "RISK-006": "warning"}


def test_the_siro_may_accept_security_but_not_financial_risks(v2):
    # security: entry 1 names the SIRO; financial: entry 2 names only the SRO
    assert severities(found(v2, risk("security", (2, 3), accepted(SIRO)))) == {"RISK-002": "info"}
    refused = by_rule(found(v2, risk("financial", (2, 5), accepted(SIRO))))
    assert refused["RISK-002"][0].severity == "warning"
    (why,) = refused["RISK-011"]
    assert "Sarah Ahmed does not hold a role delegation entry 2 (financial, up to tolerance" in why.message
    assert "delegation entry 2" in why.message
    assert severities(found(v2, risk("financial", (2, 5), accepted(SRO)))) == {"RISK-002": "info"}


def test_outside_tolerance_is_an_error_that_only_a_board_decision_clears(v2):
    outside = by_rule(found(v2, risk("security", (2, 4))))  # 8 > averse tolerance 6
    assert outside["RISK-002"][0].severity == "error"
    assert "outside the averse tolerance (at most 6)" in outside["RISK-002"][0].message
    assert "Departmental Board" in outside["RISK-002"][0].message
    assert outside["RISK-010"][0].severity == "error"
    by_role = by_rule(found(v2, risk("security", (2, 4), accepted(SIRO))))
    assert by_role["RISK-002"][0].severity == "error"
    assert "only a recorded board decision" in by_role["RISK-011"][0].message
    board = by_rule(found(v2, risk("security", (2, 4), decided("Departmental Board"))))
    assert board["RISK-002"][0].severity == "warning" and "RISK-010" not in board
    assert "minute DB/2026/41" in board["RISK-002"][0].message and "2027-09-15" in board["RISK-002"][0].message


@pytest.mark.parametrize(
    ("decision", "reason"),
    [
        (decided("Project Board"), "Project Board is not a board that may decide on it (Departmental Board)"),
        (decided("Departmental Board", minute=None), "no minute reference"),
        (decided("Departmental Board", date="2025-10-01"), "lapsed on 2026-10-01"),  # 365 days, no expires
        (decided("Departmental Board", expires="2026-11-01"), "lapsed on 2026-11-01"),
        (decided("Departmental Board", date="2026-12-01"), "dated 2026-12-01, after 2026-11-22"),
    ],
)
def test_a_decision_that_does_not_count_leaves_the_error_and_says_why(v2, decision, reason):
    result = by_rule(found(v2, risk("security", (2, 4), decision)))
    assert result["RISK-002"][0].severity == "error"
    (ignored,) = result["RISK-011"]
    assert reason in ignored.message and ignored.path == "/risks/0/escalation/decision"


def test_at_capacity_is_risk_008_only_and_needs_the_capacity_body(v2):
    bare = severities(found(v2, risk("people", (4, 5))))
    assert bare == {"RISK-008": "error", "RISK-010": "error"}  # no RISK-002 at capacity (8.8 item 6)
    board = by_rule(found(v2, risk("people", (4, 5), decided("Departmental Board"))))
    assert board["RISK-008"][0].severity == "error" and "Executive Committee" in board["RISK-011"][0].message
    committee = severities(found(v2, risk("people", (4, 5), decided("Executive Committee"))))
    assert committee == {"RISK-008": "warning"}


def test_an_impact_trigger_is_board_visibility_not_a_breach(v2):
    # security is averse: trigger 4. 1 x 4 = 4 is within appetite: RISK-007 info, nothing else.
    result = found(v2, risk("security", (1, 4), mitigations=[]))
    assert [(f.rule, f.severity) for f in result] == [("RISK-007", "info")]
    assert "watch list of Departmental Board" in result[0].message
    # at capacity too, independently of the zone (8.9 item 4)
    result = severities(found(v2, risk("security", (4, 5), decided("Executive Committee"))))
    assert result == {"RISK-007": "info", "RISK-008": "warning"}


def test_a_treatment_plan_holds_only_while_its_date_is_ahead(v2):
    late = risk("security", (2, 3), accepted(SIRO), target={"likelihood": 1, "impact": 2, "by": "2026-10-31"})
    result = by_rule(found(v2, late))
    assert "target date 2026-10-31 has passed" in result["RISK-006"][0].message
    assert result["RISK-002"][0].severity == "warning"  # not treated, so not info


def test_risk_010_counts_outside_tolerance_against_the_statement_limit(tmp_path):
    text = V2.replace("decided_by: Executive Committee}", "decided_by: Executive Committee, portfolio_max_outside_tolerance: 1}")
    statement = load_appetite(write(tmp_path, text), "appetite.yaml")
    two = [risk("security", (2, 4)), {**risk("technology", (4, 4)), "id": "R2"}]
    (finding,) = by_rule(found(statement, *two))["RISK-010"]
    assert finding.path == "/capacity/portfolio_max_outside_tolerance" and finding.file == "appetite.yaml"
    assert "2 risks are outside tolerance or at capacity" in finding.message
    within = [risk("security", (2, 4)), {**risk("technology", (2, 5)), "id": "R2"}]  # 10: within tolerance 12
    assert "RISK-010" not in by_rule(found(statement, *within))


def test_the_held_out_shape_through_the_cli(tmp_path):
    """A manifest and its v2 statement through `govern check`: exit 1 for the error, findings in JSON."""
    import yaml

    data = copy.deepcopy(BASE)
    data["risks"] = [risk("security", (2, 3), accepted(SIRO)), {**risk("financial", (3, 4), accepted(SIRO)), "id": "R2"}]
    manifest = tmp_path / "initiative.yaml"
    manifest.write_text(yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False), encoding="utf-8")
    done = cli("check", str(manifest), "--appetite", write(tmp_path, V2), "--as-of", "2026-11-22", "--format", "json")
    report = json.loads(done.stdout)
    risk_findings = {(f["rule"], f["severity"], f["path"]) for f in report["findings"] if f["rule"].startswith("RISK")}
    assert ("RISK-002", "info", "/risks/0/residual") in risk_findings
    assert ("RISK-002", "warning", "/risks/1/residual") in risk_findings  # financial 12: SIRO refused
    assert ("RISK-011", "warning", "/risks/1/escalation") in risk_findings


def test_under_caps_a_valid_acceptance_still_makes_risk_007_a_warning(tmp_path):
    """8.9 item 16: a version-2 statement with impact_caps; 1 x 4 is within appetite but above the averse cap."""
    capped = load_appetite(write(tmp_path, V2.replace("impact_triggers: {averse: 4, minimal: 5}",
                                                      "impact_caps: {averse: 3, minimal: 4}")), "appetite.yaml")
    assert severities(found(capped, risk("security", (1, 4)))) == {"RISK-007": "error"}
    assert severities(found(capped, risk("security", (1, 4), accepted(SIRO)))) == {"RISK-007": "warning"}
    refused = by_rule(found(capped, risk("security", (1, 4), accepted(SRO))))  # entry 1 names the SIRO only
    assert refused["RISK-007"][0].severity == "error" and "delegation entry 1" in refused["RISK-011"][0].message
