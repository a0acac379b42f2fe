"""Check functions of the legacy and decommissioning family (SEC-010, GOV-023, SEC-011, docs/reference/rule-families.md section 9.4).

Unsupported software is judged per component of ``technology.components[]``; a retired
initiative stays in scope while it still holds data (docs/design/semantics.md 8.9 item 11), because a system
switched off on paper can still run on an unpatched server.
"""

from __future__ import annotations

from typing import Any

from govern.core import phases
from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_dict, get_list, personal_data, phase
from govern.core.holding import holds_data as core_holds_data
from govern.core.model import Violation
from govern.policy.functions.general import in_ukg

FUNCTIONS: dict[str, CheckFunction] = {}

_MONTHS = {"type": "object", "additionalProperties": False, "properties": {"months": {"type": "integer", "minimum": 1}}}
_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}


def holds_data(data: Any, ctx: Any) -> bool:
    """docs/design/semantics.md 8.9 item 11, answered once in ``govern.core.holding``."""
    return core_holds_data(data, ctx.as_of)


def components(data: Any):
    for i, item in enumerate(get_list(data, "/technology/components")):
        if isinstance(item, dict):
            name = " ".join(str(item[k]) for k in ("name", "version") if item.get(k)) or f"component {i + 1}"
            yield f"/technology/components/{i}", name, item


@check_function(FUNCTIONS, "supported_software", _MONTHS)
def supported_software(data: Any, options: dict[str, Any], ctx: Any):
    """SEC-010: every component is supported, or isolated, or planned for before support ends."""
    current = phase(data)
    if not phases.at_least(current, "private-beta") and not (current == "retired" and holds_data(data, ctx)):
        return
    months = options.get("months", 12)
    horizon = add_months(ctx.as_of, months)
    for base, name, item in components(data):
        end = as_date(item.get("end_of_support"))
        if end is None:
            yield Violation(base, f"{name}: no end_of_support recorded, so nobody knows when it stops being patched", "info")
        elif end < ctx.as_of and item.get("isolated") is True:
            yield Violation(f"{base}/end_of_support", f"{name}: support ended {end.isoformat()}; isolated in a sub-set "
                            "with no internet traffic (outside Cyber Essentials scope) but still a legacy risk", "warning")
        elif end < ctx.as_of:
            yield Violation(f"{base}/end_of_support", f"{name}: support ended {end.isoformat()} and it is not isolated")
        elif end <= horizon and not item.get("remediation_plan"):
            yield Violation(f"{base}/remediation_plan", f"{name}: support ends {end.isoformat()}, within {months} months, "
                            "and no remediation plan is recorded", "warning")


@check_function(FUNCTIONS, "legacy_risk_assessed", _MONTHS)
def legacy_risk_assessed(data: Any, options: dict[str, Any], ctx: Any):
    """GOV-023: legacy risk is assessed within ``months`` when a component nears or passed end of support."""
    months = options.get("months", 12)
    horizon = add_months(ctx.as_of, months)
    near = [name for _, name, item in components(data)
            if (end := as_date(item.get("end_of_support"))) is not None and end <= horizon]
    risk = get(data, "/technology/legacy_risk")
    if not near and not isinstance(risk, dict):
        return
    risk = risk if isinstance(risk, dict) else {}
    day = as_date(risk.get("assessed_on"))
    why = f" ({', '.join(near)} past or near end of support)" if near else ""
    if day is None:
        yield Violation("/technology/legacy_risk", f"no legacy IT risk assessment is recorded{why}")
    elif add_months(day, months) < ctx.as_of:
        yield Violation("/technology/legacy_risk/assessed_on", f"the legacy risk assessment of {day.isoformat()} is "
                        f"more than {months} months before {ctx.as_of.isoformat()}{why}")
    if risk.get("rating") == "red" and not risk.get("remediation_plan"):
        yield Violation("/technology/legacy_risk/remediation_plan", "the system is rated red with no remediation plan")


@check_function(FUNCTIONS, "secure_sanitisation", _NO_OPTIONS)
def secure_sanitisation(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """SEC-011: storage is sanitised (with evidence) at decommission, by a method fit for the hosting."""
    if not personal_data(data) and not (in_ukg(data) and get(data, "/data/classification")):
        return
    path = "/data/disposal/sanitisation"
    record = get_dict(data, path)
    method = record.get("method")
    hosted = get(data, "/security/hosting/type") in ("cloud", "third-party-managed")
    if not method:
        yield Violation(path, "no sanitisation method is recorded for the data's storage")
        return
    if hosted and method not in ("provider-deletion", "cryptographic-erase"):
        yield Violation(f"{path}/method", f"{method} is not possible on cloud or third-party hosting: use "
                        "provider-deletion or cryptographic-erase")
    done = as_date(record.get("completed_on"))
    scheduled = as_date(get(data, "/data/disposal/scheduled_on"))
    if done is not None and done <= ctx.as_of:
        if not record.get("evidence"):
            yield Violation(f"{path}/evidence", f"sanitised on {done.isoformat()} with no certificate or provider attestation")
    elif scheduled is None or scheduled < ctx.as_of:
        yield Violation(f"{path}/completed_on", "sanitisation is not recorded as completed")
