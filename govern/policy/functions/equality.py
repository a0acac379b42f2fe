"""Check functions of the equality and Welsh language family (ACC-007..009, docs/reference/rule-families.md section 9.6).

Due regard must come before the decision it informs: ACC-007 compares the assessment's date with
the approvals of the current and the previous phase. Which form of record satisfies the duty
depends on the nation's specific duties (docs/design/semantics.md 8.9 item 8).
"""

from __future__ import annotations

from typing import Any

from govern.core.checks import CheckFunction, as_date, check_function, get, get_dict, get_list, phase
from govern.core import phases
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}
FORMS = {
    "wales": ("eqia", "board-paper"),
    "scotland": ("eqia", "board-paper"),
    "northern-ireland": ("section-75-screening", "eqia"),
}


def approval_of(data: Any, which: str, ctx: Any):
    """The latest approval of phase ``which`` dated on or before as_of, or None."""
    days = [as_date(a.get("date")) for a in get_list(data, "/accountability/approvals")
            if isinstance(a, dict) and phases.covers(a.get("phase"), which)
            and a.get("decision") in ("approved", "approved-with-conditions")]
    days = [d for d in days if d is not None and d <= ctx.as_of]
    return max(days) if days else None


@check_function(FUNCTIONS, "due_regard", _NO_OPTIONS)
def due_regard(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """ACC-007: due regard to equality recorded before the approval of this phase, after the last one's."""
    current = phase(data)
    record = get_dict(data, "/equality")
    day = as_date(record.get("assessed_on"))
    if day is None or not record.get("reference"):
        severity = "warning" if current == "alpha" else "error"
        yield Violation("/equality", "no record of due regard to the equality duty (assessed_on and reference)", severity)
        return
    if phases.rank(current) is not None:
        now = approval_of(data, current, ctx)
        earlier = phases.previous(current)
        before = approval_of(data, earlier, ctx) if earlier else None
        while earlier and before is not None and before == now:  # one `beta` approval covers both betas
            earlier = phases.previous(earlier)
            before = approval_of(data, earlier, ctx) if earlier else None
        if now is not None and day > now:
            yield Violation("/equality/assessed_on", f"due regard was recorded {day.isoformat()}, after the {current} "
                            f"approval of {now.isoformat()} it should have informed", "warning")
        elif before is not None and day <= before:
            yield Violation("/equality/assessed_on", f"due regard was last recorded {day.isoformat()}, not since the "
                            f"{earlier} approval of {before.isoformat()}: not revisited for this decision", "warning")
    nation = get(data, "/metadata/organisation/nation")
    allowed = FORMS.get(nation)
    if allowed and record.get("form") not in allowed:
        yield Violation("/equality/form", f"in {nation.replace('-', ' ').title()} the specific duties expect "
                        f"{' or '.join(allowed)}, not {record.get('form') or 'an unrecorded form'}", "warning")


@check_function(FUNCTIONS, "welsh_language_considered", _NO_OPTIONS)
def welsh_language_considered(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """ACC-008: the effects on the Welsh language were considered, or why not is recorded."""
    record = get_dict(data, "/welsh_language")
    if record.get("not_required_reason"):
        return
    has_duty = record.get("compliance_notice") or record.get("scheme")
    if not has_duty and get(data, "/metadata/organisation/nation") == "wales":
        yield Violation("/welsh_language", "a body in Wales records neither a compliance notice nor a Welsh language "
                        "scheme, nor why neither applies (not_required_reason)")
        return
    if not as_date(record.get("assessed_on")):
        what = "compliance notice" if record.get("compliance_notice") else "Welsh language scheme"
        yield Violation("/welsh_language/assessed_on", f"the body has a {what}, but the effects of this initiative "
                        "on opportunities to use Welsh are not recorded as considered")


@check_function(FUNCTIONS, "offered_in_welsh", _NO_OPTIONS)
def offered_in_welsh(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """ACC-009: a public web or app service of a body with a compliance notice is offered in Welsh."""
    if not {"web", "mobile-app"} & {c for c in get_list(data, "/service/channels") if isinstance(c, str)}:
        return
    if "cy" in get_list(data, "/service/languages") or get(data, "/welsh_language/not_required_reason"):
        return
    yield Violation("/service/languages", "the body's compliance notice applies the service delivery standards, but "
                    "the service is not offered in Welsh (cy) and no reason is recorded")
