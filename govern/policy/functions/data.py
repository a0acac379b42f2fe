"""Check functions of the data pack: the classification scheme and where data lives.

Both depend on configuration (``classification`` and ``home_country``), which a
JSON Schema in a pack cannot read, so they are functions. Configuration that is
missing or malformed falls back to ``govern.run.config.DEFAULTS``: a broken config
file is reported by the config loader, never by a crash here.
"""

from __future__ import annotations

from typing import Any

from govern.core.defaults import DEFAULTS
from govern.core.checks import CheckFunction, check_function, dotted, get, get_dict, get_list
from govern.core.model import Reference, Violation

FUNCTIONS: dict[str, CheckFunction] = {}

# Markings of the Government Protective Marking Scheme that GSCP replaced in 2014.
_GPMS = frozenset({"UNCLASSIFIED", "PROTECT", "RESTRICTED", "CONFIDENTIAL"})


# -- the classification scheme ------------------------------------------------------


def scheme(ctx: Any) -> tuple[list[str], dict[str, dict[str, str]]]:
    """(tiers lowest first, aliases as {name: {tier, marking?}}) from configuration or defaults."""
    default = DEFAULTS["classification"]
    config = getattr(ctx, "config", None)
    configured = config.get("classification") if isinstance(config, dict) else None
    configured = configured if isinstance(configured, dict) else {}
    tiers = configured.get("tiers")
    if not (isinstance(tiers, list) and tiers and all(isinstance(t, str) and t for t in tiers)):
        tiers = default["tiers"]
    raw = configured.get("aliases")
    raw = raw if isinstance(raw, dict) else default["aliases"]
    aliases: dict[str, dict[str, str]] = {}
    for name, target in raw.items():
        if isinstance(target, str):
            aliases[name] = {"tier": target}
        elif isinstance(target, dict) and isinstance(target.get("tier"), str):
            aliases[name] = {k: v for k, v in target.items() if k in ("tier", "marking") and isinstance(v, str)}
    return list(tiers), aliases


def resolve_tier(value: Any, ctx: Any) -> str | None:
    """The scheme tier a classification means (directly or through an alias), else None."""
    tiers, aliases = scheme(ctx)
    if value in tiers:
        return value
    alias = aliases.get(value) if isinstance(value, str) else None
    if alias and alias["tier"] in tiers:
        return alias["tier"]
    return None


@check_function(FUNCTIONS, "classification_valid")
def classification_valid(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """data.classification is a tier of the configured scheme; an alias is accepted with an info."""
    path = "/data/classification"
    tiers, aliases = scheme(ctx)
    listed = ", ".join(tiers)
    value = get(data, path)
    if not isinstance(value, str) or not value.strip():
        yield Violation(path, f"data.classification is not recorded (tiers: {listed})")
        return
    if value in tiers:
        return
    if value in aliases:
        yield from _alias(data, value, aliases[value], tiers)
        return
    close = [t for t in [*tiers, *aliases] if t.casefold() == value.strip().casefold()]
    if close:
        yield Violation(path, f"{value!r} is not written as the scheme writes it: use {close[0]}")
    elif value.strip().upper() in _GPMS:
        yield Violation(
            path,
            f"{value} is a Government Protective Marking Scheme marking, replaced by the "
            f"Government Security Classifications in 2014; use one of {listed}",
        )
    else:
        yield Violation(path, f"{value} is not a tier of the classification scheme ({listed})")


def _alias(data: Any, value: str, alias: dict[str, str], tiers: list[str]):
    path = "/data/classification"
    tier, marking = alias["tier"], alias.get("marking")
    if tier not in tiers:
        yield Violation(path, f"{value} stands for {tier}, which is not a tier of the classification scheme", "error")
        return
    found = get(data, "/data/marking")
    if marking and isinstance(found, str) and found and found != marking:
        yield Violation(
            "/data/marking",
            f"classification {value} means marking {marking}, but data.marking is {found}",
            "error",
        )
        return
    form = f"classification: {tier}" + (f" and marking: {marking}" if marking else "")
    yield Violation(path, f"{value} is read as {tier}" + (f" with marking {marking}" if marking else "")
                    + f"; write {form}", "info")


@check_function(
    FUNCTIONS,
    "classification_above_baseline",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {"baseline": {"type": "string", "minLength": 1}},
    },
)
def classification_above_baseline(data: Any, options: dict[str, Any], ctx: Any):
    """Data classified above the ``baseline`` tier (default OFFICIAL) needs ``security.accreditation``."""
    tiers, _ = scheme(ctx)
    value = get(data, "/data/classification")
    tier = resolve_tier(value, ctx)
    if tier is None:  # DATA-001 reports it; an unknown tier cannot be ranked
        return
    baseline = options.get("baseline", "OFFICIAL")
    floor = tiers.index(baseline) if baseline in tiers else 0
    if tiers.index(tier) <= floor:
        return
    covered = tiers[floor]
    accreditation = get(data, "/security/accreditation")
    if isinstance(accreditation, str) and accreditation.strip():
        yield Violation(
            "/data/classification",
            f"data is classified {value}; the baseline packs and GovAssure cover {covered} only, "
            f"so assurance rests on accreditation {accreditation}, not on these results",
        )
    else:
        yield Violation(
            "/security/accreditation",
            f"data is classified {value} but security.accreditation is not recorded; the baseline "
            f"packs and GovAssure cover {covered} only, so passing them is not assurance",
        )


# -- where the data lives ------------------------------------------------------------


def home(ctx: Any) -> str:
    config = getattr(ctx, "config", None)
    value = config.get("home_country") if isinstance(config, dict) else None
    return country(value if isinstance(value, str) and value else DEFAULTS["home_country"])


def country(code: str) -> str:
    """ISO alpha-2, with UK read as GB."""
    code = code.strip().upper()
    return "GB" if code == "UK" else code


def locations(data: Any) -> list[tuple[str, str, str]]:
    """(pointer, country, whose) for every country the manifest says its data is held or handled in."""
    found = []
    for i, code in enumerate(get_list(data, "/data/residency")):
        found.append((f"/data/residency/{i}", code, ""))
    hosting = get_dict(data, "/security/hosting")
    if "country" in hosting:
        provider = hosting.get("provider")
        what = f"hosting by {provider}" if isinstance(provider, str) and provider else "hosting"
        found.append(("/security/hosting/country", hosting["country"], what))
    for i, processor in enumerate(get_list(data, "/privacy/processors")):
        if isinstance(processor, dict) and "country" in processor:
            name = processor.get("name")
            what = f"processor {name}" if isinstance(name, str) and name else ""
            found.append((f"/privacy/processors/{i}/country", processor["country"], what))
    return [(p, c, w) for p, c, w in found if isinstance(c, str) and c.strip()]


@check_function(FUNCTIONS, "residency_consistent")
def residency_consistent(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Data held or handled outside the home country needs privacy.international_transfers."""
    transfers = get(data, "/privacy/international_transfers")
    if isinstance(transfers, list) and transfers:
        return
    stated = "none" if transfers == "none" else "not recorded"
    base = home(ctx)
    for pointer, code, whose in locations(data):
        if country(code) != base:
            where = f"{dotted(pointer)} is {code}" + (f" ({whose})" if whose else "")
            yield Violation(
                pointer, f"{where}, outside the home country {base}, but privacy.international_transfers is {stated}"
            )


# -- sharing ------------------------------------------------------------------------

_REFERENCE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["framework"],
    "properties": {
        "framework": {"type": "string", "minLength": 1},
        "clause": {"type": "string"},
        "url": {"type": "string", "pattern": "^https?://"},
        "confidence": {"enum": ["verified", "secondary"]},
    },
}


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


@check_function(
    FUNCTIONS,
    "sharing_basis",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {"joint_controller_reference": _REFERENCE},
    },
)
def sharing_basis(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """DATA-004: each ``data.sharing[]`` entry has an ``agreement`` or a ``legal_gateway`` (the rule's
    severity, a warning); a joint controller (``joint_controller: true``) needs an ``arrangement`` (an
    error, citing ``joint_controller_reference``, UK GDPR Art. 26, for that finding only). The
    arrangement records what an agreement would, so it also answers the first check."""
    extra = options.get("joint_controller_reference")
    cites = (Reference(**extra),) if isinstance(extra, dict) else ()
    for i, item in enumerate(get_list(data, "/data/sharing")):
        if not isinstance(item, dict):
            continue
        base = f"/data/sharing/{i}"
        partner = item.get("with") if _filled(item.get("with")) else f"sharing #{i + 1}"
        joint = item.get("joint_controller") is True
        if joint and not _filled(item.get("arrangement")):
            yield Violation(f"{base}/arrangement", f"{partner} is a joint controller, but no joint controller "
                            "arrangement (arrangement) is recorded", "error", also_cites=cites)
            continue
        if not (_filled(item.get("agreement")) or _filled(item.get("legal_gateway")) or joint):
            yield Violation(f"{base}/agreement",
                            f"sharing with {partner} has neither a data sharing agreement (agreement) nor a "
                            "legal gateway (legal_gateway, the statutory power that permits the disclosure)")
