"""The layers `.importlinter` declares hold, and no module of govern/ imports itself in a ring."""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Tarjan's algorithm over the module graph: every group of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_module_of_govern_is_in_an_import_cycle():
    graph = grimp.build_graph("govern", include_external_packages=False)
    assert strongly_connected(graph) == []


def test_the_cycle_finder_finds_a_ring(tmp_path, monkeypatch):
    package = tmp_path / "ringpkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from ringpkg import b\n", encoding="utf-8")
    (package / "b.py").write_text("from ringpkg import c\n", encoding="utf-8")
    (package / "c.py").write_text("from ringpkg import a\n", encoding="utf-8")
    (package / "d.py").write_text("from ringpkg import a\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert strongly_connected(grimp.build_graph("ringpkg")) == [["ringpkg.a", "ringpkg.b", "ringpkg.c"]]


def test_every_package_of_govern_is_in_a_layer():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    layers = config["importlinter:contract:layers"]["layers"]
    named = {name.strip() for line in layers.splitlines() for name in line.split("|") if name.strip()}
    packages = {f"govern.{p.name}" for p in (ROOT / "govern").iterdir() if (p / "__init__.py").exists()}
    packages |= {f"govern.{p.stem}" for p in (ROOT / "govern").glob("*.py")
                 if p.stem not in ("__init__", "__main__") and "deprecated import path" not in p.read_text(encoding="utf-8")[:400].lower()}
    assert packages <= named, sorted(packages - named)


@pytest.mark.skipif(shutil.which("lint-imports") is None and not (Path(sys.executable).parent / "lint-imports").exists(),
                    reason="import-linter is not installed (pip install '.[test]')")
def test_lint_imports_keeps_every_contract():
    command = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_architecture_page_draws_the_current_contracts():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "architecture_drawing.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_drawing_follows_the_contract_file(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import architecture_drawing
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    contract = tmp_path / ".importlinter"
    contract.write_text("[importlinter]\nroot_package = x\n[importlinter:contract:layers]\nname = a > b | c\n"
                        "type = layers\nlayers =\n    x.a\n    x.b | x.c\n", encoding="utf-8")
    drawn = architecture_drawing.drawing(architecture_drawing.contracts(contract))
    assert 'subgraph L0["layer 1"]' in drawn and 'x_b["b"]' in drawn and 'x_c["c"]' in drawn
    assert "L0 --> L1" in drawn and "L1 --> L2" not in drawn
    assert "| a > b \\| c | layers |" in drawn


def test_a_module_over_400_lines_says_why_at_its_top():
    """Issue 19: no module over about 400 lines without a reason written in its docstring."""
    unexplained = []
    for path in sorted((ROOT / "govern").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= 400:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if not re.search(r"\b(over 400|about \d{3,}) lines\b", doc, re.IGNORECASE):
            unexplained.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert not unexplained, unexplained
