"""Check functions of the records and data quality family (DATA-009, DATA-010, docs/reference/rule-families.md section 9.7).

Whether records are public records depends on who holds them: ``data.public_records`` when the
manifest says, else a govern default by organisation type and nation (PRA 1958 binds central
government and the NHS; councils in England and Wales keep records under local-government law).
"""

from __future__ import annotations

from typing import Any

from govern.core import phases
from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_list, phase
from govern.core.model import Violation
from govern.policy.functions.general import in_ukg

FUNCTIONS: dict[str, CheckFunction] = {}

_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}
PUBLIC_RECORD_BODIES = ("central-government", "arms-length-body", "devolved-administration", "nhs")


def public_records(data: Any) -> bool:
    """``data.public_records``, else the govern default for the body (docs/reference/rule-families.md 9.7)."""
    value = get(data, "/data/public_records")
    if isinstance(value, bool):
        return value
    kind = get(data, "/metadata/organisation/type")
    kind = kind if isinstance(kind, str) else "central-government"  # docs/design/semantics.md 8.1: assumed when not recorded
    nation = get(data, "/metadata/organisation/nation")
    return kind in PUBLIC_RECORD_BODIES or (kind in ("local-authority", "police") and nation == "scotland")


@check_function(FUNCTIONS, "public_records_appraised", _NO_OPTIONS)
def public_records_appraised(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """DATA-009: public records have a selection decision before they are disposed of."""
    if not public_records(data):
        return
    done = as_date(get(data, "/data/disposal/completed_on"))
    scheduled = as_date(get(data, "/data/disposal/scheduled_on"))
    if phase(data) != "retired" and done is None and scheduled is None:
        return
    gone = done is not None and done <= ctx.as_of
    appraisal = get(data, "/data/disposal/appraisal")
    appraisal = appraisal if isinstance(appraisal, dict) else {}
    appraised = as_date(appraisal.get("completed_on"))
    severity = "error" if gone else "warning"
    path = "/data/disposal/appraisal"
    if appraised is None or not appraisal.get("decision"):
        what = f"the records were disposed of on {done.isoformat()}" if gone else "disposal is due"
        yield Violation(path, f"{what} with no recorded selection decision (appraisal completed_on and decision)", severity)
        return
    by = done or scheduled
    if by is not None and appraised > by:
        yield Violation(f"{path}/completed_on", f"the appraisal of {appraised.isoformat()} is after the disposal date "
                        f"{by.isoformat()}", severity)


@check_function(FUNCTIONS, "data_quality_assessed", {"type": "object", "additionalProperties": False,
                                                     "properties": {"months": {"type": "integer", "minimum": 1}}})
def data_quality_assessed(data: Any, options: dict[str, Any], ctx: Any):
    """DATA-010: data that feeds decisions had its quality assessed within ``months`` (default 12)."""
    tools = [t for t in get_list(data, "/algorithmic_tools") if isinstance(t, dict)]
    significant = any(t.get("personal_data") is True and t.get("significant_decisions") is True for t in tools)
    ukg = in_ukg(data)
    transactional = get(data, "/service/transactional") is True and phases.at_least(phase(data), "private-beta")
    if not (significant or (ukg and (tools or transactional))):
        return
    severity = None if tools else "info"  # a UKG transactional service without tools: good practice
    months = options.get("months", 12)
    day = as_date(get(data, "/data/quality/assessed_on"))
    why = "its algorithmic tools decide on it" if tools else "the transactional service decides on it"
    if day is None:
        yield Violation("/data/quality", f"no data quality assessment is recorded, and {why}", severity)
    elif add_months(day, months) < ctx.as_of:
        yield Violation("/data/quality/assessed_on", f"the data quality assessment of {day.isoformat()} is more than "
                        f"{months} months before {ctx.as_of.isoformat()}, and {why}", severity)
