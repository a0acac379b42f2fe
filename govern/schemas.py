"""JSON Schema validators, built once per process and reused.

Every schema a run needs (the document schemas, and each rule's ``when`` and
``require``) is compiled here exactly once. ``is_valid`` runs on compiled
closures (``govern.fastschema``); jsonschema is imported and consulted only
to explain an instance that is invalid, so its messages keep their quality.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from govern.fastschema import CHECKED_FORMATS, InvalidSchema, Unsupported, compile_validity
from govern.resources import schemas_dir


@cache
def load_schema(name: str) -> dict[str, Any]:
    with open(schemas_dir() / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _format_checker():
    from jsonschema import FormatChecker

    return FormatChecker(formats=CHECKED_FORMATS)


class Validator:
    """``is_valid`` on the fast path; ``iter_errors`` from jsonschema when invalid."""

    __slots__ = ("schema", "_fast", "_slow")

    def __init__(self, schema: Any, fast: Any = None) -> None:
        self.schema = schema
        self._slow = None
        self._fast = fast
        if fast is None:
            try:
                self._fast = compile_validity(schema)
            except (Unsupported, InvalidSchema):
                self._fast = None

    @property
    def slow(self):
        if self._slow is None:
            from jsonschema import Draft202012Validator

            self._slow = Draft202012Validator(self.schema, format_checker=_format_checker())
        return self._slow

    def is_valid(self, instance: Any) -> bool:
        if self._fast is not None:
            return self._fast(instance)
        return self.slow.is_valid(instance)

    def iter_errors(self, instance: Any):
        if self._fast is not None and self._fast(instance):
            return iter(())
        return self.slow.iter_errors(instance)


@cache
def document_validator(name: str) -> Validator:
    return Validator(load_schema(name))


_COMPILED: dict[str, Validator] = {}


def _key(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, default=str)


def compile_schema(schema: Any) -> Validator:
    """A validator for an inline schema (a rule's ``when``/``require``), cached by content."""
    key = _key(schema)
    validator = _COMPILED.get(key)
    if validator is None:
        validator = _COMPILED[key] = Validator(schema)
    return validator


def schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a valid Draft 2020-12 schema, or None.

    The fast compiler checks structure (and refuses misspelt keywords, which
    the metaschema would let through as a rule that silently checks nothing);
    only schemas it does not implement go to jsonschema's metaschema check.
    """
    try:
        fast = compile_validity(schema)
        _COMPILED.setdefault(_key(schema), Validator(schema, fast))  # compiled once, reused by the rule
        return None
    except InvalidSchema as exc:
        return str(exc)
    except Unsupported:
        pass
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return exc.message
    return None
