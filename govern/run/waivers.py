"""Waiver registers: accepted exceptions, applied to findings after evaluation.

A waiver never hides a finding. A live one marks it ``waived`` (reported,
not blocking); one that has expired, was approved by a conflicted person or
names a rule that is not waivable leaves the finding active and adds a
notice located at the waiver's entry in the register (docs/design/semantics.md, Waivers).
Everything here is pure except ``load_register``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from govern.core.engine import NOTICES, notice
from govern.core.checks import as_date, dotted, person, same_person
from govern.core.loader import DEFAULT_MAX_FILE_SIZE, MAX_FILE_NODES, Document, load_file
from govern.core.model import Accountable, Finding, Rule, Waiver
from govern.core.scope import ASSUMED_NOTE, refusal_reason

EXPIRING_DAYS = 30
# Which waiver to show on a finding that several waivers match: the one that waives, else the gravest.
_SHOWN = ("live", "refused", "conflict", "expired")
# A waiver's own status when it matched several findings differently: the gravest wins.
_GRAVEST = ("refused", "conflict", "expired", "pending", "live")


@dataclass
class WaiverOutcome:
    """What one waiver did in a run; ``govern waivers`` lists these."""

    waiver: Waiver
    status: str  # live, expired, pending, stale, conflict, refused
    reason: str = ""
    matched: list[tuple[Finding, str]] = field(default_factory=list)  # each finding and how the waiver judged it

    def listed_status(self, as_of: dt.date) -> str:
        """The status `govern waivers` shows: a live waiver near its end is ``expiring``."""
        expires = as_date(self.waiver.expires)
        if self.status == "live" and expires is not None and (expires - as_of).days <= EXPIRING_DAYS:
            return "expiring"
        return self.status


# -- loading -------------------------------------------------------------------


def load_register(path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> tuple[list[Waiver], list[Finding]]:
    """The valid waivers of a register file, and a located GOV-INPUT finding for each problem."""
    from govern.core.paths import display_path
    from govern.run.files import classify

    display = display_path(path)
    loaded = load_file(path, display, max_size, max_document_nodes=MAX_FILE_NODES)  # a register may list thousands
    problems = [notice("GOV-INPUT", e.message, display, e.line, e.column, e.path) for e in loaded.errors]
    waivers: list[Waiver] = []
    registers = 0
    for doc in loaded.documents:
        if doc.data is None:
            continue
        kind, problem, reason = classify(doc)
        if problem is not None or reason is not None:
            problems.append(problem or notice("GOV-INPUT", f"not a govern document: {reason}", display, doc.line, doc.column))
            continue
        if kind != "WaiverRegister":
            line, column = doc.locate("/kind")
            problems.append(notice("GOV-INPUT", f"expected a WaiverRegister, found a {kind}", display, line, column, "/kind"))
            continue
        registers += 1
        got, bad = _register_waivers(doc)
        waivers += got
        problems += bad
    if registers == 0 and not problems:
        problems.append(notice("GOV-INPUT", "file holds no WaiverRegister (`kind: WaiverRegister`)", display))
    return waivers, problems


def _register_waivers(doc: Document) -> tuple[list[Waiver], list[Finding]]:
    from govern.core.schemas import document_validator, root_causes

    problems: list[Finding] = []
    bad_entries: set[int] = set()
    whole_bad = False
    errors = sorted(document_validator("waiver-register").iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path])
    for pointer, detail, _ in root_causes(errors):  # a misspelt key is not also reported missing
        line, column = doc.locate(pointer)
        problems.append(notice("GOV-INPUT", f"invalid WaiverRegister: {detail}", doc.file, line, column, pointer))
        parts = pointer.split("/")
        if len(parts) > 2 and parts[1] == "waivers" and parts[2].isdigit():
            bad_entries.add(int(parts[2]))
        else:
            whole_bad = True
    entries = doc.data.get("waivers") if isinstance(doc.data, dict) else None
    if whole_bad or not isinstance(entries, list):
        return [], problems
    waivers = []
    for i, entry in enumerate(entries):
        if i in bad_entries:
            continue
        pointer = f"/waivers/{i}"
        approved, expires = as_date(entry["approved_on"]), as_date(entry["expires"])
        if approved and expires and expires < approved:
            line, column = doc.locate(f"{pointer}/expires")
            problems.append(notice(
                "GOV-INPUT", f"invalid WaiverRegister: {dotted(pointer)}.expires {entry['expires']} is before approved_on {entry['approved_on']}",
                doc.file, line, column, f"{pointer}/expires", entry["initiative"],
            ))
            continue
        line, column = doc.locate(pointer)
        waivers.append(Waiver(
            index=i, initiative=entry["initiative"], rule=entry["rule"].strip().upper(),
            justification=entry["justification"], approved_by=dict(entry["approved_by"]),
            approved_on=entry["approved_on"], expires=entry["expires"],
            file=doc.file, line=line, column=column, path=entry.get("path"),
        ))
    return waivers, problems


# -- applying ------------------------------------------------------------------


def covers(waiver_path: str | None, finding_path: str) -> bool:
    """A waiver's ``path`` is a JSON Pointer prefix: ``/risks/0`` covers ``/risks/0/owner``."""
    if not waiver_path:
        return True
    return finding_path == waiver_path or finding_path.startswith(waiver_path + "/")


def window(waiver: Waiver, as_of: dt.date) -> str:
    """``pending`` before approval, ``live`` up to and including ``expires``, then ``expired``."""
    approved, expires = as_date(waiver.approved_on), as_date(waiver.expires)
    if approved is not None and as_of < approved:
        return "pending"
    if expires is not None and as_of > expires:
        return "expired"
    return "live"


def waiver_entry(waiver: Waiver, status: str) -> dict[str, Any]:
    """The ``waiver`` field of a finding (docs/design/semantics.md, Waivers)."""
    return {
        "status": status,
        "file": waiver.file,
        "line": waiver.line,
        "approved_by": dict(waiver.approved_by),
        "expires": waiver.expires,
    }


def apply_waivers(
    findings: list[Finding], waivers: list[Waiver], rules: list[Rule], documents: list[Document], as_of: dt.date
) -> tuple[list[Finding], list[WaiverOutcome]]:
    """Mark waived findings in place; return the notices and what each waiver did."""
    canonical = {r.id: r for r in rules}
    for rule in rules:
        for alias in rule.aliases:
            canonical.setdefault(alias.upper(), rule)
    manifests = {}
    named = {waiver.initiative for waiver in waivers}
    for doc in documents:  # only the initiatives the register names: the run's documents may be many
        initiative = _initiative(doc)
        if initiative in named:
            manifests.setdefault(initiative, doc.data)
    waivable = [f for f in findings if f.rule not in NOTICES and f.initiative]
    shown: dict[int, tuple[int, Waiver, str]] = {}  # id(finding) -> (rank, waiver, status)
    outcomes = []
    for waiver in waivers:
        rule = canonical.get(waiver.rule)
        rule_id = rule.id if rule else waiver.rule
        matched = [f for f in waivable if f.initiative == waiver.initiative and f.rule == rule_id and covers(waiver.path, f.path)]
        outcome = _judge(waiver, rule, rule_id, matched, manifests.get(waiver.initiative), as_of)
        outcomes.append(outcome)
        for finding, status in outcome.matched:
            if status == "pending":
                continue
            rank = _SHOWN.index(status)
            if id(finding) not in shown or rank < shown[id(finding)][0]:
                shown[id(finding)] = (rank, waiver, status)
    for finding in waivable:
        if id(finding) in shown:
            _, waiver, status = shown[id(finding)]
            finding.waiver = waiver_entry(waiver, status)
            finding.waived = status == "live"
    notices = [n for o in outcomes if (n := _notice(o, manifests.get(o.waiver.initiative), as_of)) is not None]
    return notices, outcomes


def _initiative(doc: Document) -> str | None:
    from govern.core.engine import initiative_id

    return initiative_id(doc.data)


def _judge(waiver, rule, rule_id, matched, data, as_of) -> WaiverOutcome:
    outcome = WaiverOutcome(waiver, "live")
    if rule_id in NOTICES:
        outcome.status, outcome.reason = "refused", f"{rule_id} is a notice govern raises, not a rule: it cannot be waived"
        return outcome
    if not matched:
        outcome.status, outcome.reason = "stale", _stale_reason(waiver, rule, rule_id, data)
        return outcome
    sro = person(data, "senior_responsible_owner") if data is not None else None
    statuses = []
    reasons = []
    for finding in matched:
        status, reason = _status_for(waiver, rule, finding, sro, as_of)
        statuses.append(status)
        outcome.matched.append((finding, status))
        if reason and reason not in reasons:
            reasons.append(reason)
    outcome.status = min(statuses, key=_GRAVEST.index)
    outcome.reason = "; ".join(reasons)
    return outcome


def _status_for(waiver: Waiver, rule: Rule | None, finding: Finding, sro: Any, as_of: dt.date) -> tuple[str, str]:
    approver = waiver.approved_by
    if rule is not None and not rule.waivable and finding.severity == "error" and not _assumed(finding):
        # Non-waivable means the breach, not the paperwork: only the error-level finding is protected
        # (docs/design/semantics.md 8.9 item 7), and not one raised on an assumed scope (8.9 item 13).
        return "refused", f"{refusal_reason(rule)}; the finding stays active"
    if same_person(approver, sro):
        return "conflict", f"approved by {approver['name']}, the initiative's senior responsible owner"
    holder = finding.accountable
    if holder.name and same_person(approver, {"name": holder.name, "email": holder.email}):
        role = (holder.role or "accountable person").replace("_", " ")
        return "conflict", f"approved by {approver['name']}, who is accountable for {finding.rule} as {role}"
    state = window(waiver, as_of)
    if state == "expired":
        return "expired", f"expired on {waiver.expires}"
    if state == "pending":
        return "pending", f"not approved until {waiver.approved_on}"
    return "live", f"waives until {waiver.expires}"


def _assumed(finding: Finding) -> bool:
    """A finding that exists only because GOV-013 assumed central government (its message says so)."""
    return isinstance(finding.message, str) and finding.message.endswith(f"({ASSUMED_NOTE})")


def _stale_reason(waiver: Waiver, rule: Rule | None, rule_id: str, data: Any) -> str:
    if rule is None:
        return f"no rule {rule_id} was run (unknown rule, or left out by --only/--skip/severity off)"
    if data is None:
        return f"initiative {waiver.initiative} was not among the manifests checked"
    where = f" at {waiver.path}" if waiver.path else ""
    return f"{rule_id} raised no finding{where} for {waiver.initiative}"


def _notice(outcome: WaiverOutcome, data: Any, as_of: dt.date) -> Finding | None:
    waiver = outcome.waiver
    subject = f"waiver of {waiver.rule} for {waiver.initiative}" + (f" at {waiver.path}" if waiver.path else "")
    if outcome.status == "stale":
        rule, text = "WAIVER-STALE", f"{subject} matches no finding: {outcome.reason}; remove it from the register"
    elif outcome.status == "expired":
        rule, text = "WAIVER-EXPIRED", f"{subject} {outcome.reason} (as of {as_of.isoformat()}); the finding is active again"
    elif outcome.status == "conflict":
        rule, text = "WAIVER-CONFLICT", f"{subject} does not waive: {outcome.reason} (a conflict of interest)"
    elif outcome.status == "refused":
        rule, text = "WAIVER-REFUSED", f"{subject} is refused: {outcome.reason}"
    else:
        return None
    sro = person(data, "senior_responsible_owner") if data is not None else None
    accountable = Accountable("senior_responsible_owner", sro.get("name"), sro.get("email")) if sro else Accountable(None)
    return notice(
        rule, text, waiver.file, waiver.line, waiver.column, f"/waivers/{waiver.index}",
        waiver.initiative, accountable=accountable,
    )


def judge_dates(waivers: list[Waiver], rules: list[Rule], as_of: dt.date) -> list[WaiverOutcome]:
    """What can be said of each waiver without the manifests: its dates and its rule."""
    canonical = {r.id: r for r in rules}
    for rule in rules:
        for alias in rule.aliases:
            canonical.setdefault(alias.upper(), rule)
    outcomes = []
    for waiver in waivers:
        rule = canonical.get(waiver.rule)
        if waiver.rule in NOTICES:
            outcome = WaiverOutcome(waiver, "refused", f"{waiver.rule} is a notice govern raises, not a rule: it cannot be waived")
        elif rule is None:
            outcome = WaiverOutcome(waiver, "stale", f"no rule {waiver.rule} is loaded")
        elif not rule.waivable:  # without the manifests a waiver is judged by its rule's error-level findings
            outcome = WaiverOutcome(waiver, "refused", f"{refusal_reason(rule)} (a waiver of its warnings is honoured "
                                    "when checked against the manifests)")
        else:
            state = window(waiver, as_of)
            reason = {"expired": f"expired on {waiver.expires}", "pending": f"not approved until {waiver.approved_on}"}.get(state, "")
            outcome = WaiverOutcome(waiver, state, reason)
        outcomes.append(outcome)
    return outcomes


def update_outcomes(manifests: list[dict[str, Any]], findings: list[Finding]) -> None:
    """A failing rule whose every finding for that manifest is waived has outcome ``waived``."""
    open_rules: dict[tuple[str, str | None], set[str]] = {}
    waived_rules: dict[tuple[str, str | None], set[str]] = {}
    for finding in findings:
        key = (finding.file, finding.initiative)
        (waived_rules if finding.waived else open_rules).setdefault(key, set()).add(finding.rule)
    for manifest in manifests:
        key = (manifest["file"], manifest.get("initiative"))
        outcomes = manifest.get("outcomes", {})
        for rule_id in waived_rules.get(key, ()):
            if outcomes.get(rule_id) == "fail" and rule_id not in open_rules.get(key, ()):
                outcomes[rule_id] = "waived"


def apply_register(
    path: str, findings: list[Finding], rules: list[Rule], documents: list[Document],
    manifests: list[dict[str, Any]], as_of: dt.date, max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> tuple[list[Finding], list[WaiverOutcome]]:
    """Load a register and apply it: the I/O edge ``run_check`` calls."""
    waivers, problems = load_register(path, max_size)
    notices, outcomes = apply_waivers(findings, waivers, rules, documents, as_of)
    update_outcomes(manifests, findings)
    return problems + notices, outcomes
