"""General-purpose check functions: dates, people, lists.

Domain packs use these for most of their period checks; rules too specific
for a general function live in the module named after their domain.
"""

from __future__ import annotations

from typing import Any

from govern.core.checks import (
    CheckFunction,
    add_months,
    as_date,
    check_function,
    dotted,
    get,
    get_list,
    named,
)
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_POINTER = {"type": "string", "pattern": "^(/[^/]*)*$"}


def organisation_type(data: Any) -> str:
    """The body's type; none recorded is read as central government (docs/design/semantics.md 8.1, GOV-013)."""
    value = get(data, "/metadata/organisation/type")
    return value if isinstance(value, str) else "central-government"


def in_ukg(data: Any) -> bool:
    """Scope UKG (govern/core/scope.py SCOPES): central government, or an arm's-length body answering to the
    UK Government; no type recorded reads as central government, no nation as uk."""
    from govern.core.scope import in_scope

    return in_scope(("UKG",), data)


_SEVERITY = {"enum": ["error", "warning", "info"]}


@check_function(
    FUNCTIONS,
    "date_recent",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {
            "path": _POINTER,
            "months": {"type": "integer", "minimum": 1},
            "days": {"type": "integer", "minimum": 1},
            "not_before": {"type": "array", "items": _POINTER},
            "missing": {"enum": ["fire", "ignore"]},
            "missing_severity": _SEVERITY,
            "what": {"type": "string"},
        },
    },
)
def date_recent(data: Any, options: dict[str, Any], ctx: Any):
    """The date at ``path`` is within ``months`` (or ``days``) of as_of and after every ``not_before`` date."""
    path = options["path"]
    what = options.get("what") or dotted(path)
    value = get(data, path)
    day = as_date(value)
    if day is None:
        if options.get("missing", "fire") == "fire":
            yield Violation(path, f"{what} is not recorded", options.get("missing_severity"))
        return
    if "months" in options:
        limit = add_months(day, options["months"])
        period = f"{options['months']} months"
    elif "days" in options:
        import datetime as dt

        limit = day + dt.timedelta(days=options["days"])
        period = f"{options['days']} days"
    else:
        limit = None
        period = ""
    if limit is not None and limit < ctx.as_of:
        yield Violation(path, f"{what} was {day.isoformat()}, more than {period} before {ctx.as_of.isoformat()}")
        return
    for other in options.get("not_before", ()):
        before = as_date(get(data, other))
        if before is not None and day < before:
            yield Violation(path, f"{what} ({day.isoformat()}) is before {dotted(other)} ({before.isoformat()})")
            return


@check_function(
    FUNCTIONS,
    "date_not_passed",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {"path": _POINTER, "missing": {"enum": ["fire", "ignore"]}, "what": {"type": "string"}},
    },
)
def date_not_passed(data: Any, options: dict[str, Any], ctx: Any):
    """The date at ``path`` is on or after as_of (a review or expiry date)."""
    path = options["path"]
    what = options.get("what") or dotted(path)
    day = as_date(get(data, path))
    if day is None:
        if options.get("missing", "fire") == "fire":
            yield Violation(path, f"{what} is not recorded")
        return
    if day < ctx.as_of:
        yield Violation(path, f"{what} was {day.isoformat()}, before {ctx.as_of.isoformat()}")


@check_function(
    FUNCTIONS,
    "people_named",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["roles"],
        "properties": {
            "roles": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "email": {"type": "boolean"},
        },
    },
)
def people_named(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Each role in ``roles`` is held by a named person (and has an email when ``email``)."""
    for role in options["roles"]:
        path = f"/accountability/{role}"
        holder = get(data, path)
        label = role.replace("_", " ")
        if not named(holder):
            yield Violation(path, f"no {label} is named")
        elif options.get("email") and not (isinstance(holder.get("email"), str) and holder["email"].strip()):
            yield Violation(f"{path}/email", f"the {label} ({holder['name']}) has no email")


@check_function(
    FUNCTIONS,
    "each_item",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["list", "require"],
        "properties": {
            "list": _POINTER,
            "require": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "what": {"type": "string"},
        },
    },
)
def each_item(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Every item of the list at ``list`` has a non-empty value for each key in ``require``."""
    for i, item in enumerate(get_list(data, options["list"])):
        base = f"{options['list']}/{i}"
        if not isinstance(item, dict):
            continue
        for key in options["require"]:
            value = item.get(key)
            if value is None or value == "" or value == [] or value == {}:
                label = options.get("what") or dotted(base)
                yield Violation(f"{base}/{key}", f"{label} has no {key.replace('_', ' ')}")


@check_function(
    FUNCTIONS,
    "notice",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["path", "message"],
        "properties": {"path": {"type": "string", "pattern": "^(/.*)?$"}, "message": {"type": "string", "minLength": 1}},
    },
)
def notice(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Always one finding at ``path``: a rule whose precondition and scope are the whole test (e.g. PRIV-014)."""
    yield Violation(options["path"], options["message"])
