"""Check functions of the privacy pack: date comparisons between DPIA events.

JSON Schema cannot compare two dates in a manifest, so the DPIA's staleness
(PRIV-003) and the order of ICO prior consultation and processing (PRIV-011)
are functions. Everything else in the pack is declarative.
"""

from __future__ import annotations

from typing import Any

from govern.core import phases
from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_dict, phase
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_DPIA = "/privacy/dpia"


@check_function(
    FUNCTIONS,
    "dpia_current",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {"months": {"type": "integer", "minimum": 1}},
    },
)
def dpia_current(data: Any, options: dict[str, Any], ctx: Any):
    """A completed DPIA is within its review date, newer than the current phase and the latest screening.

    Each condition that holds is its own violation: a passed review date and a
    DPIA older than the phase are warnings (the rule's severity); a screening
    updated after the DPIA is an error, because a new high-risk indicator has
    appeared since the risks were assessed (UK GDPR Art. 35(11)).
    """
    months = options.get("months", 12)
    dpia = get_dict(data, _DPIA)
    completed = as_date(dpia.get("completed_on"))
    if completed is None:
        yield Violation(f"{_DPIA}/completed_on", "the DPIA is marked completed but privacy.dpia.completed_on is not recorded")
        return
    review = as_date(dpia.get("review_by"))
    if review is not None and review < ctx.as_of:
        yield Violation(f"{_DPIA}/review_by", f"review_by was {review.isoformat()}, before {ctx.as_of.isoformat()}")
    elif review is None and add_months(completed, months) < ctx.as_of:
        yield Violation(
            f"{_DPIA}/completed_on",
            f"completed on {completed.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}, "
            "and no review_by is set",
        )
    since = as_date(get(data, "/metadata/phase_since"))
    if since is not None and completed < since:
        yield Violation(
            f"{_DPIA}/completed_on",
            f"completed on {completed.isoformat()}, before the current phase ({phase(data)}) began on "
            f"{since.isoformat()}",
        )
    updated = as_date(get(dpia, "/screening/updated_on"))
    if updated is not None and updated > completed:
        yield Violation(
            f"{_DPIA}/screening/updated_on",
            f"the screening changed on {updated.isoformat()}, after the DPIA was completed on "
            f"{completed.isoformat()}: a new high-risk indicator has not been assessed",
            "error",
        )


@check_function(FUNCTIONS, "consulted_before_processing")
def consulted_before_processing(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """From private beta, the ICO prior consultation came before processing began (the start of the first
    phase with real users' data: phase_history, else metadata.phase_since)."""
    current = phase(data)
    if not phases.at_least(current, "private-beta"):
        return
    path = f"{_DPIA}/ico_prior_consultation/date"
    day = as_date(get(data, path))
    if day is None:  # a missing date is the rule's `require`
        return
    if day > ctx.as_of:
        yield Violation(
            path,
            f"the consultation is dated {day.isoformat()}, after {ctx.as_of.isoformat()}, but the "
            f"initiative is already {current}, so processing has started before it",
        )
        return
    since = phases.first_start(data)
    if since is not None and day > since:
        yield Violation(
            path,
            f"the consultation on {day.isoformat()} came after processing began on {since.isoformat()}: "
            "processing started before the ICO was consulted",
        )
