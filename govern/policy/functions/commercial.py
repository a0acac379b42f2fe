"""Check functions of the suppliers and contracts family (COM-001..004 and PRIV-015's contract link, docs/reference/rule-families.md 9.5).

Findings on a contract belong to its contract manager (``contracts[].manager``), as a risk's
belong to its owner. The Procurement Act 2023 figures (£5m, 12 months, the commencement dates)
are statute, but they are rule options, so an amendment is a pack change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govern.core import phases
from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_list, phase
from govern.core.model import Accountable, Violation
from govern.policy.functions.legacy import holds_data

FUNCTIONS: dict[str, CheckFunction] = {}

_DATE = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}
ROLE = "contract_manager"


def contracts(data: Any):
    """(pointer, label, contract) for each contract that is a mapping."""
    for i, item in enumerate(get_list(data, "/contracts")):
        if isinstance(item, dict):
            label = " ".join(str(item[k]) for k in ("id", "supplier") if item.get(k)) or f"contract {i + 1}"
            yield f"/contracts/{i}", label, item


def manager(contract: dict[str, Any]) -> Accountable:
    """The contract manager of a contract; unnamed is the vacant role."""
    holder = contract.get("manager")
    name = holder.get("name") if isinstance(holder, dict) and isinstance(holder.get("name"), str) else None
    email = holder.get("email") if isinstance(holder, dict) and isinstance(holder.get("email"), str) else None
    return Accountable(ROLE, name.strip() if name and name.strip() else None, email)


def _ends_within(contract: dict[str, Any], ctx: Any, months: int) -> str:
    end = as_date(contract.get("ends_on"))
    if end is not None and ctx.as_of <= end <= add_months(ctx.as_of, months):
        return f" (the contract ends {end.isoformat()}, within {months} months)"
    return ""


@check_function(FUNCTIONS, "exit_plan", {"type": "object", "additionalProperties": False,
                                         "properties": {"months": {"type": "integer", "minimum": 1}}})
def exit_plan(data: Any, options: dict[str, Any], ctx: Any):
    """COM-001: each contract has an exit plan reviewed within ``months`` (default 12)."""
    months = options.get("months", 12)
    for base, label, contract in contracts(data):
        plan = contract.get("exit_plan") if isinstance(contract.get("exit_plan"), dict) else {}
        soon = _ends_within(contract, ctx, months)
        reviewed = as_date(plan.get("reviewed_on"))
        if not plan.get("reference"):
            yield Violation(f"{base}/exit_plan", f"{label}: no exit plan{soon}", accountable=manager(contract))
        elif reviewed is None or add_months(reviewed, months) < ctx.as_of:
            when = f"last reviewed {reviewed.isoformat()}" if reviewed else "never reviewed"
            yield Violation(f"{base}/exit_plan/reviewed_on", f"{label}: the exit plan was {when}, not within "
                            f"{months} months{soon}", accountable=manager(contract))


@check_function(FUNCTIONS, "no_expired_contract", _NO_OPTIONS)
def no_expired_contract(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """COM-002: no processor or the hosting relies on a contract that has ended, without a current one."""
    current = phase(data)
    if not phases.at_least(current, "private-beta") and not (current == "retired" and holds_data(data, ctx)):
        return
    every = list(contracts(data))
    used = {p["contract"] for p in get_list(data, "/privacy/processors") if isinstance(p, dict) and isinstance(p.get("contract"), str)}
    host = get(data, "/security/hosting/provider")
    for base, label, contract in every:
        end = as_date(contract.get("ends_on"))
        if end is None or end >= ctx.as_of:
            continue
        supplier = contract.get("supplier")
        if not (isinstance(contract.get("id"), str) and contract["id"] in used) and not (isinstance(host, str) and supplier == host):
            continue
        renewed = any(other.get("supplier") == supplier and (d := as_date(other.get("ends_on"))) is not None
                      and d >= ctx.as_of for _, _, other in every if other is not contract)
        if not renewed:
            yield Violation(f"{base}/ends_on", f"{label} ended {end.isoformat()} but is still relied on, and no current "
                            "contract with the supplier is recorded", accountable=manager(contract))


def kpis_required(contract: dict[str, Any], threshold: float) -> bool:
    value = contract.get("estimated_value")
    return (contract.get("regime") == "procurement-act-2023" and contract.get("kind") == "standard"
            and isinstance(value, (int, float)) and not isinstance(value, bool) and value > threshold)


_KPI_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {"threshold": {"type": "number", "minimum": 0}}}


@check_function(FUNCTIONS, "contract_kpis", _KPI_OPTIONS)
def contract_kpis(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """COM-003: a Procurement Act contract above the threshold has at least three published KPIs, or a reason."""
    threshold = options.get("threshold", 5_000_000)
    for base, label, contract in contracts(data):
        if not kpis_required(contract, threshold):
            continue
        kpis = contract.get("kpis") if isinstance(contract.get("kpis"), dict) else {}
        if kpis.get("not_appropriate"):
            continue
        count = kpis.get("count") if isinstance(kpis.get("count"), int) else 0
        if count < 3 or not as_date(kpis.get("published_on")):
            yield Violation(f"{base}/kpis", f"{label}: above £{threshold:,.0f} it needs at least three published KPIs "
                            f"(s.52); {count} set{'' if kpis.get('published_on') else ', none published'}",
                            accountable=manager(contract))


def _regulated_by_welsh_ministers(data: Any, contract: dict[str, Any]) -> bool:
    value = contract.get("regulated_by")
    if value in ("welsh-ministers", "uk"):
        return value == "welsh-ministers"
    return (get(data, "/metadata/organisation/nation") == "wales"
            and get(data, "/metadata/organisation/type") != "central-government")


@check_function(FUNCTIONS, "contract_performance", {
    "type": "object", "additionalProperties": False,
    "properties": {"threshold": {"type": "number", "minimum": 0}, "commencement": _DATE, "welsh_commencement": _DATE},
})
def contract_performance(data: Any, options: dict[str, Any], ctx: Any):
    """COM-004: contract performance is assessed every 12 months from the later of award and s.71 commencement, and once at the end."""
    threshold = options.get("threshold", 5_000_000)
    for base, label, contract in contracts(data):
        kpis = contract.get("kpis") if isinstance(contract.get("kpis"), dict) else {}
        if not kpis_required(contract, threshold) or kpis.get("not_appropriate"):
            continue
        key = "welsh_commencement" if _regulated_by_welsh_ministers(data, contract) else "commencement"
        commenced = as_date(options.get(key)) or (dt.date(2026, 4, 1) if key == "welsh_commencement" else dt.date(2026, 1, 1))
        awarded = as_date(contract.get("awarded_on")) or commenced
        start = max(awarded, commenced)
        assessed = as_date(contract.get("performance_assessed_on"))
        end = as_date(contract.get("ends_on"))
        who = manager(contract)
        if end is not None and end < ctx.as_of and end >= commenced:
            if assessed is None or assessed < end:
                yield Violation(f"{base}/performance_assessed_on", f"{label} ended {end.isoformat()}: a performance "
                                "assessment on termination is required (s.71)", accountable=who)
            continue
        if add_months(start, 12) > ctx.as_of:
            continue
        if assessed is None or add_months(assessed, 12) < ctx.as_of:
            shown = assessed.isoformat() if assessed else "never"
            yield Violation(f"{base}/performance_assessed_on", f"{label}: performance last assessed {shown}; s.71 "
                            f"needs an assessment every 12 months (the first period ran from {start.isoformat()})",
                            accountable=who)


@check_function(FUNCTIONS, "processor_terms", _NO_OPTIONS)
def processor_terms(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """PRIV-015: each processor is bound by Art. 28 terms in a contract that is still in force.

    Not judged once the data is disposed of (data.disposal.completed_on, and any sanitisation,
    on or before as_of). Under DPA 2018 Part 3 the duty is s.59.
    """
    if not holds_data(data, ctx):
        return
    law = "DPA 2018 s.59" if get(data, "/data/regime") == "dpa-part-3" else "UK GDPR Art. 28(3)"
    ends = {c["id"]: as_date(c.get("ends_on")) for _, _, c in contracts(data) if isinstance(c.get("id"), str)}
    for i, processor in enumerate(get_list(data, "/privacy/processors")):
        base = f"/privacy/processors/{i}"
        if not isinstance(processor, dict):
            continue  # the schema reports it (GOV-SCHEMA)
        name = processor.get("name") if isinstance(processor.get("name"), str) and processor.get("name") else f"processor {i + 1}"
        contract = processor.get("contract")
        if processor.get("art28_terms") is not True:
            yield Violation(f"{base}/art28_terms", f"{name}: no {law} processor terms are recorded (art28_terms is not true)")
        elif not (isinstance(contract, str) and contract.strip()):
            yield Violation(f"{base}/contract", f"{name}: no contract reference for its {law} terms")
        elif (end := ends.get(contract)) is not None and end < ctx.as_of:
            yield Violation(f"{base}/contract", f"{name}: its contract {contract} ended {end.isoformat()}, "
                            f"so the {law} terms lapsed with it")
