"""JSON Schema validators, built once per process and reused.

Every schema a run needs (the document schemas, and each rule's ``when`` and
``require``) is compiled here exactly once.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from govern.resources import schemas_dir


@cache
def load_schema(name: str) -> dict[str, Any]:
    with open(schemas_dir() / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def _validator_class():
    from jsonschema import Draft202012Validator

    return Draft202012Validator


@cache
def _format_checker():
    return _validator_class().FORMAT_CHECKER


@cache
def document_validator(name: str):
    cls = _validator_class()
    return cls(load_schema(name), format_checker=_format_checker())


_COMPILED: dict[str, Any] = {}


def compile_schema(schema: Any):
    """A validator for an inline schema (a rule's ``when``/``require``), cached by content."""
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _COMPILED.get(key)
    if validator is None:
        cls = _validator_class()
        validator = _COMPILED[key] = cls(schema, format_checker=_format_checker())
    return validator


def schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a valid Draft 2020-12 schema, or None."""
    from jsonschema.exceptions import SchemaError

    try:
        _validator_class().check_schema(schema)
    except SchemaError as exc:
        return exc.message
    return None
