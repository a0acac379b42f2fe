"""The data govern passes around: rules, findings, and the run context.

One ``Rule`` type serves YAML rules and Python rules alike; reporters,
waivers, ``rules`` and ``explain`` never ask where a rule came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1, "never": 99}
DOMAINS = ("governance", "data", "privacy", "security", "accessibility", "risk")
PHASES = ("discovery", "alpha", "private-beta", "public-beta", "beta", "live")  # govern.core.phases.VOCABULARY without retired
ROLES = (
    "senior_responsible_owner",
    "service_owner",
    "information_asset_owner",
    "security_lead",
    "senior_information_risk_owner",
    "accounting_officer",  # docs/reference/rule-families.md 9: needed only where a rule names it (GOV-016, GOV-018)
)


@dataclass(frozen=True, slots=True)
class Reference:
    """A clause of a framework a rule implements (data: shown in reports, never checked)."""

    framework: str
    clause: str | None = None
    version: str | None = None
    url: str | None = None
    # Law that changes on a date (UK GDPR Art. 22 -> Arts 22A-22C on 2026-02-05): a finding cites the
    # reference only on run dates from ``in_force_from`` and before ``in_force_until``.
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    confidence: str | None = None  # verified | secondary: how sure the citation is (`explain` shows it)

    def __str__(self) -> str:
        text = self.framework
        if self.version:
            text += f" ({self.version})"
        if self.clause:
            text += f" {self.clause}"
        return text

    def __reduce__(self) -> tuple:  # pickled positionally: faster than a frozen dataclass's state
        return (Reference, (self.framework, self.clause, self.version, self.url, self.in_force_from, self.in_force_until,
                            self.confidence))

    def in_force(self, day: dt.date) -> bool:
        """Whether the reference is the law on ``day`` (undated references always are)."""
        return (self.in_force_from is None or day >= self.in_force_from) and (
            self.in_force_until is None or day < self.in_force_until)

    def period(self) -> str:
        """" (from 2026-02-05)", " (before 2026-02-05)" or "": how `explain` shows a dated reference."""
        if self.in_force_from and self.in_force_until:
            return f" (from {self.in_force_from.isoformat()}, before {self.in_force_until.isoformat()})"
        if self.in_force_from:
            return f" (from {self.in_force_from.isoformat()})"
        return f" (before {self.in_force_until.isoformat()})" if self.in_force_until else ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"framework": self.framework}
        for key in ("version", "clause", "url"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class Accountable:
    """Who owns a finding: a manifest role and the person holding it."""

    role: str | None
    name: str | None = None
    email: str | None = None

    def __reduce__(self) -> tuple:
        return (Accountable, (self.role, self.name, self.email))

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "name": self.name}


@dataclass(frozen=True, slots=True)
class Violation:
    """What a check reports; the engine turns it into a located Finding."""

    path: str
    message: str
    severity: str | None = None
    accountable: Accountable | None = None
    # "board-reserved" when this finding (not the whole rule) can be cleared only by a board decision:
    # RISK-002 outside tolerance (docs/design/semantics.md 8.9 item 1); a waiver of it is refused.
    waiver_policy: str | None = None
    # References this finding cites besides the rule's own, e.g. UK GDPR Art. 26 only for a joint
    # controller (DATA-004): law that binds only some cases of a rule is cited only for them.
    also_cites: tuple[Reference, ...] = ()


@dataclass(frozen=True, slots=True)
class Example:
    """One pass or fail example of a rule (``govern test``)."""

    kind: str  # "pass" or "fail"
    source: str  # a description: file path or "inline #n"
    manifest: dict[str, Any]
    as_of: dt.date | None = None
    appetite: str | None = None  # an appetite statement file for this example (default: the run's)
    also_fires: tuple[str, ...] = ()  # other rules a failing example necessarily fires too
    config: dict[str, Any] | None = None  # settings (as in govern.yaml) for this example only


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule; ``check`` yields violations for one manifest.

    ``applies`` is the precondition (``when``); a rule whose precondition
    does not match is reported as not applicable, never as passed.
    Portfolio rules (``scope="portfolio"``) get the whole run instead.
    """

    id: str
    title: str
    domain: str
    severity: str
    accountable: str | None
    check: Callable[..., Iterable[Violation]]
    applies: Callable[[Any, Any], bool] | None = None
    references: tuple[Reference, ...] = ()
    rationale: str = ""
    remediation: str = ""
    waivable: bool = True
    scope: str = "manifest"
    source: str = "builtin"
    pack: str | None = None
    help_uri: str | None = None
    message: str | None = None
    effective_from: dt.date | None = None
    retired_on: dt.date | None = None
    aliases: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    defaults: str | None = None  # thresholds that are govern defaults, said by `explain`
    location: tuple[str, int, int] | None = None  # where the rule was written
    applies_to: dict[str, tuple[str, ...]] | None = None  # organisation_types / nations the rule binds (docs/design/semantics.md 8.1)
    waiver_policy: str | None = None  # why a non-waivable rule cannot be waived: statutory | board-reserved
    changed: str | None = None  # what changed in the current pack version and why, said by `explain`
    # A retired initiative still holding data is checked as if live (docs/design/semantics.md 8.2, 8.9 item 11).
    as_live_while_holding_data: bool = False
    # ((applies_to, severity), ...): the first scope that binds the body sets the rule's severity there
    # (e.g. an error for central government, the rule's own `severity` for every other body).
    severity_by_scope: tuple[tuple[dict[str, tuple[str, ...]], str], ...] = ()

    def in_force(self, as_of: dt.date) -> bool:
        return self.retired_on is None or as_of < self.retired_on

    def phased_in(self, as_of: dt.date) -> bool:
        return self.effective_from is None or as_of >= self.effective_from


@dataclass(frozen=True, slots=True)
class Waiver:
    """One entry of a waiver register, located in it."""

    index: int
    initiative: str
    rule: str
    justification: str
    approved_by: dict[str, Any]
    approved_on: str
    expires: str
    file: str
    line: int
    column: int
    path: str | None = None


MAX_MESSAGE = 4000  # characters of a finding's message
MAX_FIELD = 200  # characters of a finding's initiative id, or an accountable person's name or email
MAX_PATH = 1000  # characters of a finding's JSON Pointer


def clip(text: Any, limit: int) -> Any:
    """``text`` cut to ``limit`` characters (ending in an ellipsis) when longer; anything else unchanged."""
    if isinstance(text, str) and len(text) > limit:
        return text[: limit - 1] + "\u2026"
    return text


@dataclass(slots=True)
class Finding:
    """One located result of a run: a rule's violation, or a notice govern raises itself."""

    rule: str
    title: str
    domain: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    path: str
    initiative: str | None
    accountable: Accountable
    references: tuple[Reference, ...] = ()
    waiver: dict[str, Any] | None = None
    waived: bool = False
    baseline: str | None = None  # "existing" when a baseline already had it
    waiver_policy: str | None = None  # "board-reserved": this finding cannot be waived (Violation.waiver_policy)
    # Why the rule binds the body (docs/design/semantics.md 8.1, 8.9 item 13): "binding", "assumed" (only
    # because no organisation type or nation was recorded) or "adopted" (configuration's extend_scope).
    scope_basis: str = "binding"

    def __post_init__(self) -> None:
        # Values quoted from a hostile manifest (a 4 MB id, say) must not be copied into every
        # finding and every report: long text is clipped, once, where a finding is made.
        # (tested inline: a finding is made for every violation of every manifest)
        if isinstance(self.message, str) and len(self.message) > MAX_MESSAGE:
            self.message = clip(self.message, MAX_MESSAGE)
        if isinstance(self.initiative, str) and len(self.initiative) > MAX_FIELD:
            self.initiative = clip(self.initiative, MAX_FIELD)
        if isinstance(self.path, str) and len(self.path) > MAX_PATH:
            self.path = clip(self.path, MAX_PATH)
        accountable = self.accountable
        if isinstance(accountable, Accountable) and (
            (isinstance(accountable.name, str) and len(accountable.name) > MAX_FIELD)
            or (isinstance(accountable.email, str) and len(accountable.email) > MAX_FIELD)
        ):
            self.accountable = Accountable(accountable.role, clip(accountable.name, MAX_FIELD), clip(accountable.email, MAX_FIELD))

    def __reduce__(self) -> tuple:
        # Findings cross from workers and go through govern.run.spool by the hundred thousand:
        # positional state pickles in about half the time of the default.
        return (Finding, (self.rule, self.title, self.domain, self.severity, self.message, self.file, self.line,
                          self.column, self.path, self.initiative, self.accountable, self.references, self.waiver,
                          self.waived, self.baseline, self.waiver_policy, self.scope_basis))

    @property
    def blocking(self) -> bool:
        return not self.waived and self.baseline is None

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.rule, self.column, self.path, self.message)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "rule": self.rule,
            "title": self.title,
            "domain": self.domain,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "initiative": self.initiative,
            "accountable": self.accountable.to_dict(),
            "references": _reference_dicts(self.references),
            "waiver": self.waiver,
            "status": "waived" if self.waived else (self.baseline or "open"),
            "scope_basis": self.scope_basis,
        }
        return out


_REFERENCE_DICTS: dict[tuple, list[dict[str, Any]]] = {}


def _reference_dicts(refs: tuple[Reference, ...]) -> list[dict[str, Any]]:
    """``[ref.to_dict() for ref in refs]``, each rule's made once: every finding of a rule cites the same
    references (a new list each time; the dicts are only read, by the reporters)."""
    found = _REFERENCE_DICTS.get(refs)
    if found is None:
        found = [ref.to_dict() for ref in refs]
        if len(_REFERENCE_DICTS) < 1024:
            _REFERENCE_DICTS[refs] = found
    return list(found)


@dataclass(slots=True)
class Counts:
    """Findings by severity, and waived apart: a run's summary, or one cell of the compliance table."""

    errors: int = 0
    warnings: int = 0
    info: int = 0
    waived: int = 0

    def add(self, finding: Finding) -> None:
        if finding.waived:
            self.waived += 1
        elif finding.severity == "error":
            self.errors += 1
        elif finding.severity == "warning":
            self.warnings += 1
        else:
            self.info += 1

    def merge(self, other: Counts) -> None:
        self.errors += other.errors
        self.warnings += other.warnings
        self.info += other.info
        self.waived += other.waived

    @property
    def total(self) -> int:
        return self.errors + self.warnings + self.info + self.waived

    def status(self, checked: bool = True) -> str:
        if self.errors:
            return "FAIL"
        if self.warnings:
            return "WARN"
        if self.info:
            return "NOTE"
        return "PASS" if checked or self.waived else "N/C"

    def mark(self, checked: bool = True, waived: bool = True) -> str:
        """The status in words and numbers, never colour alone: ``FAIL 2E 1W``, ``PASS +1 waived``."""
        parts = [self.status(checked)]
        parts += [f"{n}{letter}" for n, letter in ((self.errors, "E"), (self.warnings, "W"), (self.info, "I")) if n]
        if self.waived and waived:
            parts.append(f"+{self.waived} waived")
        return " ".join(parts)

    def to_dict(self, checked: bool = True) -> dict[str, Any]:
        return {"errors": self.errors, "warnings": self.warnings, "info": self.info, "waived": self.waived,
                "status": self.status(checked), "mark": self.mark(checked)}


@dataclass(slots=True)
class Context:
    """Everything a check may read besides the manifest. Never the clock."""

    as_of: dt.date
    config: dict[str, Any] = field(default_factory=dict)
    appetite: Any = None
    functions: dict[str, Any] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    appetites: Any = None  # govern.risk.appetite.StatementSet when --appetite names a folder (8.7)

    def setting(self, key: str, default: Any) -> Any:
        return self.config.get(key, default)


@dataclass(frozen=True, slots=True)
class Reporter:
    """An output format: ``--format NAME`` calls ``render(report)`` for the listed commands."""

    name: str
    render: Callable[[Any], str]
    commands: tuple[str, ...] = ("check",)
    description: str = ""
    # Optional: the same text in pieces, written as they are made, so a large report is never
    # held whole. ``"".join(stream(report)) == render(report)``.
    stream: Callable[[Any], Iterable[str]] | None = None
