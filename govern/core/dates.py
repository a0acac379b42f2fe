"""Dates as manifests write them: one parser, and calendar-month arithmetic.

``as_date`` reads ``YYYY-MM-DD`` (or a date YAML already made) and gives ``None`` for
anything else; ``add_months`` moves by calendar months, the 31st becoming the last day
of a shorter month. Every layer that reads a date from a document uses these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; the 31st becomes the last day of a shorter month."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = 29 if month == 2 and leap else _MONTH_DAYS[month - 1]  # calendar.monthrange, without importing calendar
    return dt.date(year, month, min(day.day, last))


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
