"""Check functions of the benefits and performance data family (GOV-019..022, docs/reference/rule-families.md section 9.2).

Findings on a measure belong to its benefit owner (``benefits.measures[].owner``), as a risk's
belong to its owner. Direction is inferred: a target below the baseline means lower is better.
"""

from __future__ import annotations

from typing import Any

from govern.core import phases
from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_list, named, phase
from govern.core.model import Accountable, Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}
MANDATORY_KPIS = ("cost-per-transaction", "user-satisfaction", "completion-rate", "digital-take-up")


def measures(data: Any):
    for i, item in enumerate(get_list(data, "/benefits/measures")):
        if isinstance(item, dict):
            name = item.get("name") if isinstance(item.get("name"), str) else f"measure {i + 1}"
            yield f"/benefits/measures/{i}", name, item


def owner(measure: dict[str, Any]) -> Accountable:
    holder = measure.get("owner")
    if named(holder):
        return Accountable("benefit_owner", holder["name"].strip(), holder.get("email") if isinstance(holder.get("email"), str) else None)
    return Accountable("benefit_owner")


@check_function(FUNCTIONS, "benefit_owner_named", _NO_OPTIONS)
def benefit_owner_named(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-019: each measure has a benefit owner with a name and an email."""
    for base, name, measure in measures(data):
        holder = measure.get("owner")
        if not named(holder):
            yield Violation(f"{base}/owner", f"{name}: no benefit owner is named")
        elif not (isinstance(holder.get("email"), str) and holder["email"].strip()):
            yield Violation(f"{base}/owner/email", f"{name}: the benefit owner ({holder['name']}) has no email")


def beta_entry(data: Any):
    """When the initiative entered beta: the first approval of a beta phase (private-beta, public-beta or beta),
    else the start of its first beta phase (phase_history, else phase_since while in one)."""
    days = [as_date(a.get("date")) for a in get_list(data, "/accountability/approvals")
            if isinstance(a, dict) and phases.is_beta(a.get("phase")) and a.get("decision") in ("approved", "approved-with-conditions")]
    days = [d for d in days if d is not None]
    if days:
        return min(days)
    return phases.first_start(data, phases.BETA)


@check_function(FUNCTIONS, "baseline_before_change", _NO_OPTIONS)
def baseline_before_change(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-020: each baseline was measured on or before the initiative entered beta."""
    entered = beta_entry(data)
    for base, name, measure in measures(data):
        day = as_date(measure.get("baseline_on"))
        if day is None:
            yield Violation(f"{base}/baseline_on", f"{name}: the baseline is undated", accountable=owner(measure))
        elif entered is not None and day > entered:
            yield Violation(f"{base}/baseline_on", f"{name}: the baseline was measured {day.isoformat()}, after the "
                            f"initiative entered beta on {entered.isoformat()}, so the change cannot be attributed",
                            accountable=owner(measure))


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _points(measure: dict[str, Any], key: str) -> list[tuple[Any, Any]]:
    out = []
    for point in measure.get(key) if isinstance(measure.get(key), list) else []:
        if isinstance(point, dict) and (day := as_date(point.get("on"))) is not None:
            out.append((day, point.get("value")))
    return sorted(out, key=lambda p: p[0])


@check_function(FUNCTIONS, "benefits_tracked", {"type": "object", "additionalProperties": False,
                                                "properties": {"months": {"type": "integer", "minimum": 1}}})
def benefits_tracked(data: Any, options: dict[str, Any], ctx: Any):
    """GOV-021: measures are measured while live and after their target date; behind trajectory is info."""
    months = options.get("months", 6)
    live = phase(data) == "live"
    for base, name, measure in measures(data):
        by = as_date(measure.get("by"))
        due = by is not None and by < ctx.as_of
        if not live and not due:
            continue
        actuals = [p for p in _points(measure, "actuals") if p[0] <= ctx.as_of]
        who = owner(measure)
        latest = actuals[-1] if actuals else None
        if due and not any(day >= by for day, _ in actuals):
            yield Violation(f"{base}/actuals", f"{name}: the target date {by.isoformat()} has passed and no "
                            "measurement on or after it is recorded", "warning", who)
        elif live and (latest is None or add_months(latest[0], months) < ctx.as_of):
            shown = f"the latest is {latest[0].isoformat()}" if latest else "none is recorded"
            yield Violation(f"{base}/actuals", f"{name}: no measurement within {months} months ({shown})", "warning", who)
        if latest is None:
            continue
        baseline, target, value = _number(measure.get("baseline")), _number(measure.get("target")), _number(latest[1])
        if value is None or target is None:
            continue
        lower = baseline is not None and target < baseline
        planned = [v for day, v in _points(measure, "trajectory") if day <= latest[0] and _number(v) is not None]
        aim = target if (by is not None and latest[0] >= by) else (planned[-1] if planned else None)
        if aim is not None and ((value > aim) if lower else (value < aim)):
            yield Violation(f"{base}/actuals", f"{name}: {value:g} on {latest[0].isoformat()} is behind the "
                            f"{'target' if aim is target else 'trajectory'} of {aim:g}", "info", who)


@check_function(FUNCTIONS, "performance_data_published", _NO_OPTIONS)
def performance_data_published(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-022: a live public transactional service publishes the four mandatory KPIs."""
    url = get(data, "/service/performance_data/url")
    if not (isinstance(url, str) and url.startswith("https://")):
        yield Violation("/service/performance_data/url", "no https address of the published performance data")
    kpis = {k for k in get_list(data, "/service/performance_data/kpis") if isinstance(k, str)}
    missing = [k for k in MANDATORY_KPIS if k not in kpis]
    if missing:
        yield Violation("/service/performance_data/kpis", f"mandatory KPIs not published: {', '.join(missing)}")
