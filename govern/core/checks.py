"""Named check functions usable from YAML rules as ``function:`` with ``with:``.

Each function declares a JSON Schema for its options; a rule's ``with`` is
validated against it when the pack loads, so a typo in a rule is an error
with its location, not a silent pass. Functions receive the manifest data,
the validated options and the run ``Context``, and yield ``Violation``s.
They must never raise on odd data: the accessors here return ``None`` for
anything missing or of the wrong type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from govern.core.dates import add_months as add_months  # re-exported: check functions import them from here
from govern.core.dates import as_date as as_date
from govern.core import phases
from govern.core.model import Violation
from govern.core.roles import named as named
from govern.core.roles import person as person
from govern.core.roles import same_person as same_person

CheckFn = Callable[[Any, dict[str, Any], Any], Iterable[Violation]]


@dataclass(frozen=True, slots=True)
class CheckFunction:
    """A named check a rule calls with its ``with`` options, validated against ``options_schema``."""

    name: str
    fn: CheckFn
    options_schema: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    description: str = ""


def check_function(registry: dict[str, CheckFunction], name: str, options: dict[str, Any] | None = None):
    """Register ``fn`` in ``registry`` under ``name`` with an options schema."""

    def wrap(fn: CheckFn) -> CheckFn:
        schema = {"type": "object", "additionalProperties": False, "properties": {}}
        if options is not None:
            schema = options
        registry[name] = CheckFunction(name, fn, schema, (fn.__doc__ or "").strip().split("\n")[0])
        return fn

    return wrap


# -- accessors that never raise -------------------------------------------------


def get(data: Any, pointer: str, default: Any = None) -> Any:
    node = data
    if not pointer:
        return node
    for token in pointer[1:].split("/"):
        if isinstance(node, dict):
            if token not in node:
                return default
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return default
    return node


def get_dict(data: Any, pointer: str) -> dict[str, Any]:
    value = get(data, pointer)
    return value if isinstance(value, dict) else {}


def get_list(data: Any, pointer: str) -> list[Any]:
    value = get(data, pointer)
    return value if isinstance(value, list) else []


def phase(data: Any) -> str | None:
    value = get(data, "/metadata/phase")
    return value if isinstance(value, str) else None


def phase_at_least(data: Any, minimum: str) -> bool:
    """True for phases at or after ``minimum`` (govern.core.phases: ``beta`` ranks as private-beta);
    ``retired`` is outside the order."""
    return phases.at_least(phase(data), minimum)


def truthy(data: Any, pointer: str) -> bool:
    return get(data, pointer) is True


def personal_data(data: Any) -> bool:
    return truthy(data, "/data/personal_data")


def dotted(pointer: str) -> str:
    """``/risks/0/owner`` -> ``risks[0].owner`` for messages people read."""
    out = ""
    for token in pointer[1:].split("/") if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        out += f"[{token}]" if token.isdigit() else (f".{token}" if out else token)
    return out or "(document)"
