"""Direction of travel: each initiative and each risk against the previous report (issue 17, item 2).

A board reads "what got worse" before "what is wrong". With ``--compare`` (a
previous ``govern portfolio --format json`` report), every initiative row and
every risk gets a movement: new, worse, better, unchanged or closed, written as
an arrow and a word (``MOVES``), never by colour alone. Initiatives move by
their open errors, then warnings; risks by their residual score. The top 10
risks by residual score carry the same movement.

The previous report is input: every field is read defensively (a report of an
older govern has no ``risks`` list, so its risks are "not compared", not new).
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TOP = 10
MOVES = {
    "new": "+ new",
    "worse": "\u2193 worse",
    "better": "\u2191 better",
    "unchanged": "\u2192 unchanged",
    "closed": "\u00d7 closed",
}


@dataclass(frozen=True, slots=True)
class Move:
    """How one initiative or risk moved: its state and what it was before (None when new)."""

    state: str  # a key of MOVES
    before: Any = None

    @property
    def words(self) -> str:
        return MOVES[self.state]


@dataclass(slots=True)
class Direction:
    """Movements since the previous report, and the initiatives and risks that came and went."""

    initiatives: dict[str, Move] = field(default_factory=dict)  # id -> move, for every current initiative
    risks: dict[tuple[str, str], Move] = field(default_factory=dict)  # (initiative, risk) -> move
    removed: list[dict[str, Any]] = field(default_factory=list)  # initiatives of the previous report no longer here
    closed_risks: list[dict[str, Any]] = field(default_factory=list)
    risks_compared: bool = False  # the previous report lists its risks (govern with board pack version 2)


def risk_key(risk: dict[str, Any]) -> tuple[str, str]:
    """A risk across reports: its initiative and its ID (or its position when it has none)."""
    return (str(risk.get("initiative") or ""), str(risk.get("id") or f"#{risk.get('index', 0)}"))


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _previous_rows(previous: dict[str, Any]) -> dict[str, dict[str, Any]]:
    compliance = previous.get("compliance") if isinstance(previous.get("compliance"), dict) else {}
    rows = compliance.get("rows") if isinstance(compliance.get("rows"), list) else []
    out = {}
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("initiative"), str):
            overall = row.get("overall") if isinstance(row.get("overall"), dict) else {}
            out.setdefault(row["initiative"], {"initiative": row["initiative"], "name": row.get("name") if isinstance(
                row.get("name"), str) else None, "errors": _int(overall.get("errors")) or 0,
                "warnings": _int(overall.get("warnings")) or 0})
    return out


def _previous_risks(previous: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]] | None:
    risks = previous.get("risks")
    if not isinstance(risks, list):
        return None
    out = {}
    for risk in risks:
        if isinstance(risk, dict):
            out.setdefault(risk_key(risk), {"initiative": risk.get("initiative"), "id": risk.get("id"),
                                            "title": risk.get("title"), "score": _int(risk.get("score"))})
    return out


def _compare(now: tuple[int, ...] | int | None, before: tuple[int, ...] | int | None) -> str:
    if now is None or before is None or now == before:
        return "unchanged"
    return "worse" if now > before else "better"


def direction(rows: list[Any], risks: list[dict[str, Any]], previous: dict[str, Any]) -> Direction:
    """Each current initiative (``InitiativeRow``) and risk against the previous report's."""
    out = Direction()
    before_rows = _previous_rows(previous)
    for row in rows:
        if row.id is None:
            continue
        before = before_rows.get(row.id)
        if before is None:
            out.initiatives[row.id] = Move("new")
        else:
            now = (row.total.errors, row.total.warnings)
            out.initiatives[row.id] = Move(_compare(now, (before["errors"], before["warnings"])),
                                           f"{before['errors']}E {before['warnings']}W")
    current = set(out.initiatives)
    out.removed = [row for key, row in sorted(before_rows.items()) if key not in current]
    before_risks = _previous_risks(previous)
    out.risks_compared = before_risks is not None
    if before_risks is None:
        return out
    for risk in risks:
        key = risk_key(risk)
        before = before_risks.get(key)
        if before is None:
            out.risks[key] = Move("new")
        else:
            out.risks[key] = Move(_compare(risk.get("score"), before["score"]), before["score"])
    keys = {risk_key(r) for r in risks}
    out.closed_risks = [r for key, r in sorted(before_risks.items()) if key not in keys]
    return out


def top_risks(risks: list[dict[str, Any]], n: int = TOP) -> list[dict[str, Any]]:
    """The ``n`` risks with the highest residual score: unscored risks never rank; ties by initiative and ID."""
    scored = [r for r in risks if isinstance(r.get("score"), int)]
    return sorted(scored, key=lambda r: (-r["score"], str(r.get("initiative") or ""), str(r.get("id") or "")))[:n]


def movement(move: Move | None) -> str:
    """A movement in words, with what it was before: "↓ worse (was 6)"; "not compared" without a previous."""
    if move is None:
        return "not compared"
    if move.before is None or move.state == "new":
        return move.words
    return f"{move.words} (was {move.before})"
