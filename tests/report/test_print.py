"""The board pack on paper: printed to PDF by real headless Chromium, read back with poppler's pdftotext.

A board paper is read printed or as a PDF, so the print stylesheet is tested by printing: the bundled
portfolio fits at most 10 A4 pages, every page's foot says "page N of M" and the as-of date, no heading
is left as the last text of a page, a long table repeats its column headings on each page but prints
its totals once, and the two heatmaps print side by side. The screen layout is checked in the same
browser: nothing overflows horizontally in a 1280 px window.

Needs Debian's `chromium` and `poppler-utils` (pdfinfo, pdftotext); .ci/run installs both. Each test
skips with what to install when one is missing.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from govern.testing import run_cli

from chromium_support import CHROMIUM, browser, needs_chromium

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-22"
MAX_PAGES = 10
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="pdftotext and pdfinfo are not installed (Debian: apt-get install poppler-utils)")
FOOTER = re.compile(r"(Portfolio board pack, as of \d{4}-\d{2}-\d{2})?\s*(page \d+ of \d+)?")




def render(folder: Path, *args: str, cwd: Path = ROOT) -> str:
    result = run_cli("portfolio", str(folder), "--as-of", AS_OF, "--format", "html", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


class Printed:
    """A page printed to PDF: its page count, page size and each page's text (layout kept)."""

    def __init__(self, page: str, folder: Path) -> None:
        self.html = page
        source, self.pdf = folder / "board.html", folder / "board.pdf"
        source.write_text(page, encoding="utf-8")
        result = browser(f"--print-to-pdf={self.pdf}", "--no-pdf-header-footer", source.as_uri())
        assert self.pdf.exists() and self.pdf.stat().st_size > 0, result.stderr[-2000:]
        info = subprocess.run(["pdfinfo", str(self.pdf)], capture_output=True, text=True, check=True).stdout
        self.count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        self.size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)
        self.pages = [self.text(n) for n in range(1, self.count + 1)]

    def text(self, n: int, layout: bool = True) -> str:
        args = ["pdftotext", "-f", str(n), "-l", str(n), *(["-layout"] if layout else []), str(self.pdf), "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout

    def body_lines(self, n: int) -> list[str]:
        """Page ``n``'s lines of text in reading order, the margin footer left out."""
        lines = [" ".join(line.split()) for line in self.text(n, layout=False).splitlines()]
        return [line for line in lines if line and not FOOTER.fullmatch(line)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Printed:
    if CHROMIUM is None or not POPPLER:
        pytest.skip("needs headless Chromium and poppler-utils (Debian: apt-get install chromium poppler-utils)")
    folder = tmp_path_factory.mktemp("print")
    return Printed(render(ROOT / "examples" / "portfolio"), folder)


class Headings(HTMLParser):
    """The text of every h1-h3 and table caption a page shows (an echoed caption is hidden in print)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("h1", "h2", "h3", "caption"):
            self._open = (tag, [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            self.texts.append(" ".join("".join(self._open[1]).split()))
            self._open = None


def headings(page: str) -> list[str]:
    parser = Headings()
    parser.feed(page)
    return [t for t in parser.texts if t]


# -- the bundled portfolio on paper -------------------------------------------------------------


@needs_chromium
@needs_poppler
def test_bundled_portfolio_prints_on_at_most_ten_a4_pages(printed: Printed) -> None:
    assert "A4" in printed.size, printed.size
    assert 2 <= printed.count <= MAX_PAGES, f"{printed.count} pages"


@needs_chromium
@needs_poppler
def test_every_page_foot_numbers_the_page_and_gives_the_as_of_date(printed: Printed) -> None:
    for n, text in enumerate(printed.pages, 1):
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        foot = lines[-1]  # the margin boxes print below everything else on the page
        assert f"page {n} of {printed.count}" in foot, (n, foot)
        assert f"as of {AS_OF}" in foot, (n, foot)


@needs_chromium
@needs_poppler
def test_no_heading_is_the_last_text_on_a_page(printed: Printed) -> None:
    titles = headings(printed.html)
    assert "Decisions for the board" in titles and "Benefits" in titles and "AI and algorithms" in titles
    for n in range(1, printed.count + 1):
        lines = printed.body_lines(n)
        assert lines, f"page {n} is blank"
        last = lines[-1]
        orphaned = [t for t in titles if t == last or (len(last) >= 20 and t.startswith(last))]
        assert not orphaned, f"page {n} ends with the heading {orphaned[0]!r}, cut from what it introduces"


@needs_chromium
@needs_poppler
def test_heatmaps_print_side_by_side(printed: Printed) -> None:
    both = [line for text in printed.pages for line in text.splitlines()
            if "Residual risk (after treatment)" in line and "Inherent risk (before treatment)" in line]
    assert both, "the residual and inherent heatmaps are not on one line of one page"


@needs_chromium
@needs_poppler
def test_the_views_print_with_their_rows(printed: Printed) -> None:
    text = "\n".join(printed.pages)
    assert "DFG urgency triage model" in text and "Moves reported online" in text


# -- a long table: headings repeated, totals once ----------------------------------------------------


@needs_chromium
@needs_poppler
def test_a_long_table_repeats_its_headings_but_prints_its_totals_once(tmp_path: Path) -> None:
    import yaml

    base = yaml.safe_load((ROOT / "policies" / "examples" / "base.yaml").read_text(encoding="utf-8"))
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 91):
        data = json.loads(json.dumps(base, default=str))
        data["metadata"]["id"] = f"LONG-2026-{n:03d}"
        data["metadata"]["name"] = f"Service number {n}"
        (folder / f"service-{n:03d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    printed = Printed(render(folder), tmp_path)
    row = re.compile(r"^\s*LONG-2026-\d{3}\s+Service\b", re.M)  # a compliance row, its name maybe wrapped
    compliance = [n for n, text in enumerate(printed.pages, 1) if row.search(text)]
    assert len(compliance) >= 2, "the compliance table of 90 initiatives should need more than one page"
    for n in compliance:
        text = printed.pages[n - 1]
        above = text[:row.search(text).start()].splitlines()[-3:]  # the lines just above the page's first row
        assert any("Governance" in line and "Overall" in line for line in above), f"page {n}: headings not repeated: {above}"
    text = "\n".join(printed.pages)
    assert text.count("Total (90 initiatives)") == 1, "the compliance totals print more than once"


# -- the screen layout ---------------------------------------------------------------------------


OVERFLOW = """
<script>
window.addEventListener("load", function () {
  var wide = [];
  document.querySelectorAll("main, section, .table-wrap, .cards, .heatmaps, .trends").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth + 1) {
      var table = el.querySelector("table");
      wide.push((el.id || el.className) + (table ? " " + table.id : "") + ": " + el.scrollWidth + " > " + el.clientWidth);
    }
  });
  var out = document.createElement("pre");
  out.id = "overflow";
  out.textContent = JSON.stringify({viewport: window.innerWidth, page: document.documentElement.scrollWidth, wide: wide});
  document.body.appendChild(out);
});
</script>
"""


@needs_chromium
@pytest.mark.parametrize("compare", [False, True], ids=["bundled", "with-comparison"])
def test_screen_layout_does_not_overflow_at_1280_px(compare: bool, tmp_path: Path) -> None:
    args: list[str] = []
    if compare:
        previous = tmp_path / "previous.json"
        made = run_cli("portfolio", "examples/portfolio", "--as-of", AS_OF, "--format", "json", "--output", str(previous), cwd=ROOT)
        assert made.returncode == 0, made.stderr
        args = ["--compare", str(previous), "--group-by", "phase"]
    page = render(ROOT / "examples" / "portfolio", *args)
    checked = tmp_path / "checked.html"  # a copy: the report itself never carries a script
    checked.write_text(page.replace("</body>", f"{OVERFLOW}</body>"), encoding="utf-8")
    result = browser("--window-size=1280,1000", "--dump-dom", "--virtual-time-budget=5000", checked.as_uri())
    found = re.search(r'<pre id="overflow">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, result.stderr[-2000:]
    measured = json.loads(html.unescape(found.group(1)))
    assert measured["viewport"] == 1280, measured
    assert measured["page"] <= measured["viewport"], measured
    assert measured["wide"] == [], measured
