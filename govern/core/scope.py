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
NATION_NOTE = "assumed scope: nation not recorded, uk assumed"
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


PUBLIC_TYPES = tuple(kind for kind in ORGANISATION_TYPES if kind != "other")

# The named scopes (docs/reference/rule-families.md, "Who a rule binds"): each a list of
# {organisation_types, nations} alternatives; a body is in the scope when one alternative names
# its type and its nation (an alternative without a key allows every value of it). Data, so that
# `rules`, `explain`, the reference and the board pack say the same as the engine.
SCOPES: dict[str, tuple[dict[str, tuple[str, ...]], ...]] = {
    "ALL": ({"organisation_types": ORGANISATION_TYPES, "nations": NATIONS},),
    "PUB": ({"organisation_types": PUBLIC_TYPES, "nations": NATIONS},),
    "UKG": (
        {"organisation_types": ("central-government",), "nations": NATIONS},
        {"organisation_types": ("arms-length-body",), "nations": ("uk", "england")},
    ),
    "DA": (
        {"organisation_types": ("devolved-administration",), "nations": NATIONS},
        {"organisation_types": ("arms-length-body",), "nations": ("wales", "scotland", "northern-ireland")},
    ),
    "GB": ({"organisation_types": PUBLIC_TYPES, "nations": ("england", "wales", "scotland", "uk")},),
    "NI": ({"organisation_types": PUBLIC_TYPES, "nations": ("northern-ireland",)},),
    "PA23": (
        {"organisation_types": ("central-government",), "nations": NATIONS},
        {"organisation_types": tuple(k for k in PUBLIC_TYPES if k != "central-government"),
         "nations": ("england", "wales", "northern-ireland", "uk")},
    ),
}
SCOPE_WORDS = {
    "ALL": "every body",
    "PUB": "every public body",
    "UKG": "UK Government bodies",
    "DA": "devolved administrations and their bodies",
    "GB": "public bodies in Great Britain",
    "NI": "public bodies in Northern Ireland",
    "PA23": "public bodies under the Procurement Act 2023",
}
APPLIES_KEYS = ("scope", "organisation_types", "nations", "any_of", "regimes")
ASSUMED_NATION = "uk"  # nation not recorded (type given): uk assumed (docs/design/semantics.md 8.1)
ADOPTED_NOTE = "adopted, not binding: the body opted in with extend_scope in configuration"
BASES = ("binding", "assumed", "adopted")  # Finding.scope_basis


def scope_problem(applies_to: Any) -> tuple[str, str] | None:
    """(key path, why) when ``applies_to`` is unusable, else None. One check for YAML packs (after
    their schema) and plugin rules, so both say the same."""
    if applies_to is None:
        return None
    if not isinstance(applies_to, dict):
        return "", f"must be a mapping, not {type(applies_to).__name__}"
    if not applies_to:
        return "", "is empty (leave it out for every body)"
    return _problem(applies_to, "", top=True)


def _problem(block: dict[str, Any], where: str, top: bool) -> tuple[str, str] | None:
    allowed = {"organisation_types": ORGANISATION_TYPES, "nations": NATIONS, "scope": tuple(SCOPES)}
    if top:
        allowed["regimes"] = REGIMES
    for key, values in block.items():
        here = f"{where}/{key}"
        if key == "any_of" and top:
            if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)) or not values:
                return here, "any_of must be a non-empty list of alternatives"
            for i, alternative in enumerate(values):
                if not isinstance(alternative, dict) or not alternative:
                    return f"{here}/{i}", "an alternative is a mapping of scope, organisation_types and nations"
                if found := _problem(alternative, f"{here}/{i}", top=False):
                    return found
            continue
        if key not in allowed:
            known = ", ".join([*allowed, *(["any_of"] if top else [])])
            return here, f"has unknown key {key!r} (known: {known})"
        if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)) or not values:
            return here, f"{key} must be a non-empty list"
        if unknown := [v for v in values if v not in allowed[key]]:
            return here, f"{key}: {unknown[0]!r} is not one of {', '.join(allowed[key])}"
    return None


def normalised(applies_to: dict[str, Any] | None) -> dict[str, Any] | None:
    """``applies_to`` with lists as tuples (alternatives of ``any_of`` too); None when empty."""
    if not applies_to:
        return None
    out: dict[str, Any] = {}
    for key, values in applies_to.items():
        if key == "any_of":
            out[key] = tuple({k: tuple(v) for k, v in alt.items() if v} for alt in values)
        elif values:
            out[key] = tuple(values)
    return out or None


def alternatives(applies_to: dict[str, Any] | None) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The (organisation types, nations) pairs a scope admits; [] when it does not limit the body
    (no applies_to, or regimes only)."""
    if not applies_to:
        return []
    out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []

    def add(block: dict[str, Any]) -> None:
        for code in block.get("scope", ()):
            for alt in SCOPES.get(code, ()):
                out.append((alt["organisation_types"], alt["nations"]))
        if block.get("organisation_types") or block.get("nations"):
            out.append((tuple(block.get("organisation_types") or ORGANISATION_TYPES), tuple(block.get("nations") or NATIONS)))

    add(applies_to)
    for alt in applies_to.get("any_of", ()):
        add(alt)
    return out


_BOUND: dict[int, tuple[Any, frozenset[tuple[str, str]] | None]] = {}  # id(applies_to) -> (it, pairs)


def bound(applies_to: dict[str, Any] | None) -> frozenset[tuple[str, str]] | None:
    """Every (organisation type, nation) pair the scope binds; None when it does not limit the body.
    Kept per applies_to object (a rule's is made once), so the engine asks cheaply for every manifest."""
    if not applies_to:
        return None
    cached = _BOUND.get(id(applies_to))
    if cached is not None and cached[0] is applies_to:
        return cached[1]
    alts = alternatives(applies_to)
    pairs = frozenset((k, n) for types, nations in alts for k in types for n in nations) if alts else None
    if len(_BOUND) > 4096:  # plugin rules made afresh in a long session: never grow without bound
        _BOUND.clear()
    _BOUND[id(applies_to)] = (applies_to, pairs)
    return pairs


def binds(applies_to: dict[str, Any] | None, kind: str, nation: str) -> bool:
    """Whether the scope names this organisation type and nation (ignoring regimes)."""
    pairs = bound(applies_to)
    return pairs is None or (kind, nation) in pairs


def in_scope(codes: tuple[str, ...] | list[str], data: Any, config: dict[str, Any] | None = None) -> bool:
    """Whether the body is in any of the named scopes, reading an unrecorded type as central government
    and an unrecorded nation as uk: for check functions whose scope depends on the manifest's data."""
    kind, nation = organisation(data, config)
    return binds({"scope": tuple(codes)}, kind or ASSUMED_TYPE, nation or ASSUMED_NATION)


def partial(applies_to: dict[str, Any] | None) -> bool:
    """True when a scope leaves out some organisation type or nation (so an unrecorded one matters)."""
    pairs = bound(applies_to)
    return pairs is not None and len(pairs) < len(ORGANISATION_TYPES) * len(NATIONS)


def extended(rule_id: str, config: dict[str, Any] | None) -> tuple[str, ...]:
    """The organisation types the configuration opts into a rule (``rules.<ID>.extend_scope``)."""
    rules = (config or {}).get("rules")
    entry = rules.get(rule_id) if isinstance(rules, dict) else None
    types = entry.get("extend_scope") if isinstance(entry, dict) else None
    return tuple(t for t in types if t in ORGANISATION_TYPES) if isinstance(types, list) else ()


def verdict(applies_to: dict[str, Any] | None, data: Any, config: dict[str, Any] | None, rule_id: str | None = None,
            body: tuple[str | None, str | None] | None = None) -> str:
    """"in" (the rule binds the body), "out" (not applicable), "assumed" (binds only because the
    type or nation is not recorded and central government / uk was assumed, and the scope leaves
    out some other value), or "adopted" (does not bind, but configuration opts the body in with
    ``extend_scope``). ``body`` is ``organisation(data, config)`` when the caller has it already."""
    if not applies_to:
        return "in"
    regimes = applies_to.get("regimes")
    if regimes and regime(data) not in regimes:
        return "out"
    pairs = bound(applies_to)
    if pairs is None:
        return "in"
    kind, nation = body if body is not None else organisation(data, config)
    if (kind or ASSUMED_TYPE, nation or ASSUMED_NATION) in pairs:
        if kind is not None and nation is not None:
            return "in"
        return "in" if _every(pairs, kind, nation) else "assumed"
    if kind is not None and rule_id is not None and kind in extended(rule_id, config):
        return "adopted"
    return "out"


_EVERY: dict[tuple[frozenset, str | None, str | None], bool] = {}


def _every(pairs: frozenset[tuple[str, str]], kind: str | None, nation: str | None) -> bool:
    """Whether the scope binds every value the unrecorded type and/or nation could take."""
    key = (pairs, kind, nation)
    if key not in _EVERY:
        kinds = (kind,) if kind is not None else ORGANISATION_TYPES
        nations = (nation,) if nation is not None else NATIONS
        _EVERY[key] = all((k, n) in pairs for k in kinds for n in nations)
    return _EVERY[key]


def assumed_note(data: Any, config: dict[str, Any] | None) -> str:
    """What a finding of assumed scope says: the type, or only the nation, was assumed."""
    kind, _ = organisation(data, config)
    return ASSUMED_NOTE if kind is None else NATION_NOTE


def why_not(applies_to: dict[str, Any] | None, data: Any, config: dict[str, Any] | None) -> str:
    """Why a scoped rule does not bind the body, in words: "organisation type local-authority",
    "nation wales for local-authority" or "data-protection regime uk-gdpr"."""
    regimes = (applies_to or {}).get("regimes")
    if regimes and regime(data) not in regimes:
        return f"data-protection regime {regime(data)}"
    kind, nation = organisation(data, config)
    as_kind, as_nation = kind or ASSUMED_TYPE, nation or ASSUMED_NATION
    if not any(as_kind in types for types, _ in alternatives(applies_to)):
        return f"organisation type {as_kind}"
    return f"nation {as_nation} for {as_kind}"


def describe(applies_to: dict[str, Any] | None) -> str:
    """``applies_to`` for people: "all bodies", or its scope codes in words
    ("UKG: central-government, arms-length-body (uk, england)") and the types and nations it names."""
    if not applies_to:
        return "all bodies"
    parts = []

    def block(b: dict[str, Any]) -> None:
        for code in b.get("scope", ()):
            parts.append(f"{code}: " + describe_code(code))
        if b.get("organisation_types") or b.get("nations"):
            bits = []
            if b.get("organisation_types"):
                types = tuple(b["organisation_types"])
                bits.append("organisation types: " + ("every type except other" if types == PUBLIC_TYPES else ", ".join(types)))
            if b.get("nations"):
                bits.append("nations: " + ", ".join(b["nations"]))
            parts.append(" with ".join(bits))

    block(applies_to)
    for alt in applies_to.get("any_of", ()):
        block(alt)
    text = " or ".join(parts)
    if applies_to.get("regimes"):
        text = "; ".join(filter(None, [text, "data-protection regimes: " + ", ".join(applies_to["regimes"])]))
    return text or "all bodies"


def describe_code(code: str) -> str:
    """A scope code's alternatives in words: "central-government; arms-length-body (uk, england)"."""
    if SCOPES[code] == ({"organisation_types": ORGANISATION_TYPES, "nations": NATIONS},):
        return "every body"
    out = []
    for alt in SCOPES[code]:
        types = ", ".join(alt["organisation_types"]) if alt["organisation_types"] != ORGANISATION_TYPES else "every type"
        if alt["nations"] != NATIONS:
            types += f" ({', '.join(alt['nations'])})"
        out.append(types)
    return "; ".join(out)


def _types_short(types: Any) -> str:
    if tuple(types) == PUBLIC_TYPES:
        return "PUB"
    return ", ".join(types)


def short(applies_to: dict[str, Any] | None) -> str:
    """The short form for tables: scope codes, else types (nations), else "all"."""
    scope = applies_to or {}
    parts: list[str] = []
    for block in (scope, *scope.get("any_of", ())):
        parts += list(block.get("scope", ()))
        types, nations = block.get("organisation_types"), block.get("nations")
        if types or nations:
            text = _types_short(types) if types else "any type"
            parts.append(f"{text} ({', '.join(nations)})" if nations else text)
    parts += list(scope.get("regimes", ()))
    return ", ".join(dict.fromkeys(parts)) or "all"


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
