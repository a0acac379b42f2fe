"""Check functions of the accessibility pack (ACC rules).

Two checks need more than a JSON Schema: comparing WCAG targets as
version and level (with a softer severity one version behind), and an
audit rule whose staleness is a warning while a non-compliant outcome in
live is an error in the same run.
"""

from __future__ import annotations

import re
from typing import Any

from govern.core.checks import CheckFunction, check_function, dotted, get, phase
from govern.policy.functions.general import date_recent
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_SEVERITY = {"enum": ["error", "warning", "info"]}
_TARGET = {"type": "string", "pattern": r"^[0-9]+\.[0-9]+-(A|AA|AAA)$"}
_LEVELS = {"A": 1, "AA": 2, "AAA": 3}
_TARGET_RE = re.compile(r"^([0-9]+)\.([0-9]+)-(A|AA|AAA)$")


def parse_target(value: Any) -> tuple[int, int, int] | None:
    """``"2.2-AA"`` -> ``(2, 2, 2)``: major, minor, level rank; None if not a WCAG target."""
    match = _TARGET_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), _LEVELS[match.group(3)]


def meets(target: tuple[int, int, int], minimum: tuple[int, int, int]) -> bool:
    """A target meets a minimum when both its version and its level are at least the minimum's."""
    return target[:2] >= minimum[:2] and target[2] >= minimum[2]


@check_function(
    FUNCTIONS,
    "wcag_target_at_least",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["minimum"],
        "properties": {
            "path": {"type": "string", "pattern": "^(/[^/]*)*$"},
            "minimum": _TARGET,
            "tolerated": _TARGET,
            "tolerated_severity": _SEVERITY,
        },
    },
)
def wcag_target_at_least(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """The WCAG target meets ``minimum``; one that meets only ``tolerated`` fires with ``tolerated_severity``."""
    path = options.get("path", "/accessibility/wcag_target")
    minimum = options["minimum"]
    required = "WCAG " + minimum.replace("-", " ")
    value = get(data, path)
    target = parse_target(value)
    if value is None:
        yield Violation(path, f"{dotted(path)} is not recorded ({required} is required)")
        return
    if target is None:
        yield Violation(path, f"{dotted(path)} {value!r} is not a WCAG target such as {minimum!r}")
        return
    if meets(target, parse_target(minimum)):
        return
    tolerated = options.get("tolerated")
    if tolerated and meets(target, parse_target(tolerated)):
        yield Violation(
            path,
            f"{dotted(path)} is {value}: {required} is now the standard, so plan the move from {value}",
            options.get("tolerated_severity", "warning"),
        )
        return
    yield Violation(path, f"{dotted(path)} is {value}, below the required {required}")


@check_function(
    FUNCTIONS,
    "accessibility_audit",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["months"],
        "properties": {
            "months": {"type": "integer", "minimum": 1},
            "failing_outcome": {"type": "string"},
            "failing_phases": {"type": "array", "items": {"type": "string"}},
            "failing_severity": _SEVERITY,
        },
    },
)
def accessibility_audit(data: Any, options: dict[str, Any], ctx: Any):
    """The audit is within ``months`` of as_of; a ``failing_outcome`` in a ``failing_phases`` phase fires too.

    Staleness takes the rule's severity; the outcome finding carries ``failing_severity``.
    """
    path = "/accessibility/audit/completed_on"
    yield from date_recent(data, {"path": path, "months": options["months"], "what": "the accessibility audit"}, ctx)
    outcome_path = "/accessibility/audit/outcome"
    outcome = get(data, outcome_path)
    failing = options.get("failing_outcome", "not-compliant")
    current = phase(data)
    if outcome == failing and current in options.get("failing_phases", ["live"]):
        yield Violation(
            outcome_path,
            f"the latest audit found the service {outcome} while it is {current}",
            options.get("failing_severity", "error"),
        )
