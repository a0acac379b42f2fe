"""Check functions of the business case and spend control family (GOV-014..018, docs/reference/rule-families.md section 9.1).

Who a rule binds (UKG, DA) is the pack's ``when``; these functions compare the money and the
dates. Every threshold that is a govern default, not a framework's figure, comes from
configuration through ``govern.core.defaults.setting``, so a department changes it in
``govern.yaml`` and ``govern explain`` says it is a default.
"""

from __future__ import annotations

from typing import Any

from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_dict, get_list, phase
from govern.core.defaults import setting
from govern.core import phases
from govern.core.model import Violation
from govern.policy.functions.general import organisation_type

FUNCTIONS: dict[str, CheckFunction] = {}

STAGES = ("soc", "obc", "fbc")
STAGE_NAMES = {"soc": "SOC", "obc": "OBC", "fbc": "FBC", "bjc": "BJC"}
_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}


def _money(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _gbp(value: float) -> str:
    return f"£{value:,.0f}"


def _approved_case(data: Any, ctx: Any) -> dict[str, Any] | None:
    case = get_dict(data, "/business_case")
    day = as_date(case.get("approved_on"))
    return case if day is not None and day <= ctx.as_of else None


@check_function(FUNCTIONS, "business_case_stage", _NO_OPTIONS)
def business_case_stage(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-014: an approved business case at or beyond the stage configured for the phase."""
    current = phase(data)
    config = setting(ctx, "business_case")
    table = config.get("stage_for_phase") or {}
    needed = table.get(current)
    if needed is None and phases.is_beta(current):  # `beta` in the table covers private and public beta
        needed = table.get("beta")
    if needed not in STAGES:
        return
    case = _approved_case(data, ctx)
    if case is None:
        yield Violation("/business_case", f"no business case approved on or before {ctx.as_of.isoformat()}; "
                        f"{current} needs at least an approved {STAGE_NAMES[needed]}")
        return
    stage = case.get("stage")
    if stage == "bjc":
        limit = _money(config.get("bjc_max"))
        cost = _money(get(case, "/whole_life_cost/approved"))
        if limit is not None and (cost is None or cost > limit):
            shown = _gbp(cost) if cost is not None else "an unrecorded cost"
            yield Violation("/business_case/stage", f"a business justification case covers spend up to "
                            f"{_gbp(limit)} (business_case.bjc_max); this one was approved at {shown}")
        return
    if stage not in STAGES or STAGES.index(stage) < STAGES.index(needed):
        shown = STAGE_NAMES.get(stage, "no stage") if isinstance(stage, str) else "no stage"
        yield Violation("/business_case/stage", f"the approved business case is {shown}; {current} needs "
                        f"at least {STAGE_NAMES[needed]} (govern default, business_case.stage_for_phase)")


def _over(case: dict[str, Any], ctx: Any) -> tuple[float, float, float] | None:
    """(approved, forecast, tolerance) when the forecast exceeds the approval beyond tolerance."""
    approved = _money(get(case, "/whole_life_cost/approved"))
    forecast = _money(get(case, "/whole_life_cost/forecast"))
    tolerance = _money(setting(ctx, "business_case").get("forecast_tolerance")) or 0
    if approved is None or forecast is None or forecast <= approved * (1 + tolerance):
        return None
    return approved, forecast, tolerance


@check_function(FUNCTIONS, "forecast_within_approval", _NO_OPTIONS)
def forecast_within_approval(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-015: the forecast whole-life cost is within the approval (plus tolerance) and recent."""
    case = get_dict(data, "/business_case")
    base = "/business_case/whole_life_cost"
    if _money(get(case, "/whole_life_cost/forecast")) is None:
        yield Violation(base, "no forecast whole-life cost is recorded against the approved cost")
        return
    over = _over(case, ctx)
    if over:
        approved, forecast, tolerance = over
        allowed = f" plus the {tolerance:.0%} tolerance" if tolerance else ""
        percent = (forecast - approved) / approved * 100 if approved else 100
        yield Violation(f"{base}/forecast", f"the forecast {_gbp(forecast)} is {percent:.0f} % over the approved "
                        f"{_gbp(approved)}{allowed}; a departure from the agreed cost needs fresh scrutiny")
    months = setting(ctx, "business_case").get("forecast_months") or 6
    day = as_date(get(case, "/whole_life_cost/forecast_on"))
    if day is None:
        yield Violation(f"{base}/forecast_on", "the forecast is undated")
    elif add_months(day, months) < ctx.as_of:
        yield Violation(f"{base}/forecast_on", f"the forecast is dated {day.isoformat()}, more than {months} "
                        f"months before {ctx.as_of.isoformat()} (govern default)")


def _limit(data: Any, ctx: Any) -> float | None:
    """The delegated authority limit for this body: a number, or a map by department id with a default."""
    value = setting(ctx, "delegated_authority_limit")
    if isinstance(value, dict):
        department = get(data, "/metadata/department")
        chosen = value.get(department) if isinstance(department, str) else None
        return _money(chosen if chosen is not None else value.get("default"))
    return _money(value)


def _approvers(data: Any, ncr_or_gmpp: bool) -> tuple[str, ...]:
    """Who may consent above delegation: docs/reference/rule-families.md 9 settled point 4."""
    kind = organisation_type(data)
    nation = get(data, "/metadata/organisation/nation")
    devolved = kind == "devolved-administration" or (
        kind == "arms-length-body" and nation in ("wales", "scotland", "northern-ireland"))
    if devolved:
        return ("devolved-finance",)
    if ncr_or_gmpp or kind != "arms-length-body":
        return ("hm-treasury",)
    return ("sponsor-department", "hm-treasury")


@check_function(FUNCTIONS, "delegated_authority", _NO_OPTIONS)
def delegated_authority(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-016: spend beyond delegated authority, NCR spend or a GMPP case has the consent it needs."""
    case = get_dict(data, "/business_case")
    limit = _limit(data, ctx)
    approved = _money(get(case, "/whole_life_cost/approved"))
    forecast = _money(get(case, "/whole_life_cost/forecast"))
    reasons, hard = [], False
    if case.get("novel_contentious_repercussive") is True:
        reasons.append("the spend is novel, contentious or repercussive")
        hard = True
    if get(data, "/governance/gmpp") is True and case.get("stage") in ("obc", "fbc"):
        reasons.append(f"a GMPP project's {STAGE_NAMES[case['stage']]} needs HM Treasury approval")
        hard = True
    ncr_or_gmpp = hard
    if limit is not None and approved is not None and approved > limit:
        reasons.append(f"the approved whole-life cost {_gbp(approved)} is above the delegated authority {_gbp(limit)}")
        hard = True
    elif limit is not None and forecast is not None and forecast > limit:
        reasons.append(f"the forecast {_gbp(forecast)} is above the delegated authority {_gbp(limit)}; consent is "
                       "needed before committing beyond it")
    if not reasons:
        return
    allowed = _approvers(data, ncr_or_gmpp)
    consent = case.get("above_delegation")
    consent = consent if isinstance(consent, dict) else {}
    day = as_date(consent.get("date"))
    severity = "error" if hard else "warning"
    why = "; ".join(reasons)
    who = " or ".join(allowed)
    if consent.get("approved_by") not in allowed:
        given = consent.get("approved_by")
        got = f"consent is recorded from {given}, not" if isinstance(given, str) else "no consent is recorded from"
        yield Violation("/business_case/above_delegation", f"{why}: {got} {who}", severity)
    elif day is None or day > ctx.as_of or not consent.get("reference"):
        yield Violation("/business_case/above_delegation", f"{why}: the consent from {consent['approved_by']} needs a "
                        f"date on or before {ctx.as_of.isoformat()} and a reference", severity)


def _spend(data: Any) -> float | None:
    approved = _money(get(data, "/business_case/whole_life_cost/approved"))
    if approved is not None:
        return approved
    capex, opex = _money(get(data, "/budget/capex")), _money(get(data, "/budget/opex"))
    return None if capex is None and opex is None else (capex or 0) + (opex or 0)


@check_function(FUNCTIONS, "spend_control_approval", _NO_OPTIONS)
def spend_control_approval(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-017: spend above the spend control threshold for its category has a current approval."""
    spend = _spend(data)
    category = get(data, "/governance/spend_control/category")
    if category not in ("public-facing-service", "other", "cryptographic-key"):
        category = "public-facing-service" if get(data, "/service/public_facing") is True else "other"
    threshold = _money(setting(ctx, "spend_control").get("thresholds", {}).get(category))
    if spend is None or threshold is None or spend <= threshold:
        return
    current = phase(data)
    severity = "warning" if current == "alpha" else "error"
    control = get_dict(data, "/governance/spend_control")
    day = as_date(control.get("approved_on"))
    label = f"{_gbp(spend)} of {category.replace('-', ' ')} spend is above the {_gbp(threshold)} threshold"
    if not control.get("reference") or day is None or day > ctx.as_of:
        yield Violation("/governance/spend_control", f"{label} and no spend control approval dated on or before "
                        f"{ctx.as_of.isoformat()} is recorded", severity)
        return
    covered = control.get("phase")
    later = phases.rank(covered) is not None and phases.rank(covered) >= (phases.rank(current) or 0)
    if phases.rank(current) is not None and not (phases.covers(covered, current) or later):
        yield Violation("/governance/spend_control/phase", f"{label}; the spend control approval covers "
                        f"{covered or 'no phase'}, not {current}", severity)
    for i, condition in enumerate(get_list(data, "/governance/spend_control/conditions")):
        due = as_date(condition.get("due")) if isinstance(condition, dict) else None
        if due is not None and due < ctx.as_of and condition.get("met") is not True:
            what = condition.get("condition") or f"condition {i + 1}"
            yield Violation(f"/governance/spend_control/conditions/{i}", f"spend control condition \"{what}\" was due "
                            f"{due.isoformat()} and is not met", "warning")


@check_function(FUNCTIONS, "ao_assessment", _NO_OPTIONS)
def ao_assessment(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-018: a major project's Accounting Officer assessment exists, is current and is published."""
    case = get_dict(data, "/business_case")
    assessment = case.get("ao_assessment")
    assessment = assessment if isinstance(assessment, dict) else {}
    path = "/business_case/ao_assessment"
    done = as_date(assessment.get("completed_on"))
    if done is None or done > ctx.as_of:
        yield Violation(path, f"no Accounting Officer assessment completed on or before {ctx.as_of.isoformat()}", "error")
        return
    over = _over(case, ctx)
    forecast_on = as_date(get(case, "/whole_life_cost/forecast_on"))
    if over and forecast_on is not None and forecast_on > done:
        yield Violation(f"{path}/completed_on", f"the assessment of {done.isoformat()} predates the forecast of "
                        f"{_gbp(over[1])} on {forecast_on.isoformat()} against the approved {_gbp(over[0])}: "
                        "a departure from the agreed plan needs a fresh assessment", "warning")
    if not assessment.get("summary_url") and not assessment.get("publication_deferred"):
        yield Violation(path, "its summary is neither published (summary_url) nor deferred with a reason "
                        "(publication_deferred)", "warning")
