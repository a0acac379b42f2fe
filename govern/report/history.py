"""Trends across meetings: the portfolio reports a secretariat keeps, one per meeting (issue 17, item 3).

``govern portfolio --history DIR`` and ``govern history DIR`` read the JSON
reports in a folder (the CLI reads and validates them); this module turns each
into a ``Point`` and the points into the four series a board follows: errors,
warnings, risks outside tolerance and initiatives failing, per meeting. Pure:
the reports are already parsed and validated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SERIES = (
    ("errors", "Open errors"),
    ("warnings", "Open warnings"),
    ("outside", "Risks outside tolerance"),
    ("failing", "Initiatives failing"),
)
THIS_REPORT = "this report"


@dataclass(frozen=True, slots=True)
class Point:
    """One meeting's report: its date, where it was read from, and the four counts."""

    as_of: str
    file: str
    errors: int
    warnings: int
    outside: int
    failing: int

    def value(self, series: str) -> int:
        return getattr(self, series)


def point(report: dict[str, Any], file: str) -> Point:
    """The counts of one validated portfolio report (its ``summary``)."""
    summary = report["summary"]
    return Point(str(report["as_of"]), file, summary["errors"], summary["warnings"], summary["above_appetite"],
                 summary["failing"])


def current(portfolio: Any) -> Point:
    """The report being written, as the latest point."""
    s = portfolio.summary()
    return Point(portfolio.as_of.isoformat(), THIS_REPORT, s["errors"], s["warnings"], s["above_appetite"], s["failing"])


def ordered(points: list[Point]) -> list[Point]:
    """By meeting date, then file: the same folder always draws the same trend."""
    return sorted(points, key=lambda p: (p.as_of, p.file != THIS_REPORT, p.file))


def history_table(points: list[Point]) -> tuple[list[str], list[list[str]]]:
    """One row per meeting, one column per series: the table beside the charts and ``govern history``."""
    headers = ["Meeting (as of)", "Report", *(title for _, title in SERIES)]
    rows = [[p.as_of, p.file, *(str(p.value(key)) for key, _ in SERIES)] for p in points]
    return headers, rows
