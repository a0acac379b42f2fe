"""`govern check` and `govern portfolio` give the same totals for the same inputs.

A board pack and a CI check made from the same manifests must not disagree about how many
errors and warnings there are. They did: the portfolio rules (RISK-009, RISK-010) ran in
`govern portfolio` always, but in `govern check` only with an explicit statement, so with
the bundled one a portfolio over its limit of unaccepted breaches was one error cleaner in
CI than on the board's table. These compare `check --format json`'s summary with
`portfolio --format json`'s totals over the example portfolio and the test fixtures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = ["--as-of", "2026-07-01"]
TOTALS = ("manifests", "errors", "warnings", "info", "waived")
STATEMENTS = {
    "bundled": [],
    "explicit bundled": ["--appetite", "policies/default-appetite.yaml"],
    "explicit stale": ["--appetite", "policies/examples/appetite-stale.yaml"],  # RISK-009 fires too
}


def totals(command: str, *args: str, cwd: Path = ROOT) -> dict[str, int]:
    result = run_cli(command, *args, *AS_OF, "--format", "json", "--no-plugins", cwd=cwd)
    assert result.stdout and "Traceback" not in result.stderr, result.stderr
    summary = json.loads(result.stdout)["summary"]
    return {key: summary[key] for key in TOTALS}


@pytest.mark.parametrize("statement", STATEMENTS, ids=str)
@pytest.mark.parametrize("path", ["examples/portfolio", "tests/hostile", "policies/examples"])
def test_check_and_portfolio_totals_agree(path: str, statement: str) -> None:
    args = [path, *STATEMENTS[statement]]
    assert totals("check", *args) == totals("portfolio", *args)


def test_the_bundled_statement_runs_the_portfolio_rules_in_check_too() -> None:
    result = run_cli("check", "examples/portfolio", *AS_OF, "--format", "json", "--no-plugins", cwd=ROOT)
    [risk010] = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "RISK-010"]
    assert risk010["file"] == "policies/default-appetite.yaml" and risk010["initiative"] is None
    assert risk010["severity"] == "error"


def test_waivers_count_the_same_in_both(tmp_path: Path) -> None:
    base = (ROOT / "policies" / "examples" / "base.yaml").read_text(encoding="utf-8")
    (tmp_path / "m.yaml").write_text(base.replace("  information_asset_register: IAR-0212\n", "")
                                     .replace("  statement_url: https://lbx.example.gov/council-tax/accessibility\n", ""),
                                     encoding="utf-8")
    entry = ("  - {{initiative: LBX-2025-008, rule: {}, justification: Being fixed,"
             " approved_by: {{name: Digital Investment Board}}, approved_on: 2026-03-01, expires: 2027-03-01}}\n")
    (tmp_path / "w.yaml").write_text("apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
                                     + entry.format("DATA-007") + entry.format("ACC-002"), encoding="utf-8")
    args = ["m.yaml", "--waivers", "w.yaml"]
    check = totals("check", *args, cwd=tmp_path)
    assert check["waived"] == 1 and check["errors"] == 1 and check["warnings"] == 1  # ACC-002 cannot be waived
    assert check == totals("portfolio", *args, cwd=tmp_path)
