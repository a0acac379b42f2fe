"""The hook reference in the docs is generated from govern/hookspecs.py, and every hook has a test."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from govern.plugins import hookdocs
from govern.plugins.manager import HOOKS

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "docs" / "reference" / "hooks.md"]  # written by scripts/docs_reference.py


def test_the_generated_reference_documents_every_hook_with_its_signature():
    text = hookdocs.reference()
    names = [fn.__name__ for fn in hookdocs.hooks()]
    assert sorted(names) == sorted(HOOKS) and len(names) == 5
    for fn in hookdocs.hooks():
        assert f"#### `{hookdocs.signature(fn)}`" in text
        assert " -> " in hookdocs.signature(fn), f"{fn.__name__} has no return annotation"
        assert fn.__doc__ and len(fn.__doc__.split()) > 20, f"{fn.__name__} is barely documented"


def test_the_docs_hold_the_current_reference():
    holders = [path for path in DOCS if path.exists() and hookdocs.embedded(path.read_text(encoding="utf-8"))]
    assert holders == DOCS, "docs/reference/hooks.md does not hold the generated hook reference"
    for path in holders:
        block = hookdocs.embedded(path.read_text(encoding="utf-8"))
        assert block == hookdocs.reference(), (
            f"{path.name} is out of date: run python scripts/docs_reference.py --write"
        )
        for name in HOOKS:
            assert f"`{name}()`" in block


def test_every_hook_has_its_own_test_with_a_real_plugin():
    tree = ast.parse((ROOT / "tests" / "plugins" / "test_plugins.py").read_text(encoding="utf-8"))
    tests = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    for name in HOOKS:
        test = tests.get(f"test_{name}")
        assert test is not None, f"tests/plugins/test_plugins.py has no test_{name}"
        body = ast.unparse(test)
        assert "--plugin" in body, f"test_{name} does not load a real plugin"


def test_the_drift_check_can_fail(tmp_path):
    stale = tmp_path / "doc.md"
    stale.write_text(f"## x\n{hookdocs.START}\nold\n{hookdocs.END}\nafter\n", encoding="utf-8")
    assert hookdocs.embedded(stale.read_text()) != hookdocs.reference()
    assert hookdocs.main(["--write", str(stale)]) == 0
    text = stale.read_text()
    assert hookdocs.embedded(text) == hookdocs.reference() and text.endswith("after\n")
    with pytest.raises(ValueError):
        hookdocs.replace("no markers")
