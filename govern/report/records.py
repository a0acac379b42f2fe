"""The board pack's risk-appetite records as text rows: board decisions on record, the statement in use,
and the zone grids per category (docs/design/semantics.md 8.7), shared by the HTML, markdown and text formats.
"""

from __future__ import annotations

from typing import Any

from govern.report.board import plain_file, text
from govern.report.portfolio import Portfolio, plural

BOARD_DECISION_HEADERS = ["Initiative", "Risk", "What it accepted", "Board", "Minute", "Date", "Lapses", "Status"]
ZONE_NAMES = {"appetite": "within appetite", "tolerance": "within tolerance", "outside": "outside tolerance",
              "capacity": "at capacity"}


def board_decisions(p: Portfolio) -> tuple[list[str], list[list[str]]]:
    """Every board decision recorded on a risk (risks[].escalation.decision): what it accepted and when it lapses.

    A lapsed decision, one dated after the run and one that does not count are flagged in the Status column.
    """
    rows = []
    for d in p.board_decisions:
        zone = ZONE_NAMES.get(d["zone"] or "", "not scored")
        accepted = f"{text(d['category'])} risk {zone}" + (f", residual score {d['score']}" if d["score"] is not None else "")
        status = {"in force": "In force", "lapsed": "LAPSED", "not yet": "NOT YET IN FORCE",
                  "does not count": "DOES NOT COUNT"}[d["status"]]
        if d.get("why"):
            status += f": {text(d['why'])}"
        rows.append([text(d["initiative"]) or plain_file(d["file"]), text(d["risk"]) or "", accepted, text(d["board"]),
                     text(d["minute"]), text(d["date"]), text(d["lapses"]), status])
    return BOARD_DECISION_HEADERS, rows


def board_decisions_intro(p: Portfolio) -> str:
    n = len(p.board_decisions)
    live = sum(1 for d in p.board_decisions if d["status"] == "in force")
    if not n:
        return "No board decision is recorded on any risk (risks[].escalation.decision)."
    return (f"{plural(n, 'board decision')} recorded on risks, {live} in force as of {p.as_of.isoformat()}. "
            "A decision without an expiry date lapses 365 days after it was taken; a lapsed one no longer accepts its risk.")


def statement_line(p: Portfolio) -> str:
    """Which statement judged the risks, and the run notice when it is the bundled example."""
    a = p.appetite
    if a is None:
        return "No valid risk appetite statement was read, so risks are not scored."
    out = f"Risk appetite statement {text(a.get('name')) or '(unnamed)'}"
    if a.get("default"):
        return out + (" (govern's bundled example, approved by no board: RISK-APPETITE-DEFAULT, replace it with "
                      "your board's statement)")
    if a.get("approved_by"):
        out += f", approved by {text(a['approved_by'])}"
    if a.get("approved_on"):
        out += f" on {text(a['approved_on'])}"
    return out


ZONE_MARKS = {"appetite": "A", "tolerance": "T", "outside": "O", "capacity": "C"}  # a text cue, never colour alone


def zone_map_title(zmap: Any, p: Portfolio) -> str:
    name = text((p.appetite or {}).get("name")) or "the statement"
    return (f"{zmap.category.capitalize()} ({zmap.level}: appetite {zmap.appetite}, tolerance {zmap.tolerance}"
            + (f", capacity {zmap.capacity}" if zmap.capacity is not None else "") + f") under {name}")


def zone_map_rows(zmap: Any) -> tuple[list[str], list[list[str]]]:
    """A category's grid as text: each cell gives its zone's letter and the residual risks in it."""
    headers = ["Likelihood \\ Impact", "1", "2", "3", "4", "5"]
    rows = [[str(likelihood), *(f"{ZONE_MARKS[zmap.zone(likelihood, impact)]} {zmap.count(likelihood, impact)}"
                                for impact in range(1, 6))] for likelihood in range(5, 0, -1)]
    return headers, rows


def zone_legend(p: Portfolio) -> str:
    name = text((p.appetite or {}).get("name")) or "the statement"
    return (f"Zones of statement {name}: A within appetite, T within tolerance, O outside tolerance, C at capacity; "
            "each cell gives its zone's letter and the number of residual risks of the category in it.")
