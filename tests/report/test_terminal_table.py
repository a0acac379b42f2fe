"""`govern portfolio --format table` (issue 17, item 7): at most 120 columns, the HTML pack's sections in its order.

Real CLI runs on the bundled portfolio and on a generated one with long names, grouped and compared.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from govern.reporters.table import fit
from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = ("--as-of", "2026-11-22")


def sections_of_table(text: str) -> list[str]:
    lines = text.splitlines()
    return [lines[i - 1] for i in range(1, len(lines)) if re.fullmatch(r"=+", lines[i]) and len(lines[i]) == len(lines[i - 1])]


def sections_of_html(page: str) -> list[str]:
    main = page[page.index("<main"):page.index("</main>")]
    return [re.sub(r"<[^>]+>", "", h).split(" (")[0] for h in re.findall(r"<h2[^>]*>(.*?)</h2>", main)]


def test_every_line_fits_120_columns_and_sections_match_the_html(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "portfolio", tmp_path / "portfolio")
    long = tmp_path / "portfolio" / "long.yaml"
    data = yaml.safe_load((ROOT / "policies" / "examples" / "base.yaml").read_text(encoding="utf-8"))
    data["metadata"].update(id="LONG-2026-001", name="A very long initiative name " * 6,
                            department="department-of-very-long-names-and-longer-hyphenated-words-still")
    long.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    previous = run_cli("portfolio", "portfolio", *AS_OF, "--format", "json", "--output", "previous.json", cwd=tmp_path)
    assert previous.returncode == 0, previous.stderr
    for args in ((), ("--group-by", "department", "--compare", "previous.json")):
        table = run_cli("portfolio", "portfolio", *AS_OF, *args, cwd=tmp_path)
        assert table.returncode == 0, table.stderr
        wide = [line for line in table.stdout.splitlines() if len(line) > 120]
        assert not wide, wide[:3]
        page = run_cli("portfolio", "portfolio", *AS_OF, *args, "--format", "html", cwd=tmp_path).stdout
        assert sections_of_table(table.stdout) == sections_of_html(page)
        assert sections_of_table(table.stdout)[0] == "Decisions for the board"
    assert "Since the last report" in sections_of_table(table.stdout)


def test_fit_wraps_the_widest_column_first_and_keeps_words_whole_when_it_can() -> None:
    headers = ["ID", "Name", "Status"]
    rows = [["ABC-2026-001", "word " * 40, "FAIL 1E"]]
    widths = fit(headers, rows, width=60)
    assert widths is not None and sum(widths) + 2 * 2 <= 60
    assert widths[0] == len("ABC-2026-001") and widths[2] == len("FAIL 1E")  # the narrow columns keep their width
    assert fit(headers, [["A", "B", "C"]], width=60) is None


def test_board_decisions_on_record_are_in_the_terminal_pack_as_in_the_html() -> None:
    args = ("portfolio", "examples/appetite-v2/portfolio", "--appetite", "examples/appetite-v2/appetite-v2.yaml", *AS_OF)
    text = run_cli(*args, cwd=ROOT).stdout
    html = run_cli(*args, "--format", "html", cwd=ROOT).stdout
    section = text[text.index("Board decisions on record"):text.index("\nSummary\n")]
    assert "2 board decisions recorded on risks, 2 in force" in section
    for minute in ("EC/2026/12", "CLB/2026/41"):  # each decision in both packs, with its minute
        assert minute in section and minute in html
    assert all(len(line) <= 120 for line in section.splitlines())
