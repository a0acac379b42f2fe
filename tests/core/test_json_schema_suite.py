"""govern's JSON Schema compiler against the official JSON-Schema-Test-Suite (Draft 2020-12).

``govern.core.fastschema`` answers "is this valid?" for almost every schema govern meets; when it
cannot, it raises ``Unsupported`` and govern asks jsonschema instead. So the one thing it must never
do is give an answer jsonschema (govern's fallback, configured as govern configures it) would not.
Every case of every vendored suite file is run here: the compiler either agrees with jsonschema on
every test of the case, declines the schema for a reason listed in ``DECLINED``, or refuses a schema
that jsonschema refuses too (regular expressions Python's ``re`` cannot read).

The vendored files are the keyword files of what the compiler supports, plus the optional files about
those keywords; see tests/vendor/json-schema-test-suite/VENDORED.md.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from govern.core.fastschema import CHECKED_FORMATS, InvalidSchema, Unsupported, compile_validity

SUITE = Path(__file__).resolve().parents[1] / "vendor" / "json-schema-test-suite" / "tests" / "draft2020-12"
FILES = sorted(p.relative_to(SUITE).as_posix()[: -len(".json")] for p in SUITE.rglob("*.json"))

# What the compiler declines (govern then validates that schema with jsonschema), by the start of the
# reason it gives. Anything else it declines fails the test, so this list stays the truth.
DECLINED = {
    "remote $ref": "a $ref to another document, or relative to a subschema's $id (jsonschema resolves it)",
    "$ref to an anchor": "a $ref to a plain-name fragment ($anchor, $dynamicAnchor)",
    "percent-encoded $ref": "a JSON Pointer with %-escapes",
    "unresolvable $ref": "a pointer that names nothing in the document",
    "$id in a subschema": "an embedded resource: its own refs are relative to it",
    "multipleOf": "float division is not JSON Schema's arithmetic",
    "keywords ['dependentSchemas']": "not compiled",
    "keywords ['unevaluatedProperties']": "not compiled (needs annotation collection)",
    "keywords ['unevaluatedItems']": "not compiled (needs annotation collection)",
    "items as a list (use prefixItems)": "the draft 2019-09 form of items",
}


def _cases(name: str) -> list[dict]:
    return json.loads((SUITE / f"{name}.json").read_text(encoding="utf-8"))


def _reference(schema):
    """jsonschema as govern falls back to it: Draft 2020-12, and asserting govern's CHECKED_FORMATS."""
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=CHECKED_FORMATS))


def _refused_by_jsonschema(schema) -> bool:
    try:
        Draft202012Validator.check_schema(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    except SchemaError:
        return True
    try:  # a schema the metaschema lets through can still be one jsonschema cannot use
        _reference(schema).is_valid(None)
    except re.error:
        return True
    return False


def run_case(case: dict) -> tuple[str, list[str]]:
    """("compiled"|"declined"|"refused", wrong answers) for one suite case."""
    try:
        is_valid = compile_validity(case["schema"])
    except Unsupported as exc:
        reason = str(exc)
        listed = any(reason.startswith(known) for known in DECLINED)
        return "declined", [] if listed else [f"declined for an unlisted reason: {reason}"]
    except InvalidSchema as exc:
        agreed = _refused_by_jsonschema(case["schema"])
        return "refused", [] if agreed else [f"refused a schema jsonschema accepts: {exc}"]
    reference = _reference(case["schema"])
    wrong = []
    for test in case["tests"]:
        expected = reference.is_valid(test["data"])
        if is_valid(test["data"]) is not expected:
            wrong.append(f"{test['description']!r}: jsonschema says {'valid' if expected else 'invalid'}")
    return "compiled", wrong


def test_the_suite_is_vendored_with_its_licence():
    folder = SUITE.parents[1]
    assert "Copyright (c) 2012 Julian Berman" in (folder / "LICENSE").read_text(encoding="utf-8")
    assert len(FILES) >= 40 and "ref" in FILES and "optional/format/date" in FILES


@pytest.mark.parametrize("name", FILES)
def test_every_case_agrees_with_jsonschema_or_is_declined(name):
    wrong = []
    for case in _cases(name):
        _, problems = run_case(case)
        wrong += [f"{case['description']}: {p}" for p in problems]
    assert not wrong, "\n".join(wrong)


def test_the_compiler_answers_most_of_the_suite_itself():
    """Declining everything would pass the test above: most tests must be answered by the compiler."""
    outcomes: Counter = Counter()
    for name in FILES:
        for case in _cases(name):
            outcome, _ = run_case(case)
            outcomes[outcome] += len(case["tests"])
    total = sum(outcomes.values())
    assert outcomes["compiled"] / total > 0.9, outcomes
    assert outcomes["declined"] < 80, outcomes  # 68 with the suite at 44401e0c


@pytest.mark.parametrize("schema, reason", [
    ({"$ref": "other.json"}, "remote $ref"),
    ({"$defs": {"a": {"$anchor": "a"}}, "$ref": "#a"}, "$ref to an anchor"),
    ({"$defs": {"a%b": {}}, "$ref": "#/$defs/a%25b"}, "percent-encoded $ref"),
    ({"multipleOf": 2}, "multipleOf"),
    ({"dependentSchemas": {"a": {}}}, "keywords ['dependentSchemas']"),
    ({"unevaluatedProperties": False}, "keywords ['unevaluatedProperties']"),
    ({"unevaluatedItems": False}, "keywords ['unevaluatedItems']"),
])
def test_the_declined_keywords_are_the_listed_ones(schema, reason):
    with pytest.raises(Unsupported) as caught:
        compile_validity(schema)
    assert str(caught.value).startswith(reason) and reason in DECLINED
