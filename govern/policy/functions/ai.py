"""Check functions of the AI and algorithmic tools family (AI-001..006, docs/reference/rule-families.md section 9.3).

One finding per tool of ``algorithmic_tools[]``. A tool is *effectively solely automated* when
it says so, or when it is decision support whose reviewers cannot change the outcome (UK GDPR
Art. 22A(1)(a): no meaningful human involvement). The law on automated decisions changed on
5 February 2026 (Arts 22A-22C replaced Art. 22): the switch date is the rules' ``adm_regime_from``
option, so a later correction is a pack change, never a code change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_list
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_REGIME = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"adm_regime_from": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}},
}
_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}
_MONTHS = {"type": "object", "additionalProperties": False, "properties": {"months": {"type": "integer", "minimum": 1}}}
SAFEGUARDS = ("informed", "representations", "human_intervention", "contest")
DEFAULT_REGIME_FROM = dt.date(2026, 2, 5)  # SI 2026/82 reg. 2(j): DUAA 2025 s.80 in force


def tools(data: Any):
    """(pointer, label, tool) for each tool that is a mapping."""
    for i, tool in enumerate(get_list(data, "/algorithmic_tools")):
        if isinstance(tool, dict):
            name = tool.get("name") if isinstance(tool.get("name"), str) else f"tool {i + 1}"
            yield f"/algorithmic_tools/{i}", name, tool


def overridable(tool: dict[str, Any]) -> bool | None:
    """docs/design/semantics.md 8.9 item 14: decision support with no human oversight recorded cannot be overridden."""
    value = get(tool, "/human_oversight/reviewer_can_override")
    if isinstance(value, bool):
        return value
    return False if tool.get("decision_role") == "decision-support" and not isinstance(tool.get("human_oversight"), dict) else None


def solely_automated(tool: dict[str, Any]) -> bool:
    """Solely automated by declaration, or decision support whose reviewers cannot override it."""
    role = tool.get("decision_role")
    return role == "solely-automated" or (role == "decision-support" and overridable(tool) is False)


def _adm(tool: dict[str, Any]) -> bool:
    return solely_automated(tool) and tool.get("significant_decisions") is True and tool.get("personal_data") is True


def new_regime(options: dict[str, Any], ctx: Any) -> bool:
    switch = as_date(options.get("adm_regime_from")) or DEFAULT_REGIME_FROM
    return ctx.as_of >= switch


@check_function(FUNCTIONS, "atrs_record", _NO_OPTIONS)
def atrs_record(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """AI-001: each in-scope tool has an ATRS record (published by live; a plan is accepted in beta)."""
    if get(data, "/metadata/organisation/type") == "arms-length-body":
        users = get_list(data, "/service/users")
        if get(data, "/service/public_facing") is not True and not {"citizens", "businesses"} & set(map(str, users)):
            return  # ATRS binds ALBs that deliver public services or deal with the public
    live = get(data, "/metadata/phase") == "live"
    for base, name, tool in tools(data):
        if tool.get("public_effect") is not True and tool.get("interacts_with_public") is not True:
            continue
        atrs = tool.get("atrs") if isinstance(tool.get("atrs"), dict) else {}
        status, url = atrs.get("status"), atrs.get("url")
        if status == "published" and not (isinstance(url, str) and url.startswith("https://")):
            yield Violation(f"{base}/atrs/url", f"{name}: the ATRS record is marked published but has no https url")
        elif status == "exempt" and not atrs.get("exemption"):
            yield Violation(f"{base}/atrs/exemption", f"{name}: exempt from ATRS with no exemption reason")
        elif status in ("published", "exempt"):
            continue
        elif status == "in-progress" and not live:
            continue
        elif live:
            yield Violation(f"{base}/atrs", f"{name}: live, so its ATRS record must be published (status is "
                            f"{status or 'not recorded'})")
        else:
            yield Violation(f"{base}/atrs", f"{name}: no ATRS record in progress (status is {status or 'not recorded'})")


@check_function(FUNCTIONS, "adm_safeguards", _REGIME)
def adm_safeguards(data: Any, options: dict[str, Any], ctx: Any):
    """AI-002: solely automated significant decisions have the safeguards the law of the run date asks for."""
    modern = new_regime(options, ctx)
    notice = get(data, "/privacy/privacy_notice_url")
    for base, name, tool in tools(data):
        if not _adm(tool):
            continue
        how = "solely automated" if tool.get("decision_role") == "solely-automated" else \
            "decision support that reviewers cannot override, so solely automated"
        guards = tool.get("adm_safeguards") if isinstance(tool.get("adm_safeguards"), dict) else {}
        missing = [g.replace("_", " ") for g in SAFEGUARDS if guards.get(g) is not True]
        law = "UK GDPR Art. 22C" if modern else "UK GDPR Art. 22(3)"
        if missing:
            yield Violation(f"{base}/adm_safeguards", f"{name} ({how}) lacks the {law} safeguards: {', '.join(missing)}")
        if not (isinstance(notice, str) and notice.strip()):
            yield Violation("/privacy/privacy_notice_url", f"{name} ({how}): people must be told of the decision, "
                            "but no privacy notice is recorded")
        if not modern and tool.get("adm_condition") not in ("explicit-consent", "contract", "authorised-by-law"):
            yield Violation(f"{base}/adm_condition", f"{name} ({how}): before 5 February 2026 UK GDPR Art. 22(2) "
                            "permits such a decision only under a contract, authorisation by law or explicit consent, "
                            "and none is recorded")


@check_function(FUNCTIONS, "adm_restricted_grounds", _REGIME)
def adm_restricted_grounds(data: Any, options: dict[str, Any], ctx: Any):
    """AI-003: solely automated decisions on special category data (or recognised legitimate interests) have a lawful ground."""
    modern = new_regime(options, ctx)
    art9 = get(data, "/data/special_category_conditions/art9")
    rli = get(data, "/data/lawful_basis") == "recognised_legitimate_interests"
    for base, name, tool in tools(data):
        if not _adm(tool):
            continue
        condition = tool.get("adm_condition")
        if tool.get("special_category_data") is True:
            law_ok = condition in ("contract", "authorised-by-law") and isinstance(art9, str) and art9.strip() == "9(2)(g)"
            if condition != "explicit-consent" and not law_ok:
                law = "UK GDPR Art. 22B(1)-(3)" if modern else "UK GDPR Art. 22(4)"
                yield Violation(f"{base}/adm_condition", f"{name} takes solely automated decisions on special category "
                                f"data: {law} needs explicit consent, or a contract or law with Art. 9(2)(g) "
                                f"(data.special_category_conditions.art9); adm_condition is {condition or 'not recorded'}")
        if rli and modern:
            yield Violation("/data/lawful_basis", f"{name} takes solely automated significant decisions: UK GDPR "
                            "Art. 22B(4) does not permit them on recognised legitimate interests")


@check_function(FUNCTIONS, "meaningful_oversight", _NO_OPTIONS)
def meaningful_oversight(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """AI-004: decision support with public or significant effect has human oversight that can override it."""
    for base, name, tool in tools(data):
        if tool.get("decision_role") != "decision-support":
            continue
        if tool.get("public_effect") is not True and tool.get("significant_decisions") is not True:
            continue
        if not get(tool, "/human_oversight/reference"):
            yield Violation(f"{base}/human_oversight", f"{name}: no human oversight arrangements are recorded")
        if overridable(tool) is not True:
            yield Violation(f"{base}/human_oversight/reviewer_can_override", f"{name}: reviewers cannot change the "
                            "outcome, so the tool is treated as solely automated (UK GDPR Art. 22A(1)(a)) and "
                            "AI-002/AI-003 are evaluated for it")


@check_function(FUNCTIONS, "bias_tested", _MONTHS)
def bias_tested(data: Any, options: dict[str, Any], ctx: Any):
    """AI-005: each tool with public or significant effect was tested for bias within ``months`` (default 12)."""
    months = options.get("months", 12)
    for base, name, tool in tools(data):
        if tool.get("public_effect") is not True and tool.get("significant_decisions") is not True:
            continue
        day = as_date(get(tool, "/bias_testing/completed_on"))
        if day is None:
            yield Violation(f"{base}/bias_testing", f"{name}: no bias and equality test is recorded")
        elif add_months(day, months) < ctx.as_of:
            yield Violation(f"{base}/bias_testing/completed_on", f"{name}: the bias test of {day.isoformat()} is more "
                            f"than {months} months before {ctx.as_of.isoformat()}")
        elif not get(tool, "/bias_testing/reference"):
            yield Violation(f"{base}/bias_testing/reference", f"{name}: the bias test has no reference")


@check_function(FUNCTIONS, "tool_in_dpia", _NO_OPTIONS)
def tool_in_dpia(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """AI-006: a tool using personal data was assessed in the DPIA before its first use."""
    for base, name, tool in tools(data):
        start = as_date(tool.get("introduced_on"))
        if tool.get("personal_data") is not True or start is None or start > ctx.as_of:
            continue
        assessed = as_date(tool.get("dpia_assessed_on"))
        if assessed is None:
            yield Violation(f"{base}/dpia_assessed_on", f"{name}: in use since {start.isoformat()} with personal data, "
                            "but the DPIA does not record assessing it")
        elif assessed > start:
            yield Violation(f"{base}/dpia_assessed_on", f"{name}: the DPIA assessed it on {assessed.isoformat()}, after "
                            f"its first use on {start.isoformat()}")
