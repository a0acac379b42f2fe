"""Plain words in the board paper (issue 17, item 6): no JSON pointers, no "document 1", no installation
paths, locations as file:line, and every abbreviation written out at its first use.

The pack is rendered by the real CLI from a folder outside the repository, so the bundled appetite statement's
path would be an absolute installation path if it leaked.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from govern.core.resources import policies_dir
from govern.report.board import ABBREVIATIONS
from govern.reporters.html import expand_abbreviations
from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = ("--as-of", "2026-11-22")


@pytest.fixture(scope="module")
def text(tmp_path_factory) -> tuple[str, str]:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(ROOT / "examples" / "portfolio", elsewhere / "portfolio")
    result = run_cli("portfolio", "portfolio", *AS_OF, "--format", "html", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    page = result.stdout
    body = page[page.index("<body>"):]
    words = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", body, flags=re.S)))
    return page, words


def test_no_pointer_document_number_or_installation_path(text: tuple[str, str]) -> None:
    page, words = text
    assert not re.search(r"(^|\s)/(accountability|risks|data|privacy|security|accessibility|metadata|governance)(/|\s)",
                         words), "a JSON pointer is shown"
    assert "JSON pointer" not in words
    assert not re.search(r"\bdocument \d", words)
    assert str(policies_dir()) not in page and str(ROOT) not in page
    assert "govern's bundled default-appetite.yaml:" in words  # the portfolio-level finding, located plainly


def test_locations_are_file_and_line(text: tuple[str, str]) -> None:
    _, words = text
    located = re.findall(r"[\w./-]+\.yaml:\d+(?::\d+)?", words)
    assert located and all(loc.count(":") == 1 for loc in located), [x for x in located if x.count(":") > 1][:3]


def test_every_abbreviation_is_written_out_at_its_first_use(text: tuple[str, str]) -> None:
    _, words = text
    used = 0
    for abbr, long in ABBREVIATIONS.items():
        first = re.search(rf"(?<![\w/-]){re.escape(abbr)}(?![\w/-])", words)
        if first is None:
            continue
        used += 1
        assert long.casefold() in words[:first.start()].casefold(), f"{abbr} is not expanded before its first use"
    assert used >= 8  # SRO, IAO, SIRO, DPIA, GDPR, WCAG, MFA, HMRC at least


def test_expansion_touches_text_only_once_and_never_identifiers_or_attributes() -> None:
    page = ('<html><head><title>SRO</title></head><body><p title="SRO">The SRO and the SRO.</p>'
            "<p>ACC-002 HO-SRO-1 SRO-9</p></body></html>")
    out = expand_abbreviations(page)
    assert out.count('Senior Responsible Owner (<abbr title="Senior Responsible Owner">SRO</abbr>)') == 1
    assert "<title>SRO</title>" in out and '<p title="SRO">' in out and "and the SRO." in out
    assert "<p>ACC-002 HO-SRO-1 SRO-9</p>" in out
    given = expand_abbreviations("<body><p>Senior Information Risk Owner (SIRO), then SIRO</p></body>")
    assert "<abbr" not in given
