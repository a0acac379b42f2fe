"""Hooks that return the wrong kinds of thing."""
from govern import hookimpl


@hookimpl
def govern_rules():
    return "not a list of rules"


@hookimpl
def govern_schema_extensions():
    return ["not", "a", "dict"]
