"""``govern portfolio`` on a terminal: the board pack as plain-text tables (tabulate), at most 120 columns wide.

The sections are the HTML pack's, in its order (``board.SECTIONS``). A table wider
than ``WIDTH`` has its widest columns wrapped, words kept whole where they can be
(``fit``); paragraphs are wrapped to the same width.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import tabulate as _tabulate
from tabulate import tabulate

from govern.reporters import Reporter
from govern.report import board, records
from govern.core.text import one_line


WIDTH = 120
GAP = 2  # tabulate's "simple" format puts two spaces between columns
NARROWEST = 4
PAD = 0  # header padding: tabulate's MIN_PADDING, set to this while a table is drawn


def fit(headers: list[str], rows: list[list[str]], width: int = WIDTH) -> list[int] | None:
    """Column widths that make the table at most ``width`` wide, or None when it fits as it is.

    The widest column gives way first, one character at a time, down to its longest word; only when every
    column is at its longest word are words broken (down to ``NARROWEST``), except the first word of the
    first column: an initiative's ID is never cut in two.
    """
    columns = list(zip(*rows)) if rows else [("",) for _ in headers]
    # tabulate pads a header by two: a column is as wide as its widest cell or its header plus two
    widths = [max(max(len(cell) for cell in column), len(h) + PAD) for h, column in zip(headers, columns)]
    words = [max([len(w) for cell in column for w in _chunks(cell)] + [len(w) + PAD for w in h.split()] + [1])
             for h, column in zip(headers, columns)]
    budget = width - GAP * (len(widths) - 1)
    if sum(widths) <= budget:
        return None
    ident = max([len(row[0].split()[0]) for row in rows if row and row[0].split()] + [NARROWEST])
    for floor in (words, [ident] + [NARROWEST] * (len(widths) - 1)):
        while sum(widths) > budget:
            shrinkable = [i for i, w in enumerate(widths) if w > max(floor[i], NARROWEST)]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: (widths[i], -i))
            widths[widest] -= 1
    return widths


def _chunks(cell: str) -> list[str]:
    """The pieces a wrap keeps whole: words, and a hyphenated word's parts (the wrap may break after a hyphen)."""
    return [part for word in cell.split() for part in re.findall(r"[^-]*-|[^-]+", word)]


def _table(headers: list[str], rows: list[list[str]]) -> str:
    safe = [[board.neutralise(one_line(cell)) for cell in row] for row in rows]  # a row never starts with `::`
    widths = fit(headers, safe)
    wrap = {} if widths is None else {"maxcolwidths": widths, "maxheadercolwidths": [max(w - PAD, 1) for w in widths]}
    padding, _tabulate.MIN_PADDING = _tabulate.MIN_PADDING, PAD
    try:
        drawn = tabulate(safe, headers=headers, tablefmt="simple", disable_numparse=True, **wrap)
    finally:
        _tabulate.MIN_PADDING = padding
    return "\n".join(one_line(line) for line in drawn.split("\n")) if wrap else drawn  # a wrapped line never starts `::`


def compliance(p: Any) -> tuple[list[str], list[list[str]]]:
    """The compliance table with ID and name in one column: on a terminal, the domains need the width."""
    headers, rows = board.compliance(p)
    return ["Initiative", *headers[2:]], [[" ".join(c for c in row[:2] if c), *row[2:]] for row in rows]


def para(text: str) -> list[str]:
    """A paragraph wrapped to ``WIDTH`` columns, markup shown escaped."""
    return _lines(board.neutralise(one_line(text))) or [""]


def _lines(text: str, indent: str = "", more: str = "") -> list[str]:
    """``text`` wrapped to ``WIDTH``; a line the wrap starts with ``::`` is defused as ``one_line`` defuses a value."""
    return [one_line(line) for line in textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=more,
                                                     break_long_words=True, break_on_hyphens=False)]


def render(report: Any) -> str:
    p = board.portfolio_of(report)
    out = [f"Portfolio board pack (govern {p.version})", ""]
    for anchor, title in board.sections(p):
        out += [title, "=" * len(title), ""]
        out += SECTION[anchor](p)
    return "\n".join(out)


def _decisions(p: Any) -> list[str]:
    out = [*para(board.decisions_intro(p)), ""]
    if not p.decisions:
        out += [*para(board.decisions_empty(p)), ""]
    for title, rows in board.decisions(p):
        out += [title, "", _table(board.DECISION_HEADERS, rows), ""]
    if board.decisions_none(p):
        out += [*para(board.decisions_none(p)), ""]
    out += ["Board decisions on record", "", *para(records.board_decisions_intro(p)), ""]  # as the HTML and markdown packs
    if p.board_decisions:
        out += [_table(*records.board_decisions(p)), ""]
    return out


def _summary(p: Any) -> list[str]:
    out = [*para(board.headline(p)), ""]
    for o in p.overrides:  # a verdict tuned by configuration says so where the board reads
        out += para(f"Severity changed by configuration: {o['rule']} {o['title']}: {o['default']} -> {o['severity']}")
    if board.not_run(p):
        out += para(board.not_run(p))
    return out + ([""] if p.overrides or p.not_run else [])


def _compliance(p: Any) -> list[str]:
    return [_table(*compliance(p)), "", *para(board.legend()), ""]


def _accountability(p: Any) -> list[str]:
    out = [_table(*board.accountability(p)), "", *para(board.folded(p)), ""]
    out += ["Vacant accountable roles, by initiative", ""]
    out += [line for v in board.vacancies(p) for line in para(f"- {v}")] or ["None: every role that owns findings is held."]
    out += ["", *para(board.concentration_intro(p))]
    out += [line for c in board.concentrations(p) for line in para(f"- {c}")] or ["None."]
    out.append("")
    if p.notices:
        out += ["Portfolio notices (not counted above)", ""]
        out += [line for n in p.notices
                for line in para(f"{board.where(n.file, n.line)}  WARNING  {one_line(n.rule)}  {one_line(n.message)}")]
        out.append("")
    return out


def _appetite(p: Any) -> list[str]:
    if p.appetite is None:
        return ["No valid risk appetite statement was read, so risks are not scored.", ""]
    return [*para(f"Statement: {board.text(p.appetite.get('name'))}"), "", _table(*board.appetite(p)), ""]


def _top(p: Any) -> list[str]:
    return [*para(board.top_intro(p)), "", _table(*board.top(p)), ""]


def _heatmaps(p: Any) -> list[str]:
    out = []
    for heat in p.heatmaps:
        out += [*para(f"{heat.kind.capitalize()} risk heatmap (counts; likelihood rows 5..1, impact columns 1..5; "
                      f"{heat.unplaced} not placed)"), "", _table(*board.heatmap_rows(heat)), ""]
    return out


def _benefits(p: Any) -> list[str]:
    return [*para(board.benefits_intro(p)), "", _table(*board.benefits(p)), ""]


def _algorithms(p: Any) -> list[str]:
    return [*para(board.tools_intro(p)), "", _table(*board.tools(p)), ""]


def _comparison(p: Any) -> list[str]:
    since = p.comparison.previous_as_of or "the previous report"
    out = [*para(f"Since {board.text(since)} ({board.text(p.comparison.previous_file)})"), ""]
    out += [line for sentence in board.arrivals(p) for line in para(sentence)]
    return [*out, *para(board.travel_legend()), "", _table(*board.comparison(p)), ""]


def _trends(p: Any) -> list[str]:
    from govern.report.history import history_table

    return [*para(f"Per meeting, from {len(p.history) - 1} earlier reports and this one."), "",
            _table(*history_table(p.history)), ""]


def _details(p: Any) -> list[str]:
    """Each initiative's findings, worst first, located as file:line (the HTML pack's details, as text)."""
    p.fill_details()
    out = []
    for row in [*p.rows, *([p.portfolio_row] if p.portfolio_row is not None else [])]:
        title = f"{row.label} {row.name}" if row.id and row.name else (row.name or row.label)
        out += para(f"{title}: {row.total.mark()}")
        for f in sorted(row.findings, key=lambda f: (f.waived, {"error": 0, "warning": 1}.get(f.severity, 2), f.rule, f.line)):
            state = "WAIVED" if f.waived else f.severity.upper()
            out += _lines(board.neutralise(one_line(f"{f.rule} {state} {board.where(f.file, f.line)}: {f.message}")),
                          "  ", "    ")
        if not row.findings:
            out.append("  No findings.")
        out.append("")
    return out


SECTION = {"decisions": _decisions, "summary": _summary, "compliance": _compliance, "accountability": _accountability,
           "risk-appetite": _appetite, "top-risks": _top, "heatmaps": _heatmaps, "benefits": _benefits, "algorithms": _algorithms, "comparison": _comparison, "trends": _trends, "details": _details}


REPORTER = Reporter("table", render, ("portfolio",), "the board tables as plain text (default for portfolio)")
