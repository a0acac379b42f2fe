""""Decisions for the board": what the board is asked to decide, of whom, and by when.

A board paper opens with its asks, not its counts. This module turns one run
into those asks, in five kinds (issue 17, item 1), each a ``Decision`` line:

- a risk outside tolerance with no decision on it (``needs_decision``);
- a risk acceptance lapsing within the window (30 days unless configured);
- a phase approval due: an initiative in a phase without its approval (GOV-005);
- a waiver expiring within the window;
- a statutory gap: a rule that cannot be waived, failing.

``DecisionCollector.see`` reads each finding once as the portfolio counts it (the
findings may be a stream); ``finish`` adds what the manifests' risks say. Pure:
no I/O, no clock (the date is the run's ``as_of``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from govern.core.dates import as_date
from govern.core.model import Finding

DEFAULT_WINDOW_DAYS = 30
APPROVAL_RULES = ("GOV-005",)  # an initiative in a phase without the board's approval of that phase
# The order the section lists its kinds in, with each kind's heading.
KINDS = {
    "risk": "Risks outside tolerance without a decision",
    "acceptance": "Risk acceptances lapsing",
    "approval": "Phase approvals due",
    "waiver": "Waivers expiring",
    "statutory": "Statutory gaps (rules that cannot be waived)",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """One line of the section: what is asked, of whom, by when, for which initiative, and where it is written."""

    kind: str  # a key of KINDS
    initiative: str | None
    asked: str
    of_whom: str
    by: str  # ISO date
    where: str  # file:line

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "initiative": self.initiative, "asked": self.asked, "of_whom": self.of_whom,
                "by": self.by, "where": self.where}


def needs_decision(risk: dict[str, Any]) -> bool:
    """A risk the board must decide on: outside tolerance and not (validly) accepted.

    The one place that says so, so that risk-appetite zones (capacity, escalation
    decisions) can replace "above appetite, not accepted" without touching the pack.
    """
    if risk.get("zone") == "tolerance":  # version 2: a delegated role's to accept, not the board's (8.7)
        return False
    return bool(risk.get("breach")) and not risk.get("accepted")


def _who(name: str | None, role: str) -> str:
    return name or f"the {role} (vacant)"


def _risk_label(risk: dict[str, Any]) -> str:
    return risk.get("id") or f"#{risk.get('index', 0) + 1}"


@dataclass
class DecisionCollector:
    """Reads the findings once, as the portfolio counts them; ``finish`` returns the section's lines."""

    as_of: dt.date
    window: int = DEFAULT_WINDOW_DAYS
    lines: list[Decision] = field(default_factory=list)
    _seen: set[tuple] = field(default_factory=set)

    def see(self, finding: Finding, statutory: bool) -> None:
        """One finding of the run; ``statutory``: its rule cannot be waived."""
        where = f"{finding.file}:{finding.line}"
        who = finding.accountable.name
        role = (finding.accountable.role or "accountable person").replace("_", " ")
        if finding.waived:
            self._waiver(finding, where)
            return
        if finding.severity not in ("error", "warning"):
            return
        if finding.rule in APPROVAL_RULES:
            self._add(Decision("approval", finding.initiative,
                               f"approve the current phase of {finding.initiative or 'the initiative'} (or stop it): "
                               f"{finding.message}", f"the approving board, presented by {_who(who, role)}",
                               self.as_of.isoformat(), where))
        elif statutory:
            self._add(Decision("statutory", finding.initiative,
                               f"direct that {finding.rule} ({finding.title}) is met: a statutory duty that cannot be waived",
                               _who(who, role), self.as_of.isoformat(), where), key=("statutory", finding.initiative, finding.rule))

    def _waiver(self, finding: Finding, where: str) -> None:
        waiver = finding.waiver if isinstance(finding.waiver, dict) else {}
        end = as_date(waiver.get("expires"))
        if end is None or not 0 <= (end - self.as_of).days <= self.window:
            return
        approver = waiver.get("approved_by") if isinstance(waiver.get("approved_by"), dict) else {}
        name = approver.get("name") if isinstance(approver.get("name"), str) else None
        self._add(Decision("waiver", finding.initiative,
                           f"renew or end the waiver of {finding.rule} ({finding.title}) for "
                           f"{finding.initiative or 'the portfolio'}, expiring {end.isoformat()}",
                           name or "the approver of the waiver", end.isoformat(),
                           f"{waiver.get('file')}:{waiver.get('line')}" if waiver.get("file") else where),
                  key=("waiver", waiver.get("file"), waiver.get("line"), finding.initiative))

    def _add(self, decision: Decision, key: tuple | None = None) -> None:
        key = key or (decision.kind, decision.initiative, decision.asked)
        if key not in self._seen:
            self._seen.add(key)
            self.lines.append(decision)

    def finish(self, profiles: Any, manifests: dict) -> list[Decision]:
        """Add the risks' asks from the manifests' profiles; every line, in the section's order."""
        for key, profile in profiles:
            manifest = manifests.get(key) or {}
            initiative, file = manifest.get("initiative"), manifest.get("file", key[0])
            sro = next((name for role, name in profile["people"] if role == "senior_responsible_owner"), None)
            for risk in profile["risks"]:
                where = f"{file}:{risk.get('line') or manifest.get('line', 1)}"
                label = _risk_label(risk)
                if needs_decision(risk):
                    score = f" (residual score {risk['score']})" if risk.get("score") is not None else ""
                    self._add(Decision("risk", initiative,
                                       f"treat, accept or close risk {label} of {initiative or file}{score}: "
                                       f"{risk.get('title') or 'untitled'}", _who(risk.get("owner") or sro, "risk owner"),
                                       self.as_of.isoformat(), where))
                end = risk.get("acceptance_end")
                if end is not None and 0 <= (end - self.as_of).days <= self.window:
                    self._add(Decision("acceptance", initiative,
                                       f"renew or end the acceptance of risk {label} of {initiative or file}, "
                                       f"lapsing {end.isoformat()}", _who(risk.get("owner") or sro, "risk owner"),
                                       end.isoformat(), where))
        order = list(KINDS)
        return sorted(self.lines, key=lambda d: (order.index(d.kind), d.by, d.initiative or "", d.where, d.asked))


def grouped(decisions: list[Decision]) -> list[tuple[str, str, list[Decision]]]:
    """(kind, heading, lines) for each kind, in the section's order, empty kinds included."""
    return [(kind, title, [d for d in decisions if d.kind == kind]) for kind, title in KINDS.items()]


def empty_text(window: int) -> str:
    """What an empty section says, in words."""
    return (f"Nothing for the board to decide: no risk outside tolerance without a decision, no acceptance or waiver "
            f"lapsing within {window} days, no phase approval due and no statutory gap.")
