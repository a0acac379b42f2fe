"""Check functions of the governance pack (GOV rules) that JSON Schema cannot express.

Each compares values inside the manifest with each other or with the run
date: an approval must be for the phase the initiative is in and dated on
or before as_of; a service assessment must be for the previous phase; a
retired initiative's data sharing must have ended by as_of. The rest of the
governance pack is declarative.
"""

from __future__ import annotations

from typing import Any

from govern.core.checks import (
    CheckFunction,
    as_date,
    check_function,
    get,
    get_dict,
    get_list,
    personal_data,
    phase,
)
from govern.policy.functions.general import date_recent, people_named
from govern.core import phases
from govern.core.model import PHASES, Violation
from govern.core.scope import organisation

FUNCTIONS: dict[str, CheckFunction] = {}

_ROLES = {"type": "array", "items": {"type": "string", "pattern": "^[a-z_]+$"}, "uniqueItems": True}
_PHASE = {"enum": list(PHASES)}


def _text(value: Any) -> str | None:
    """A non-blank string, stripped; anything else is None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


@check_function(
    FUNCTIONS,
    "roles_named",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["roles"],
        "properties": {
            "roles": {**_ROLES, "minItems": 1},
            "personal_data_roles": _ROLES,
            "email": {"type": "boolean"},
        },
    },
)
def roles_named(data: Any, options: dict[str, Any], ctx: Any):
    """Each role in ``roles``, and in ``personal_data_roles`` when personal data is processed, is named."""
    roles = list(options["roles"])
    if personal_data(data):
        roles += [r for r in options.get("personal_data_roles", []) if r not in roles]
    yield from people_named(data, {"roles": roles, "email": options.get("email", False)}, ctx)


def _describe_approval(entry: dict[str, Any]) -> str:
    decision = _text(entry.get("decision")) or "no decision"
    date = f" on {entry['date']}" if isinstance(entry.get("date"), str) else " (undated)"
    which = _text(entry.get("phase"))
    return f"{which} {decision}{date}" if which else f"{decision}{date} with no phase"


def _outcome(assessment: dict[str, Any]) -> str:
    outcome = _text(assessment.get("outcome"))
    return outcome.replace("-", " ") if outcome else "no outcome"


def _an(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


APPROVING = ("approved", "approved-with-conditions")  # approved-with-conditions counts as approved


@check_function(FUNCTIONS, "approval_for_phase")
def approval_for_phase(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """An ``accountability.approvals[]`` entry approves the current phase, dated on or before as_of.

    approved-with-conditions counts as approved; each of its ``conditions[]`` unmet after ``due`` is a
    warning. An approval of ``beta`` covers private-beta and public-beta. When no approval of the
    current phase is dated on or before ``phase_since``, the one that counts is retrospective (warning).
    """
    current = phase(data)
    if current is None:
        return
    path = "/accountability/approvals"
    approvals = [(i, a) for i, a in enumerate(get_list(data, path)) if isinstance(a, dict)]
    if not approvals:
        yield Violation(path, f"no board approval is recorded for the {current} phase")
        return
    for_phase = [(i, a) for i, a in approvals if phases.covers(a.get("phase"), current)]
    if not for_phase:
        found = "; ".join(_describe_approval(a) for _, a in approvals)
        yield Violation(path, f"no approval is recorded for the {current} phase (found: {found})")
        return
    problems, valid = [], []
    for i, entry in for_phase:
        day = as_date(entry.get("date"))
        board = _text(entry.get("board")) or "the board"
        if entry.get("decision") not in APPROVING:
            decision = _text(entry.get("decision")) or "not recorded"
            when = f" of {day.isoformat()}" if day else ""
            problems.append((i, f"the {current} decision{when} by {board} is {decision}, not approved"))
        elif day is None:
            problems.append((i, f"the {current} approval by {board} has no date"))
        elif day > ctx.as_of:
            problems.append(
                (i, f"the {current} approval by {board} is dated {day.isoformat()}, after {ctx.as_of.isoformat()}")
            )
        else:
            valid.append((day, i, entry, board))
    if not valid:
        index, message = problems[-1]
        yield Violation(f"{path}/{index}", message)
        return
    since = phases.phase_since(data)
    day, index, entry, board = min(valid, key=lambda item: (item[0], item[1]))
    if since is not None and day > since and current != "retired":
        yield Violation(
            f"{path}/{index}/date",
            f"retrospective approval: the {current} approval by {board} is dated {day.isoformat()}, after the "
            f"{current} phase began on {since.isoformat()} (metadata.phase_since)",
            "warning",
        )
    for day, index, entry, board in sorted(valid, key=lambda item: (item[0], item[1])):
        if entry.get("decision") != "approved-with-conditions":
            continue
        conditions = entry.get("conditions")
        if not isinstance(conditions, list) or not conditions:
            yield Violation(f"{path}/{index}", f"the {current} approval by {board} on {day.isoformat()} was "
                            "approved with conditions, but no conditions are recorded", "warning")
            continue
        for j, condition in enumerate(conditions):
            condition = condition if isinstance(condition, dict) else {}
            due = as_date(condition.get("due"))
            if due is not None and due < ctx.as_of and condition.get("met") is not True:
                what = _text(condition.get("condition")) or f"condition {j + 1}"
                yield Violation(f"{path}/{index}/conditions/{j}", f"condition \"{what}\" of the {current} approval "
                                f"by {board} on {day.isoformat()} was due {due.isoformat()} and is not met", "warning")


_STAGE = {"enum": ["alpha", "beta", "live"]}


@check_function(
    FUNCTIONS,
    "assessment_for_phase",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["stages"],
        "properties": {
            "stages": {
                "type": "object",
                "description": "Phase -> the assessment stages that must have been met to be in it.",
                "propertyNames": _PHASE,
                "additionalProperties": {"anyOf": [_STAGE, {"type": "array", "items": _STAGE, "minItems": 1}]},
                "minProperties": 1,
            },
            "beta_info": {
                "type": "boolean",
                "description": "Add an info finding when the phase is `beta`: say private-beta or public-beta.",
            },
        },
    },
)
def assessment_for_phase(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """``service.assessments[]`` holds a met assessment of each stage ``stages`` names for the current phase."""
    current = phase(data)
    if current == "beta" and options.get("beta_info"):
        yield Violation("/metadata/phase", "phase `beta` is checked as private-beta; say private-beta or "
                        "public-beta (a public beta also needs the beta assessment met)", "info")
    stages = options["stages"].get(current)
    if stages is None:
        return
    stages = [stages] if isinstance(stages, str) else list(stages)
    path = "/service/assessments"
    assessments = [(i, a) for i, a in enumerate(get_list(data, path)) if isinstance(a, dict)]
    wanted = " and ".join(stages)
    need = f"{_an(current)} service needs the {wanted} assessment{'s' if len(stages) > 1 else ''} met"
    if not assessments:
        yield Violation(path, f"no service assessment is recorded; {need}")
        return
    for stage in stages:
        of_stage = [(i, a) for i, a in assessments if a.get("stage") == stage]
        if not of_stage:
            found = "; ".join(f"{_text(a.get('stage')) or 'no stage'} {_outcome(a)}" for _, a in assessments)
            yield Violation(path, f"no {stage} assessment is recorded (found: {found}); {need}")
            continue
        if any(a.get("outcome") == "met" for _, a in of_stage):
            continue
        index, last = of_stage[-1]
        when = f" of {last['date']}" if isinstance(last.get("date"), str) else ""
        result = f"was {_outcome(last)}" if _text(last.get("outcome")) else "has no outcome"
        yield Violation(f"{path}/{index}", f"the {stage} assessment{when} {result}; {need}")


@check_function(
    FUNCTIONS,
    "recovery_plan",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {"months": {"type": "integer", "minimum": 1}},
    },
)
def recovery_plan(data: Any, options: dict[str, Any], ctx: Any):
    """A low delivery confidence rating has a recovery plan and an assessment within ``months`` (default 6).

    The IPA three-point scale (red, amber, green) and the older five-point one are both accepted; the
    messages name the scale in use (``scale``, else five-point for amber-red and amber-green).
    """
    base = "/governance/delivery_confidence"
    rating = get(data, f"{base}/rating")
    rating = rating if isinstance(rating, str) else "not recorded"
    shown = f"{rating} ({scale_of(get_dict(data, base))})"
    if _text(get(data, f"{base}/recovery_plan")) is None:
        yield Violation(f"{base}/recovery_plan", f"the rating is {shown} but no recovery plan is recorded")
    path = f"{base}/assessed_on"
    if as_date(get(data, path)) is None:
        yield Violation(path, f"the date of the {shown} assessment (assessed_on) is not recorded")
        return
    what = f"the {shown} delivery confidence assessment"
    yield from date_recent(data, {"path": path, "months": options.get("months", 6), "what": what}, ctx)


SCALES = {
    "three-point": "IPA three-point scale: red, amber, green",
    "five-point": "five-point scale: red, amber-red, amber, amber-green, green",
}


def scale_of(block: dict[str, Any]) -> str:
    """The delivery confidence scale a rating uses, for messages: ``scale`` when given, else five-point for
    amber-red and amber-green and the IPA three-point scale (2023 onwards) for the rest."""
    scale = block.get("scale")
    if scale not in SCALES:
        scale = "five-point" if block.get("rating") in ("amber-red", "amber-green") else "three-point"
    return SCALES[scale]


@check_function(FUNCTIONS, "retirement_closes_data")
def retirement_closes_data(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """A retired initiative records the disposal of its data, and every data sharing ended by as_of."""
    disposal = get(data, "/data/disposal")
    if not isinstance(disposal, dict) or not disposal:
        yield Violation("/data/disposal", "the initiative is retired but no disposal of its data is recorded")
    else:
        if as_date(disposal.get("completed_on")) is None and as_date(disposal.get("scheduled_on")) is None:
            yield Violation("/data/disposal", "data.disposal has neither completed_on nor scheduled_on")
        if _text(disposal.get("schedule")) is None:
            yield Violation("/data/disposal/schedule", "data.disposal names no disposal or retention schedule")
    for i, share in enumerate(get_list(data, "/data/sharing")):
        share = share if isinstance(share, dict) else {}
        partner = _text(share.get("with")) or f"sharing #{i + 1}"
        ends = as_date(share.get("ends_on"))
        if ends is None:
            yield Violation(f"/data/sharing/{i}", f"sharing with {partner} has no end date (ends_on)")
        elif ends > ctx.as_of:
            yield Violation(
                f"/data/sharing/{i}",
                f"sharing with {partner} continues until {ends.isoformat()}, after {ctx.as_of.isoformat()}",
            )



@check_function(FUNCTIONS, "organisation_recorded")
def organisation_recorded(data: Any, options: dict[str, Any], ctx: Any):
    """The body's organisation type and nation are recorded in the manifest or the configuration (GOV-013).

    Without the type, rules scoped by organisation type apply as for central government (the
    strictest reading); without the nation, as for nation `uk`. The engine adds to this finding the
    rules applied on that assumption.
    """
    kind, nation = organisation(data, getattr(ctx, "config", None))
    if kind is None:
        yield Violation(
            "/metadata/organisation",
            "no metadata.organisation.type and no `organisation:` in configuration; "
            "rules scoped by organisation type apply as for central government"
            + ("" if nation is not None else ", nation uk"),
        )
    elif nation is None:  # docs/design/semantics.md 8.1
        yield Violation(
            "/metadata/organisation",
            f"nation not recorded, `uk` assumed: metadata.organisation.nation (or `organisation:` in "
            f"configuration) is missing for this {kind} body, so rules scoped by nation apply as for a UK-wide body",
        )
