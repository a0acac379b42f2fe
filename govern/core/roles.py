"""Role lookup: who holds an accountability role, and whether two holders are one person.

Used by the check functions, the accountability table and the risk checks alike, so
"the same person" means one thing everywhere: the same e-mail address when both have
one, else the same name, ignoring case and surrounding space.
"""

from __future__ import annotations

from typing import Any


def person(data: Any, role: str) -> dict[str, Any] | None:
    """The holder of ``accountability.<role>`` (a mapping), or ``None``."""
    accountability = data.get("accountability") if isinstance(data, dict) else None
    value = accountability.get(role) if isinstance(accountability, dict) else None
    return value if isinstance(value, dict) else None


def named(value: Any) -> bool:
    """A holder with a name that is not blank."""
    return isinstance(value, dict) and isinstance(value.get("name"), str) and bool(value["name"].strip())


def same_person(a: Any, b: Any) -> bool:
    """Matched by email when both have one, else by case-insensitive name."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    ea, eb = a.get("email"), b.get("email")
    if isinstance(ea, str) and isinstance(eb, str) and ea and eb:
        return ea.strip().lower() == eb.strip().lower()
    na, nb = a.get("name"), b.get("name")
    return isinstance(na, str) and isinstance(nb, str) and na.strip().casefold() == nb.strip().casefold()
