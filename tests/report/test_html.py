"""The HTML board pack: self-contained, accessible, escaped; opened in real headless Chromium.

The browser tests need Debian's `chromium` and, for the accessibility audit,
axe-core from npm in tests/browser (`npm ci` there; .ci/run does it). They skip
with a reason only when chromium or node is absent.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from govern.testing import run_cli

from chromium_support import CHROMIUM, browser, needs_chromium

ROOT = Path(__file__).resolve().parents[2]
BROWSER = ROOT / "tests" / "browser"
AXE = BROWSER / "node_modules" / "axe-core" / "axe.min.js"
AS_OF = ("--as-of", "2026-11-22")
CAPTIONS = ("Compliance by initiative and domain", "Accountability by person", "Risk appetite by category")





def render(*args: str, cwd: Path = ROOT) -> str:
    result = run_cli("portfolio", *args, *AS_OF, "--format", "html", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def page() -> str:
    return render("examples/portfolio")


@pytest.fixture(scope="module")
def rich_page(tmp_path_factory) -> str:
    """Every optional part: groups, a comparison with trends, a waived finding, a vacant role with its notice."""
    import yaml

    folder = tmp_path_factory.mktemp("rich")
    shutil.copytree(ROOT / "examples" / "portfolio", folder / "portfolio")
    data = yaml.safe_load((ROOT / "policies" / "examples" / "base.yaml").read_text(encoding="utf-8"))
    data["metadata"].update(id="VAC-2026-001", phase="discovery")
    del data["accountability"]["service_owner"]
    data["accessibility"]["wcag_target"] = "2.1-AA"
    data["risks"][0]["owner"] = {"name": "Hannah Okoro", "email": "h.okoro@lbx.example.gov"}
    (folder / "portfolio" / "vacant.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (folder / "waivers.yaml").write_text(
        "apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
        "  - initiative: CCF-2026-002\n    rule: SEC-002\n    justification: Supplier enables admin MFA in December\n"
        "    approved_by: {name: Chief Information Security Officer}\n    approved_on: 2026-10-01\n    expires: 2026-12-10\n",
        encoding="utf-8",
    )
    (folder / "history").mkdir()
    previous = run_cli("portfolio", "portfolio/", *AS_OF, "--format", "json", "--output", "history/previous.json", cwd=folder)
    assert previous.returncode == 0, previous.stderr
    return render("portfolio", "--group-by", "phase", "--compare", "history/previous.json", "--history", "history",
                  "--waivers", "waivers.yaml", cwd=folder)


@pytest.fixture(scope="module")
def board() -> dict[str, Any]:
    return json.loads(run_cli("portfolio", "examples/portfolio", *AS_OF, "--format", "json", cwd=ROOT).stdout)


class Outline(HTMLParser):
    """Elements, headings, ids, links and table structure of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.captions: list[str] = []
        self.tables = 0
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self._caption = []

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.captions.append("".join(self._caption).strip())
            self._caption = None


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    return parser


# -- structure, without a browser ----------------------------------------------------------------


def test_page_is_self_contained_and_printable(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en-GB\">")
    tags = outline(page).tags
    names = [t for t, _ in tags]
    assert "script" not in names and "iframe" not in names and "img" not in names and "object" not in names
    assert not [a for _, a in tags if "src" in a or ("rel" in a)]  # nothing fetched: no src, no <link rel>
    assert not any(k.startswith("on") for _, a in tags for k in a)  # no event handlers
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL).group(1)
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "@media print" in style and "@page" in style
    assert re.search(r"<title>Portfolio board pack, as of 2026-11-22</title>", page)


def test_optional_parts_render_in_the_same_structure(rich_page: str) -> None:
    o = outline(rich_page)
    assert all(b - a <= 1 for a, b in zip(o.headings, o.headings[1:])), o.headings
    assert len(o.captions) == o.tables and set(h[1:] for h in o.hrefs if h.startswith("#")) <= set(o.ids)
    assert "Phase: discovery" in rich_page and "Subtotal: live" in rich_page
    assert 'id="comparison"' in rich_page and "WAIVED" in rich_page
    assert 'id="trends"' in rich_page and rich_page.count('<svg class="chart"') == 4
    assert '<span class="status s-pass">PASS</span><span class="waived-note">+1 waived</span>' in rich_page
    assert "GOV-UNASSIGNED" in rich_page and "<em>unassigned</em> (Service owner)" in rich_page


def test_headings_tables_and_links_are_well_formed(page: str, board: dict[str, Any]) -> None:
    o = outline(page)
    assert o.headings[0] == 1 and o.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(o.headings, o.headings[1:])), o.headings  # no skipped level
    assert len(o.captions) == o.tables  # every table has a caption
    for caption in CAPTIONS:
        assert any(c.startswith(caption) for c in o.captions), caption
    assert sum(c.startswith(("Residual risk:", "Inherent risk:")) for c in o.captions) == 2
    assert all(a.get("scope") in ("col", "row", "rowgroup") for t, a in o.tags if t == "th")
    assert len(o.ids) == len(set(o.ids))
    internal = [h[1:] for h in o.hrefs if h.startswith("#")]
    assert set(internal) <= set(o.ids)
    assert o.hrefs[0] == "#main" and "main" in o.ids  # the skip link comes first
    for row in board["compliance"]["rows"]:
        assert f'href="#{row["anchor"]}"' in page and f'id="{row["anchor"]}"' in page


def test_statuses_are_text_and_the_counts_match_the_json(page: str, board: dict[str, Any]) -> None:
    for row in board["compliance"]["rows"]:
        for domain, counts in row["domains"].items():
            badge, _, waived = counts["mark"].partition(" +")
            assert f">{badge}</span>" + (f'<span class="waived-note">+{waived}</span>' if waived else "") in page
    cells = re.findall(r'<td class="heat[^"]*" data-likelihood="(\d)" data-impact="(\d)" data-count="(\d+)">'
                       r'<span class="count" aria-hidden="true">(\d+)</span>', page)
    assert len(cells) == 50
    for kind, chunk in (("residual", cells[:25]), ("inherent", cells[25:])):
        expected = [(c["likelihood"], c["impact"], c["count"]) for c in board["heatmaps"][kind]["cells"]]
        assert [(int(l), int(i), int(n)) for l, i, n, _ in chunk] == expected
        assert all(n == shown for _, _, n, shown in chunk)


def test_statutory_basis_is_shown_for_rules_that_cannot_be_waived(page: str) -> None:
    details = page[page.index('id="details"'):]
    assert "Not waivable (statutory duty)" in details
    assert 'href="https://www.legislation.gov.uk/' in details


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_status_and_heatmap_colours_meet_wcag_aa_contrast(page: str) -> None:
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL).group(1)
    statuses = re.findall(r"\.s-[a-z]+\{background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})", style)
    assert len(statuses) >= 5
    for background, text in statuses:
        assert contrast(background, text) >= 4.5, (background, text)
    # Heatmaps follow the statement (issue 15 item 5): four zone colours, each also a letter in the cell.
    zones = re.findall(r"\.z-([a-z]+)\{background:(#[0-9a-f]{6})\}", style)
    assert [z for z, _ in zones] == ["appetite", "tolerance", "outside", "capacity"]
    ink = re.search(r"--ink:(#[0-9a-f]{6})", style).group(1)
    for _, background in zones:
        assert contrast(background, ink) >= 4.5
        hatched = "#" + "".join(f"{round(int(background[i:i + 2], 16) * 0.92):02x}" for i in (1, 3, 5))
        assert contrast(hatched, ink) >= 4.5  # the 8% hatching of outside tolerance and at capacity
    grey = re.search(r"td\.heat\{background:(#[0-9a-f]{6})\}", style).group(1)
    assert contrast(grey, ink) >= 4.5 and contrast(grey, re.search(r"--muted:(#[0-9a-f]{6})", style).group(1)) >= 4.5
    assert contrast("#ffffff", re.search(r"--brand:(#[0-9a-f]{6})", style).group(1)) >= 4.5


def test_every_manifest_value_is_escaped(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((ROOT / "policies" / "examples" / "base.yaml").read_text(encoding="utf-8"))
    data["metadata"]["name"] = "<script>alert(1)</script>"
    data["metadata"]["department"] = "\"'><b onmouseover=x>"
    data["risks"][0]["title"] = "<iframe src=//evil>"
    data["accountability"]["service_owner"]["name"] = "A & B <i>"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (tmp_path / "hostile.yaml").write_text(text, encoding="utf-8")
    out = render(str(tmp_path))
    o = outline(out)
    names = {t for t, _ in o.tags}
    assert not names & {"script", "iframe", "i", "b"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&quot;&#x27;&gt;&lt;b onmouseover=x&gt;" in out
    assert "&lt;iframe src=//evil&gt;" in out and "A &amp; B &lt;i&gt;" in out


# -- in a real browser ----------------------------------------------------------------------------------




def png_pixels(path: Path) -> tuple[int, int, list[bytes], int]:
    """Width, height, unfiltered rows and bytes per pixel of an 8-bit RGB(A) PNG (standard library only)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
        elif kind == b"IDAT":
            idat += body
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows, bpp


@pytest.fixture(scope="module")
def report_file(tmp_path_factory, page: str) -> Path:
    path = tmp_path_factory.mktemp("board") / "board.html"
    path.write_text(page, encoding="utf-8")
    return path


@needs_chromium
def test_screenshot_in_chromium_is_not_blank(report_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "board.png"
    result = browser(f"--screenshot={shot}", "--window-size=1280,2000", report_file.as_uri())
    assert shot.exists(), result.stderr
    width, height, rows, bpp = png_pixels(shot)
    assert (width, height) == (1280, 2000)
    ink = sum(1 for row in rows[::4] for x in range(0, width * bpp, bpp * 4) if row[x:x + 3] != b"\xff\xff\xff")
    sampled = len(rows[::4]) * len(range(0, width * bpp, bpp * 4))
    assert ink / sampled > 0.05  # a header band, tables and badges, not a white page
    top = rows[40]  # the dark masthead is rendered
    assert top[600 * bpp:600 * bpp + 3] == bytes.fromhex("0b2e4f")


@needs_chromium
def test_rendered_dom_has_the_three_tables_and_two_heatmaps(report_file: Path) -> None:
    result = browser("--dump-dom", report_file.as_uri())
    dom = result.stdout
    assert dom.count("<caption") >= 5, result.stderr
    for caption in CAPTIONS:
        assert caption in dom
    for kind in ("residual", "inherent"):
        table = re.search(rf'<table class="heatmap" id="heatmap-{kind}">(.*?)</table>', dom, re.DOTALL).group(1)
        assert len(re.findall(r'<td class="heat', table)) == 25
        assert len(re.findall(r'<th scope="row">', table)) == 5


def axe_ready() -> Path:
    if AXE.exists():
        return AXE
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"axe-core is not installed in {BROWSER} and npm is missing (run `npm ci` there)")
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=BROWSER, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and AXE.exists(), f"`npm ci` in {BROWSER} failed: {result.stderr[-2000:]}"
    return AXE


RUNNER = """
<script>
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
  .then(function (results) {
    var out = document.createElement("pre");
    out.id = "axe-results";
    out.textContent = JSON.stringify({
      violations: results.violations.map(function (v) {
        return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" "); })};
      }),
      passes: results.passes.map(function (p) { return p.id; })
    });
    document.body.appendChild(out);
  })
  .catch(function (error) {
    var out = document.createElement("pre");
    out.id = "axe-results";
    out.textContent = JSON.stringify({error: String(error)});
    document.body.appendChild(out);
  });
</script>
"""


@needs_chromium
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed, so axe-core cannot be (Debian: apt-get install nodejs npm; then npm ci in tests/browser)")
@pytest.mark.parametrize("which", ["page", "rich_page"])
def test_axe_core_finds_no_serious_or_critical_violation(which: str, request, tmp_path: Path) -> None:
    page = request.getfixturevalue(which)
    axe = axe_ready().read_text(encoding="utf-8")
    audited = tmp_path / "audited.html"  # a copy: the report itself never carries a script
    audited.write_text(page.replace("</body>", f"<script>{axe}</script>{RUNNER}</body>"), encoding="utf-8")
    result = browser("--dump-dom", "--virtual-time-budget=10000", audited.as_uri(), timeout=120)
    found = re.search(r'<pre id="axe-results">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, f"axe did not report: {result.stderr[-2000:]}"
    results = json.loads(html.unescape(found.group(1)))
    assert "error" not in results, results
    assert {"color-contrast", "th-has-data-cells", "document-title", "html-has-lang"} <= set(results["passes"])
    grave = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert grave == [], json.dumps(grave, indent=2)
