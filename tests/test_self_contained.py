"""The repository stands alone: nothing in it refers to a folder beside it.

A fresh clone is built and tested with no folder next to it (issue 18 item 3). So no file may
point at a sibling folder (the contract folder beside the checkout), cite the contract documents the project was built
from by file name instead of the in-repository copies (tests/fixtures/contract,
docs/design/semantics.md), or link to a path that leaves the repository. The vendored official
schemas are the files their README names, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".git", ".venv", "node_modules", "site", "__pycache__", ".hypothesis", "build", "dist"}
SIBLING = "sha" + "red"  # the contract folder's name, in pieces so this file does not name it either
OUTSIDE = re.compile(
    rf"\.\./{SIBLING}|\b{SIBLING}/(?:RULES|SPEC|reference|STYLE|hooks)|/work/|\b(?:RULES|SPEC|RULES-families)\.md\b"
)
# The one place allowed to name the contract's files: the origin notes of the copied examples.
ORIGIN_NOTES = ROOT / "tests" / "fixtures" / "contract"
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def repository_text_files() -> list[Path]:
    """Every text file of the checkout (not the virtual environment, npm's folder or a built site)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        for name in sorted(set(files) - SKIP_DIRS):
            path = Path(folder) / name
            try:
                found.append((path, path.read_text(encoding="utf-8")))
            except (UnicodeDecodeError, OSError):
                continue  # binary or unreadable on purpose (tests/hostile): nothing to refer to
    return found


FILES = repository_text_files()


def test_no_file_refers_to_a_folder_beside_the_repository():
    offenders = []
    for path, text in FILES:
        if path == Path(__file__).resolve() or ORIGIN_NOTES in path.parents:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert offenders == []


def test_relative_links_in_markdown_stay_inside_the_repository():
    leaving = []
    for path, text in FILES:
        if path.suffix != ".md":
            continue
        for target in MARKDOWN_LINK.findall(text):
            if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^mailto:", target):
                continue  # a URL or an anchor in the same page
            resolved = (path.parent / target.split("#")[0]).resolve()
            if ROOT != resolved and ROOT not in resolved.parents:
                leaving.append(f"{path.relative_to(ROOT)}: {target}")
    assert leaving == []


def vendored() -> list[tuple[str, str]]:
    """(file, sha256) from the table in tests/vendor/README.md."""
    table = (ROOT / "tests" / "vendor" / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", table, re.MULTILINE)


def test_the_vendor_readme_names_both_official_schemas():
    assert {name for name, _ in vendored()} == {"sarif/sarif-schema-2.1.0.json", "junit/junit-10.xsd"}


@pytest.mark.parametrize(("name", "digest"), vendored())
def test_vendored_schemas_are_byte_for_byte_copies_with_their_licence(name: str, digest: str):
    path = ROOT / "tests" / "vendor" / name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert [p.name for p in path.parent.iterdir() if p.name.startswith("LICENSE")]


# The contract's file names, and "RULES section", spelt in pieces so this file is no exception to itself.
CONTRACT_NAMES = ("RULES" + ".md", "RULES" + " section", "SPEC" + ".md")


def tracked_files() -> list[Path]:
    """The files git tracks (every text file of the checkout when it is not a git work tree)."""
    import subprocess

    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return [path for path, _ in FILES]
    return [ROOT / name for name in listed.decode("utf-8").split("\0") if name]


def test_no_tracked_file_names_the_contract_documents():
    """Pack texts, code comments, docs and fixtures cite docs/design/semantics.md or
    docs/reference/rule-families.md, never the contract's files, which are not in the repository."""
    offenders = []
    for path in tracked_files():
        if path == Path(__file__).resolve() or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if any(name in line for name in CONTRACT_NAMES):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert offenders == []
