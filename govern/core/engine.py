"""The pure core: manifests and compiled rules in, located findings out.

Nothing here prints, exits, reads the clock or opens files; the run date is
``ctx.as_of``. A check that raises is reported as a ``GOV-ENGINE`` error
naming the rule, never a traceback, and the other rules still run. A check
that raises ``SystemExit``, ``KeyboardInterrupt`` or another ``BaseException``
would end the run (or a worker) as though nothing had been found: it is a
``GOV-PLUGIN`` error instead. Only a real signal (``Interrupted``) goes through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from govern.core.checks import get
from govern.core.errors import Interrupted, raised
from govern.core.loader import Document
from govern.core.model import MAX_FIELD, MAX_MESSAGE, Accountable, Context, Finding, Reference, Rule, Violation, clip
from govern.core.schemas import describe, document_validator, load_schema

# Notices that are not rules of a pack: (title, domain, severity).
NOTICES = {
    "GOV-INPUT": ("File cannot be read as a govern document", "governance", "error"),
    "GOV-SCHEMA": ("Manifest does not match the initiative schema", "governance", "error"),
    "GOV-PLUGIN": ("Plugin failed", "governance", "error"),
    "GOV-ENGINE": ("Rule could not be evaluated", "governance", "error"),
    "GOV-CONFIG": ("Configuration is invalid", "governance", "error"),
    "GOV-EXTENSION": ("Extension block not owned by any plugin", "governance", "warning"),
    "APPETITE-LEGACY": ("Appetite statement uses a legacy level name", "risk", "info"),
    "WAIVER-EXPIRED": ("Waiver has expired and no longer waives", "governance", "warning"),
    "WAIVER-STALE": ("Waiver matches no finding", "governance", "info"),
    "WAIVER-CONFLICT": ("Waiver approved by a conflicted person does not waive", "governance", "warning"),
    "WAIVER-REFUSED": ("Waiver refused: the rule is not waivable", "governance", "warning"),
    "GOV-UNASSIGNED": ("Accountable role held by nobody", "governance", "warning"),  # govern portfolio notice
    "BASELINE-RESOLVED": ("Baseline finding no longer found", "governance", "info"),
    "BASELINE-REFUSED": ("Baseline refused: the rule is not waivable", "governance", "info"),
}
INPUT_RULES = frozenset(("GOV-INPUT", "GOV-PLUGIN", "GOV-ENGINE", "GOV-CONFIG"))

OUTCOMES = ("pass", "fail", "waived", "not-applicable", "retired")  # retired: past the rule's retired_on, not run


@dataclass(slots=True)
class Evaluation:
    """Findings for one manifest, and the outcome of every rule considered."""

    findings: list[Finding] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)


def initiative_id(data: Any) -> str | None:
    value = get(data, "/metadata/id")
    return clip(value, MAX_FIELD) if isinstance(value, str) else None  # a 4 MB id is not copied into every report row


def resolve_accountable(data: Any, role: str | None) -> Accountable:
    if not role:
        return Accountable(None)
    holder = get(data, f"/accountability/{role}")
    if isinstance(holder, dict) and isinstance(holder.get("name"), str) and holder["name"].strip():
        email = holder.get("email") if isinstance(holder.get("email"), str) else None
        return Accountable(role, holder["name"], email)
    return Accountable(role, None)


def notice(
    rule: str,
    message: str,
    file: str,
    line: int = 1,
    column: int = 1,
    path: str = "",
    initiative: str | None = None,
    severity: str | None = None,
    accountable: Accountable | None = None,
) -> Finding:
    title, domain, default = NOTICES.get(rule, (rule, "governance", "error"))
    return Finding(
        rule=rule,
        title=title,
        domain=domain,
        severity=severity or default,
        message=message,
        file=file,
        line=line,
        column=column,
        path=path,
        initiative=initiative,
        accountable=accountable or Accountable(None),
    )


def make_finding(rule: Rule, violation: Violation, doc: Document, ctx: Context) -> Finding:
    line, column = doc.locate(violation.path)
    severity = violation.severity or rule.severity
    lead = rule.message or rule.title
    message = f"{lead}: {violation.message}" if violation.message else lead
    if not rule.phased_in(ctx.as_of):
        severity = "info"
        message = f"{message} (comes into force on {rule.effective_from.isoformat()})"
    return Finding(
        rule=rule.id,
        title=rule.title,
        domain=rule.domain,
        severity=severity,
        message=message,
        file=doc.file,
        line=line,
        column=column,
        path=violation.path,
        initiative=initiative_id(doc.data),
        accountable=violation.accountable or resolve_accountable(doc.data, rule.accountable),
        references=rule.references,
    )


def schema_findings(doc: Document, ctx: Context) -> list[Finding]:
    """GOV-SCHEMA errors, plus extension blocks checked against their owners' schemas."""
    findings = []
    validator = document_validator("initiative")
    initiative = initiative_id(doc.data)
    sro = resolve_accountable(doc.data, "senior_responsible_owner")
    for error in validator.iter_errors(doc.data):
        for path, detail in describe(error):
            line, column = doc.locate(path)
            findings.append(notice("GOV-SCHEMA", detail, doc.file, line, column, path, initiative, accountable=sro))
    extensions = get(doc.data, "/extensions")
    if isinstance(extensions, dict):
        for name, block in extensions.items():
            path = f"/extensions/{name.replace('~', '~0').replace('/', '~1')}"
            owner = ctx.extensions.get(name)
            line, column = doc.locate(path)
            if owner is None:
                findings.append(
                    notice(
                        "GOV-EXTENSION",
                        f"extensions.{name} is not owned by any loaded plugin, so nothing checks it",
                        doc.file, line, column, path, initiative, accountable=sro,
                    )
                )
                continue
            for error in owner.iter_errors(block):
                for sub, detail in describe(error):
                    full = path + sub
                    line, column = doc.locate(full)
                    findings.append(
                        notice("GOV-SCHEMA", f"extensions.{name}: {detail}", doc.file, line, column, full, initiative, accountable=sro)
                    )
    return findings


def malformed(violation: Any) -> str | None:
    """Why a check's result is not a usable ``Violation`` (plugins' checks are not trusted), or None."""
    if not isinstance(violation, Violation):
        return f"{type(violation).__name__} {str(violation)[:60]!r} is not a govern.core.model.Violation"
    if not isinstance(violation.path, str) or not (violation.path == "" or violation.path.startswith("/")):
        return f"path {violation.path!r} is not a JSON Pointer"
    if not isinstance(violation.message, str):
        return f"message {violation.message!r} is not text"
    if violation.severity not in (None, "error", "warning", "info"):
        return f"severity {violation.severity!r} is not error, warning or info"
    if violation.accountable is not None and not isinstance(violation.accountable, Accountable):
        return "accountable is not a govern.core.model.Accountable"
    return None


def evaluate(doc: Document, rules: Iterable[Rule], ctx: Context) -> Evaluation:
    """Run every manifest rule on one Initiative document.

    A manifest without a valid ``metadata.phase`` gets a GOV-SCHEMA error, and must
    never look cleaner for it (docs/design/semantics.md, Phases): rules that depend on the phase would
    otherwise just not apply. It is checked as it is and as if it were in each
    phase in turn, and the check with the most errors and warnings is reported,
    its findings saying which phase was assumed.
    """
    result = Evaluation(schema_findings(doc, ctx))
    data = doc.data
    rules = [rule for rule in rules if rule.scope == "manifest"]
    plain = [_run_rule(rule, doc, data, ctx) for rule in rules]
    chosen, assumed = plain, None
    if not _has_phase(data):
        for phase in phases():
            variant = [_run_rule(rule, doc, _with_phase(data, phase), ctx) for rule in rules]
            if _weight(f for _, found in variant for f in found) > _weight(f for _, found in chosen for f in found):
                chosen, assumed = variant, phase
    note = f" (no valid metadata.phase: checked as if {assumed})"
    for rule, (outcome, findings), (_, before) in zip(rules, chosen, plain):
        if assumed is not None and [f.message for f in findings] != [f.message for f in before]:
            for finding in findings:  # this rule's verdict depends on the phase assumed
                finding.message = clip(finding.message, MAX_MESSAGE - len(note)) + note
        result.outcomes[rule.id] = outcome
        result.findings += findings
    return result


@cache
def phases() -> tuple[str, ...]:
    """Every value of ``metadata.phase`` the initiative schema accepts, in its order."""
    return tuple(load_schema("initiative")["$defs"]["phase"]["enum"])


def _has_phase(data: Any) -> bool:
    metadata = data.get("metadata") if isinstance(data, dict) else None
    return isinstance(metadata, dict) and metadata.get("phase") in phases()


def _with_phase(data: Any, phase: str) -> dict[str, Any]:
    """The manifest as if it were in ``phase`` (a shallow copy: checks never change a manifest)."""
    data = data if isinstance(data, dict) else {}
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    return {**data, "metadata": {**metadata, "phase": phase}}


def _weight(findings: Iterable[Finding]) -> tuple[int, int, int]:
    """How grave findings are: errors and warnings together, then errors, then info."""
    errors = warnings = info = 0
    for finding in findings:
        if finding.severity == "error":
            errors += 1
        elif finding.severity == "warning":
            warnings += 1
        else:
            info += 1
    return (errors + warnings, errors, info)


def _run_rule(rule: Rule, doc: Document, data: Any, ctx: Context) -> tuple[str, list[Finding]]:
    """One rule on one manifest: its outcome and findings (a check that raises is a GOV-ENGINE error)."""
    if not rule.in_force(ctx.as_of):
        return "retired", []
    try:
        if rule.applies is not None and not rule.applies(data, ctx):
            return "not-applicable", []
        violations = list(rule.check(data, ctx))
        for violation in violations:
            if problem := malformed(violation):
                raise TypeError(f"its check returned malformed data: {problem}")
    except Interrupted:
        raise
    except BaseException as exc:  # a bug in a check must not hide the other rules, nor end the run
        rule_id, message = check_raised(rule, exc)
        return "fail", [notice(rule_id, message, doc.file, doc.line, doc.column, "", initiative_id(data))]
    return ("fail" if violations else "pass"), [make_finding(rule, violation, doc, ctx) for violation in violations]


def check_raised(rule: Rule, exc: BaseException) -> tuple[str, str]:
    """(notice, message) for a check that raised: ``GOV-ENGINE`` for an error, a bug in the check;
    ``GOV-PLUGIN`` for ``SystemExit``, ``KeyboardInterrupt`` and the like, which a check may
    never use to stop a run that would then look clean."""
    if isinstance(exc, Exception):
        return "GOV-ENGINE", f"rule {rule.id} ({rule.source}) raised {type(exc).__name__}: {exc}"
    return "GOV-PLUGIN", (f"rule {rule.id} ({rule.source}) raised {raised(exc)}: a check yields violations, "
                          "it must never exit or interrupt the run")


def portfolio_findings(docs: list[Document], rules: Iterable[Rule], ctx: Context) -> list[Finding]:
    """Rules that look at the whole run at once (e.g. RISK-009, RISK-010)."""
    findings: list[Finding] = []
    for rule in rules:
        if rule.scope != "portfolio" or not rule.in_force(ctx.as_of):
            continue
        try:
            for item in rule.check(docs, ctx):
                findings.append(item if isinstance(item, Finding) else _portfolio_finding(rule, item, ctx))
        except Interrupted:
            raise
        except BaseException as exc:
            findings.append(notice(*check_raised(rule, exc), "<portfolio>"))
    return findings


def _portfolio_finding(rule: Rule, violation: Violation, ctx: Context) -> Finding:
    appetite = ctx.appetite
    file = getattr(appetite, "file", "<portfolio>")
    line, column = appetite.locate(violation.path) if appetite is not None else (1, 1)
    return Finding(
        rule=rule.id,
        title=rule.title,
        domain=rule.domain,
        severity=violation.severity or rule.severity,
        message=f"{rule.message or rule.title}: {violation.message}",
        file=file,
        line=line,
        column=column,
        path=violation.path,
        initiative=None,
        accountable=violation.accountable or Accountable(rule.accountable),
        references=rule.references,
    )


def reference_strings(refs: tuple[Reference, ...]) -> list[str]:
    return [str(ref) for ref in refs]
