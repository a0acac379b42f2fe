"""``govern portfolio --format json``, validated by ``schemas/portfolio-report.schema.json``.

``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``, and the
controls JSON leaves raw (DEL, C1, U+2028/U+2029, bidi) as ``\\u`` escapes too
(``sanitize.json_safe``): the same JSON value, but the bytes are safe to embed in
a web page, to print and to log.
"""

from __future__ import annotations

from typing import Any

from govern.report.accountability import EXPIRY_WINDOWS
from govern.report.portfolio import Counts, Portfolio, portfolio_of
from govern.reporters import Reporter
from govern.report.board import accountability_totals
from govern.report.direction import risk_key
from govern.core.rows import Rows
from govern.core.text import json_safe
from govern.reporters.jsonwrite import finding_row, iter_json


def _line(p: Portfolio, counts: dict[str, Counts], overall: Counts) -> dict[str, Any]:
    return {"domains": {d: counts[d].to_dict(p.checked[d]) for d in p.domains}, "overall": overall.to_dict()}


def _expiring(counts: dict[int, int]) -> dict[str, int]:
    return {f"within_{w}_days": counts[w] for w in EXPIRY_WINDOWS}


def portfolio_dict(p: Portfolio) -> dict[str, Any]:
    rows = Rows(p.rows, lambda r: {"initiative": r.id, "name": r.name, "department": r.department, "phase": r.phase,
                                   "file": r.file, "document": r.document, "anchor": r.anchor, **_line(p, r.domains, r.total)})
    groups = [
        {"group": group, "initiatives": [r.label for r in members], "totals": _line(p, subtotal, _total(subtotal))}
        for group, members, subtotal in p.groups
    ]
    totals = accountability_totals(p)
    people = Rows(p.people, lambda r: {
        "name": r.name, "person": r.person, "unassigned_role": r.role if r.person is None else None, "roles": r.roles,
        "initiatives": r.initiatives, "errors": r.errors, "warnings": r.warnings, "info": r.info, "waived": r.waived,
        "overdue_reviews": r.overdue_reviews, "expiring": _expiring(r.expiring), "expiring_items": r.expiring_items})
    categories = [
        {"category": c.category, "aliases": c.aliases, "level": c.level, "threshold": c.threshold, "impact_cap": c.impact_cap,
         "risks": c.risks, "above_appetite": c.above, "accepted": c.accepted, "unaccepted": c.unaccepted,
         "highest_residual": c.highest_residual, "initiatives": c.initiatives}
        for c in p.categories if c.category is not None
    ]
    unknown = next((c for c in p.categories if c.category is None), None)
    return {
        "govern_version": p.version,
        "command": "portfolio",
        "as_of": p.as_of.isoformat(),
        "group_by": p.group_by,
        "appetite": p.appetite,
        "summary": p.summary(),
        **({"overrides": p.overrides} if p.overrides else {}),
        **({"rules_not_run": p.not_run} if p.not_run else {}),
        "decisions": {"window_days": p.decision_window, "items": [d.to_dict() for d in p.decisions]},
        "domains": p.domains,
        "compliance": {
            "rows": rows,
            "portfolio": _line(p, p.portfolio_row.domains, p.portfolio_row.total) if p.portfolio_row else None,
            "totals": _line(p, p.totals, p.total),
            "groups": groups,
        },
        "accountability": {
            "rows": people, "totals": {**totals, "expiring": _expiring(totals["expiring"])},
            "nothing_to_answer": [r.name for r in p.quiet],
            "vacant_roles": [{"initiative": i, "roles": roles} for i, roles in p.vacant.items()],
            "sro_limit": p.sro_limit,
            "concentration": [{"person": c.person, "reason": c.reason, "initiatives": list(c.initiatives)}
                              for c in p.concentration],
        },
        "risk_appetite": {
            "rows": categories,
            "not_in_statement": {"risks": unknown.risks, "initiatives": unknown.initiatives} if unknown else None,
        },
        "heatmaps": {
            heat.kind: {
                "cells": [{"likelihood": 5 - i, "impact": j + 1, "score": (5 - i) * (j + 1), "count": n}
                          for i, row in enumerate(heat.cells) for j, n in enumerate(row)],
                "unplaced": heat.unplaced,
            }
            for heat in p.heatmaps
        },
        "board_decisions": [{k: v for k, v in d.items()} for d in p.board_decisions],
        "zone_heatmaps": [
            {"category": z.category, "level": z.level, "appetite": z.appetite, "tolerance": z.tolerance,
             "capacity": z.capacity,
             "cells": [{"likelihood": 5 - i, "impact": j + 1, "score": (5 - i) * (j + 1), "zone": zone,
                        "count": z.cells[i][j]} for i, row in enumerate(z.zones) for j, zone in enumerate(row)]}
            for z in p.zone_maps
        ],
        "risks": Rows(p.risks, lambda r: _risk(p, r)),  # written as made: never a second list of every risk
        "direction": _direction(p),
        "comparison": _comparison(p),
        "notices": [n.to_dict() for n in p.notices],
        "findings": Rows(p.findings, finding_row),
    }


def _total(counts: dict[str, Counts]) -> Counts:
    total = Counts()
    for c in counts.values():
        total.merge(c)
    return total


def _risk(p: Portfolio, r: dict[str, Any]) -> dict[str, Any]:
    out = {k: r[k] for k in ("initiative", "index", "id", "title", "category", "score", "breach", "accepted", "owner")}
    if p.direction is not None and p.direction.risks_compared:
        move = p.direction.risks.get(risk_key(r))
        out["movement"] = move.state if move else None
    return out


def _direction(p: Portfolio) -> dict[str, Any] | None:
    d = p.direction
    if d is None:
        return None
    return {
        "initiatives": [{"initiative": k, "movement": m.state} for k, m in d.initiatives.items()],
        "removed": [{"initiative": r["initiative"], "name": r["name"]} for r in d.removed],
        "risks_compared": d.risks_compared,
        "closed_risks": [{"initiative": r["initiative"], "id": r["id"], "title": r["title"]} for r in d.closed_risks],
    }


def _comparison(p: Portfolio) -> dict[str, Any] | None:
    c = p.comparison
    if c is None:
        return None
    return {
        "previous_as_of": c.previous_as_of,
        "previous_file": c.previous_file,
        "totals": c.totals.to_dict(),
        "initiatives": [{"initiative": k, **v.to_dict()} for k, v in c.initiatives.items()],
        "domains": [{"domain": k, **v.to_dict()} for k, v in c.domains.items()],
        "new": c.new,
        "resolved": c.resolved,
    }


def stream(report: Any):
    """The report in pieces; ``<``, ``>`` and ``&`` escaped in each (they occur only inside strings)."""
    for piece in iter_json(portfolio_dict(portfolio_of(report))):
        yield json_safe(piece.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    yield "\n"


def render(report: Any) -> str:
    return "".join(stream(report))


REPORTER = Reporter("json", render, ("portfolio",), "the portfolio report (schemas/portfolio-report.schema.json)", stream)
