"""The board pack's "Benefits" and "AI and algorithms" views: plain rows from the manifests' profiles.

``measure_profile`` and ``tool_profile`` keep the few fields of ``benefits.measures[]`` and
``algorithmic_tools[]`` that the views show (run in the checking worker, beside the people and
risks of ``govern.report.portfolio.manifest_profile``); ``benefit_rows`` and ``tool_rows`` turn the
profiles into rows of text. Nothing here reads files, prints or reads the clock; the rows hold
plain text and each reporter escapes it for its medium.

Decisions (docs/design/semantics.md 9.2 and 9.3, as GOV-021 reads them, so the view and the rule agree):

- the latest actual is the latest dated value on or before the as-of date: a value dated later was not
  known at the position the pack reports;
- it is set against the trajectory point of the latest date on or before the actual's date, or against
  the target once the actual is dated on or after the target date;
- direction is inferred: a target below the baseline means lower is better;
- a measure whose own owner is not named shows the initiative's benefit owner, marked as such, else
  "unassigned";
- values that are not numbers are shown but not compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from govern.core.dates import as_date

BENEFIT_HEADERS = ["Initiative", "Measure", "Baseline", "Latest actual", "Planned for that date", "Owner", "Status"]
TOOL_HEADERS = ["Initiative", "Tool", "Decision role", "ATRS record", "Safeguards and human oversight"]
DECISION_ROLES = {
    "none": "no role in decisions",
    "decision-support": "supports a human decision",
    "solely-automated": "solely automated decisions",
}
ATRS_STATUS = {"not-started": "not started", "in-progress": "in progress", "published": "published", "exempt": "exempt"}
SAFEGUARDS = (("informed", "people told"), ("representations", "representations"),
              ("human_intervention", "human intervention"), ("contest", "contest"))


@dataclass(frozen=True, slots=True)
class BenefitRow:
    initiative: str
    measure: str
    baseline: str
    latest: str
    planned: str
    owner: str
    status: str
    state: str  # ahead, met, behind, none (no actual), open (nothing to compare with), text (not numbers)

    def cells(self) -> list[str]:
        return [self.initiative, self.measure, self.baseline, self.latest, self.planned, self.owner, self.status]


@dataclass(frozen=True, slots=True)
class ToolRow:
    initiative: str
    tool: str
    role: str
    atrs: str
    atrs_url: str | None  # an https address of the published record, else None
    safeguards: str

    def cells(self) -> list[str]:
        return [self.initiative, self.tool, self.role, self.atrs, self.safeguards]


# -- what the checking worker keeps of each manifest ---------------------------------------------


def _scalar(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return value.strip() or None
    return None


def _name(holder: Any) -> str | None:
    if isinstance(holder, dict) and isinstance(holder.get("name"), str) and holder["name"].strip():
        return holder["name"].strip()
    return None


def _points(items: Any) -> list[tuple[dt.date, Any]]:
    out = []
    for point in items if isinstance(items, list) else []:
        if isinstance(point, dict) and (day := as_date(point.get("on"))) is not None:
            out.append((day, _scalar(point.get("value"))))
    return sorted(out, key=lambda p: p[0])


def measure_profile(data: Any) -> list[dict[str, Any]]:
    """``benefits.measures[]`` as the view reads them: plain values, dated points sorted by date."""
    benefits = data.get("benefits") if isinstance(data, dict) else None
    measures = benefits.get("measures") if isinstance(benefits, dict) else None
    out = []
    for i, m in enumerate(measures if isinstance(measures, list) else []):
        if not isinstance(m, dict):
            continue
        out.append({
            "name": _scalar(m.get("name")) if isinstance(m.get("name"), str) else None, "index": i,
            "unit": _scalar(m.get("unit")) if isinstance(m.get("unit"), str) else None,
            "baseline": _scalar(m.get("baseline")), "baseline_on": as_date(m.get("baseline_on")),
            "target": _scalar(m.get("target")), "by": as_date(m.get("by")), "owner": _name(m.get("owner")),
            "trajectory": _points(m.get("trajectory")), "actuals": _points(m.get("actuals")),
        })
    return out


def tool_profile(data: Any) -> list[dict[str, Any]]:
    """``algorithmic_tools[]`` as the view reads them."""
    tools = data.get("algorithmic_tools") if isinstance(data, dict) else None
    out = []
    for i, t in enumerate(tools if isinstance(tools, list) else []):
        if not isinstance(t, dict):
            continue
        oversight, safeguards, atrs = (t.get(k) if isinstance(t.get(k), dict) else None
                                       for k in ("human_oversight", "adm_safeguards", "atrs"))
        bias = t.get("bias_testing") if isinstance(t.get("bias_testing"), dict) else None
        out.append({
            "name": _scalar(t.get("name")) if isinstance(t.get("name"), str) else None, "index": i,
            "decision_role": t.get("decision_role") if isinstance(t.get("decision_role"), str) else None,
            "significant": t.get("significant_decisions") is True,
            "oversight": None if oversight is None else {
                "reference": _scalar(oversight.get("reference")) if isinstance(oversight.get("reference"), str) else None,
                "override": oversight.get("reviewer_can_override") if isinstance(oversight.get("reviewer_can_override"), bool) else None},
            "safeguards": None if safeguards is None else {k: safeguards.get(k) is True for k, _ in SAFEGUARDS},
            "atrs": None if atrs is None else {
                "status": atrs.get("status") if isinstance(atrs.get("status"), str) else None,
                "url": atrs.get("url") if isinstance(atrs.get("url"), str) else None,
                "exemption": _scalar(atrs.get("exemption")) if isinstance(atrs.get("exemption"), str) else None},
            "bias_tested_on": as_date(bias.get("completed_on")) if bias else None,
        })
    return out


# -- the rows -------------------------------------------------------------------------------


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _value(value: Any, unit: str | None) -> str:
    if value is None:
        return "not given"
    if isinstance(value, float):  # as written in the manifest: 44.8, 1250000.0 as 1250000, never 1.25e+06
        value = str(int(value)) if value.is_integer() else repr(value)
    if unit == "percent":
        return f"{value}%"
    return f"{value} {unit}" if unit else str(value)


def _dated(value: Any, day: dt.date | None, unit: str | None) -> str:
    return _value(value, unit) + (f" ({day.isoformat()})" if day is not None else "")


def assess(measure: dict[str, Any], as_of: dt.date) -> tuple[str, str, str, str]:
    """(latest actual, planned value, status in words, state) of one measure on ``as_of``."""
    unit = measure.get("unit")
    actuals = [p for p in measure.get("actuals") or () if p[0] <= as_of]
    if not actuals:
        later = len(measure.get("actuals") or ()) - len(actuals)
        note = f" ({later} dated after {as_of.isoformat()} not counted)" if later else ""
        return "none recorded", "", f"no actual yet{note}", "none"
    day, value = actuals[-1]
    latest = _dated(value, day, unit)
    target, by = measure.get("target"), measure.get("by")
    planned = [p for p in measure.get("trajectory") or () if p[0] <= day]
    if by is not None and day >= by and target is not None:
        aim, aim_text, what = target, _value(target, unit) + f" (target, by {by.isoformat()})", "target"
    elif planned:
        aim, aim_text, what = planned[-1][1], _dated(planned[-1][1], planned[-1][0], unit), "trajectory"
    else:
        return latest, "none on or before it", "not compared: nothing planned by then", "open"
    numbers = _number(value), _number(aim), _number(target), _number(measure.get("baseline"))
    if numbers[0] is None or numbers[1] is None:
        return latest, aim_text, "not compared: the values are not numbers", "text"
    lower = numbers[2] is not None and numbers[3] is not None and numbers[2] < numbers[3]
    behind = numbers[0] > numbers[1] if lower else numbers[0] < numbers[1]
    if behind:
        return latest, aim_text, f"behind {what}", "behind"
    reached = numbers[2] is not None and (numbers[0] <= numbers[2] if lower else numbers[0] >= numbers[2])
    if reached:
        return latest, aim_text, "target met", "met"
    return latest, aim_text, f"on or ahead of {what}", "ahead"


def benefit_rows(profiles: Any, manifests: dict, as_of: dt.date) -> list[BenefitRow]:
    """A row per measure, initiatives in file order and measures in manifest order."""
    rows = []
    for key, profile in profiles:
        initiative = _initiative(key, manifests)
        fallback = next((name for role, name in profile.get("people", ()) if role == "benefit_owner"), None)
        for m in profile.get("measures") or ():
            latest, planned, status, state = assess(m, as_of)
            owner = m["owner"] or (f"{fallback} (the initiative's benefit owner)" if fallback else "unassigned")
            rows.append(BenefitRow(initiative, m["name"] or f"measure {m['index'] + 1}",
                                   _dated(m["baseline"], m["baseline_on"], m["unit"]), latest, planned, owner, status, state))
    return rows


def _oversight(tool: dict[str, Any]) -> str:
    parts = []
    o = tool.get("oversight")
    if o is None:
        parts.append("no human oversight recorded")
    else:
        text = "human oversight" + (f" ({o['reference']})" if o.get("reference") else "")
        if o.get("override") is True:
            text += ", the reviewer can change the outcome"
        elif o.get("override") is False:
            text += ", the reviewer cannot change the outcome"
        parts.append(text)
    s = tool.get("safeguards")
    if s is not None:
        held = [words for k, words in SAFEGUARDS if s.get(k)]
        missing = [words for k, words in SAFEGUARDS if not s.get(k)]
        if not missing:
            parts.append("automated-decision safeguards: all four in place")
        else:
            parts.append("automated-decision safeguards missing: " + ", ".join(missing)
                         + (f" (in place: {', '.join(held)})" if held else ""))
    elif tool.get("decision_role") == "solely-automated" or tool.get("significant"):
        parts.append("no automated-decision safeguards recorded")
    day = tool.get("bias_tested_on")
    parts.append(f"bias tested {day.isoformat()}" if day is not None else "no bias test recorded")
    return "; ".join(parts)


def tool_rows(profiles: Any, manifests: dict) -> list[ToolRow]:
    """A row per algorithmic tool, initiatives in file order and tools in manifest order."""
    rows = []
    for key, profile in profiles:
        initiative = _initiative(key, manifests)
        for t in profile.get("tools") or ():
            role = DECISION_ROLES.get(t["decision_role"] or "", t["decision_role"] or "not recorded")
            if t["significant"]:
                role += ", with legal or similarly significant effects"
            a = t.get("atrs")
            url = None
            if a is None or not a.get("status"):
                atrs = "no record"
            else:
                atrs = ATRS_STATUS.get(a["status"], a["status"])
                if a["status"] == "exempt" and a.get("exemption"):
                    atrs += f": {a['exemption']}"
                if a["status"] == "published" and isinstance(a.get("url"), str) and a["url"].startswith("https://"):
                    url = a["url"]
            rows.append(ToolRow(initiative, t["name"] or f"tool {t['index'] + 1}", role, atrs, url, _oversight(t)))
    return rows


def _initiative(key: tuple[str, int], manifests: dict) -> str:
    m = manifests.get(key) or {}
    return m.get("initiative") or f"{m.get('file', key[0])}:{m.get('line', 1)}"
