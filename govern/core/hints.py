"""What to write instead: "did you mean ...?" and examples of the form a value needs.

A schema error says what is wrong; a person also needs to know what is right.
This module turns the two most common slips into advice a newcomer can act on
without reading a regular expression: a misspelt key or value (the closest
known one, found by ``difflib``), and a date, email address or URL in the
wrong form (the form, with an example). It is used only when something is
already wrong, so ``difflib`` is imported then, never on a clean run.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

# Example values, also what a value in the wrong form is taken to be when the rules are run again
# to tell a root cause from its consequences (``govern.core.engine``): plausible, and quiet.
EXAMPLE_EMAIL = "jo.bloggs@example.gov.uk"
EXAMPLE_URL = "https://www.example.gov.uk/accessibility"
EXAMPLE_DATE = "2027-03-31"

_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+$"
_URL_PATTERN = "^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]+$"
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def suggest(word: Any, known: Any) -> str | None:
    """The known word closest to ``word`` when one is close enough to be a slip, else None."""
    if not isinstance(word, str):
        return None
    candidates = tuple(k for k in known if isinstance(k, str))
    if len(word) <= 200:  # a schema error is worded twice (the finding, and what the rules are run again on)
        return _suggest(word, candidates)
    return _closest(word, candidates)


@lru_cache(maxsize=4096)
def _suggest(word: str, candidates: tuple[str, ...]) -> str | None:
    return _closest(word, candidates)


def _closest(word: str, candidates: tuple[str, ...]) -> str | None:
    folded = {k.lower().replace("-", "_"): k for k in candidates}
    same = folded.get(word.lower().replace("-", "_"))
    if same is not None and same != word:
        return same  # a difference of case or of - and _ only
    from difflib import get_close_matches

    found = get_close_matches(word, candidates, n=1, cutoff=0.75)
    return found[0] if found else None


def form(schema: Any) -> str | None:
    """Which well-known form (``date``, ``email``, ``url``) a subschema asks for, or None."""
    if not isinstance(schema, dict):
        return None
    fmt, pattern = schema.get("format"), schema.get("pattern")
    if fmt == "date" or pattern == _DATE_PATTERN:
        return "date"
    if fmt in ("email", "idn-email") or pattern == _EMAIL_PATTERN:
        return "email"
    if fmt in ("uri", "iri", "url") or pattern == _URL_PATTERN:
        return "url"
    return None


def form_hint(kind: str, value: Any) -> str:
    """How to write a value of ``kind``, with an example (from ``value`` itself when it can be read)."""
    if kind == "date":
        return f"write dates as YYYY-MM-DD, e.g. {_iso_example(value)}"
    if kind == "email":
        return f"write an email address as name@domain, e.g. {EXAMPLE_EMAIL}"
    return f"write a full web address starting with https://, e.g. {EXAMPLE_URL}"


def _iso_example(value: Any) -> str:
    """``31/03/2027`` -> ``2027-03-31``: the date the person probably meant, else a fixed example."""
    found = _DAY_FIRST.match(value) if isinstance(value, str) else None
    if found:
        day, month, year = (int(part) for part in found.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            pass
    return EXAMPLE_DATE


def what_is_wrong(kind: str, value: Any) -> str:
    """The first half of the sentence: why ``value`` is not a ``kind``."""
    if kind == "date" and isinstance(value, str) and re.match(_DATE_PATTERN, value):
        return "is not a real date"  # the right shape, an impossible day (2026-02-30)
    noun = {"date": "a date", "email": "an email address", "url": "a web address"}[kind]
    return f"is not {noun}"


def example(kind: str, as_of: dt.date | None = None) -> str:
    """A valid value of ``kind`` (the run date for a date, so that no age rule reacts to it)."""
    if kind == "date":
        return (as_of or dt.date.fromisoformat(EXAMPLE_DATE)).isoformat()
    return EXAMPLE_EMAIL if kind == "email" else EXAMPLE_URL


def listing(words: Any, limit: int = 20) -> str:
    """``a, b, c`` (at most ``limit`` of them, then how many more)."""
    words = [str(w) for w in words]
    shown = ", ".join(words[:limit])
    return shown + (f" and {len(words) - limit} more" if len(words) > limit else "")
