"""The defences behind tests/run/test_hostile.py, one by one: patterns, limits, clipping, output.

These call the real functions on real data (files in tmp_path); the CLI-level
behaviour is proven in test_hostile.py.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govern.core.errors import GovernError
from govern.core.fastschema import (
    PATTERN_MAX_INPUT,
    InvalidSchema,
    UnsafePattern,
    all_unique,
    compile_pattern,
    compile_validity,
    json_equal,
    json_key,
    unsafe_patterns,
)
from govern.core.loader import MAX_ALIAS_CHARS, load_file, load_text, read_source
from govern.core.model import MAX_FIELD, Accountable, Finding
from govern.core.schemas import Validator, schema_problem

# -- regular expressions ------------------------------------------------------------------------

SAFE_LINEAR = [
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$", r"^[^@\s]+@[^@\s]+$", r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    r"^[a-z0-9]+(-[a-z0-9]+)*$", r"^(\d{1,3}\.){3}\d{1,3}$", r"^([A-Z][a-z]+)+$", r"^(/([^~/]|~[01])*)*$", r"^(ab|a)+$",
    r"^(?:[a-z]+:)?//", r"^https?://", r"^(a{2}|b)*$", r"(?i)^(?:a|b)+$",
]
SAFE_QUADRATIC = [r".*x", r"^.*moving.*$", r"^a*a*b", r"\d+\.\d+", r"^(\w+,)+\w+$", r"^\w+\s*\w+$", r"^(.+)\1$"]
NESTED = [r"^(a+)+$", r"(a+)+", r"^(\w+\s?)*$", r"(a|aa)+$", r"(x+x+)+y", r"^(a{1,3})+$", r"(a*)*", r"^(a+?)+$",
          r"(?=(a+))+", r"^(a|b|ab)*c$", r"^(\s?\w+)*$", r"^(x+)+|y$", r"(?i)^([a-z]+A)+$", r"(.*a){10}", r"^((ab)*)*$"]
POLYNOMIAL = [r"a*a*b", r".*foo.*", r"^\d*\d*\d*$", r"\w*\w*\w*!"]


@pytest.mark.parametrize("source", SAFE_LINEAR)
def test_linear_patterns_have_no_input_limit(source: str) -> None:
    assert compile_pattern(source).limit is None


@pytest.mark.parametrize("source", SAFE_QUADRATIC)
def test_quadratic_patterns_are_matched_against_bounded_input(source: str) -> None:
    pattern = compile_pattern(source)
    assert pattern.limit == PATTERN_MAX_INPUT
    started = time.monotonic()
    for text in ("a" * PATTERN_MAX_INPUT, "a," * (PATTERN_MAX_INPUT // 2), "a " * (PATTERN_MAX_INPUT // 2)):
        pattern.matches(text)
    assert time.monotonic() - started < 5
    assert pattern.too_long("a" * (PATTERN_MAX_INPUT + 1)) and not pattern.matches("x" * (PATTERN_MAX_INPUT + 1))


@pytest.mark.parametrize("source", NESTED)
def test_nested_quantifiers_are_refused(source: str) -> None:
    with pytest.raises(UnsafePattern, match="nested quantifier"):
        compile_pattern(source)


@pytest.mark.parametrize("source", POLYNOMIAL)
def test_chains_of_quantifiers_over_the_same_characters_are_refused(source: str) -> None:
    with pytest.raises(UnsafePattern, match="could take too long to match"):
        compile_pattern(source)


def test_bad_patterns_are_invalid_schemas() -> None:
    with pytest.raises(InvalidSchema, match="not a regular expression"):
        compile_pattern("([unclosed")
    with pytest.raises(InvalidSchema, match="over the 10000-character limit"):
        compile_pattern("a" * 10_001)
    with pytest.raises(InvalidSchema, match="must be a string"):
        compile_pattern(7)  # type: ignore[arg-type]
    assert compile_pattern("^a$") is compile_pattern("^a$")  # compiled once


def test_a_quadratic_pattern_remembers_what_it_matched() -> None:
    pattern = compile_pattern(r"^.*remember.*$")
    text = "x" * 500 + "remember"
    assert pattern.matches(text) and pattern.matches(text)
    for i in range(300):  # the memo is bounded
        pattern.matches(f"{i}")
    assert pattern.matches(text)


def test_every_pattern_in_a_schema_is_judged_wherever_it_hides() -> None:
    assert unsafe_patterns({"properties": {"a": {"pattern": "^ok$"}}}) is None
    assert "nested quantifier" in unsafe_patterns({"allOf": [{"items": [{"pattern": "(a+)+"}]}]})
    assert "nested quantifier" in unsafe_patterns({"patternProperties": {"(a|aa)+": {}}})
    assert "not a regular expression" in unsafe_patterns({"properties": {"p": {"pattern": "("}}})
    assert "nested quantifier" in schema_problem({"multipleOf": 1, "pattern": "(a+)+$"})  # the jsonschema path too
    assert "nested quantifier" in schema_problem({"pattern": "(a+)+$"})
    with pytest.raises(InvalidSchema, match="patternProperties"):
        compile_validity({"patternProperties": {"(": {}}})


def test_jsonschema_explains_with_the_same_bounded_patterns() -> None:
    quadratic = Validator({"multipleOf": 1, "properties": {"d": {"pattern": r"^.*moving.*$"}}})  # jsonschema does it all
    [error] = quadratic.iter_errors({"d": "a" * 5000})
    assert "is 5000 characters long, too long to check against the pattern" in error.message
    [error] = quadratic.iter_errors({"d": "no"})
    assert error.message == "'no' does not match '^.*moving.*$'"
    assert list(quadratic.iter_errors({"d": "we are moving"})) == []
    names = Validator({"multipleOf": 1, "patternProperties": {"^x-": {"type": "integer"}}})
    assert [e.message for e in names.iter_errors({"x-a": "1", "y": "2"})] == ["'1' is not of type 'integer'"]
    unsafe = Validator({"pattern": "(a+)+$"})  # built directly (a plugin might): refused, never run
    [error] = unsafe.iter_errors("a" * 40 + "!")
    assert error.message.startswith("cannot be checked: pattern '(a+)+$' has a nested quantifier")
    unsafe = Validator({"multipleOf": 1, "patternProperties": {"(a+)+$": {}}})
    assert [e.message[:18] for e in unsafe.iter_errors({"a": 1})] == ["cannot be checked:"]


def test_unique_items_is_linear_and_agrees_with_json_equality() -> None:
    items = [{"a": i, "b": [i, str(i)]} for i in range(20_000)]
    started = time.monotonic()
    assert all_unique(items) and not all_unique([*items, {"b": [7, "7"], "a": 7.0}])
    [error] = Validator({"multipleOf": 1, "uniqueItems": True}).iter_errors([*items[:3], items[0]])
    assert error.message.endswith("has non-unique elements") and len(error.message) < 120
    assert compile_validity({"uniqueItems": True})(items)
    assert time.monotonic() - started < 5


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, 1.0, 2.5, float("nan")]), st.sampled_from(["", "a", "1"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(JSON, JSON)
def test_json_key_is_equal_exactly_when_json_equal_says_so(a: object, b: object) -> None:
    assert (json_key(a) == json_key(b)) == json_equal(a, b)


# -- the loader ----------------------------------------------------------------------------------


def loaded(tmp_path: Path, raw: bytes, **kwargs: int):
    path = tmp_path / "m.yaml"
    path.write_bytes(raw)
    return load_file(str(path), "m.yaml", **kwargs)


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_utf16_and_utf32_without_a_bom_are_detected(tmp_path: Path, codec: str) -> None:
    result = loaded(tmp_path, "name: café\nn: 1\n".encode(codec))
    assert result.errors == [] and result.documents[0].data == {"name": "café", "n": 1}


def test_invalid_utf32_is_located(tmp_path: Path) -> None:
    raw = codecs.BOM_UTF32_LE + "a: 1\nb: ".encode("utf-32-le") + b"\xff\xff\xff\xff"
    [error] = loaded(tmp_path, raw).errors
    assert (error.line, error.column) == (2, 4) and error.message.startswith("invalid UTF-32")


def test_read_source_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(GovernError, match="it is a directory"):
        read_source(str(tmp_path))
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(GovernError, match="a FIFO, socket or device is never read"):
        read_source(str(tmp_path / "pipe.yaml"))
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    with pytest.raises(GovernError, match="symbolic link loop"):
        read_source(str(tmp_path / "loop.yaml"))
    (tmp_path / "dangling.yaml").symlink_to("gone.yaml")
    with pytest.raises(GovernError, match="broken symbolic link: it points to 'gone.yaml'"):
        read_source(str(tmp_path / "dangling.yaml"))
    (tmp_path / "ok.yaml").write_text("a: 1\n")
    assert read_source(str(tmp_path / "ok.yaml"), max_size=10**30)[0] == "a: 1\n"  # any limit works
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (3 << 20) + b"\n")  # read in blocks, not one allocation of the limit
    assert len(read_source(str(big), max_size=4 << 20)[1]) == (3 << 20) + 4


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("a: ! 12\n", {"a": "12"}),  # the non-specific tag: a string
        ("a: !!float 1e3\nb: !!float '-.inf'\nc: !!null ''\nd: !!bool false\n", {"a": 1000.0, "b": float("-inf"), "c": None, "d": False}),
        ("a: -.inf\nb: +.inf\nc: 0x1f\nd: 0o17\n", {"a": float("-inf"), "b": float("inf"), "c": 31, "d": 15}),
        ("&k key: 1\nother: *k\n", {"key": 1, "other": "key"}),
        ("p: &p {a: [1, {b: 2}]}\nq: *p\n", {"p": {"a": [1, {"b": 2}]}, "q": {"a": [1, {"b": 2}]}}),
        ("!!map {a: !!seq [1]}\n", {"a": [1]}),
    ],
)
def test_core_tags_and_aliases(text: str, data: object) -> None:
    documents, errors = load_text(text, "m.yaml")
    assert errors == [] and documents[0].data == data


def test_an_alias_value_is_a_copy_located_where_its_anchor_is() -> None:
    [doc], _ = load_text("p: &p {a: [1, {b: 2}]}\nq: *p\nr: [*p]\n", "m.yaml")
    assert doc.data["q"] is not doc.data["p"] and doc.data["q"]["a"] is not doc.data["p"]["a"]
    assert doc.positions["/q"] == (2, 1) and doc.positions["/r/0"] == (3, 5)
    assert doc.positions["/q/a/1/b"] == doc.positions["/p/a/1/b"] == (1, 16)
    assert doc.positions["/r/0/a/0"] == (1, 12)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: &x 1\nb: &x 2\n", 2, 4, "anchor &x is defined twice (first defined at line 1)"),
        ("&x a: &x 1\n", 1, 7, "anchor &x is defined twice"),
        ("a: &k [1]\n*k : 2\n", 2, 1, "not aliases of collections"),
        ("a: *nowhere\n", 1, 4, "alias *nowhere refers to no anchor"),
        ("? !!int 1\n: a\n", 1, 3, "unsupported tag 'tag:yaml.org,2002:int' on a mapping key"),
        ("a: !!float nope\n", 1, 4, "!!float value 'nope' is not a number"),
        ("a: !!bool maybe\n", 1, 4, "!!bool value 'maybe' is not true or false"),
        ("a: !!null x\n", 1, 4, "!!null value 'x' is not null"),
        ("a: !!int 0o9\n", 1, 4, "!!int value '0o9' is not an integer"),
        ("a: !!omap [1]\n", 1, 4, "unsupported tag 'tag:yaml.org,2002:omap' on a sequence"),
        ("a: !!set {b: ~}\n", 1, 4, "unsupported tag 'tag:yaml.org,2002:set' on a mapping"),
        ("a: 0x" + "f" * 4001 + "\n", 1, 4, "integer has too many digits"),
        ("a: 1\nb: \"x\u2028y\"\n", 2, 6, "line separator U+2028 is not allowed raw"),
        ("a: 1\nb: x\x85y\n", 2, 5, "line separator U+0085"),
        ("a: [1,\n  2\nb: 3\n", 3, 2, "that starts at line 1, column 4"),
        ("p: &p [*q]\nq: &q [1]\n", 1, 8, "alias *q refers to no anchor"),
    ],
)
def test_loader_errors_are_located(text: str, line: int, column: int, words: str) -> None:
    documents, errors = load_text(text, "m.yaml")
    assert documents == [] and len(errors) == 1, errors
    assert (errors[0].line, errors[0].column) == (line, column), errors[0]
    assert words in errors[0].message


def test_limits_on_values_depth_and_alias_text() -> None:
    _, [error] = load_text("a: [" + ",".join(["1"] * 30) + "]\n", "m.yaml", max_document_nodes=20)
    assert "document holds more than 20 values" in error.message
    _, [error] = load_text("---\n".join(["a: [1, 2, 3]\n"] * 10), "m.yaml", max_nodes=25)
    assert "file holds more than" in error.message
    deep = "a: &a " + "[" * 60 + "1" + "]" * 60 + "\nb: " + "[" * 60 + "*a" + "]" * 60 + "\n"
    _, [error] = load_text(deep, "m.yaml")
    assert "nesting deeper than 100 levels" in error.message
    text = "a: &a '" + "x" * (MAX_ALIAS_CHARS // 4) + "'\nb: [*a, *a, *a, *a, *a]\n"
    _, [error] = load_text(text, "m.yaml")
    assert "characters of text (possible alias bomb)" in error.message
    many = "---\na: 1\n" * 20_000 + "---\nb: [\n"  # one broken document among many: found quickly, the rest kept
    started = time.monotonic()
    documents, errors = load_text(many, "m.yaml")
    assert len(documents) == 20_000 and len(errors) == 1 and errors[0].line == 40_003
    assert time.monotonic() - started < 10


def test_a_register_may_hold_more_values_than_a_manifest(tmp_path: Path) -> None:
    raw = ("a: [" + ",".join(["1"] * 25_000) + "]\n").encode()
    assert loaded(tmp_path, raw).errors[0].message.startswith("document holds more than 20000 values")
    assert loaded(tmp_path, raw, max_document_nodes=100_000).errors == []


# -- findings never carry a hostile value whole ---------------------------------------------------


def test_findings_clip_long_text_once() -> None:
    long = "y" * 100_000
    finding = Finding("R-001", "t", "d", "error", long, "f.yaml", 1, 1, "/" + long, long, Accountable("service_owner", long, long))
    assert len(finding.message) == 4000 and finding.message.endswith("\u2026")
    assert len(finding.initiative) == MAX_FIELD and len(finding.path) == 1000
    assert len(finding.accountable.name) == MAX_FIELD and len(finding.accountable.email) == MAX_FIELD
    short = Finding("R-001", "t", "d", "error", "m", "f.yaml", 1, 1, "/a", None, Accountable(None))
    assert (short.message, short.initiative, short.path) == ("m", None, "/a")


# -- text output and the core date functions ------------------------------------------------------


def test_text_colours_only_the_label_and_never_a_value() -> None:
    from govern.reporters.text import render
    from govern.run.runner import Report

    finding = Finding("R-001", "t", "d", "warning", "value \x1b[31m", "f\x1b.yaml", 2, 3, "/a", None, Accountable(None))
    report = Report("check", dt.date(2026, 11, 22), [finding], [], [])
    text = render(report, colour=True)
    assert "\x1b[33mWARNING\x1b[0m" in text and "value \\x1b[31m" in text and "f\\x1b.yaml:2:3" in text


def test_date_functions_with_days_no_period_and_not_passed() -> None:
    from govern.policy.functions.general import FUNCTIONS
    from govern.core.model import Context

    ctx = Context(as_of=dt.date(2026, 11, 22), config={})
    recent, passed = FUNCTIONS["date_recent"].fn, FUNCTIONS["date_not_passed"].fn
    data = {"a": {"on": "2026-11-01", "since": "2026-11-10"}}
    assert [v.message for v in recent(data, {"path": "/a/on", "days": 7}, ctx)] == ["a.on was 2026-11-01, more than 7 days before 2026-11-22"]
    assert list(recent(data, {"path": "/a/on", "days": 30}, ctx)) == []
    assert [v.message for v in recent(data, {"path": "/a/on", "not_before": ["/a/since"]}, ctx)] == [
        "a.on (2026-11-01) is before a.since (2026-11-10)"]
    assert [v.message for v in passed(data, {"path": "/a/on", "what": "Review"}, ctx)] == ["Review was 2026-11-01, before 2026-11-22"]
    assert [v.message for v in passed({}, {"path": "/a/on"}, ctx)] == ["a.on is not recorded"]
    assert list(passed({}, {"path": "/a/on", "missing": "ignore"}, ctx)) == []
    assert list(passed({"a": {"on": "2027-01-01"}}, {"path": "/a/on"}, ctx)) == []
