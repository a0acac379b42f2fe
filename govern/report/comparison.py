"""What changed since the last board: a portfolio report against a previous one.

Findings match by initiative, rule, file and JSON pointer (as many times as each
appears), never by rule alone. Pure: the previous report is already parsed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from govern.core.model import DOMAINS, Finding


@dataclass(slots=True)
class Change:
    """How many findings are new, resolved and unchanged since the previous report."""

    new: int = 0
    resolved: int = 0
    unchanged: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"new": self.new, "resolved": self.resolved, "unchanged": self.unchanged}


@dataclass(slots=True)
class Comparison:
    """A portfolio against a previous portfolio report: changes in total, per initiative, per domain."""

    previous_as_of: str | None
    previous_file: str
    totals: Change
    initiatives: dict[str, Change]  # id ("" for findings of no initiative) -> change
    domains: dict[str, Change]
    new: list[dict[str, Any]]  # findings, as JSON objects
    resolved: list[dict[str, Any]]


def finding_key(item: dict[str, Any]) -> tuple:
    return (item.get("initiative"), item.get("rule"), item.get("file"), item.get("path"))


def compare_findings(findings: list[Finding], previous: dict[str, Any], previous_file: str = "") -> Comparison:
    """New, resolved and unchanged findings, matched by initiative, rule, file and JSON pointer."""
    now = [f.to_dict() for f in findings]
    before = [item for item in previous.get("findings", []) if isinstance(item, dict)]
    remaining = Counter(finding_key(item) for item in before)
    new, unchanged = [], []
    for item in now:
        key = finding_key(item)
        if remaining[key] > 0:
            remaining[key] -= 1
            unchanged.append(item)
        else:
            new.append(item)
    current = Counter(finding_key(item) for item in now)
    resolved = []
    for item in before:
        key = finding_key(item)
        if current[key] > 0:
            current[key] -= 1
        else:
            resolved.append(item)
    totals, initiatives, domains = Change(), {}, {}
    for kind, items in (("new", new), ("resolved", resolved), ("unchanged", unchanged)):
        for item in items:
            for change in (totals, initiatives.setdefault(item.get("initiative") or "", Change()),
                           domains.setdefault(str(item.get("domain")), Change())):
                setattr(change, kind, getattr(change, kind) + 1)
    as_of = previous.get("as_of")
    return Comparison(
        previous_as_of=as_of if isinstance(as_of, str) else None, previous_file=previous_file, totals=totals,
        initiatives=dict(sorted(initiatives.items())),
        domains=dict(sorted(domains.items(), key=lambda kv: (DOMAINS.index(kv[0]) if kv[0] in DOMAINS else 99, kv[0]))),
        new=new, resolved=sorted(resolved, key=lambda i: tuple(str(v) for v in finding_key(i))),
    )
