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

from govern.fastschema import CHECKED_FORMATS, Unsupported, compile_validity
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

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._slow = None
        try:
            self._fast = compile_validity(schema)
        except Unsupported:
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


def compile_schema(schema: Any) -> Validator:
    """A validator for an inline schema (a rule's ``when``/``require``), cached by content."""
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _COMPILED.get(key)
    if validator is None:
        validator = _COMPILED[key] = Validator(schema)
    return validator


def schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a valid Draft 2020-12 schema, or None."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return exc.message
    return None
