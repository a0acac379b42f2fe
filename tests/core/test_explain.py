"""Rules' `require` schemas are explained without jsonschema: the same errors jsonschema gives."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from govern.core.schemas import describe
from govern.core.resources import policies_dir
from govern.core.schemas import Validator, _validator_class, _format_checker, explain, explainable

ROOT = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((policies_dir() / "examples" / "base.yaml").read_text(encoding="utf-8"))


def _requires():
    out = []
    for path in sorted(policies_dir().glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            for rule in (doc or {}).get("rules", []) if isinstance(doc, dict) else []:
                if "require" in rule:
                    out.append((rule["id"], rule["require"], rule.get("examples", {})))
    return out


REQUIRES = _requires()


def jsonschema_errors(schema, instance):
    return list(_validator_class()(schema, format_checker=_format_checker()).iter_errors(instance))


def shape(errors):
    """What a finding is made of: pointer, keyword, message, and what describe() says (context included)."""
    return [(tuple(e.absolute_path), e.validator, e.message, describe(e),
             [(tuple(c.absolute_path), c.validator, c.message) for c in e.context]) for e in errors]


def test_every_builtin_require_schema_is_explained_here():
    assert len(REQUIRES) >= 20
    assert [rid for rid, schema, _ in REQUIRES if not explainable(schema)] == []


def test_a_schema_with_another_keyword_goes_to_jsonschema():
    assert not explainable({"properties": {"a": {"maxLength": 3}}})
    assert not explainable({"items": [{"type": "string"}]})
    assert not explainable({"anyOf": [False]}) and explainable({"anyOf": [True]})
    errors = list(Validator({"properties": {"a": {"maxLength": 3}}}).explain({"a": "long"}))
    assert type(errors[0]).__module__.startswith("jsonschema")


@pytest.mark.parametrize("rule_id, schema, examples", REQUIRES, ids=[r[0] for r in REQUIRES])
def test_the_rules_examples_get_jsonschemas_errors(rule_id, schema, examples):
    instances = [BASE]
    for kind in ("pass", "fail"):
        for item in examples.get(kind, []):
            if isinstance(item, dict) and isinstance(item.get("manifest"), dict):
                instances.append(item["manifest"])
            elif isinstance(item, dict) and isinstance(item.get("patch"), dict):
                instances.append({**BASE, **item["patch"]})
    for instance in instances:
        assert shape(explain(schema, instance)) == shape(jsonschema_errors(schema, instance))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2, allow_nan=False) | st.text(max_size=4)
    | st.sampled_from(["", "yes", "none", "alpha", "beta", "live", "2026-01-01", "x@example.org", "Ada"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["name", "email", "date", "a"]), inner, max_size=3),
    max_leaves=6,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


PATHS = list(_paths(BASE))[1:]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(range(len(REQUIRES))), st.lists(st.tuples(st.sampled_from(PATHS), json_values | st.just(KeyError)), min_size=1, max_size=4))
def test_broken_manifests_get_jsonschemas_errors(which, edits):
    """Any part of a compliant manifest replaced by other JSON, or removed: the same errors, in the same order."""
    _, schema, _ = REQUIRES[which]
    instance = copy.deepcopy(BASE)
    for path, value in edits:
        parent = instance
        try:
            for step in path[:-1]:
                parent = parent[step]
            if value is KeyError:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    assert shape(explain(schema, instance)) == shape(jsonschema_errors(schema, instance))


def test_a_failing_one_file_check_does_not_import_jsonschema(tmp_path):
    text = (policies_dir() / "examples" / "base.yaml").read_text(encoding="utf-8")
    broken = text.replace("logging_monitoring: true", "logging_monitoring: false")
    assert broken != text
    (tmp_path / "m.yaml").write_text(broken, encoding="utf-8")
    code = ("import sys\nfrom govern.cli.app import main\nsys.argv = ['govern', 'check', 'm.yaml', '--as-of', '2026-11-22', '--no-plugins']\n"
            "try:\n    code = main()\nexcept SystemExit as exc:\n    code = exc.code\nprint('EXIT', code, 'jsonschema' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "SEC-" in result.stdout and result.stdout.strip().endswith("EXIT 1 False")
