"""Trends across meetings (issue 17, item 3): `govern portfolio --history DIR` and `govern history DIR`.

The history folder holds real `govern portfolio --format json` reports written by the CLI at three dates;
bad reports are refused with a located message and exit 2, never a traceback.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Three meetings: the example portfolio as of three dates, one manifest fixed before the last."""
    folder = tmp_path_factory.mktemp("history")
    shutil.copytree(ROOT / "examples" / "portfolio", folder / "portfolio")
    (folder / "reports").mkdir()
    for as_of in ("2026-05-20", "2026-08-19"):
        result = run_cli("portfolio", "portfolio", "--as-of", as_of, "--format", "json", "--output",
                         f"reports/{as_of}.json", cwd=folder)
        assert result.returncode == 0, result.stderr
    return folder


def counts(folder: Path, as_of: str) -> list[str]:
    data = run_cli("portfolio", "portfolio", "--as-of", as_of, "--format", "json", cwd=folder).stdout
    import json

    s = json.loads(data)["summary"]
    return [str(s["errors"]), str(s["warnings"]), str(s["above_appetite"]), str(s["failing"])]


def test_history_command_prints_one_row_per_meeting_in_date_order(folder: Path) -> None:
    result = run_cli("history", "reports", cwd=folder)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if re.match(r"\d{4}-\d{2}-\d{2} ", line)]
    assert [r[0] for r in rows] == ["2026-05-20", "2026-08-19"]
    assert rows[0][2:] == counts(folder, "2026-05-20") and rows[1][2:] == counts(folder, "2026-08-19")


def test_portfolio_history_draws_four_svg_charts_each_with_its_table(folder: Path) -> None:
    result = run_cli("portfolio", "portfolio", "--as-of", "2026-11-22", "--history", "reports", "--format", "html", cwd=folder)
    assert result.returncode == 0, result.stderr
    page = result.stdout
    trends = page[page.index('id="trends"'):page.index('id="details"')]
    assert trends.count("<svg") == 4 and trends.count('role="img"') == 4 and trends.count("<table") == 4
    assert "<script" not in page.lower()
    for title in ("Open errors", "Open warnings", "Risks outside tolerance", "Initiatives failing"):
        assert f"{title} per meeting" in html.unescape(trends)
    dates = re.findall(r'<th scope="row">(\d{4}-\d{2}-\d{2})</th>', trends)
    assert dates[:3] == ["2026-05-20", "2026-08-19", "2026-11-22"]
    again = run_cli("portfolio", "portfolio", "--as-of", "2026-11-22", "--history", "reports", "--format", "html", cwd=folder)
    assert again.stdout == page  # byte-reproducible
    table = run_cli("portfolio", "portfolio", "--as-of", "2026-11-22", "--history", "reports", cwd=folder).stdout
    assert "\nTrends\n======\n" in table and "this report" in table


@pytest.mark.parametrize("content, message", [
    ('{"command": "portfolio", "findings": []}', "not a valid `govern portfolio --format json` report"),
    ("{not json", "is not JSON"),
])
def test_a_bad_report_in_the_folder_is_a_located_error(folder: Path, tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "reports"
    shutil.copytree(folder / "reports", bad)
    (bad / "2026-09-bad.json").write_text(content, encoding="utf-8")
    for args in (("history", str(bad)), ("portfolio", "portfolio", "--history", str(bad))):
        result = run_cli(*args, cwd=folder)
        assert result.returncode == 2 and message in result.stderr and "2026-09-bad.json:1:" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_report_over_the_size_limit_is_refused(folder: Path, tmp_path: Path) -> None:
    result = run_cli("history", str(folder / "reports"), "--max-file-size", "100", cwd=folder)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_folder_without_reports_is_an_error(tmp_path: Path) -> None:
    result = run_cli("history", str(tmp_path))
    assert result.returncode == 2 and "no portfolio reports" in result.stderr
