"""A small JSON Schema (Draft 2020-12) compiler for the yes/no question.

Most manifests pass most rules, so the hot path only needs "is this valid?".
This module compiles a schema into nested Python closures that answer it
several times faster than a general validator. When the answer is "no",
``compile_parts`` gives the check of every subschema too, so that
``govern.core.schemas.explain`` words jsonschema's errors walking only the
invalid parts. A differential property test keeps both in agreement with jsonschema.

Any keyword this compiler does not know makes ``compile_validity`` raise
``Unsupported``; callers then use jsonschema for that schema.

Over 400 lines (about 880) on purpose: one compiler whose three parts change together: the
keyword value checks (``_check_values``), the closures (``_Compiler``) and the regular-expression
safety analysis (``_Analysis``, ``compile_pattern``, about 300 lines) that decides which patterns
those closures, and jsonschema's ``pattern`` in govern, may run. The pack cache fingerprints this
file as code that judges schemas and remembers ``_Analysis``'s verdicts; one file keeps one place
to read what a schema or a pattern may do. tests/core/test_json_schema_suite.py runs the official
suite against it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

CHECKED_FORMATS = ("date", "email", "regex")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_ANNOTATIONS = frozenset(
    ("$schema", "$id", "$comment", "$anchor", "title", "description", "default", "examples",
     "deprecated", "readOnly", "writeOnly", "$defs", "definitions", "contentMediaType", "contentEncoding")
)


class Unsupported(Exception):
    """The schema uses something this compiler does not implement."""


class InvalidSchema(Exception):
    """The schema is wrong: a keyword with a value of the wrong kind, or a keyword no draft has."""


KNOWN_KEYWORDS = frozenset((
    "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items",
    "contains", "properties", "patternProperties", "additionalProperties", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "type", "const", "enum", "multipleOf", "maximum",
    "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems",
    "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
    "dependentRequired", "format", "contentEncoding", "contentMediaType", "contentSchema", "title",
    "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "definitions", "dependencies",
))
_COUNTS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
# the keywords whose values _check_values judges (all of them in KNOWN_KEYWORDS)
_RULED = frozenset((*_COUNTS, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "required", "enum",
                    *_SCHEMA_LISTS, *_SCHEMA_MAPS, "pattern", "format", "$ref", "type"))


def _check_values(schema: dict) -> None:
    """Reject keyword values no draft allows, and keywords that are surely typos."""
    for key, value in schema.items():
        if key not in _RULED:  # most keywords take any value, or are checked where they are compiled
            if key not in KNOWN_KEYWORDS and not key.startswith("x-"):
                raise InvalidSchema(f"unknown keyword {key!r}")
            continue
        if key in _COUNTS and (type(value) not in (int, float) or not _is_integer(value) or value < 0):
            raise InvalidSchema(f"{key} must be a non-negative integer")  # 2.0 is an integer in JSON Schema
        if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") and type(value) not in (int, float):
            raise InvalidSchema(f"{key} must be a number")
        if key == "required" and not (isinstance(value, list) and all(type(v) is str for v in value)):
            raise InvalidSchema("required must be a list of property names")
        if key == "enum" and not isinstance(value, list):
            raise InvalidSchema("enum must be a list")
        if key in _SCHEMA_LISTS and not (isinstance(value, list) and value):
            raise InvalidSchema(f"{key} must be a non-empty list of schemas")
        if key in _SCHEMA_MAPS and not isinstance(value, dict):
            raise InvalidSchema(f"{key} must be an object of schemas")
        if key in ("pattern", "format", "$ref") and type(value) is not str:
            raise InvalidSchema(f"{key} must be a string")
        if key == "type":
            names = value if isinstance(value, list) else [value]
            if not names or any(n not in _TYPES for n in names):
                raise InvalidSchema(f"type {value!r} is not a JSON Schema type")


def _is_integer(x: Any) -> bool:
    return (type(x) is int) or (type(x) is float and x.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda x: type(x) is dict,
    "array": lambda x: type(x) is list,
    "string": lambda x: type(x) is str,
    "boolean": lambda x: type(x) is bool,
    "null": lambda x: x is None,
    "integer": _is_integer,
    "number": lambda x: type(x) in (int, float),
}


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if ta is dict:
        return tb is dict and a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if ta is list:
        return tb is list and len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if ta in (int, float) and tb in (int, float):
        return a == b
    return ta is tb and a == b


def json_key(value: Any) -> Any:
    """A hashable key equal for exactly the values ``json_equal`` calls equal (1 and 1.0 alike, true apart)."""
    kind = type(value)
    if kind is bool:
        return ("b", value)
    if kind is int or kind is float:
        if value != value:  # NaN equals nothing, itself included
            return ("nan", object())
        return ("n", value)
    if kind is str:
        return ("s", value)
    if kind is list:
        return ("l", tuple(json_key(item) for item in value))
    if kind is dict:
        return ("d", frozenset((key, json_key(item)) for key, item in value.items()))
    if value is None:
        return ("z",)
    return ("o", id(value))


def all_unique(items: list) -> bool:
    """uniqueItems in linear time (jsonschema's own check is quadratic for unsortable items)."""
    seen = set()
    for item in items:
        key = json_key(item)
        if key in seen:
            return False
        seen.add(key)
    return True


def _date_ok(x: str) -> bool:
    if not _DATE.fullmatch(x):
        return False
    try:
        dt.date.fromisoformat(x)
    except ValueError:
        return False
    return True


def _regex_ok(x: str) -> bool:
    try:
        re.compile(x)
    except re.error:
        return False
    return True


_FORMATS: dict[str, Check] = {"date": _date_ok, "email": lambda x: "@" in x, "regex": _regex_ok}


# -- regular expressions: no pattern may hang a run ---------------------------------
#
# Python's re backtracks and has no timeout, so a pattern is judged before it is
# used. A nested quantifier whose repetitions can share characters (``(a+)+``,
# ``(\w+\s?)*``, ``(a|aa)+``) takes exponential time on a near-miss and is refused;
# so is a chain of quantifiers over the same characters that makes matching cubic
# or worse (``a*a*b``, an unanchored ``.*a.*``). What remains runs in linear time,
# or in quadratic time on strings of at most PATTERN_MAX_INPUT characters: a
# longer string does not match such a pattern (and jsonschema says why).

PATTERN_MAX_LENGTH = 10_000  # characters of the pattern itself
PATTERN_MAX_INPUT = 1_000  # characters a quadratic pattern is matched against
_BIG = 32  # a bounded repeat above this many counts as unbounded
_INF = float("inf")


class UnsafePattern(InvalidSchema):
    """A regular expression that could take exponential or polynomial time."""


class Pattern:
    """A checked, compiled pattern; ``search`` is bounded in time for any string."""

    __slots__ = ("source", "limit", "_search", "_memo")

    def __init__(self, source: str, limit: int | None, search: Callable[[str], Any]) -> None:
        self.source = source
        self.limit = limit  # None: linear-time, any length is fine
        self._search = search
        self._memo: dict[str, bool] = {}

    def too_long(self, text: str) -> bool:
        return self.limit is not None and len(text) > self.limit

    def matches(self, text: str) -> bool:
        if self.limit is None:
            return self._search(text) is not None
        if len(text) > self.limit:
            return False
        found = self._memo.get(text)
        if found is None:
            found = self._search(text) is not None
            if len(self._memo) >= 256:
                self._memo.clear()
            self._memo[text] = found
        return found


_PATTERNS: dict[str, Pattern] = {}


def ecma_dollar(source: str) -> str:
    """``source`` with each end anchor ``$`` written ``\\Z``: a ``pattern`` must match up to the very end.

    In JSON Schema (ECMA-262) ``$`` matches only at the end of the string; in
    Python it also matches before a final newline, so ``^[A-Z]+-[0-9]+$`` would
    accept ``"ID-1\\n"``: an id, email or rule id that is not the one it looks
    like. A ``$`` escaped, or inside a character class, is a dollar sign and
    stays as it is.
    """
    if "$" not in source:
        return source
    out = []
    i, n, in_class = 0, len(source), False
    while i < n:
        char = source[i]
        if char == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            out.append(char)
            i += 1
            if source.startswith("^", i):  # a negated class
                out.append("^")
                i += 1
            if source.startswith("]", i):  # a ] first in a class is a literal
                out.append("]")
                i += 1
            continue
        elif char == "$":
            out.append(r"\Z")
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


def compile_pattern(source: str) -> Pattern:
    """A ``Pattern`` for a JSON Schema ``pattern``; raises ``InvalidSchema`` (``UnsafePattern``)."""
    found = _PATTERNS.get(source)
    if found is not None:
        return found
    if type(source) is not str:
        raise InvalidSchema("a pattern must be a string")
    if len(source) > PATTERN_MAX_LENGTH:
        raise InvalidSchema(f"pattern is {len(source)} characters long, over the {PATTERN_MAX_LENGTH}-character limit")
    from govern.core.verdicts import (
        store,  # an earlier run's verdict on this pattern (the analysis is a cold-start cost)
    )

    try:
        compiled = re.compile(source)
        if not compiled.flags & re.MULTILINE:
            compiled = re.compile(ecma_dollar(source))
        degree = store.pattern_degree(source)
        if degree is None:
            degree = _Analysis(source).degree()
            store.note_pattern_degree(source, degree)
    except UnsafePattern as exc:
        raise UnsafePattern(f"pattern {source!r} {exc}") from None
    except (re.error, RecursionError, OverflowError, ValueError) as exc:
        raise InvalidSchema(f"pattern {source!r} is not a regular expression: {exc}") from None
    if degree >= 3:
        raise UnsafePattern(
            f"pattern {source!r} could take too long to match: it repeats quantifiers over the same characters "
            "(matching time grows with the cube of the length or worse); anchor it with ^, or separate the "
            "repeated parts with a character they cannot match, e.g. ^[a-z]+-[a-z]+$"
        )
    pattern = Pattern(source, PATTERN_MAX_INPUT if degree == 2 else None, compiled.search)
    if len(_PATTERNS) < 4096:
        _PATTERNS[source] = pattern
    return pattern


def unsafe_patterns(schema: Any) -> str | None:
    """The first problem with any ``pattern``/``patternProperties`` anywhere in ``schema``, or None.

    Used for schemas the fast compiler leaves to jsonschema, so that path
    never meets an unsafe pattern either.
    """
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            sources = []
            if type(node.get("pattern")) is str:
                sources.append(node["pattern"])
            if isinstance(node.get("patternProperties"), dict):
                sources.extend(node["patternProperties"])
            for source in sources:
                try:
                    compile_pattern(source)
                except InvalidSchema as exc:
                    return str(exc)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


class _Summary:
    """What a piece of a pattern can match: its characters, widths and backtracking degree."""

    __slots__ = ("alpha", "first", "minw", "maxw", "degree", "single", "separators", "variable", "ambiguous", "prefix_free")

    def __init__(self, alpha, first, minw, maxw, degree=0, single=False, separators=(), variable=(), ambiguous=False,
                 prefix_free=False):
        self.alpha = alpha  # character items (sre form), any of which the piece may consume
        self.first = first  # character items the piece may start with
        self.minw = minw
        self.maxw = maxw
        self.degree = degree  # polynomial degree of backtracking inside the piece
        self.single = single  # exactly one character from alpha
        self.separators = separators  # alphas of its mandatory one-character parts
        self.variable = variable  # alphas of its variable-width parts
        self.ambiguous = ambiguous  # it can match some string in more than one way (overlapping branches)
        self.prefix_free = prefix_free  # no string it matches is a proper prefix of another it matches


class _Analysis:
    def __init__(self, source: str) -> None:
        from re import _parser as sre_parse  # the parser behind re.compile

        self.tree = sre_parse.parse(source)
        self.c = sre_parse  # the opcode constants live here too
        flags = self.tree.state.flags
        self.ignorecase = bool(flags & re.IGNORECASE)  # or set by a group's (?i:...), found by _collect
        self.multiline = bool(flags & re.MULTILINE)
        probes = set(map(chr, range(128))) | set("\x85\xa0\xe9\xdf\u0130\u0131\u017f\u212a\u2028\u3000\u0663\u4e2d\U0001f600")
        self.probes = probes
        self._collect(self.tree)
        self._cats = {
            self.c.CATEGORY_DIGIT: re.compile(r"\d"), self.c.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
            self.c.CATEGORY_SPACE: re.compile(r"\s"), self.c.CATEGORY_NOT_SPACE: re.compile(r"\S"),
            self.c.CATEGORY_WORD: re.compile(r"\w"), self.c.CATEGORY_NOT_WORD: re.compile(r"\W"),
            self.c.CATEGORY_LINEBREAK: re.compile(r"\n"), self.c.CATEGORY_NOT_LINEBREAK: re.compile(r"[^\n]"),
        }

    def _collect(self, items: Any) -> None:
        """Every literal and range end of the pattern is a probe too, so overlaps are found exactly."""
        c = self.c
        for op, av in items:
            if op in (c.LITERAL, c.NOT_LITERAL):
                self.probes.add(chr(av))
            elif op is c.IN:
                for sub_op, sub_av in av:
                    if sub_op is c.LITERAL:
                        self.probes.add(chr(sub_av))
                    elif sub_op is c.RANGE:
                        self.probes.update((chr(sub_av[0]), chr(sub_av[1])))
            elif op is c.BRANCH:
                for alternative in av[1]:
                    self._collect(alternative)
            elif op is c.SUBPATTERN:
                self.ignorecase = self.ignorecase or bool(av[1] & re.IGNORECASE)
                self._collect(av[3])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                self._collect(av[2])
            elif op in (c.ASSERT, c.ASSERT_NOT):
                self._collect(av[1])
            elif op is c.ATOMIC_GROUP:
                self._collect(av)
            elif op is c.GROUPREF_EXISTS:
                self._collect(av[1])
                if av[2] is not None:
                    self._collect(av[2])

    # -- characters
    def _member(self, item: Any, ch: str) -> bool:
        c = self.c
        op, av = item
        if op is c.LITERAL:
            return ord(ch) == av
        if op is c.NOT_LITERAL:
            return ord(ch) != av
        if op is c.ANY:
            return True
        if op is c.CATEGORY:
            test = self._cats.get(av)
            return True if test is None else test.match(ch) is not None
        if op is c.RANGE:
            return av[0] <= ord(ch) <= av[1]
        if op is c.IN:
            negate = bool(av) and av[0][0] is c.NEGATE
            inside = any(self._member(sub, ch) for sub in (av[1:] if negate else av))
            return inside != negate
        return True  # anything else: assume it may match

    def _in(self, alpha: list, ch: str) -> bool:
        if any(self._member(item, ch) for item in alpha):
            return True
        if self.ignorecase:
            for other in {ch.lower(), ch.upper(), ch.swapcase()} - {ch}:
                if len(other) == 1 and any(self._member(item, other) for item in alpha):
                    return True
        return False

    def overlap(self, a: list, b: list) -> bool:
        return bool(a) and bool(b) and any(self._in(a, ch) and self._in(b, ch) for ch in self.probes)

    # -- structure
    def degree(self) -> int:
        top = self.sequence(self.tree)
        if top.degree == 0:
            return 0
        return top.degree if self._anchored(self.tree) else top.degree + 1

    def _anchored(self, items: Any) -> bool:
        c = self.c
        if self.multiline:
            return False
        for op, av in items:
            if op is c.AT:
                return av in (c.AT_BEGINNING, c.AT_BEGINNING_STRING)
            if op is c.SUBPATTERN:
                return self._anchored(av[3])
            if op is c.BRANCH:
                return all(self._anchored(alternative) for alternative in av[1])
            return False
        return False

    def sequence(self, items: Any) -> _Summary:
        alpha: list = []
        first: list = []
        opening = True  # still inside the nullable start of the sequence
        minw = maxw = 0
        degree = 0
        run: list[tuple[list, int]] = []  # unbounded parts that later parts could compete with
        separators: list = []
        variable: list = []
        ambiguous = False
        parts = [self.element(op, av) for op, av in items]
        for part in parts:
            alpha += part.alpha
            if opening:
                first += part.first
                opening = part.minw == 0
            minw += part.minw
            maxw += part.maxw
            ambiguous = ambiguous or part.ambiguous
            separators += [part.alpha] if part.single else list(part.separators)
            variable += part.variable  # repeats and branches name their own variable characters
            degree = max(degree, part.degree)
            if part.maxw > _BIG:
                chain = max(1, part.degree) + max((d for a, d in run if self.overlap(a, part.first)), default=0)
            if part.minw >= 1:  # a part that must consume a character ends every run that cannot start it
                run = [(a, d) for a, d in run if self.overlap(a, part.first)]
            if part.maxw > _BIG:
                run.append((part.alpha, chain))
                degree = max(degree, chain)
        single = len(parts) == 1 and parts[0].single
        prefix_free = all(part.prefix_free for part in parts)  # a concatenation of prefix codes is one
        return _Summary(alpha, first, minw, maxw, degree, single, tuple(separators), variable, ambiguous, prefix_free)

    def element(self, op: Any, av: Any) -> _Summary:
        c = self.c
        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN, c.CATEGORY):
            return _Summary([(op, av)], [(op, av)], 1, 1, single=True, prefix_free=True)
        if op is c.AT:
            return _Summary([], [], 0, 0, prefix_free=True)
        if op is c.SUBPATTERN:
            return self.sequence(av[3])
        if op is c.ATOMIC_GROUP:
            return self.sequence(av)
        if op in (c.ASSERT, c.ASSERT_NOT):
            inner = self.sequence(av[1])
            return _Summary([], [], 0, 0, inner.degree)
        if op is c.BRANCH:
            return self.branch(av[1])
        if op is c.GROUPREF_EXISTS:
            return self.branch([av[1]] + ([av[2]] if av[2] is not None else [[]]))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            return self.repeat(*av)
        anything = [(c.ANY, None)]  # a backreference (or an opcode unknown here) can match anything
        return _Summary(anything, anything, 0, _INF, 1 if op is not c.GROUPREF else 0, variable=anything)

    def branch(self, alternatives: list) -> _Summary:
        parts = [self.sequence(alternative) for alternative in alternatives]
        alpha = [item for part in parts for item in part.alpha]
        first = [item for part in parts for item in part.first]
        ambiguous = any(part.ambiguous for part in parts) or any(
            self.overlap(a.first, b.first) or (a.minw == 0 and b.minw == 0)
            for i, a in enumerate(parts) for b in parts[i + 1 :]
        )
        variable = [item for part in parts for item in part.variable]
        minw, maxw = min(p.minw for p in parts), max(p.maxw for p in parts)
        if minw != maxw:
            variable += alpha
        single = all(p.single for p in parts)
        disjoint = not any(self.overlap(a.first, b.first) or not a.first or not b.first
                           for i, a in enumerate(parts) for b in parts[i + 1 :])
        prefix_free = disjoint and all(p.prefix_free for p in parts)
        return _Summary(alpha, first, minw, maxw, max(p.degree for p in parts), single,
                        (alpha,) if single else (), variable, ambiguous, prefix_free)

    def repeat(self, low: int, high: Any, items: Any) -> _Summary:
        body = self.sequence(items)
        unbounded = high is self.c.MAXREPEAT or high > _BIG
        maxw = _INF if unbounded and body.maxw > 0 else body.maxw * (high if not unbounded else 1)
        if (unbounded or high > 1) and (body.maxw != body.minw or body.ambiguous or body.minw == 0 or body.variable):
            # the repetitions could divide a string among themselves in many ways, unless a
            # character every repetition must match cannot be matched by its variable parts
            variable = body.variable or body.alpha
            if not body.prefix_free and not any(not self.overlap(sep, variable) for sep in body.separators):
                raise UnsafePattern(
                    "has a nested quantifier whose repetitions can match the same characters "
                    "(like (a+)+ or (a|aa)*), which can take exponential time to fail; rewrite it so that "
                    "each repetition starts or ends with a character the rest of it cannot match, e.g. "
                    "[a-z]+(-[a-z]+)*"
                )
        variable = body.variable + (body.alpha if low != high else [])
        prefix_free = low == high and body.prefix_free
        return _Summary(body.alpha, body.first, low * body.minw, maxw, body.degree, False, (), variable, body.ambiguous,
                        prefix_free)


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.parts: dict[int, Check] = {}  # id(subschema) -> its check (``compile_parts``)
        self.pending: set[str] = set()  # $refs being compiled
        self.recursive: set[str] = set()  # $refs met again while being compiled

    def ref(self, pointer: str) -> Check:
        if not pointer.startswith("#"):
            raise Unsupported(f"remote $ref {pointer}")
        if pointer != "#" and not pointer.startswith("#/"):  # "#name" names an $anchor, it is no JSON Pointer
            raise Unsupported(f"$ref to an anchor {pointer}")
        if "%" in pointer:  # a URI fragment: "%25" stands for "%", and decoding it is left to jsonschema
            raise Unsupported(f"percent-encoded $ref {pointer}")
        if pointer in self.refs:
            if pointer in self.pending:
                self.recursive.add(pointer)
            return self.refs[pointer]
        box: list[Check] = []
        self.refs[pointer] = lambda x: box[0](x)  # allows recursive schemas
        self.pending.add(pointer)
        node = self.root
        for token in pointer[1:].lstrip("/").split("/") if pointer != "#" else []:
            token = token.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (KeyError, IndexError, ValueError):
                raise Unsupported(f"unresolvable $ref {pointer}") from None
        box.append(self.compile(node))
        self.pending.discard(pointer)
        if pointer not in self.recursive:  # no indirection when the target never refers to itself
            self.refs[pointer] = box[0]
        return self.refs[pointer]

    def compile(self, schema: Any) -> Check:
        check = self._compile(schema)
        if type(schema) is dict:
            self.parts[id(schema)] = check
        return check

    def _compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return _always
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise InvalidSchema("a schema must be an object or a boolean")
        _check_values(schema)
        if "$id" in schema and schema is not self.root:  # a new base URI: its "#/..." refs are not the root's
            raise Unsupported("$id in a subschema")
        checks: list[Check] = []
        keys = set(schema) - _ANNOTATIONS
        handled = set()

        def take(*names: str) -> bool:
            found = False
            for name in names:
                if name in schema:
                    handled.add(name)
                    found = True
            return found

        if take("$ref"):
            checks.append(self.ref(schema["$ref"]))
        if take("type"):
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            try:
                tests = tuple(_TYPES[n] for n in names)
            except (KeyError, TypeError):
                raise Unsupported(f"type {schema['type']!r}") from None
            checks.append(tests[0] if len(tests) == 1 else (lambda x, t=tests: any(f(x) for f in t)))
        if take("const"):
            value = schema["const"]
            checks.append(lambda x, v=value: json_equal(x, v))
        if take("enum"):
            values = schema["enum"]
            if not isinstance(values, list):
                raise Unsupported("enum must be a list")
            if all(type(v) is str for v in values):
                allowed = frozenset(values)
                checks.append(lambda x, a=allowed: type(x) is str and x in a)
            else:
                checks.append(lambda x, vs=tuple(values): any(json_equal(x, v) for v in vs))
        for group, method in _GROUPS:  # only the groups of keywords present (compiling is a cold-start cost)
            if not keys.isdisjoint(group):
                method(self, schema, take, checks)
        unknown = keys - handled
        if unknown:
            raise Unsupported(f"keywords {sorted(unknown)}")
        return _every(checks)

    def _numbers(self, schema, take, checks) -> None:
        num = _TYPES["number"]
        for key, test in (
            ("minimum", lambda x, v: x >= v),
            ("maximum", lambda x, v: x <= v),
            ("exclusiveMinimum", lambda x, v: x > v),
            ("exclusiveMaximum", lambda x, v: x < v),
        ):
            if take(key):
                bound = schema[key]
                if type(bound) not in (int, float):
                    raise Unsupported(f"{key} must be a number")
                checks.append(lambda x, v=bound, t=test: not num(x) or t(x, v))
        if take("multipleOf"):
            raise Unsupported("multipleOf")

    def _strings(self, schema, take, checks) -> None:
        if take("minLength"):
            n = schema["minLength"]
            checks.append(lambda x, n=n: type(x) is not str or len(x) >= n)
        if take("maxLength"):
            n = schema["maxLength"]
            checks.append(lambda x, n=n: type(x) is not str or len(x) <= n)
        if take("pattern"):
            matches = compile_pattern(schema["pattern"]).matches
            checks.append(lambda x, m=matches: type(x) is not str or m(x))
        if take("format"):
            test = _FORMATS.get(schema["format"])
            if test is not None:
                checks.append(lambda x, t=test: type(x) is not str or t(x))

    def _objects(self, schema, take, checks) -> None:
        required: tuple[str, ...] = tuple(schema["required"]) if take("required") else ()
        props: dict[str, Check] = {}
        if take("properties"):
            props = {k: self.compile(v) for k, v in schema["properties"].items()}
        closed = None
        if required or props or (schema.get("additionalProperties") is False and "patternProperties" not in schema):
            # required, properties and additionalProperties: false in one closure (the hot path of every rule's
            # `when` and of the document schemas); "type": "object" too when it was the check just before
            strict = bool(checks) and checks[-1] is _TYPES["object"]
            if strict:
                checks.pop()
            at = len(checks)
            checks.append(_always)  # replaced below, once additionalProperties is known
        patterns = []
        if take("patternProperties"):
            for pattern, sub in schema["patternProperties"].items():
                try:
                    patterns.append((compile_pattern(pattern).matches, self.compile(sub)))
                except UnsafePattern:
                    raise
                except InvalidSchema as exc:
                    raise InvalidSchema(f"patternProperties: {exc}") from None
            pats = tuple(patterns)
            checks.append(
                lambda x, p=pats: type(x) is not dict
                or all(f(v) for k, v in x.items() for s, f in p if s(k))
            )
        if take("additionalProperties"):
            extra = self.compile(schema["additionalProperties"])
            known = frozenset(props)
            searches = tuple(s for s, _ in patterns)
            if schema["additionalProperties"] is False and not searches:
                closed = known
            else:
                checks.append(
                    lambda x, k=known, ss=searches, e=extra: type(x) is not dict
                    or all(e(v) for key, v in x.items() if key not in k and not any(s(key) for s in ss))
                )
        if required or props or closed is not None:
            checks[at] = _object_check(required, props, closed, strict)
        if take("propertyNames"):
            names = self.compile(schema["propertyNames"])
            checks.append(lambda x, f=names: type(x) is not dict or all(f(k) for k in x))
        if take("minProperties"):
            n = schema["minProperties"]
            checks.append(lambda x, n=n: type(x) is not dict or len(x) >= n)
        if take("maxProperties"):
            n = schema["maxProperties"]
            checks.append(lambda x, n=n: type(x) is not dict or len(x) <= n)
        if take("dependentRequired"):
            deps = tuple((k, tuple(v)) for k, v in schema["dependentRequired"].items())
            checks.append(
                lambda x, d=deps: type(x) is not dict or all(k not in x or all(r in x for r in rs) for k, rs in d)
            )

    def _arrays(self, schema, take, checks) -> None:
        prefix: tuple[Check, ...] = ()
        if take("prefixItems"):
            prefix = tuple(self.compile(s) for s in schema["prefixItems"])
            checks.append(lambda x, p=prefix: type(x) is not list or all(f(v) for f, v in zip(p, x)))
        if take("items"):
            if isinstance(schema["items"], list):
                raise Unsupported("items as a list (use prefixItems)")
            each = self.compile(schema["items"])
            start = len(prefix)
            if each is not _always:
                checks.append(_each_item(each, start))
        if take("minItems"):
            n = schema["minItems"]
            checks.append(lambda x, n=n: type(x) is not list or len(x) >= n)
        if take("maxItems"):
            n = schema["maxItems"]
            checks.append(lambda x, n=n: type(x) is not list or len(x) <= n)
        if take("uniqueItems") and schema["uniqueItems"] is True:
            checks.append(lambda x: type(x) is not list or all_unique(x))
        if take("contains"):
            inner = self.compile(schema["contains"])
            low = schema.get("minContains", 1)
            high = schema.get("maxContains")
            take("minContains", "maxContains")

            def contains(x: Any, f=inner, lo=low, hi=high) -> bool:
                if type(x) is not list:
                    return True
                n = sum(1 for v in x if f(v))
                return n >= lo and (hi is None or n <= hi)

            checks.append(contains)
        elif take("minContains", "maxContains"):
            pass  # without contains they do nothing

    def _logic(self, schema, take, checks) -> None:
        if take("allOf"):
            checks.append(_every([self.compile(s) for s in schema["allOf"]]))
        if take("anyOf"):
            checks.append(_some(tuple(self.compile(s) for s in schema["anyOf"])))
        if take("oneOf"):
            subs = tuple(self.compile(s) for s in schema["oneOf"])
            checks.append(lambda x, s=subs: sum(1 for f in s if f(x)) == 1)
        if take("not"):
            sub = self.compile(schema["not"])
            checks.append(lambda x, f=sub: not f(x))
        if take("if"):
            cond = self.compile(schema["if"])
            then = self.compile(schema["then"]) if take("then") else _always
            other = self.compile(schema["else"]) if take("else") else _always
            checks.append(lambda x, c=cond, t=then, e=other: t(x) if c(x) else e(x))
        else:
            take("then", "else")  # ignored without "if", as the spec says


def _always(x: Any) -> bool:  # noqa: ARG001
    return True


def _every(checks: list[Check]) -> Check:
    """All of ``checks`` (a plain loop: no generator per call)."""
    checks = [f for f in checks if f is not _always]
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda x: a(x) and b(x)
    if len(checks) == 3:
        a, b, c = checks
        return lambda x: a(x) and b(x) and c(x)
    bundle = tuple(checks)

    def every(x: Any) -> bool:
        for f in bundle:
            if not f(x):
                return False
        return True

    return every


def _some(checks: tuple[Check, ...]) -> Check:
    def some(x: Any) -> bool:
        for f in checks:
            if f(x):
                return True
        return False

    return some


def _each_item(each: Check, start: int) -> Check:
    def items(x: Any) -> bool:
        if type(x) is not list:
            return True
        for v in (x[start:] if start else x):
            if not each(v):
                return False
        return True

    return items


def _object_check(required: tuple[str, ...], props: dict[str, Check], closed: frozenset | None, strict: bool) -> Check:
    """``required``, ``properties`` and ``additionalProperties: false`` (keys outside ``closed``) at once;
    ``strict``: the instance must be an object ("type": "object")."""
    items = tuple((k, f) for k, f in props.items() if f is not _always)
    lookup = dict(items)
    by_instance = len(items) > 4  # many properties, few of them present: walk the instance's keys

    if not required and closed is None and len(items) == 1:
        ((key, sub),) = items
        if strict:
            return lambda x: type(x) is dict and (key not in x or sub(x[key]))
        return lambda x: type(x) is not dict or key not in x or sub(x[key])

    def check(x: Any) -> bool:
        if type(x) is not dict:
            return not strict
        for k in required:
            if k not in x:
                return False
        if closed is not None and not closed.issuperset(x):
            return False
        if by_instance:
            for k, v in x.items():
                f = lookup.get(k)
                if f is not None and not f(v):
                    return False
        else:
            for k, f in items:
                if k in x and not f(x[k]):
                    return False
        return True

    return check


_GROUPS = (
    (frozenset(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")), _Compiler._numbers),
    (frozenset(("minLength", "maxLength", "pattern", "format")), _Compiler._strings),
    (frozenset(("required", "properties", "patternProperties", "additionalProperties", "propertyNames", "minProperties",
                "maxProperties", "dependentRequired")), _Compiler._objects),
    (frozenset(("prefixItems", "items", "minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains")),
     _Compiler._arrays),
    (frozenset(("allOf", "anyOf", "oneOf", "not", "if", "then", "else")), _Compiler._logic),
)


def compile_validity(schema: Any) -> Check:
    """A function answering "is this instance valid against ``schema``?".

    Raises ``InvalidSchema`` for a wrong schema and ``Unsupported`` for a valid
    one that uses keywords this compiler leaves to jsonschema.
    """
    compiler = _Compiler(schema)
    return compiler.compile(schema)


def compile_parts(schema: Any) -> tuple[Check, dict[int, Check]]:
    """``compile_validity``, with the check of every subschema, by ``id(subschema)``.

    ``govern.core.schemas.explain`` words the errors of an invalid instance; it asks these checks
    which parts of the instance are valid and never walks them. The subschemas must stay alive
    (the caller keeps ``schema``), or an ``id`` could name another object.
    """
    compiler = _Compiler(schema)
    return compiler.compile(schema), compiler.parts
