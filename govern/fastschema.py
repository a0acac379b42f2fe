"""A small JSON Schema (Draft 2020-12) compiler for the yes/no question.

Most manifests pass most rules, so the hot path only needs "is this valid?".
This module compiles a schema into nested Python closures that answer it
several times faster than a general validator. Only when the answer is "no"
does govern ask jsonschema for the errors, so messages keep jsonschema's
quality. A differential property test keeps both in agreement.

Any keyword this compiler does not know makes ``compile_validity`` raise
``Unsupported``; callers then use jsonschema for that schema.
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


def _check_values(schema: dict) -> None:
    """Reject keyword values no draft allows, and keywords that are surely typos."""
    for key, value in schema.items():
        if key not in KNOWN_KEYWORDS and not key.startswith("x-"):
            raise InvalidSchema(f"unknown keyword {key!r}")
        if key in _COUNTS and (type(value) is not int or value < 0):
            raise InvalidSchema(f"{key} must be a non-negative integer")
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


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if not pointer.startswith("#"):
            raise Unsupported(f"remote $ref {pointer}")
        if pointer in self.refs:
            return self.refs[pointer]
        box: list[Check] = []
        self.refs[pointer] = lambda x: box[0](x)  # allows recursive schemas
        node = self.root
        for token in pointer[1:].lstrip("/").split("/") if pointer != "#" else []:
            token = token.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (KeyError, IndexError, ValueError):
                raise Unsupported(f"unresolvable $ref {pointer}") from None
        box.append(self.compile(node))
        return self.refs[pointer]

    def compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise InvalidSchema("a schema must be an object or a boolean")
        _check_values(schema)
        checks: list[Check] = []
        keys = set(schema) - _ANNOTATIONS
        handled = set()

        def take(*names: str) -> bool:
            present = [n for n in names if n in schema]
            handled.update(present)
            return bool(present)

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
        self._numbers(schema, take, checks)
        self._strings(schema, take, checks)
        self._objects(schema, take, checks)
        self._arrays(schema, take, checks)
        self._logic(schema, take, checks)
        unknown = keys - handled
        if unknown:
            raise Unsupported(f"keywords {sorted(unknown)}")
        if not checks:
            return lambda x: True
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            a, b = checks
            return lambda x: a(x) and b(x)
        bundle = tuple(checks)
        return lambda x: all(f(x) for f in bundle)

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
            try:
                search = re.compile(schema["pattern"]).search
            except re.error as exc:
                raise InvalidSchema(f"pattern {schema['pattern']!r} is not a regular expression: {exc}") from None
            checks.append(lambda x, s=search: type(x) is not str or s(x) is not None)
        if take("format"):
            test = _FORMATS.get(schema["format"])
            if test is not None:
                checks.append(lambda x, t=test: type(x) is not str or t(x))

    def _objects(self, schema, take, checks) -> None:
        if take("required"):
            names = tuple(schema["required"])
            checks.append(lambda x, r=names: type(x) is not dict or all(k in x for k in r))
        props: dict[str, Check] = {}
        if take("properties"):
            props = {k: self.compile(v) for k, v in schema["properties"].items()}
            items = tuple(props.items())
            checks.append(
                lambda x, p=items: type(x) is not dict or all(k not in x or f(x[k]) for k, f in p)
            )
        patterns = []
        if take("patternProperties"):
            for pattern, sub in schema["patternProperties"].items():
                try:
                    patterns.append((re.compile(pattern).search, self.compile(sub)))
                except re.error as exc:
                    raise InvalidSchema(f"patternProperties {pattern!r} is not a regular expression: {exc}") from None
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
                checks.append(lambda x, k=known: type(x) is not dict or k.issuperset(x))
            else:
                checks.append(
                    lambda x, k=known, ss=searches, e=extra: type(x) is not dict
                    or all(e(v) for key, v in x.items() if key not in k and not any(s(key) for s in ss))
                )
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
            checks.append(lambda x, f=each, s=start: type(x) is not list or all(f(v) for v in x[s:]))
        if take("minItems"):
            n = schema["minItems"]
            checks.append(lambda x, n=n: type(x) is not list or len(x) >= n)
        if take("maxItems"):
            n = schema["maxItems"]
            checks.append(lambda x, n=n: type(x) is not list or len(x) <= n)
        if take("uniqueItems") and schema["uniqueItems"] is True:
            def unique(x: Any) -> bool:
                if type(x) is not list:
                    return True
                return not any(json_equal(a, b) for i, a in enumerate(x) for b in x[i + 1:])

            checks.append(unique)
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
            subs = tuple(self.compile(s) for s in schema["allOf"])
            checks.append(lambda x, s=subs: all(f(x) for f in s))
        if take("anyOf"):
            subs = tuple(self.compile(s) for s in schema["anyOf"])
            checks.append(lambda x, s=subs: any(f(x) for f in s))
        if take("oneOf"):
            subs = tuple(self.compile(s) for s in schema["oneOf"])
            checks.append(lambda x, s=subs: sum(1 for f in s if f(x)) == 1)
        if take("not"):
            sub = self.compile(schema["not"])
            checks.append(lambda x, f=sub: not f(x))
        if take("if"):
            cond = self.compile(schema["if"])
            then = self.compile(schema["then"]) if take("then") else (lambda x: True)
            other = self.compile(schema["else"]) if take("else") else (lambda x: True)
            checks.append(lambda x, c=cond, t=then, e=other: t(x) if c(x) else e(x))
        else:
            take("then", "else")  # ignored without "if", as the spec says


def compile_validity(schema: Any) -> Check:
    """A function answering "is this instance valid against ``schema``?".

    Raises ``InvalidSchema`` for a wrong schema and ``Unsupported`` for a valid
    one that uses keywords this compiler leaves to jsonschema.
    """
    compiler = _Compiler(schema)
    return compiler.compile(schema)
