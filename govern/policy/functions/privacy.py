"""Check functions of the privacy pack: the DPIA trigger and the order of DPIA events.

JSON Schema cannot count WP248 criteria with special category data standing in for
``sensitive-data``, nor compare two dates in a manifest, so the DPIA trigger (PRIV-001,
PRIV-009), the not-required decision (PRIV-002), the DPIA's review (PRIV-003), the
public-task power (PRIV-004) and the order of ICO prior consultation and processing
(PRIV-011) are functions (docs/design/semantics.md 8.4, 8.8 items 2-3, 8.9 items 5-6).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govern.core import phases
from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_dict, get_list, phase
from govern.core.model import Violation
from govern.policy.functions.ai import tools
from govern.policy.functions.ai import _adm as adm_tool

FUNCTIONS: dict[str, CheckFunction] = {}

_DPIA = "/privacy/dpia"
_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}
# Phases that process real people's data (docs/design/semantics.md 8.2): govern.core.phases says which.
PROCESSING = phases.PROCESSING


def processing_phase(value: Any) -> bool:
    """Whether a phase name is one in which real people's data is processed (at least private-beta)."""
    return phases.at_least(value, "private-beta")


def _part3(data: Any) -> bool:
    return get(data, "/data/regime") == "dpa-part-3"


def _not_required_decided(data: Any) -> bool:
    """A screening recorded `not-required` with the date of that decision (screening.decided_on)."""
    return get(data, f"{_DPIA}/status") == "not-required" and as_date(get(data, f"{_DPIA}/screening/decided_on")) is not None


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str) and item.strip()] if isinstance(value, list) else []


def dpia_triggers(data: Any) -> list[str]:
    """Why a DPIA is required (docs/design/semantics.md 8.4 and 8.9 item 6), empty when it is not.

    Personal data, and any of: an Art. 35(3) case; an ICO list item; special category or
    criminal offence data at large scale (missing ``large_scale`` counts, unless a dated
    not-required decision says otherwise); two or more WP248 criteria, special category data
    counting as ``sensitive-data`` whether listed or not; an algorithmic tool taking solely
    automated significant decisions on personal data (Art. 35(3)(a)).
    """
    if get(data, "/data/personal_data") is not True:
        return []
    screening = get_dict(data, f"{_DPIA}/screening")
    reasons = []
    if art35 := _strings(screening.get("art35_3")):
        reasons.append(f"Art. 35(3) case {', '.join(sorted(set(art35)))} screened in")
    if ico := _strings(screening.get("ico_list")):
        reasons.append(f"ICO list item {', '.join(sorted(set(ico)))} screened in")
    special = get(data, "/data/special_category_data") is True
    criminal = get(data, "/data/criminal_offence_data") is True
    if special or criminal:
        kinds = " and ".join(k for k, on in (("special category", special), ("criminal offence", criminal)) if on)
        large = get(data, "/data/large_scale")
        if large is True:
            reasons.append(f"{kinds} data processed on a large scale (Art. 35(3)(b))")
        elif large is None and not _not_required_decided(data):
            reasons.append(f"{kinds} data with data.large_scale not recorded (counted as large scale, Art. 35(3)(b))")
    criteria = set(_strings(screening.get("wp248")))
    if special:
        criteria.add("sensitive-data")
    if len(criteria) >= 2:
        reasons.append(f"{len(criteria)} WP248 criteria ({', '.join(sorted(criteria))})")
    for base, name, tool in tools(data):
        if adm_tool(tool):
            reasons.append(f"{name} ({base}) takes solely automated significant decisions on personal data (Art. 35(3)(a))")
    return reasons


def _processing_began(data: Any) -> dt.date | None:
    """The start of the first phase that processes real people's data: from metadata.phase_history
    (an entry for the current phase gives way to phase_since), else metadata.phase_since."""
    return phases.first_start(data)


@check_function(FUNCTIONS, "dpia_required", _NO_OPTIONS)
def dpia_required(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """PRIV-001: when a trigger holds, the DPIA is in progress in alpha and completed, before processing began, from private beta."""
    reasons = dpia_triggers(data)
    current = phase(data)
    if not reasons or not (current == "alpha" or processing_phase(current)):
        return
    why = "; ".join(reasons)
    law = "DPA 2018 s.64" if _part3(data) else "UK GDPR Art. 35"
    status = get(data, f"{_DPIA}/status")
    shown = status if isinstance(status, str) else "not recorded"
    if current == "alpha":
        if status not in ("in-progress", "completed"):
            yield Violation(f"{_DPIA}/status", f"a DPIA is required ({law}) and should be under way in alpha, but "
                            f"its status is {shown}. Triggers: {why}")
        return
    if status != "completed":
        settled = "; a not-required screening does not settle it while a trigger holds" if status == "not-required" else ""
        yield Violation(f"{_DPIA}/status", f"a DPIA is required ({law}) and must be completed before processing real "
                        f"people's data in {current}, but its status is {shown}{settled}. Triggers: {why}")
        return
    completed = as_date(get(data, f"{_DPIA}/completed_on"))
    began = _processing_began(data)
    if completed is not None and began is not None and completed > began:
        prior = "DPA 2018 s.64" if _part3(data) else "UK GDPR Art. 35(1)"
        yield Violation(f"{_DPIA}/completed_on", f"completed after processing began: the DPIA was completed on "
                        f"{completed.isoformat()}, after processing real people's data began on {began.isoformat()} "
                        f"({prior}: the assessment comes prior to the processing)", "warning")


@check_function(FUNCTIONS, "dpo_advice", _NO_OPTIONS)
def dpo_advice(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """PRIV-009: when a DPIA is required (the PRIV-001 trigger), the DPO's advice was sought."""
    reasons = dpia_triggers(data)
    if reasons and get(data, "/privacy/dpo_consulted") is not True:
        law = "DPA 2018 s.69-71" if _part3(data) else "UK GDPR Art. 35(2)"
        yield Violation("/privacy/dpo_consulted", f"a DPIA is required, so the DPO's advice must be sought ({law}), "
                        f"but privacy.dpo_consulted is not true. Triggers: {'; '.join(reasons)}")


@check_function(FUNCTIONS, "dpia_screening", _NO_OPTIONS)
def dpia_screening(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """PRIV-002: the screening is recorded, and a not-required decision is dated (screening.decided_on)."""
    dpia = get(data, _DPIA)
    if not isinstance(dpia, dict):
        yield Violation(_DPIA, "no DPIA record: record privacy.dpia with its screening, even when no DPIA is required")
        return
    if not isinstance(dpia.get("screening"), dict):
        yield Violation(f"{_DPIA}/screening", "the DPIA screening is not recorded (the high-risk indicators that apply, "
                        "empty lists when none do)")
        return
    if dpia.get("status") == "not-required" and as_date(get(dpia, "/screening/decided_on")) is None:
        yield Violation(f"{_DPIA}/screening/decided_on", "decision not dated: the DPIA is recorded as not required but "
                        "screening.decided_on does not say when that was decided")


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
    """PRIV-003: a completed DPIA is within its review period and has assessed the latest screening.

    Counted from the later of completed_on and reviewed_on (docs/design/semantics.md 8.8 item 2,
    8.9 item 5). A passed review date is a warning (the rule's severity); a screening updated after
    that date is an error, because a new high-risk indicator has appeared since the risks were
    assessed (UK GDPR Art. 35(11)). A DPIA completed before the current phase began is correct.
    """
    months = options.get("months", 12)
    dpia = get_dict(data, _DPIA)
    completed = as_date(dpia.get("completed_on"))
    if completed is None:
        yield Violation(f"{_DPIA}/completed_on", "the DPIA is marked completed but privacy.dpia.completed_on is not recorded")
        return
    reviewed = as_date(dpia.get("reviewed_on"))
    latest, field = (reviewed, "reviewed_on") if reviewed is not None and reviewed > completed else (completed, "completed_on")
    what = "reviewed" if field == "reviewed_on" else "completed"
    updated = as_date(get(dpia, "/screening/updated_on"))
    if updated is not None and updated > latest:
        yield Violation(
            f"{_DPIA}/screening/updated_on",
            f"the screening changed on {updated.isoformat()}, after the DPIA was last {what} on "
            f"{latest.isoformat()}: a new high-risk indicator has not been assessed",
            "error",
        )
    review = as_date(dpia.get("review_by"))
    if review is not None and review > latest:
        if review < ctx.as_of:
            yield Violation(f"{_DPIA}/review_by", f"review_by was {review.isoformat()}, before {ctx.as_of.isoformat()}")
    elif add_months(latest, months) < ctx.as_of:
        set_by = "no review_by is set" if review is None else f"review_by {review.isoformat()} is not after it"
        yield Violation(
            f"{_DPIA}/{field}",
            f"last {what} on {latest.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}, and {set_by}",
        )


@check_function(FUNCTIONS, "legal_power", _NO_OPTIONS)
def legal_power(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """PRIV-004: processing on public task names the statute or power relied on (Art. 6(3)); a warning."""
    if get(data, "/data/lawful_basis") != "public_task":
        return
    power = get(data, "/data/legal_power")
    if not (isinstance(power, str) and power.strip()):
        yield Violation("/data/legal_power", "the lawful basis is public_task but data.legal_power does not name the "
                        "statute or power relied on (UK GDPR Art. 6(3))", "warning")


@check_function(FUNCTIONS, "consulted_before_processing")
def consulted_before_processing(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """From private beta, the ICO prior consultation came before processing began (metadata.phase_since)."""
    current = phase(data)
    if not processing_phase(current):
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
    since = as_date(get(data, "/metadata/phase_since"))
    if since is not None and day > since:
        yield Violation(
            path,
            f"the consultation on {day.isoformat()} came after {current} began on {since.isoformat()}: "
            "processing started before the ICO was consulted",
        )
