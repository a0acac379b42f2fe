"""``govern portfolio --format csv``: the three board tables in one rectangular CSV.

The first column, ``table``, says which table a row belongs to (compliance,
accountability, risk_appetite); columns that do not apply to a table are
empty; with ``--compare``, ``comparison`` rows give the new, resolved and
unchanged findings per initiative, per domain and in total (``name`` holds the
previous report's date); ``scope`` rows give, per initiative (``key``), each rule (``name``) that does
not bind it (``status`` "not applicable: organisation type ...") or binds it only by assumption or
adoption (``status`` "assumed scope" or "adopted, not binding"). Written with the ``csv`` module (RFC 4180 quoting), so it reads back
with ``csv.reader``. A manifest value that a spreadsheet would run as a
formula (leading ``=``, ``+``, ``-``, ``@``) is prefixed with ``'``, and
markup is shown escaped.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from govern.report.accountability import EXPIRY_WINDOWS
from govern.report.portfolio import Counts, Portfolio, portfolio_of
from govern.reporters import Reporter
from govern.report import board

FIXED = ["table", "group", "key", "name", "department", "phase", "roles", "initiatives"]
TAIL = ["errors", "warnings", "info", "waived", "status", "overdue_reviews",
        *(f"expiring_{w}_days" for w in EXPIRY_WINDOWS),
        "level", "highest_tolerated_score", "impact_cap", "risks", "above_appetite", "accepted", "unaccepted",
        "highest_residual", "new", "resolved", "unchanged"]


def value(text: Any) -> str:
    """A manifest value made safe for a spreadsheet."""
    cell = board.neutralise(board.text(text))
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def columns(p: Portfolio) -> list[str]:
    return [*FIXED, *p.domains, *TAIL]


def _compliance(p: Portfolio, emit) -> None:
    def line(group, key, name, department, phase, counts: dict[str, Counts], overall: Counts) -> None:
        cells = {"table": "compliance", "group": group, "key": key, "name": name, "department": department, "phase": phase}
        cells.update({d: counts[d].mark(p.checked[d]) for d in p.domains})
        cells.update(errors=overall.errors, warnings=overall.warnings, info=overall.info, waived=overall.waived,
                     status=overall.status())
        emit(cells)

    groups = p.groups or [("", p.rows, None)]
    for group, members, subtotal in groups:
        for r in members:
            line(value(group), value(r.label), value(r.name), value(r.department), value(r.phase), r.domains, r.total)
        if subtotal is not None:
            total = Counts()
            for c in subtotal.values():
                total.merge(c)
            line(value(group), "SUBTOTAL", "", "", "", subtotal, total)
    if p.portfolio_row is not None:
        line("", "PORTFOLIO", value(p.portfolio_row.name), "", "", p.portfolio_row.domains, p.portfolio_row.total)
    line("", "TOTAL", "", "", "", p.totals, p.total)


def render(report: Any) -> str:
    p = portfolio_of(report)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(p), lineterminator="\r\n", restval="")
    writer.writeheader()
    _compliance(p, writer.writerow)
    for r in p.people:
        writer.writerow({
            "table": "accountability", "key": value(r.name),
            "roles": "; ".join(value(role) for role in r.roles),
            "initiatives": "; ".join(value(i) for i in r.initiatives), "errors": r.errors, "warnings": r.warnings,
            "info": r.info, "waived": r.waived, "overdue_reviews": r.overdue_reviews,
            **{f"expiring_{w}_days": r.expiring[w] for w in EXPIRY_WINDOWS},
        })
    for c in p.categories:
        writer.writerow({
            "table": "risk_appetite", "key": value(c.category) if c.category else "NOT-IN-STATEMENT",
            "initiatives": "; ".join(value(i) for i in c.initiatives), "level": c.level or "",
            "highest_tolerated_score": "" if c.threshold is None else c.threshold,
            "impact_cap": "" if c.impact_cap is None else c.impact_cap, "risks": c.risks,
            "above_appetite": "" if c.category is None else c.above,
            "accepted": "" if c.category is None else c.accepted,
            "unaccepted": "" if c.category is None else c.unaccepted,
            "highest_residual": "" if c.highest_residual is None else c.highest_residual,
        })
    for r in p.rows:  # table scope: rules out of scope, and findings of assumed or adopted scope
        for rule, mark in sorted(r.scoped.items()):
            writer.writerow({"table": "scope", "key": value(r.label), "name": value(rule), "status": mark})
        for rule, why in sorted(r.not_applicable.items()):
            writer.writerow({"table": "scope", "key": value(r.label), "name": value(rule),
                             "status": value(f"not applicable: {why}")})
    c = p.comparison
    if c is not None:  # table comparison: key "initiative:<id>", "domain:<name>" or "total"
        changes = [(f"initiative:{value(k)}" if k else "initiative:(portfolio)", v) for k, v in c.initiatives.items()]
        changes += [(f"domain:{value(k)}", v) for k, v in c.domains.items()] + [("total", c.totals)]
        for key, change in changes:
            previous = value(c.previous_as_of or "")
            writer.writerow({"table": "comparison", "key": key, "name": previous, **change.to_dict()})
    return out.getvalue()


REPORTER = Reporter("csv", render, ("portfolio",), "the board tables as one CSV (a `table` column says which)")
