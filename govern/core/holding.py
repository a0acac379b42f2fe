"""Whether a retired initiative still holds data (docs/design/semantics.md 8.2 and 8.9 item 11).

Here in the core because the engine checks rules marked ``as_live_while_holding_data`` as if
the initiative were live, and check functions (SEC-010, SEC-011, COM-002, PRIV-015) ask the
same question: one answer, in one place.

A retired system still holding data is the classic breach: switching the service off does not
make its data safe. So an initiative holds data until ``data.disposal.completed_on`` and, where
recorded, ``data.disposal.sanitisation.completed_on`` are both on or before the run date. A
missing or unreadable date means "not yet": a missing field never makes a manifest look cleaner.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govern.core.dates import as_date

RETIRED = "retired"
AS_LIVE = "live"  # the phase a retired initiative holding data is checked as
AS_LIVE_NOTE = "retired but still holding data: checked as if live"


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def holds_data(manifest: Any, as_of: dt.date) -> bool:
    """True until the data's disposal and, where recorded, the sanitisation of its storage are both
    completed on or before ``as_of``. Asked of any manifest; the phase is the caller's business."""
    disposed = as_date(_get(manifest, "data", "disposal", "completed_on"))
    if disposed is None or disposed > as_of:
        return True
    sanitisation = _get(manifest, "data", "disposal", "sanitisation")
    if not isinstance(sanitisation, dict):
        return False
    day = as_date(sanitisation.get("completed_on"))
    return day is None or day > as_of


def retired_holding_data(manifest: Any, as_of: dt.date) -> bool:
    """A retired initiative whose data is not yet disposed of (and its storage sanitised)."""
    return _get(manifest, "metadata", "phase") == RETIRED and holds_data(manifest, as_of)
