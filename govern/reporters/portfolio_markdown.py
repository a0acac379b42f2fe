"""``govern portfolio --format markdown``: the board tables as GitHub-flavoured markdown.

Every cell is escaped for GFM as in the check's pull-request comment
(``govern.reporters.mdtext.cell``): one line, control characters shown
escaped, ``|`` and markdown punctuation with a backslash, ``&``, ``<`` and
``>`` as entities, and ``@mentions``, ``#123`` references and bare URLs made
inert, so a manifest value (or an appetite statement's name, or a field of a
``--compare`` report) can neither break a table, inject HTML or a link, nor
ping a team when the pack is posted as a comment.
"""

from __future__ import annotations

from typing import Any

from govern.reporters import Reporter
from govern.report import board
from govern.reporters.mdtext import cell as escape


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(escape(h) for h in headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(escape(cell) if cell else " " for cell in row) + " |" for row in rows]
    return lines


def render(report: Any) -> str:
    p = board.portfolio_of(report)
    out = ["# Portfolio board pack", "", escape(board.headline(p)), ""]
    if board.not_run(p):
        out += [escape(board.not_run(p)), ""]
    out += ["## Decisions for the board", "", escape(board.decisions_intro(p)), ""]
    if not p.decisions:
        out += [escape(board.decisions_empty(p)), ""]
    for title, rows in board.decisions(p):
        out += [f"### {escape(title)}", "", *table(board.DECISION_HEADERS, rows), ""]
    if board.decisions_none(p):
        out += [escape(board.decisions_none(p)), ""]
    out += ["## Compliance", "", *table(*board.compliance(p)), "", escape(board.legend()), ""]
    out += ["## Accountability", "", *table(*board.accountability(p)), "", escape(board.folded(p)), ""]
    out += ["### Vacant accountable roles, by initiative", ""]
    out += [f"- {escape(line)}" for line in board.vacancies(p)] or ["None: every role that owns findings is held."]
    out += ["", "### Concentration", "", escape(board.concentration_intro(p)), ""]
    out += [f"- {escape(line)}" for line in board.concentrations(p)] or ["None."]
    out.append("")
    if p.notices:
        out += ["Portfolio notices (not counted above):", ""]
        out += [f"- {escape(board.text(f'{n.file}:{n.line}:{n.column} {n.rule} {n.message}'))}" for n in p.notices]
        out.append("")
    out += ["## Risk appetite", ""]
    if p.appetite is None:
        out += ["No valid risk appetite statement was read, so risks are not scored.", ""]
    else:
        out += [f"Statement: {escape(board.text(p.appetite.get('name')))}", "", *table(*board.appetite(p)), ""]
    out += ["## Top 10 risks", "", escape(board.top_intro(p)), "", *table(*board.top(p)), "", "## Risk heatmaps", ""]
    for heat in p.heatmaps:
        out += [f"### {heat.kind.capitalize()} risk heatmap", "",
                f"Counts of risks; {heat.unplaced} not placed.", "", *table(*board.heatmap_rows(heat)), ""]
    if p.benefits:
        out += ["## Benefits", "", escape(board.benefits_intro(p)), "", *table(*board.benefits(p)), ""]
    if p.tools:
        out += ["## AI and algorithms", "", escape(board.tools_intro(p)), "", *table(*board.tools(p)), ""]
    if p.comparison is not None:
        since = p.comparison.previous_as_of or "the previous report"
        out += [f"## Since {escape(since)}", "", *(f"- {escape(line)}" for line in board.arrivals(p)), "",
                escape(board.travel_legend()), "", *table(*board.comparison(p)), ""]
    if p.history is not None:
        from govern.report.history import history_table

        out += ["## Trends", "", *table(*history_table(p.history)), ""]
    return "\n".join(out)


REPORTER = Reporter("markdown", render, ("portfolio",), "the board tables as GitHub-flavoured markdown")
