"""The accountability table: who owns which findings, reviews and expiring exceptions.

A finding belongs to the person named in the manifest's role for its rule
(``Finding.accountable``); people are matched by name (case and spacing
ignored), as the JSON report names them. A role nobody holds is a row
"unassigned (<role>)", one per role. Such a vacancy is itself a finding: GOV-001..004
(or RISK-004 for a risk) report it where they apply; where none does, a
``GOV-UNASSIGNED`` portfolio notice names it. Notices are listed apart and never
counted in the tables, so nothing is counted twice. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from govern.core.model import ROLES, Accountable, Counts, Finding

ROLE_LABELS = {
    "senior_responsible_owner": "SRO",
    "service_owner": "Service owner",
    "information_asset_owner": "IAO",
    "security_lead": "Security lead",
    "senior_information_risk_owner": "SIRO",
    "risk_owner": "Risk owner",
    "approving_body": "Approving body",
    "accounting_officer": "Accounting officer",
    "benefit_owner": "Benefit owner",
    "contract_manager": "Contract manager",
}
# Rules whose finding is an overdue review: a review date (or period) has passed.
REVIEW_RULES = ("ACC-003", "PRIV-003", "RISK-005", "RISK-009")
# Rules that report a vacant role: a finding of one of these names the missing person.
VACANCY_RULES = {
    "senior_responsible_owner": ("GOV-001",),
    "service_owner": ("GOV-002",),
    "information_asset_owner": ("GOV-003",),
    "security_lead": ("GOV-004",),
    "senior_information_risk_owner": ("GOV-004",),
    "risk_owner": ("RISK-004",),
}
EXPIRY_WINDOWS = (30, 60, 90)
UNASSIGNED_NOTICE = "GOV-UNASSIGNED"


@dataclass(slots=True)
class PersonRow:
    """One row of the accountability table: a person, or a role nobody holds."""

    name: str  # the person, or "unassigned (<role label>)", or "no accountable role"
    person: str | None  # the name as written; None for unassigned and no-role rows
    role: str | None  # for unassigned rows: the vacant role
    roles: list[str]
    initiatives: list[str]
    errors: int = 0
    warnings: int = 0
    info: int = 0
    waived: int = 0
    overdue_reviews: int = 0
    expiring: dict[int, int] = field(default_factory=lambda: dict.fromkeys(EXPIRY_WINDOWS, 0))
    expiring_items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unassigned(self) -> bool:
        return self.person is None



def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def person_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(slots=True)
class Vacancy:
    """The findings a role nobody holds owns, in the little the GOV-UNASSIGNED notice says of them."""

    file: str  # where the first of them is
    count: int = 0
    rules: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)  # /risks/<i> of each (risk owners)


def accountability_rows(findings: Iterable[Finding], manifests: dict, profiles: Iterable, as_of: dt.date) -> tuple[list[PersonRow], list[Finding]]:
    """One row per accountable person (or vacant role), and the GOV-UNASSIGNED notices.

    ``manifests``: (file, document) -> {"initiative", "file", "line"}; ``profiles``:
    ((file, document), profile) pairs in file order (a dict's items will do), read
    twice; ``findings`` is read once, so it may be a stream.
    """
    rows: dict[tuple, PersonRow] = {}
    spellings: dict[tuple, set[str]] = {}
    held: dict[int, set[str]] = {}  # id(row) -> its initiatives, for membership without a list scan

    def row_for(accountable: Accountable) -> PersonRow:
        name = _text(accountable.name)
        if name:
            key = ("person", person_key(name))
            spellings.setdefault(key, set()).add(name)
            return rows.setdefault(key, PersonRow(name, name, None, [], []))
        if accountable.role:
            key = ("unassigned", accountable.role)
            label = f"unassigned ({ROLE_LABELS.get(accountable.role, accountable.role)})"
            return rows.setdefault(key, PersonRow(label, None, accountable.role, [], []))
        return rows.setdefault(("none",), PersonRow("no accountable role", None, None, [], []))

    def hold(row: PersonRow, role: str | None, initiative: str | None) -> None:
        if role:
            label = ROLE_LABELS.get(role, role)
            if label not in row.roles:
                row.roles.append(label)
        if initiative:
            seen = held.setdefault(id(row), set())
            if initiative not in seen:
                seen.add(initiative)
                row.initiatives.append(initiative)

    if isinstance(profiles, dict):
        profiles = sorted(profiles.items())
    facts: dict[tuple[str, int], tuple[Any, str | None]] = {}  # (accountability location, SRO) per manifest
    for key, profile in profiles:
        initiative = (manifests.get(key) or {}).get("initiative")
        for role, name in profile["people"]:
            hold(row_for(Accountable(role, name)), role, initiative)
        for risk in profile["risks"]:
            if risk["owner"]:
                hold(row_for(Accountable("risk_owner", risk["owner"])), "risk_owner", initiative)
        sro = next((name for r, name in profile["people"] if r == "senior_responsible_owner"), None)
        facts[key] = (profile.get("accountability"), sro)

    from govern.core.checks import as_date

    vacancies: dict[tuple[str | None, str], Vacancy] = {}
    reported: dict[str | None, set[tuple[str, str]]] = {}  # initiative -> (rule, path) of the vacancy rules
    wanted = {rule for rules in VACANCY_RULES.values() for rule in rules}
    waivers_seen = set()
    for finding in findings:
        if finding.rule in wanted:
            reported.setdefault(finding.initiative, set()).add((finding.rule, finding.path))
        row = row_for(finding.accountable)
        hold(row, finding.accountable.role, finding.initiative)
        if row.unassigned and finding.accountable.role:
            vacancy = vacancies.setdefault((finding.initiative, finding.accountable.role), Vacancy(finding.file))
            vacancy.count += 1
            vacancy.rules.add(finding.rule)
            if finding.accountable.role == "risk_owner":  # only RISK-004's reach is per risk (_names_role)
                vacancy.prefixes.add("/".join(finding.path.split("/")[:3]))
        Counts.add(row, finding)  # a person's row counts like a compliance cell (same four fields)
        if finding.waived:
            # each live waiver once per person who owns a finding it waives
            waiver = finding.waiver if isinstance(finding.waiver, dict) else None
            end = as_date(waiver.get("expires")) if waiver else None
            if end is not None and (id(row), waiver.get("file"), waiver.get("line")) not in waivers_seen:
                waivers_seen.add((id(row), waiver.get("file"), waiver.get("line")))
                _count_expiry(row, end, as_of, f"waiver of {finding.rule}", finding.initiative)
        elif finding.rule in REVIEW_RULES:
            row.overdue_reviews += 1

    for key, profile in profiles:
        initiative = (manifests.get(key) or {}).get("initiative")
        for risk in profile["risks"]:
            end = risk["acceptance_end"]
            if end is not None:
                label = f"risk {risk['id'] or '#' + str(risk['index'] + 1)} acceptance"
                _count_expiry(row_for(Accountable("risk_owner", risk["owner"])), end, as_of, label, initiative)

    notices = _vacancy_notices(vacancies, reported, manifests, facts)
    for key, row in rows.items():
        if key in spellings:
            row.name = row.person = min(spellings[key])
        row.roles.sort()
        row.initiatives.sort()
    order = {"person": 0, "unassigned": 1, "none": 2}
    people = sorted(rows.items(), key=lambda kv: (-kv[1].errors, -kv[1].warnings, order[kv[0][0]], person_key(kv[1].name)))
    return [row for _, row in people], notices


def _count_expiry(row: PersonRow, end: dt.date, as_of: dt.date, what: str, initiative: str | None) -> None:
    days = (end - as_of).days
    if days < 0:
        return
    for window in EXPIRY_WINDOWS:
        if days <= window:
            row.expiring[window] += 1
    if days <= EXPIRY_WINDOWS[-1]:
        row.expiring_items.append({"what": what, "initiative": initiative, "ends": end.isoformat(), "days": days})


def _vacancy_notices(vacancies, reported, manifests, facts) -> list[Finding]:
    """A vacant role that owns findings and that no GOV-001..004 / RISK-004 finding reports."""
    from govern.core.engine import notice

    located = {m.get("initiative"): (key, m) for key, m in sorted(manifests.items())}
    out = []
    for (initiative, role), owned in sorted(vacancies.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        rules = VACANCY_RULES.get(role)
        if rules is None or initiative is None:
            continue
        if any(rule in rules and _names_role(path, role, owned) for rule, path in reported.get(initiative, ())):
            continue
        key, manifest = located.get(initiative, (None, {}))
        where_found, sro = facts.get(key, (None, None))
        line, column = where_found or (manifest.get("line", 1), 1)
        file = manifest.get("file", owned.file)
        ids = ", ".join(sorted(owned.rules))
        where = "risks[].owner" if role == "risk_owner" else f"accountability.{role}"
        count = owned.count
        out.append(notice(
            UNASSIGNED_NOTICE,
            f"no {role.replace('_', ' ')} is named ({where}), yet {count} finding{'s' if count != 1 else ''} "
            f"({ids}) belong to that role: name the person accountable",
            file, line, column, "/risks" if role == "risk_owner" else f"/accountability/{role}", initiative, "warning",
            Accountable("senior_responsible_owner", sro),
        ))
    return out


def _names_role(path: str, role: str, owned: Vacancy) -> bool:
    if role == "risk_owner":  # RISK-004 per risk: /risks/<i>/owner covers findings of /risks/<i>/...
        return any(path == prefix or path.startswith(prefix + "/") for prefix in owned.prefixes)
    parts = path.split("/")
    return role in parts or not any(r in parts for r in ROLES)


# -- accountability that helps (issue 17, item 4) ----------------------------------------------

DEFAULT_SRO_LIMIT = 3  # one person SRO of more than this many initiatives is flagged (configurable: board.sro_limit)
ROLE_HATS = 3  # one person holding this many different accountable roles is flagged


@dataclass(frozen=True, slots=True)
class Concentration:
    """One person on whom too much rests: SRO of too many initiatives, or too many different roles."""

    person: str
    reason: str
    initiatives: tuple[str, ...]


def answers_for_nothing(row: PersonRow) -> bool:
    """A named person with no open error or warning, no overdue review and nothing expiring.

    Such people are folded into one line of the pack: the board reads who must act.
    """
    return (row.person is not None and not row.errors and not row.warnings and not row.overdue_reviews
            and not row.expiring_items)


def vacancy_role(finding: Finding) -> str | None:
    """The role a vacancy rule's finding (GOV-001..004, RISK-004) says nobody holds, or None for other rules."""
    roles = [role for role, rules in VACANCY_RULES.items() if finding.rule in rules]
    if not roles:
        return None
    parts = finding.path.split("/")
    return next((role for role in roles if role in parts), roles[0])


def vacancy_reported(finding: Finding) -> tuple[str, str] | None:
    """(initiative, role) when an open, unwaived vacancy rule's finding says nobody holds the role there: all
    ``vacant_roles`` needs of it (a large portfolio has tens of thousands, never held whole)."""
    role = vacancy_role(finding)
    if role and finding.initiative and not finding.waived:
        return finding.initiative, role
    return None


def vacant_roles(people: list[PersonRow], reported: Iterable[tuple[str, str]] = ()) -> dict[str, list[str]]:
    """Initiative -> the accountable roles nobody holds there: reported by a vacancy rule (``reported``: the
    (initiative, role) of each open vacancy finding, ``vacancy_reported``), or owning findings."""
    vacant: dict[str, set[str]] = {}
    for initiative, role in reported:
        vacant.setdefault(initiative, set()).add(ROLE_LABELS.get(role, role))
    for row in people:
        if row.person is None and row.role:
            for initiative in row.initiatives:
                vacant.setdefault(initiative, set()).add(ROLE_LABELS.get(row.role, row.role))
    return {initiative: sorted(roles) for initiative, roles in sorted(vacant.items())}


def concentration(profiles: Iterable, manifests: dict, sro_limit: int = DEFAULT_SRO_LIMIT) -> list[Concentration]:
    """People who are SRO of more than ``sro_limit`` initiatives, or hold ``ROLE_HATS`` or more different roles.

    Counted from the manifests' named roles (``ROLES``; risk owners are per risk, not a role of the initiative).
    """
    sro: dict[str, set[str]] = {}
    hats: dict[str, set[str]] = {}
    where: dict[str, set[str]] = {}
    spelling: dict[str, str] = {}
    for key, profile in profiles:
        initiative = (manifests.get(key) or {}).get("initiative") or f"{key[0]} (manifest {key[1] + 1})"
        for role, name in profile["people"]:
            person = person_key(name)
            spelling[person] = min(spelling.get(person, name), name)
            hats.setdefault(person, set()).add(role)
            where.setdefault(person, set()).add(initiative)
            if role == "senior_responsible_owner":
                sro.setdefault(person, set()).add(initiative)
    out = []
    for person in sorted(spelling):
        if len(sro.get(person, ())) > sro_limit:
            out.append(Concentration(spelling[person], f"senior responsible owner of {len(sro[person])} initiatives "
                                     f"(more than {sro_limit})", tuple(sorted(sro[person]))))
        if len(hats[person]) >= ROLE_HATS:
            labels = ", ".join(sorted(ROLE_LABELS.get(r, r) for r in hats[person]))
            out.append(Concentration(spelling[person], f"holds {len(hats[person])} different accountable roles ({labels})",
                                     tuple(sorted(where[person]))))
    return out
