"""The compiled fast path must agree with jsonschema on every instance."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from govern.core.fastschema import CHECKED_FORMATS, Unsupported, compile_validity, json_equal
from govern.core.loader import load_file

ROOT = Path(__file__).resolve().parents[2]
CHECKER = FormatChecker(formats=CHECKED_FORMATS)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 30), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "a", "2026-01-31", "2026-02-30", "x@y", "beta", "live", "https://a", "OFFICIAL", "[", "GB"]),
    st.text(max_size=6),
)
keys = st.sampled_from(["a", "b", "phase", "name", "email", "id", "x-1"])
instances = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)

leaf_schemas = st.one_of(
    st.sampled_from([{"type": t} for t in ("string", "integer", "number", "boolean", "null", "object", "array")]),
    st.builds(lambda v: {"const": v}, scalars),
    st.builds(lambda vs: {"enum": vs}, st.lists(scalars, min_size=1, max_size=3)),
    st.builds(lambda n: {"minimum": n}, st.integers(-5, 5)),
    st.builds(lambda n: {"exclusiveMaximum": n}, st.integers(-5, 5)),
    st.builds(lambda n: {"minLength": n}, st.integers(0, 3)),
    st.builds(lambda n: {"maxItems": n}, st.integers(0, 3)),
    st.builds(lambda n: {"minItems": n}, st.integers(0, 3)),
    st.sampled_from([{"pattern": "^a"}, {"format": "date"}, {"format": "email"}, {"uniqueItems": True}, True, False, {}]),
    st.builds(lambda r: {"required": r}, st.lists(keys, max_size=2, unique=True)),
)
schemas = st.recursive(
    leaf_schemas,
    lambda inner: st.one_of(
        st.builds(lambda p: {"properties": p}, st.dictionaries(keys, inner, max_size=3)),
        st.builds(lambda p, a: {"properties": p, "additionalProperties": a}, st.dictionaries(keys, inner, max_size=2), inner),
        st.builds(lambda s: {"items": s}, inner),
        st.builds(lambda s: {"contains": s}, inner),
        st.builds(lambda s: {"not": s}, inner),
        st.builds(lambda ss: {"allOf": ss}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda ss: {"anyOf": ss}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda ss: {"oneOf": ss}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, inner, inner, inner),
        st.builds(lambda p: {"patternProperties": {"^x": p}}, inner),
    ),
    max_leaves=8,
)


def reference(schema):
    return Draft202012Validator(schema, format_checker=CHECKER)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas, instances)
def test_agrees_with_jsonschema_on_random_schemas(schema, instance):
    assert compile_validity(schema)(instance) == reference(schema).is_valid(instance)


def _real_schemas():
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        yield path.name, json.loads(path.read_text())


def _base_manifest():
    return load_file(str(ROOT / "policies" / "examples" / "base.yaml")).documents[0].data


def _mutations(data, depth=0):
    """Each manifest with one value replaced by something of another type or deleted."""
    if isinstance(data, dict):
        for key, value in data.items():
            for replacement in ("yes", 7, None, [], {}, True, "2026-02-30"):
                yield {**data, key: replacement}
            yield {k: v for k, v in data.items() if k != key}
            if depth < 3:
                for sub in _mutations(value, depth + 1):
                    yield {**data, key: sub}
    elif isinstance(data, list) and data and depth < 4:
        for sub in _mutations(data[0], depth + 1):
            yield [sub, *data[1:]]
        yield data + data[:1]


@pytest.mark.parametrize(("name", "schema"), list(_real_schemas()))
def test_real_schemas_compile_without_fallback(name, schema):
    compile_validity(schema)


def test_initiative_schema_agrees_on_thousands_of_mutated_manifests():
    schema = dict(_real_schemas())["initiative.schema.json"]
    fast, slow = compile_validity(schema), reference(schema)
    count = 0
    for mutated in _mutations(_base_manifest()):
        count += 1
        assert fast(mutated) == slow.is_valid(mutated), json.dumps(mutated)[:300]
    assert count > 1000


def test_unknown_keywords_fall_back():
    with pytest.raises(Unsupported):
        compile_validity({"multipleOf": 3})
    from govern.core.schemas import Validator

    validator = Validator({"multipleOf": 3})
    assert validator.is_valid(6) and not validator.is_valid(7)
    assert [e.validator for e in validator.iter_errors(7)] == ["multipleOf"]


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        # "#items" names an $anchor; read as the pointer /items it was the schema itself: endless recursion
        ({"items": {"$ref": "#items"}, "$defs": {"s": {"$anchor": "items", "type": "string"}}}, ["a", 1]),
        # inside a subschema with its own $id, "#/$defs/b" is that subschema's $defs/b, not the root's
        ({"$ref": "#/$defs/a", "$defs": {"b": {"type": "integer"},
                                         "a": {"$id": "https://x.example/a", "$ref": "#/$defs/b",
                                               "$defs": {"b": {"type": "string"}}}}}, "text"),
        # a $ref is a URI fragment: %25 is "%", so this names x%y
        ({"properties": {"a": {"$ref": "#/$defs/x%25y"}}, "$defs": {"x%y": {"type": "string"},
                                                                      "x%25y": {"type": "integer"}}}, {"a": "s"}),
    ],
)
def test_refs_the_compiler_would_resolve_wrongly_fall_back(schema, instance):
    """Found by the JSON-Schema-Test-Suite (dynamicRef.json crashed with RecursionError); see docs/design/json-schema.md."""
    from govern.core.schemas import Validator

    with pytest.raises(Unsupported):
        compile_validity(schema)
    assert Validator(schema).is_valid(instance) == reference(schema).is_valid(instance)


@pytest.mark.parametrize("keyword", ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"])
def test_counts_may_be_written_as_integral_decimals(keyword):
    """2.0 is an integer in JSON Schema (the suite's "... with a decimal" cases); 2.5 is not."""
    from govern.core.schemas import schema_problem

    assert schema_problem({keyword: 2.0}) is None
    assert "non-negative integer" in schema_problem({keyword: 2.5})
    for instance in ("a", "abc", [1], [1, 2, 3], {"a": 1}, {"a": 1, "b": 2, "c": 3}):
        assert compile_validity({keyword: 2.0})(instance) == reference({keyword: 2}).is_valid(instance)


def test_json_equality_semantics():
    assert json_equal(1, 1.0) and not json_equal(True, 1) and not json_equal(0, False)
    assert json_equal({"a": [1, 2]}, {"a": [1.0, 2]}) and not json_equal([1], [1, 1])


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        ({"requird": ["a"]}, "unknown keyword 'requird'"),
        ({"type": "strin"}, "not a JSON Schema type"),
        ({"required": "a"}, "list of property names"),
        ({"minLength": -1}, "non-negative"),
        ({"pattern": "("}, "not a regular expression"),
        ({"properties": {"a": {"enum": "x"}}}, "enum must be a list"),
        ({"allOf": []}, "non-empty list"),
        ([], "object or a boolean"),
    ],
)
def test_schema_problems_are_named(schema, words):
    from govern.core.schemas import schema_problem

    problem = schema_problem(schema)
    assert problem and words in problem


def test_valid_schemas_have_no_problem():
    from govern.core.schemas import schema_problem

    assert schema_problem({"multipleOf": 2}) is None  # valid, left to jsonschema
    assert schema_problem({"type": ["string", "null"], "x-note": "annotations are fine"}) is None
    assert schema_problem({"multipleOf": "x"})  # jsonschema's metaschema still judges the rest


# -- patterns match whole values --------------------------------------------------------------------
#
# JSON Schema's `pattern` is ECMA-262, where `$` matches only at the very end; Python's `$` also
# matches before a final newline, so "ID-1\n" passed ^...$ and became a second id. Both of govern's
# paths (the compiled one and jsonschema with govern's bounded pattern) must reject it.


def _schema_patterns() -> list[str]:
    found: set[str] = set()
    stack: list = [schema for _, schema in _real_schemas()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(found)


ANCHORED = [p for p in _schema_patterns() if p.startswith("^") and p.endswith("$")]


def test_every_schema_id_pattern_is_anchored_at_both_ends():
    assert len(ANCHORED) >= 10  # ids, emails, rule ids, dates, country codes, hashes...


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        ("^[A-Za-z0-9][A-Za-z0-9._-]*$", "ID-1\n"),  # metadata.id
        ("^[^@\\s]+@[^@\\s]+$", "a.b@example.gov\n"),  # email
        ("^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3,}$", "PRIV-001\n"),  # rule id
        ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "2026-01-01\n"),  # date
        ("^[A-Z]{2}$", "GB\n"),  # country code
    ],
)
def test_a_trailing_newline_never_matches_an_anchored_pattern(pattern, value):
    from govern.core.schemas import Validator, explain

    schema = {"type": "string", "pattern": pattern}
    assert compile_validity(schema)(value.rstrip("\n"))
    assert not compile_validity(schema)(value)
    slow = Validator(schema).slow  # jsonschema, with govern's pattern keyword
    assert not slow.is_valid(value) and [e.validator for e in slow.iter_errors(value)] == ["pattern"]
    assert [p.validator for p in explain(schema, value)] == ["pattern"]  # the explainer rules' `require` uses


@pytest.mark.parametrize(
    ("source", "translated"),
    [
        ("^a$", "^a\\Z"),
        ("^a\\$", "^a\\$"),  # an escaped dollar is a dollar sign
        ("^[$]$", "^[$]\\Z"),  # so is one inside a class
        ("^[]$]$", "^[]$]\\Z"),  # ] first in a class is a literal, the class goes on
        ("^[^]$]x$", "^[^]$]x\\Z"),
        ("^(a|b$)", "^(a|b\\Z)"),
        ("^https?://", "^https?://"),
    ],
)
def test_end_anchors_are_translated_and_nothing_else(source, translated):
    from govern.core.fastschema import ecma_dollar

    assert ecma_dollar(source) == translated


def test_multiline_patterns_keep_line_anchors():
    from govern.core.fastschema import compile_pattern

    assert compile_pattern("(?m)^a$").matches("a\nb")


_values = st.text(alphabet=st.sampled_from("aZ09-._@/~:\n\r x\u00e9"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ANCHORED), st.data())
def test_anchored_patterns_match_whole_values_on_both_paths(pattern, data):
    """An anchored pattern matches exactly what re.fullmatch accepts, on the fast and the jsonschema path."""
    from govern.core.schemas import Validator

    value = data.draw(st.one_of(st.from_regex(pattern, fullmatch=True), _values))
    value += data.draw(st.sampled_from(["", "\n", "\r\n", " ", "\n\n"]))
    expected = re.fullmatch(pattern, value) is not None
    schema = {"type": "string", "pattern": pattern}
    assert compile_validity(schema)(value) == expected, (pattern, value)
    assert Validator(schema).slow.is_valid(value) == expected, (pattern, value)
