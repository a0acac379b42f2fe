"""Who a rule binds: the body's organisation type and nation against a rule's ``applies_to``.

Here in the core because the engine decides "not applicable" and the check
functions, the reports and ``explain`` all describe the same scope (docs/design/semantics.md 8.1).
A manifest's ``metadata.organisation`` wins over the configuration's
``organisation:``; when neither gives a type, scoped rules apply as for central
government, the strictest reading, and the findings say the scope was assumed:
a missing field never makes a manifest look cleaner.
"""

from __future__ import annotations

from typing import Any

ORGANISATION_TYPES = (
    "central-government", "arms-length-body", "local-authority", "nhs", "police", "devolved-administration", "other",
)
NATIONS = ("england", "wales", "scotland", "northern-ireland", "uk")
ASSUMED_TYPE = "central-government"  # the strictest reading (docs/design/semantics.md 8.1)
ASSUMED_NOTE = "assumed scope: no organisation type recorded, applied as for central government"
WAIVER_POLICIES = ("statutory", "board-reserved")
REGIMES = ("uk-gdpr", "dpa-part-3", "dpa-part-4")  # data.regime; absent means uk-gdpr


def regime(data: Any) -> str:
    """The data-protection regime the manifest's processing falls under (default uk-gdpr)."""
    block = data.get("data") if isinstance(data, dict) else None
    value = block.get("regime") if isinstance(block, dict) else None
    return value if value in REGIMES else "uk-gdpr"


def organisation(data: Any, config: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """(type, nation) from the manifest, else the configuration; ``None`` where neither says."""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    own = metadata.get("organisation") if isinstance(metadata, dict) else None
    own = own if isinstance(own, dict) else {}
    default = (config or {}).get("organisation")
    default = default if isinstance(default, dict) else {}

    def pick(key: str, allowed: tuple[str, ...]) -> str | None:
        for source in (own, default):
            if source.get(key) in allowed:
                return source[key]
        return None

    return pick("type", ORGANISATION_TYPES), pick("nation", NATIONS)


def with_organisation(data: Any, config: dict[str, Any] | None) -> Any:
    """The manifest as the rules see it: ``metadata.organisation`` with the configuration's type and
    nation where the manifest gives none (the manifest's own values win, key by key). Unchanged when the
    configuration says nothing the manifest lacks."""
    kind, nation = organisation(data, config)
    metadata = data.get("metadata") if isinstance(data, dict) else None
    if not isinstance(metadata, dict):
        return data
    own = metadata.get("organisation")
    own = own if isinstance(own, dict) else {}
    filled = {key: value for key, value in (("type", kind), ("nation", nation)) if value is not None and own.get(key) != value}
    if not filled:
        return data
    return {**data, "metadata": {**metadata, "organisation": {**own, **filled}}}


def partial(applies_to: dict[str, Any] | None) -> bool:
    """True when a scope leaves out some organisation type (so an unknown type matters)."""
    types = (applies_to or {}).get("organisation_types")
    return bool(types) and not set(ORGANISATION_TYPES) <= set(types)


def verdict(applies_to: dict[str, Any] | None, data: Any, config: dict[str, Any] | None) -> str:
    """"in" (the rule binds the body), "out" (not applicable) or "assumed" (binds only because the
    type is unknown and central government was assumed)."""
    if not applies_to:
        return "in"
    regimes = applies_to.get("regimes")
    if regimes and regime(data) not in regimes:
        return "out"
    kind, nation = organisation(data, config)
    types, nations = applies_to.get("organisation_types"), applies_to.get("nations")
    if nations and nation is not None and nation not in nations and "uk" not in nations:
        return "out"
    if not types:
        return "in"
    if kind is None:
        return "in" if not partial(applies_to) else ("assumed" if ASSUMED_TYPE in types else "out")
    return "in" if kind in types else "out"


def describe(applies_to: dict[str, Any] | None) -> str:
    """``applies_to`` for people: "all bodies" or the types and nations it names."""
    if not applies_to:
        return "all bodies"
    parts = []
    if applies_to.get("organisation_types"):
        parts.append("organisation types: " + ", ".join(applies_to["organisation_types"]))
    if applies_to.get("nations"):
        parts.append("nations: " + ", ".join(applies_to["nations"]))
    if applies_to.get("regimes"):
        parts.append("data-protection regimes: " + ", ".join(applies_to["regimes"]))
    return "; ".join(parts) or "all bodies"


def waiver_text(waivable: bool, policy: str | None) -> str:
    """Why a rule can or cannot be waived; "statutory duty" is said only of a statutory rule (docs/design/semantics.md 8.6)."""
    if waivable:
        return "yes"
    if policy == "board-reserved":
        return ("no (board-reserved: only a board decision can tolerate its errors, never a project waiver; "
                "waivers of its warnings are honoured)")
    if policy == "statutory":
        return ("no (statutory: the law leaves no discretion, so waivers of its errors are refused; "
                "waivers of its warnings are honoured)")
    return "no (waivers of its errors are refused; waivers of its warnings are honoured)"


def refusal_reason(rule: Any) -> str:
    """Why a waiver of a non-waivable rule's error is refused, in the words of its waiver_policy (semantics 8.6):
    "a statutory duty" is never said of a board-reserved rule."""
    if rule.waiver_policy == "board-reserved":
        return (f"{rule.id} is board-reserved: only a board decision can tolerate its error-level finding, "
                "never a project waiver")
    if rule.waiver_policy == "statutory":
        return f"{rule.id} is not waivable (a statutory duty: the law leaves no discretion)"
    return f"{rule.id} is not waivable"
