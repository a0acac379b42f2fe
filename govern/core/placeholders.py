"""The values ``govern init`` writes for a person to replace, and finding them in a manifest.

A skeleton must never pass as a manifest: "Full Name" is nobody, and a rule that asks
for a named Senior Responsible Owner must not be satisfied by it. The engine treats a
placeholder as absent when it runs the rules, and says where each one still stands.
Only the few places the skeleton writes them are looked at, so a clean manifest costs
a handful of dictionary lookups.
"""

from __future__ import annotations

from typing import Any

ID = "DEPT-2026-001"
NAME = "Name of the service"
DEPARTMENT = "Name of the department"
PERSON = "Full Name"
EMAILS = {
    "senior_responsible_owner": "sro@example.gov",
    "service_owner": "service.owner@example.gov",
    "information_asset_owner": "iao@example.gov",
    "security_lead": "security.lead@example.gov",
    "risk_owner": "risk.owner@example.gov",
}
VALUES = frozenset((ID, NAME, DEPARTMENT, PERSON, *EMAILS.values()))


def unfilled(data: Any) -> list[tuple[str, str]]:
    """(JSON Pointer, placeholder) for every skeleton value still in ``data``, in document order."""
    if not isinstance(data, dict):
        return []
    found: list[tuple[str, str]] = []
    metadata = data.get("metadata")
    if isinstance(metadata, dict):
        for key in ("id", "name", "department"):
            _note(found, f"/metadata/{key}", metadata.get(key))
    accountability = data.get("accountability")
    if isinstance(accountability, dict):
        for role, holder in accountability.items():
            _person(found, f"/accountability/{_escape(role)}", holder)
    risks = data.get("risks")
    if isinstance(risks, list):
        for index, risk in enumerate(risks):
            if isinstance(risk, dict):
                _person(found, f"/risks/{index}/owner", risk.get("owner"))
    return found


def _person(found: list[tuple[str, str]], pointer: str, holder: Any) -> None:
    if isinstance(holder, dict):
        _note(found, f"{pointer}/name", holder.get("name"))
        _note(found, f"{pointer}/email", holder.get("email"))


def _note(found: list[tuple[str, str]], pointer: str, value: Any) -> None:
    if type(value) is str and value in VALUES:
        found.append((pointer, value))


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def without(data: dict[str, Any], places: list[tuple[str, str]]) -> dict[str, Any]:
    """A copy of ``data`` with the placeholders left out, as if never written (``data`` is unchanged)."""
    import copy

    blank = copy.deepcopy(data)
    for pointer, _ in places:
        *parents, last = pointer[1:].split("/")
        node: Any = blank
        for token in parents:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        node.pop(last.replace("~1", "/").replace("~0", "~"), None)
    return blank
