"""`govern portfolio`: every table's counts against an independent count of `govern check`'s findings.

The independent count reads the JSON findings of `govern check --format json`
and the manifests' YAML directly; it shares no code with govern.report.portfolio.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "portfolio"
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")
FORMATS = ("table", "markdown", "html", "json", "csv")
DOMAINS = ("governance", "data", "privacy", "security", "accessibility", "risk")
SCRIPT = "<script>alert(1)</script>"


def portfolio(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return run_cli("portfolio", *args, cwd=cwd)


def portfolio_json(*args: str, cwd: Path = ROOT) -> dict[str, Any]:
    result = portfolio(*args, "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def check() -> dict[str, Any]:
    # check runs the portfolio-level rules (RISK-009/010) too, as portfolio always does.
    result = run_cli("check", "examples/portfolio", *AS_OF, "--format", "json", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def board() -> dict[str, Any]:
    return portfolio_json("examples/portfolio", *AS_OF)


def write_manifest(folder: Path, name: str, change) -> Path:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    change(data)
    path = folder / name
    path.write_text(yaml.safe_dump(as_text(data), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def as_text(value: Any) -> Any:
    """Dates back to ISO strings (PyYAML reads them as dates)."""
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


# -- the JSON report -----------------------------------------------------------------------


def test_portfolio_json_validates_against_the_published_schema(board: dict[str, Any]) -> None:
    schema = json.loads((ROOT / "schemas" / "portfolio-report.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(board)] == []
    assert board["command"] == "portfolio" and board["as_of"] == "2026-11-22"


def test_a_board_report_is_not_a_failure_unless_asked(check: dict[str, Any]) -> None:
    assert check["summary"]["errors"] > 0
    assert portfolio("examples/portfolio", *AS_OF).returncode == 0
    assert portfolio("examples/portfolio", *AS_OF, "--fail-on", "error").returncode == 1


def test_findings_are_those_of_check(board: dict[str, Any], check: dict[str, Any]) -> None:
    key = lambda f: (f["file"], f["line"], f["rule"], f["path"], f["message"])  # noqa: E731
    assert sorted(map(key, board["findings"])) == sorted(map(key, check["findings"]))


# -- compliance --------------------------------------------------------------------------------


def severity_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    out = {"errors": 0, "warnings": 0, "info": 0, "waived": 0}
    for f in findings:
        out["waived" if f["status"] == "waived" else {"error": "errors", "warning": "warnings", "info": "info"}[f["severity"]]] += 1
    return out


def test_compliance_counts_match_an_independent_count(board: dict[str, Any], check: dict[str, Any]) -> None:
    ids = {m["initiative"] for m in check["manifests"]}
    rows = {row["initiative"]: row for row in board["compliance"]["rows"]}
    assert set(rows) == ids and len(board["compliance"]["rows"]) == len(check["manifests"])
    for initiative, row in rows.items():
        mine = [f for f in check["findings"] if f["initiative"] == initiative]
        for domain in DOMAINS:
            expected = severity_counts([f for f in mine if f["domain"] == domain])
            got = {k: row["domains"][domain][k] for k in expected}
            assert got == expected, (initiative, domain)
        assert {k: row["overall"][k] for k in ("errors", "warnings", "info", "waived")} == severity_counts(mine)
    rest = [f for f in check["findings"] if f["initiative"] not in ids]
    assert {k: board["compliance"]["portfolio"]["overall"][k] for k in ("errors", "warnings", "info", "waived")} == severity_counts(rest)
    totals = board["compliance"]["totals"]["overall"]
    assert {k: totals[k] for k in ("errors", "warnings", "info", "waived")} == severity_counts(check["findings"])
    for key in ("errors", "warnings", "info", "waived"):
        assert totals[key] == check["summary"][key]


def test_compliance_is_sorted_worst_first_with_marks_in_words(board: dict[str, Any]) -> None:
    rows = board["compliance"]["rows"]
    order = [(-r["overall"]["errors"], -r["overall"]["warnings"], r["initiative"]) for r in rows]
    assert order == sorted(order)
    marks = {r["initiative"]: r for r in rows}
    assert marks["CCF-2026-002"]["overall"]["mark"] == "FAIL 5E 1W 1I"  # GOV-006 info: `beta`, say which
    assert marks["NBC-2026-011"]["overall"]["mark"] == "WARN 1W"
    assert marks["HMRC-2023-112"]["overall"]["mark"] == "PASS"
    assert marks["HO-2022-207"]["domains"]["data"]["mark"] == "NOTE 1I"  # SECRET: never a misleading PASS


def test_waived_findings_are_counted_apart_never_as_failing(tmp_path: Path) -> None:
    register = tmp_path / "waivers.yaml"
    register.write_text(
        "apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
        "  - initiative: CCF-2026-002\n    rule: SEC-002\n    justification: Supplier enables admin MFA in December\n"
        "    approved_by: {name: Chief Information Security Officer}\n    approved_on: 2026-10-01\n    expires: 2026-12-10\n",
        encoding="utf-8",
    )
    data = portfolio_json(str(EXAMPLES), *AS_OF, "--waivers", str(register))
    row = next(r for r in data["compliance"]["rows"] if r["initiative"] == "CCF-2026-002")
    assert row["domains"]["security"]["errors"] == 0 and row["domains"]["security"]["waived"] == 1
    assert row["domains"]["security"]["mark"] == "PASS +1 waived"
    assert data["summary"]["waived"] == 1
    beth = next(p for p in data["accountability"]["rows"] if p["name"] == "Beth Llewellyn")
    assert beth["errors"] == 0 and beth["waived"] == 1
    assert beth["expiring"] == {"within_30_days": 1, "within_60_days": 1, "within_90_days": 1}  # 18 days
    assert beth["expiring_items"] == [{"what": "waiver of SEC-002", "initiative": "CCF-2026-002", "ends": "2026-12-10", "days": 18}]


# -- accountability -------------------------------------------------------------------------------


def test_accountability_counts_match_an_independent_count(board: dict[str, Any], check: dict[str, Any]) -> None:
    expected: dict[str, Counter] = {}
    for f in check["findings"]:
        who = f["accountable"]
        name = who["name"] or (f"unassigned ({who['role']})" if who["role"] else "no accountable role")
        if f["status"] != "waived":
            expected.setdefault(name, Counter())[f["severity"]] += 1
    got = {}
    labels = {"Service owner": "service_owner", "SRO": "senior_responsible_owner", "IAO": "information_asset_owner",
              "Security lead": "security_lead", "SIRO": "senior_information_risk_owner", "Risk owner": "risk_owner"}
    for row in board["accountability"]["rows"]:
        name = row["person"] or (f"unassigned ({row['unassigned_role']})" if row["unassigned_role"] else "no accountable role")
        if row["errors"] or row["warnings"] or row["info"]:
            got[name] = Counter({"error": row["errors"], "warning": row["warnings"], "info": row["info"]})
        if row["unassigned_role"]:
            assert row["roles"] == [next(k for k, v in labels.items() if v == row["unassigned_role"])]
    assert got == {k: +v for k, v in expected.items()}
    assert board["accountability"]["totals"]["errors"] == check["summary"]["errors"]
    assert board["accountability"]["totals"]["warnings"] == check["summary"]["warnings"]


def test_everyone_named_in_a_role_has_a_row_with_the_roles_they_hold(board: dict[str, Any]) -> None:
    held: dict[str, set[str]] = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            for role, person in (doc.get("accountability") or {}).items():
                if role not in ("approvals", "data_protection_officer") and person:
                    held.setdefault(person["name"], set()).add(role)
            for risk in doc.get("risks") or []:
                if risk.get("owner"):
                    held.setdefault(risk["owner"]["name"], set()).add("risk_owner")
    rows = {r["person"]: r for r in board["accountability"]["rows"] if r["person"]}
    assert held.keys() <= rows.keys()
    assert "DPO (shared service)" not in rows  # the DPO is never accountable
    assert rows["Olivia Hart"]["roles"] == ["SIRO", "SRO"]
    assert rows["Sarah Ahmed"]["initiatives"] == ["LBX-2011-003", "LBX-2025-031", "LBX-2026-052"]
    # RISK-010 is owned by the board of the statement in use: the bundled example names no real board
    assert rows["(example — replace with your board's statement)"]["roles"] == ["Approving body"]


def test_overdue_reviews_are_the_review_rules(board: dict[str, Any], check: dict[str, Any]) -> None:
    reviews = Counter(f["accountable"]["name"] for f in check["findings"]
                      if f["rule"] in ("ACC-003", "PRIV-003", "RISK-005", "RISK-009") and f["status"] != "waived")
    got = Counter({r["name"]: r["overdue_reviews"] for r in board["accountability"]["rows"] if r["overdue_reviews"]})
    assert got == reviews and sum(reviews.values()) >= 2  # PRIV-003 pension credit, RISK-005 e-rostering


def test_a_vacant_role_is_a_row_and_a_finding_never_counted_twice(tmp_path: Path) -> None:
    def discovery_without_service_owner(data: dict[str, Any]) -> None:
        data["metadata"].update(id="VAC-2026-001", phase="discovery")
        del data["accountability"]["service_owner"]
        data["accessibility"]["wcag_target"] = "2.1-AA"  # ACC-001 warning, owned by the service owner
        data["risks"][0]["owner"] = {"name": "Hannah Okoro", "email": "h.okoro@lbx.example.gov"}

    def beta_without_service_owner(data: dict[str, Any]) -> None:
        data["metadata"]["id"] = "VAC-2026-002"
        del data["accountability"]["service_owner"]
        data["accessibility"]["wcag_target"] = "2.1-AA"
        data["risks"][0]["owner"] = {"name": "Hannah Okoro", "email": "h.okoro@lbx.example.gov"}

    write_manifest(tmp_path, "discovery.yaml", discovery_without_service_owner)
    write_manifest(tmp_path, "beta.yaml", beta_without_service_owner)
    data = portfolio_json(str(tmp_path), *AS_OF)
    fired = {(f["initiative"], f["rule"]) for f in data["findings"]}
    assert ("VAC-2026-002", "GOV-002") in fired and ("VAC-2026-001", "GOV-002") not in fired
    # No rule names the missing service owner in discovery: a portfolio notice does, outside the counts.
    assert [(n["rule"], n["initiative"], n["path"]) for n in data["notices"]] == [
        ("GOV-UNASSIGNED", "VAC-2026-001", "/accountability/service_owner")]
    assert "GOV-UNASSIGNED" not in {f["rule"] for f in data["findings"]}
    assert data["summary"]["notices"] == 1
    vacant = next(r for r in data["accountability"]["rows"] if r["unassigned_role"] == "service_owner")
    assert vacant["name"] == "unassigned (Service owner)"
    assert vacant["initiatives"] == ["VAC-2026-001", "VAC-2026-002"] and vacant["warnings"] == 2
    assert data["accountability"]["totals"]["warnings"] == data["compliance"]["totals"]["overall"]["warnings"]


def test_risk_acceptances_expiring_are_counted_for_the_risk_owner(tmp_path: Path) -> None:
    def accepted_breach(data: dict[str, Any]) -> None:
        data["risks"][0].update(
            category="security", residual={"likelihood": 3, "impact": 3},
            target={"likelihood": 1, "impact": 3, "by": "2027-06-30"},
            escalation={"accepted_by": {"name": "Sarah Ahmed", "email": "s.ahmed@lbx.example.gov"},
                        "accepted_on": "2026-10-01", "expires": "2027-01-05"},
        )

    write_manifest(tmp_path, "accepted.yaml", accepted_breach)
    data = portfolio_json(str(tmp_path), *AS_OF)
    assert {(f["rule"], f["severity"]) for f in data["findings"] if f["rule"] == "RISK-002"} == {("RISK-002", "warning")}
    owner = next(r for r in data["accountability"]["rows"] if r["person"] == "Daniel Reyes")
    assert owner["expiring"] == {"within_30_days": 0, "within_60_days": 1, "within_90_days": 1}  # 44 days
    security = next(r for r in data["risk_appetite"]["rows"] if r["category"] == "security")
    assert (security["risks"], security["above_appetite"], security["accepted"], security["unaccepted"]) == (1, 1, 1, 0)


# -- risk appetite and heatmaps -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def risks() -> list[tuple[str, int, dict[str, Any]]]:
    found = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            for index, risk in enumerate(doc.get("risks") or []):
                found.append((doc["metadata"]["id"], index, risk))
    return found


def test_risk_appetite_table_matches_an_independent_count(board, check, risks) -> None:
    statement = yaml.safe_load((ROOT / "policies" / "default-appetite.yaml").read_text(encoding="utf-8"))
    aliases, categories = statement["aliases"], statement["categories"]
    breach: dict[tuple[str, int], set[str]] = {}
    for f in check["findings"]:
        match = re.fullmatch(r"/risks/(\d+)(/.*)?", f["path"])
        if f["rule"] in ("RISK-002", "RISK-007", "RISK-008") and match:
            breach.setdefault((f["initiative"], int(match.group(1))), set()).add(f["severity"])
    expected: dict[str, dict[str, Any]] = {c: {"risks": 0, "above": 0, "accepted": 0, "unaccepted": 0, "top": None, "ids": set()}
                                           for c in categories}
    unknown = 0
    for initiative, index, risk in risks:
        category = aliases.get(risk["category"], risk["category"])
        if category not in categories:
            unknown += 1
            continue
        row = expected[category]
        row["risks"] += 1
        row["ids"].add(initiative)
        score = risk["residual"]["likelihood"] * risk["residual"]["impact"]
        row["top"] = max(row["top"] or 0, score)
        if (initiative, index) in breach:
            row["above"] += 1
            row["unaccepted" if "error" in breach[(initiative, index)] else "accepted"] += 1
    rows = {r["category"]: r for r in board["risk_appetite"]["rows"]}
    assert set(rows) == set(categories)
    for category, want in expected.items():
        row = rows[category]
        assert row["level"] == categories[category]
        assert row["threshold"] == statement["levels"][categories[category]]
        got = (row["risks"], row["above_appetite"], row["accepted"], row["unaccepted"], row["highest_residual"], set(row["initiatives"]))
        assert got == (want["risks"], want["above"], want["accepted"], want["unaccepted"], want["top"], want["ids"]), category
    assert board["risk_appetite"]["not_in_statement"] == {"risks": unknown, "initiatives": ["CCF-2026-002"]}
    assert board["summary"]["unaccepted"] == 5  # RISK-010 counts the same five risks
    assert rows["security"]["aliases"] == ["cyber"]


@pytest.mark.parametrize("kind", ["residual", "inherent"])
def test_heatmaps_count_every_rated_risk(board, risks, kind: str) -> None:
    expected = Counter((r[kind]["likelihood"], r[kind]["impact"]) for _, _, r in risks)
    cells = board["heatmaps"][kind]["cells"]
    assert len(cells) == 25
    assert [(c["likelihood"], c["impact"]) for c in cells] == [(l, i) for l in range(5, 0, -1) for i in range(1, 6)]
    assert {(c["likelihood"], c["impact"]): c["count"] for c in cells if c["count"]} == dict(expected)
    assert sum(c["count"] for c in cells) == len(risks) and board["heatmaps"][kind]["unplaced"] == 0


# -- formats ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        result = portfolio("examples/portfolio", *AS_OF, "--format", fmt)
        assert result.returncode == 0, result.stderr
        out[fmt] = result.stdout
    return out


def test_every_format_is_deterministic(rendered: dict[str, str]) -> None:
    for fmt in FORMATS:
        assert portfolio("examples/portfolio", *AS_OF, "--format", fmt).stdout == rendered[fmt], fmt


def test_table_is_the_default_and_shows_the_three_tables(rendered: dict[str, str]) -> None:
    assert portfolio("examples/portfolio", *AS_OF).stdout == rendered["table"]
    text = rendered["table"]
    for title in ("Compliance", "Accountability", "Risk appetite", "Residual risk heatmap", "Inherent risk heatmap"):
        assert f"\n{title}" in text
    rows = compliance_rows(text)
    assert rows["CCF-2026-002"][0] == "CCF-2026-002 Apply for a community climate grant" and rows["CCF-2026-002"][-1] == "FAIL 5E 1W 1I"
    assert rows["Total"][0] == "Total (16 initiatives)" and rows["Total"][-1] == "FAIL 30E 21W 2I"  # DATA-004 now a warning, GOV-006 info for `beta`


def compliance_rows(text: str) -> dict[str, list[str]]:
    """The terminal compliance table's rows, cells joined across the lines they wrap onto (keyed by ID or "Total")."""
    lines = text[text.index("\nCompliance\n"):].splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Initiative "))
    at = next(i for i in range(at, len(lines)) if lines[i].startswith("---"))  # a header may wrap onto two lines
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[at])]
    rows: dict[str, list[str]] = {}
    current: list[list[str]] = []
    for line in lines[at + 1:]:
        if not line.strip():
            break
        cells = [line[a:b + 2 if i < len(spans) - 1 else None].strip() for i, (a, b) in enumerate(spans)]
        if re.match(r"[A-Z]+-\d{4}-\d{3}|Total|\(portfolio\)", cells[0]):
            current = [[c] if c else [] for c in cells]
            rows[cells[0].split()[0]] = current  # type: ignore[assignment]
        else:
            for column, cell in zip(current, cells):
                if cell:
                    column.append(cell)
    return {key: [" ".join(parts) for parts in value] for key, value in rows.items()}


def gfm_tables(text: str) -> list[list[list[str]]]:
    """GitHub-flavoured tables: a header row, a delimiter row, then rows with as many cells."""
    tables, lines, i = [], text.splitlines(), 0
    split = lambda line: [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]  # noqa: E731
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|( *:?-{3,}:? *\|)+", lines[i + 1]):
            header = split(lines[i])
            assert len(split(lines[i + 1])) == len(header)
            rows, i = [header], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                assert len(split(lines[i])) == len(header), lines[i]
                rows.append(split(lines[i]))
                i += 1
            tables.append(rows)
        else:
            i += 1
    return tables


def test_markdown_is_github_flavoured_tables(rendered: dict[str, str], board: dict[str, Any]) -> None:
    tables = gfm_tables(rendered["markdown"])
    asks = len({item["kind"] for item in board["decisions"]["items"]})  # "Decisions for the board" first, a table per kind
    assert all(t[0][:2] == ["Initiative", "What is asked"] for t in tables[:asks])
    tables = tables[asks:]
    # compliance, accountability, appetite, top 10 risks, a zone grid per category with risks, two heatmaps,
    # benefits, AI and algorithms
    assert len(tables) == 8 + len(board["zone_heatmaps"]) and board["zone_heatmaps"]
    compliance, people, appetite, top = tables[:4]
    benefits, tools = tables[-2:]
    assert benefits[0][:2] == ["Initiative", "Measure"] and len(benefits) - 1 == 22
    assert tools[0][:2] == ["Initiative", "Tool"] and len(tools) - 1 == 1
    assert top[0][:5] == ["Rank", "Initiative", "Risk", "Title", "Residual score"] and len(top) - 1 == 10
    assert compliance[0][:4] == ["ID", "Name", "Department", "Phase"] and compliance[0][-1] == "Overall"
    assert len(compliance) - 1 == len(board["compliance"]["rows"]) + 2  # + portfolio row + totals
    ids = [r["initiative"] for r in board["compliance"]["rows"]]
    assert [r[0] for r in compliance[1:len(ids) + 1]] == ids
    folded = len(board["accountability"]["nothing_to_answer"])  # folded into one line under the table
    assert len(people) - 1 == len(board["accountability"]["rows"]) - folded + 1
    assert len(appetite) - 1 == len(board["risk_appetite"]["rows"]) + 1
    assert all(len(t) == 6 and len(t[0]) == 6 for t in tables[4:6])


def test_csv_round_trips_through_the_csv_module(tmp_path: Path, board: dict[str, Any]) -> None:
    out = tmp_path / "board.csv"
    assert portfolio("examples/portfolio", *AS_OF, "--format", "csv", "--output", str(out)).returncode == 0
    text = out.read_bytes().decode("utf-8")  # bytes as written: RFC 4180 CRLF line ends
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert header[0] == "table" and all(len(r) == len(header) for r in rows)
    again = io.StringIO()
    csv.writer(again, lineterminator="\r\n").writerows(rows)
    assert again.getvalue() == text
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    compliance = [r for r in records if r["table"] == "compliance" and r["key"] not in ("TOTAL", "PORTFOLIO")]
    assert [r["key"] for r in compliance] == [r["initiative"] for r in board["compliance"]["rows"]]
    for record, row in zip(compliance, board["compliance"]["rows"]):
        assert int(record["errors"]) == row["overall"]["errors"] and int(record["warnings"]) == row["overall"]["warnings"]
        assert [record[d] for d in DOMAINS] == [row["domains"][d]["mark"] for d in DOMAINS]
    total = next(r for r in records if r["key"] == "TOTAL")
    assert int(total["errors"]) == board["summary"]["errors"]
    people = [r for r in records if r["table"] == "accountability"]
    assert sum(int(r["errors"]) for r in people) == board["summary"]["errors"]
    assert {r["key"] for r in records if r["table"] == "risk_appetite"} >= {"security", "information", "NOT-IN-STATEMENT"}


def test_group_by_department_and_phase_subtotals_add_up(board: dict[str, Any]) -> None:
    for by in ("department", "phase"):
        data = portfolio_json("examples/portfolio", *AS_OF, "--group-by", by)
        groups = data["compliance"]["groups"]
        assert data["group_by"] == by and groups
        assert sorted(i for g in groups for i in g["initiatives"]) == sorted(r["initiative"] for r in board["compliance"]["rows"])
        rows = {r["initiative"]: r for r in data["compliance"]["rows"]}
        for g in groups:
            assert {rows[i][by] for i in g["initiatives"]} == {g["group"]}
            assert g["totals"]["overall"]["errors"] == sum(rows[i]["overall"]["errors"] for i in g["initiatives"])
        if by == "phase":
            assert [g["group"] for g in groups] == ["discovery", "alpha", "private-beta", "public-beta", "beta", "live", "retired"]
        table = portfolio("examples/portfolio", *AS_OF, "--group-by", by).stdout
        assert "Subtotal" in table


def test_unknown_format_and_group_are_usage_errors() -> None:
    result = portfolio("examples/portfolio", *AS_OF, "--format", "sarif")
    assert result.returncode == 2 and "unknown format 'sarif' for portfolio" in result.stderr
    assert portfolio("examples/portfolio", "--group-by", "colour").returncode == 2
    assert portfolio().returncode == 2


# -- hostile names ------------------------------------------------------------------------------------------


def test_markup_in_a_manifest_is_shown_escaped_in_every_format(tmp_path: Path) -> None:
    def hostile(data: dict[str, Any]) -> None:
        data["metadata"].update(name=SCRIPT, department='"><img src=x onerror=alert(2)>| x')
        data["accessibility"]["wcag_target"] = "2.1-AA"  # a finding, so the name reaches the details too

    write_manifest(tmp_path, "hostile.yaml", hostile)
    for fmt in FORMATS:
        result = portfolio(str(tmp_path), *AS_OF, "--format", fmt)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "<script" not in out.lower() and "<img" not in out, fmt
        assert "alert(1)" in out, fmt  # shown, not dropped
        if fmt in ("html", "markdown", "table", "csv"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out, fmt
    data = json.loads(portfolio(str(tmp_path), *AS_OF, "--format", "json").stdout)
    assert data["compliance"]["rows"][0]["name"] == SCRIPT  # the JSON value itself is exact
    markdown = portfolio(str(tmp_path), *AS_OF, "--format", "markdown").stdout
    for table in gfm_tables(markdown):
        assert len({len(row) for row in table}) == 1  # a | in a value never adds a column
    html = portfolio(str(tmp_path), *AS_OF, "--format", "html").stdout
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;| x" in html


def test_csv_cells_cannot_become_spreadsheet_formulas(tmp_path: Path) -> None:
    write_manifest(tmp_path, "formula.yaml", lambda d: d["metadata"].update(name="=HYPERLINK(\"http://x\")"))
    records = list(csv.DictReader(io.StringIO(portfolio(str(tmp_path), *AS_OF, "--format", "csv").stdout, newline="")))
    assert records[0]["name"] == "'=HYPERLINK(\"http://x\")"


# -- --compare ------------------------------------------------------------------------------------------------


def test_compare_reports_new_resolved_and_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    previous = tmp_path / "previous.json"
    result = portfolio("portfolio", *AS_OF, "--format", f"json:{previous}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    grant = folder / "apply-for-a-community-climate-grant.yaml"
    text = grant.read_text(encoding="utf-8")
    text = text.replace("  retention_months: 84", "  ropa_reference: ROPA-CCF-002\n  retention_months: 84")  # fixes DATA-006
    text = text.replace("open_high: 0}", "open_high: 2}")  # adds SEC-005 (warning)
    grant.write_text(text, encoding="utf-8")
    data = portfolio_json("portfolio", *AS_OF, "--compare", str(previous), cwd=tmp_path)
    c = data["comparison"]
    assert c["previous_as_of"] == "2026-11-22" and c["previous_file"] == "previous.json"
    assert [(f["rule"], f["initiative"]) for f in c["new"]] == [("SEC-005", "CCF-2026-002")]
    assert [(f["rule"], f["initiative"]) for f in c["resolved"]] == [("DATA-006", "CCF-2026-002")]
    assert c["totals"] == {"new": 1, "resolved": 1, "unchanged": len(data["findings"]) - 1}
    per = {i["initiative"]: i for i in c["initiatives"]}
    assert (per["CCF-2026-002"]["new"], per["CCF-2026-002"]["resolved"]) == (1, 1)
    assert (per["NNT-2026-004"]["new"], per["NNT-2026-004"]["resolved"]) == (0, 0)
    domains = {d["domain"]: d for d in c["domains"]}
    assert (domains["security"]["new"], domains["data"]["resolved"]) == (1, 1)
    for fmt in ("table", "markdown", "html", "csv"):
        out = portfolio("portfolio", *AS_OF, "--compare", str(previous), "--format", fmt, cwd=tmp_path).stdout
        assert "2026-11-22" in out and ("Since" in out or fmt == "csv"), fmt


@pytest.mark.parametrize(
    ("content", "where", "says"),
    [
        ("{\n  \"findings\": [\n    oops\n  ]\n}\n", ":3:5:", "not JSON"),
        ("{\"command\": \"portfolio\",\n \"findings\": [\n  {\"rule\": 1, \"domain\": \"data\", \"file\": \"a\", \"path\": \"\", \"initiative\": null}]}\n",
         ":3:", "not a `govern portfolio --format json` report"),
        ("{\"command\": \"check\", \"findings\": []}\n", ":1:", "not a `govern portfolio --format json` report"),
    ],
)
def test_an_invalid_previous_report_is_a_located_input_error(tmp_path: Path, content: str, where: str, says: str) -> None:
    previous = tmp_path / "previous.json"
    previous.write_text(content, encoding="utf-8")
    result = portfolio(str(EXAMPLES), *AS_OF, "--compare", str(previous))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and says in result.stderr
    assert re.search(rf"previous\.json{re.escape(where)}", result.stderr), result.stderr
    missing = portfolio(str(EXAMPLES), *AS_OF, "--compare", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "nope.json" in missing.stderr


# -- progress ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    text = BASE.read_text(encoding="utf-8")
    for n in range(205):
        (folder / f"m{n:03}.yaml").write_text(text.replace("id: LBX-2025-008", f"id: BIG-2026-{n:03}"), encoding="utf-8")
    return folder


def test_no_progress_bytes_without_a_terminal(large: Path) -> None:
    result = portfolio(str(large), *AS_OF, "--format", "json")
    assert result.returncode == 0
    assert result.stderr == ""
    assert "files 205/205" not in result.stdout and json.loads(result.stdout)["summary"]["manifests"] == 205


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals need a POSIX system")
def test_progress_appears_on_a_terminal_and_never_in_the_report(large: Path, tmp_path: Path) -> None:
    import pty

    report = tmp_path / "report.json"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "govern", "portfolio", str(large), *AS_OF, "--format", "json", "--output", str(report)],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, env=dict(os.environ),
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 0
    assert b"govern: checking files 205/205" in seen  # files are read and checked in one pass
    assert seen.endswith(b"\r")  # the line is erased at the end
    written = report.read_text(encoding="utf-8")
    assert "checking" not in written and json.loads(written)["summary"]["manifests"] == 205


# -- a property: whatever the findings, every table adds up and the JSON is valid -------------------------------


def test_any_findings_add_up_in_every_table_and_validate() -> None:
    import datetime as dt

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from govern.core.model import Accountable, Finding
    from govern.reporters import portfolio_json
    from govern.run.runner import Report

    schema = json.loads((ROOT / "schemas" / "portfolio-report.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    manifests = [{"file": f"m{i}.yaml", "document": 0, "line": 1, "initiative": f"X-{i}", "name": f"<b>{i}</b>",
                  "department": "d", "phase": "beta", "outcomes": {}} for i in range(3)]
    finding = st.builds(
        lambda m, rule, domain, severity, who, waived: Finding(
            rule=rule, title=rule, domain=domain, severity=severity, message="m|<x>", file=f"m{m}.yaml" if m < 3 else "other.yaml",
            line=1, column=1, path="", initiative=f"X-{m}" if m < 3 else None,
            accountable=Accountable(who[0], who[1]), waiver={"status": "live", "file": "w.yaml", "line": 1, "expires": "2026-12-01"} if waived else None,
            waived=waived),
        st.integers(0, 3), st.sampled_from(["GOV-001", "RISK-005", "SEC-004", "PRIV-003"]), st.sampled_from([*DOMAINS, "health"]),
        st.sampled_from(["error", "warning", "info"]),
        st.sampled_from([("service_owner", None), ("senior_responsible_owner", "A. Patel"), ("risk_owner", "a. patel "), (None, None)]),
        st.booleans(),
    )

    @settings(max_examples=60, deadline=None)
    @given(st.lists(finding, max_size=25))
    def check(findings: list[Finding]) -> None:
        report = Report(command="portfolio", as_of=dt.date(2026, 11, 22), findings=findings, manifests=manifests, rules=[])
        data = json.loads(portfolio_json.render(report))
        assert [e.message for e in validator.iter_errors(data)] == []
        totals = data["compliance"]["totals"]["overall"]
        lines = [*data["compliance"]["rows"], *([data["compliance"]["portfolio"]] if data["compliance"]["portfolio"] else [])]
        for key in ("errors", "warnings", "info", "waived"):
            assert totals[key] == sum(line["overall"][key] for line in lines) == data["summary"][key]
            assert sum(r[key] for r in data["accountability"]["rows"]) == totals[key]
        assert totals["errors"] + totals["warnings"] + totals["info"] + totals["waived"] == len(findings)
        assert sum(1 for r in data["accountability"]["rows"] if r["person"] and r["person"].strip().casefold() == "a. patel") <= 1

    check()
