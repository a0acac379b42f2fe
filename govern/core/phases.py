"""Delivery phases: their order, what "at least beta" means, and when a phase began.

One place for the phase vocabulary (docs/design/semantics.md 8.2): discovery, alpha,
private-beta, public-beta, live, and retired outside the order. ``beta`` is still
accepted and means private-beta for gating, so "at least private-beta" holds for
private-beta, public-beta, beta and live. Check functions, the packs' ``when`` lists and
``govern init`` all follow this module; nothing else orders phases.

``metadata.phase_history: [{phase, since}]`` records earlier phases. The current phase's
start is ``metadata.phase_since``; an entry for the current phase in the history is
ignored in favour of it (docs/design/semantics.md 8.8 item 10).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govern.core.dates import as_date

ORDER = ("discovery", "alpha", "private-beta", "public-beta", "live")
"""The delivery order; ``retired`` is outside it and ``beta`` ranks as private-beta."""

VOCABULARY = ("discovery", "alpha", "private-beta", "public-beta", "beta", "live", "retired")
"""Every value ``metadata.phase`` accepts, in the order reports list them."""

ALIASES = {"beta": "private-beta"}
"""Older names and the phase they mean for gating."""

BETA = ("private-beta", "public-beta", "beta")
"""The beta phases: an approval or a stage named ``beta`` covers each of them."""

PROCESSING = ("private-beta", "public-beta", "beta", "live")
"""The phases that process real users' data (at least private-beta)."""


def gating(phase: Any) -> str | None:
    """The phase ``phase`` means for gating (``beta`` -> private-beta); None when it is not one of ORDER."""
    if not isinstance(phase, str):
        return None
    phase = ALIASES.get(phase, phase)
    return phase if phase in ORDER else None


def rank(phase: Any) -> int | None:
    """The position of ``phase`` in the delivery order (beta as private-beta); None for retired or unknown."""
    meant = gating(phase)
    return ORDER.index(meant) if meant is not None else None


def at_least(phase: Any, minimum: str) -> bool:
    """True when ``phase`` is ``minimum`` or later; ``retired`` and unknown values are never at least anything.

    ``at_least(p, "private-beta")`` (and ``at_least(p, "beta")``) is "≥ beta": private-beta,
    public-beta, beta or live.
    """
    have, need = rank(phase), rank(minimum)
    return have is not None and need is not None and have >= need


def is_beta(phase: Any) -> bool:
    """private-beta, public-beta or the older ``beta``."""
    return phase in BETA


def covers(named: Any, current: Any) -> bool:
    """Whether a decision or assessment named for phase ``named`` speaks for phase ``current``.

    The same phase always does; ``beta`` covers private-beta and public-beta; and a manifest still
    in ``beta`` (meaning private-beta) is covered by a private-beta decision.
    """
    if not isinstance(named, str) or not isinstance(current, str):
        return False
    if named == current:
        return True
    if named == "beta":
        return current in BETA
    return current == "beta" and named == "private-beta"


def previous(phase: Any) -> str | None:
    """The phase before ``phase`` in the delivery order (beta as private-beta); None for discovery or retired."""
    index = rank(phase)
    return ORDER[index - 1] if index else None


def history(data: Any) -> list[tuple[str, dt.date]]:
    """``metadata.phase_history`` as (phase, since) pairs, oldest first; entries that are not a known phase
    with a date, and entries for the current phase (``phase_since`` wins), are left out."""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    metadata = metadata if isinstance(metadata, dict) else {}
    current = metadata.get("phase")
    entries = metadata.get("phase_history")
    out = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        which, since = entry.get("phase"), as_date(entry.get("since"))
        if which in VOCABULARY and since is not None and which != current:
            out.append((which, since))
    return sorted(out, key=lambda pair: pair[1])


def phase_since(data: Any) -> dt.date | None:
    """When the current phase began: ``metadata.phase_since`` (never a history entry for the current phase)."""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    return as_date(metadata.get("phase_since")) if isinstance(metadata, dict) else None


def first_start(data: Any, phases: tuple[str, ...] = PROCESSING) -> dt.date | None:
    """When the initiative first entered one of ``phases`` (by default: first processed real users' data).

    The earliest history entry for one of them, else ``phase_since`` when the current phase is one of
    them, else None.
    """
    metadata = data.get("metadata") if isinstance(data, dict) else None
    current = metadata.get("phase") if isinstance(metadata, dict) else None
    starts = [since for which, since in history(data) if which in phases]
    if current in phases and phase_since(data) is not None:
        starts.append(phase_since(data))
    return min(starts) if starts else None
