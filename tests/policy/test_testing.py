"""govern.testing, the harness plugin authors use: it must pass good packs and catch bad ones."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from govern.testing import assert_examples, check_examples, load_manifest, load_rules

# A department pack whose base manifest is NOT the core's compliant base: it breaks
# plenty of core rules, which must not matter to the pack's own exactness.
PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: dept, version: 1.0.0, domain: governance}
examples: {base: examples/base.yaml, as_of: 2026-11-22}
rules:
  - id: DEPT-001
    title: Board paper recorded
    severity: error
    rationale: r
    remediation: r
    require:
      required: [extensions]
      properties: {extensions: {required: [dept], properties: {dept: {required: [board_paper]}}}}
    examples:
      pass: [{name: base}]
      fail: [{name: no paper, patch: {extensions: {dept: {board_paper: null}}}}]
  - id: DEPT-002
    title: Minister briefed
    severity: warning
    rationale: r
    remediation: r
    require: {properties: {extensions: {properties: {dept: {required: [briefed]}}}}}
    examples:
      pass: [{name: base}]
      fail: [{name: not briefed, patch: {extensions: {dept: {briefed: null}}}}]
"""
BASE = """\
apiVersion: govern/v1
kind: Initiative
metadata: {id: DEPT-2026-101, name: Minimal, department: dept, phase: live}  # not govern init's placeholder id
extensions:
  dept: {board_paper: BP-1, briefed: true}
"""
PLUGIN = """\
from govern import hookimpl

@hookimpl
def govern_schema_extensions():
    return {"dept": {"type": "object", "additionalProperties": False,
                     "properties": {"board_paper": {"type": "string"}, "briefed": {"type": "boolean"}}}}
"""


@pytest.fixture
def dept(tmp_path: Path) -> Path:
    (tmp_path / "packs" / "examples").mkdir(parents=True)
    (tmp_path / "packs" / "dept.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "packs" / "examples" / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "dept_plugin.py").write_text(PLUGIN, encoding="utf-8")
    return tmp_path


def test_a_pack_with_its_own_base_passes_exactly_among_its_own_rules(dept):
    results = assert_examples(str(dept / "packs"), plugins=[str(dept / "dept_plugin.py")], exact=True, no_plugins=True)
    assert sorted({(r.rule, r.kind) for r in results}) == [
        ("DEPT-001", "fail"),
        ("DEPT-001", "pass"),
        ("DEPT-002", "fail"),
        ("DEPT-002", "pass"),
    ]
    # the same examples judged against every rule do fire core rules: that is what `among` avoids
    chosen, all_rules, ctx_for, _ = load_rules([str(dept / "packs")], [str(dept / "dept_plugin.py")], True)
    strict = check_examples(chosen, all_rules, ctx_for, exact=True)
    assert any("fires other rules too" in r.problem for r in strict)


def test_exact_still_catches_another_rule_of_the_pack_or_a_schema_notice(dept):
    pack = dept / "packs" / "dept.yaml"
    pack.write_text(
        PACK.replace(
            "patch: {extensions: {dept: {board_paper: null}}}",
            "patch: {extensions: {dept: {board_paper: null, briefed: null}}}",
        ),
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match="DEPT-001 fail no paper: fires other rules too: DEPT-002"):
        assert_examples(str(dept / "packs"), plugins=[str(dept / "dept_plugin.py")], exact=True, no_plugins=True)
    pack.write_text(PACK.replace("{briefed: null}", "{briefed: 'yes'}"), encoding="utf-8")
    with pytest.raises(AssertionError, match="GOV-SCHEMA"):
        assert_examples(str(dept / "packs"), plugins=[str(dept / "dept_plugin.py")], exact=True, no_plugins=True)
    pack.write_text(PACK, encoding="utf-8")
    with pytest.raises(AssertionError, match="GOV-EXTENSION"):  # the extension's plugin not loaded
        assert_examples(str(dept / "packs"), exact=True, no_plugins=True)


def test_a_wrong_example_or_a_missing_kind_fails(dept):
    pack = dept / "packs" / "dept.yaml"
    pack.write_text(
        PACK.replace(
            "fail: [{name: no paper, patch: {extensions: {dept: {board_paper: null}}}}]",
            "fail: [{name: still has a paper}]",
        ),
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match="expected DEPT-001 to fire"):
        assert_examples(str(pack), plugins=[str(dept / "dept_plugin.py")], no_plugins=True)


def test_a_plugins_rules_are_tested_by_source_and_its_pack_is_loaded_once(dept):
    (dept / "packplug").mkdir()
    (dept / "packplug" / "__init__.py").write_text(
        textwrap.dedent(f"""
        from govern import hookimpl

        @hookimpl
        def govern_policy_paths():
            return [{str(dept / "packs")!r}]
    """)
        + PLUGIN.split("\n", 1)[1],
        encoding="utf-8",
    )
    plugin = str(dept / "packplug" / "__init__.py")
    results = assert_examples(plugins=[plugin], source="packplug", exact=True, no_plugins=True)
    assert {r.rule for r in results} == {"DEPT-001", "DEPT-002"}
    chosen, _, _, errors = load_rules([str(dept / "packs")], [plugin], True)
    assert errors == [] and sorted(r.id for r in chosen) == ["DEPT-001", "DEPT-002"]
    assert {r.source for r in chosen} == {"packplug"}
    with pytest.raises(AssertionError, match="no rules to test"):
        assert_examples(plugins=[plugin], source="nobody", no_plugins=True)


def test_load_manifest_returns_plain_data_and_reports_bad_files(tmp_path):
    good = tmp_path / "m.yaml"
    good.write_text(BASE, encoding="utf-8")
    data = load_manifest(good)
    assert data["extensions"]["dept"]["briefed"] is True
    data["metadata"]["id"] = "changed"
    assert load_manifest(good)["metadata"]["id"] == "DEPT-2026-101"
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="bad.yaml:2"):
        load_manifest(bad)
