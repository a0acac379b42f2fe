"""``govern portfolio`` on a terminal: the three board tables as plain-text tables (tabulate)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from govern.reporters import Reporter
from govern.report import board
from govern.core.text import one_line


def _table(headers: list[str], rows: list[list[str]]) -> str:
    safe = [[board.neutralise(one_line(cell)) for cell in row] for row in rows]  # a row never starts with `::`
    return tabulate(safe, headers=headers, tablefmt="simple", disable_numparse=True)


def render(report: Any) -> str:
    p = board.portfolio_of(report)
    out = [f"Portfolio board pack (govern {p.version})", board.headline(p), ""]
    out += ["Decisions for the board", "", board.decisions_intro(p), ""]
    if not p.decisions:
        out += [board.decisions_empty(p), ""]
    for title, rows in board.decisions(p):
        out += [title, "", _table(board.DECISION_HEADERS, rows), ""]
    if board.decisions_none(p):
        out += [board.decisions_none(p), ""]
    out += ["Compliance", "", _table(*board.compliance(p)), "", board.legend(), ""]
    out += ["Accountability", "", _table(*board.accountability(p)), "", board.neutralise(board.folded(p)), ""]
    out += ["Vacant accountable roles, by initiative", ""]
    out += [board.neutralise(f"- {line}") for line in board.vacancies(p)] or ["None: every role that owns findings is held."]
    out += ["", board.concentration_intro(p)]
    out += [board.neutralise(f"- {line}") for line in board.concentrations(p)] or ["None."]
    out.append("")
    if p.notices:
        out += ["Portfolio notices (not counted above)", ""]
        out += [board.neutralise(f"{one_line(n.file)}:{n.line}:{n.column}  WARNING  {one_line(n.rule)}  {one_line(n.message)}")
                for n in p.notices]
        out.append("")
    if p.appetite is None:
        out += ["Risk appetite", "", "No valid risk appetite statement was read, so risks are not scored.", ""]
    else:
        out += [f"Risk appetite (statement {board.text(p.appetite.get('name'))})", "", _table(*board.appetite(p)), ""]
    for heat in p.heatmaps:
        out += [f"{heat.kind.capitalize()} risk heatmap (counts; likelihood rows 5..1, impact columns 1..5; "
                f"{heat.unplaced} not placed)", "", _table(*board.heatmap_rows(heat)), ""]
    if p.comparison is not None:
        since = p.comparison.previous_as_of or "the previous report"
        out += [f"Since {board.text(since)} ({board.text(p.comparison.previous_file)})", "",
                _table(*board.comparison(p)), ""]
    return "\n".join(out)


REPORTER = Reporter("table", render, ("portfolio",), "the board tables as plain text (default for portfolio)")
