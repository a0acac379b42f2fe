"""The pure core: manifests and compiled rules in, located findings out.

Nothing here prints, exits, reads the clock or opens files; the run date is
``ctx.as_of``. A check that raises is reported as a ``GOV-ENGINE`` error
naming the rule, never a traceback, and the other rules still run. A check
that raises ``SystemExit``, ``KeyboardInterrupt`` or another ``BaseException``
would end the run (or a worker) as though nothing had been found: it is a
``GOV-PLUGIN`` error instead. Only a real signal (``Interrupted``) goes through.

Over 400 lines (about 510) on purpose: evaluating one manifest is one pass (schema, scope, each rule,
placeholders, one finding per root cause), and its helpers share the Evaluation they fill; split, the
order the findings are made in, which the reports rely on, would be spread over several modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from operator import is_
from typing import Any

from govern.core.checks import get
from govern.core.errors import Interrupted, raised
from govern.core.holding import AS_LIVE, AS_LIVE_NOTE, retired_holding_data
from govern.core.loader import Document
from govern.core.model import MAX_FIELD, MAX_MESSAGE, Accountable, Context, Finding, Reference, Rule, Violation, clip
from govern.core.placeholders import unfilled, without
from govern.core.schemas import corrections, describe, document_validator, load_schema, root_causes
from govern.core.scope import ADOPTED_NOTE, assumed_note, organisation, regime, verdict, why_not, with_organisation

# Notices that are not rules of a pack: (title, domain, severity).
NOTICES = {
    "GOV-INPUT": ("File cannot be read as a govern document", "governance", "error"),
    "GOV-SCHEMA": ("Manifest does not match the initiative schema", "governance", "error"),
    "GOV-PLUGIN": ("Plugin failed", "governance", "error"),
    "GOV-ENGINE": ("Rule could not be evaluated", "governance", "error"),
    "GOV-CONFIG": ("Configuration is invalid", "governance", "error"),
    "GOV-EXTENSION": ("Extension block not owned by any plugin", "governance", "warning"),
    "APPETITE-LEGACY": ("Appetite statement uses a legacy level name", "risk", "info"),
    "APPETITE-NONE": ("No appetite statement applies to the initiative", "risk", "error"),
    "WAIVER-EXPIRED": ("Waiver has expired and no longer waives", "governance", "warning"),
    "WAIVER-STALE": ("Waiver matches no finding", "governance", "info"),
    "WAIVER-CONFLICT": ("Waiver approved by a conflicted person does not waive", "governance", "warning"),
    "WAIVER-REFUSED": ("Waiver refused: the rule is not waivable", "governance", "warning"),
    "GOV-PLACEHOLDER": ("Value is still a govern init placeholder", "governance", "error"),
    "GOV-UNASSIGNED": ("Accountable role held by nobody", "governance", "warning"),  # govern portfolio notice
    "BASELINE-RESOLVED": ("Baseline finding no longer found", "governance", "info"),
    "BASELINE-REFUSED": ("Baseline refused: the rule is not waivable", "governance", "info"),
}
# What to do about each notice, in one line (the text report's fix line; rules give theirs in `remediation`).
NOTICE_FIXES = {
    "GOV-INPUT": "make the file a readable govern document as the message says (`govern init` prints a manifest)",
    "GOV-SCHEMA": "correct the field as the message says (`govern init` prints a valid manifest)",
    "GOV-PLUGIN": "fix or uninstall the plugin (`govern plugins` lists them), or run with --no-plugins",
    "GOV-ENGINE": "tell the rule's maintainers: `govern explain RULE` names its pack",
    "GOV-CONFIG": "correct the configuration file as the message says",
    "GOV-EXTENSION": "install the plugin that owns this extensions block, or remove the block",
    "APPETITE-LEGACY": "rename the level in the appetite statement as the message says",
    "APPETITE-NONE": "list the initiative's department in a statement's metadata.applies_to",
    "WAIVER-EXPIRED": "fix the finding, or have the waiver renewed with a new expiry date",
    "WAIVER-STALE": "remove the waiver from the register",
    "WAIVER-CONFLICT": "have the waiver approved by someone not accountable for the initiative or the rule",
    "WAIVER-REFUSED": "fix the finding: this rule cannot be waived",
    "GOV-PLACEHOLDER": "replace the placeholder with the real value",
    "GOV-UNASSIGNED": "name a person for the role in the manifest's accountability block",
    "BASELINE-RESOLVED": "write a new baseline from this run (`--format json:FILE`)",
    "BASELINE-REFUSED": "fix the finding: this rule cannot be carried in a baseline",
}
INPUT_RULES = frozenset(("GOV-INPUT", "GOV-PLUGIN", "GOV-ENGINE", "GOV-CONFIG"))

OUTCOMES = ("pass", "fail", "waived", "not-applicable", "retired")  # retired: past the rule's retired_on, not run


@dataclass(slots=True)
class Evaluation:
    """Findings for one manifest, and the outcome of every rule considered."""

    findings: list[Finding] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)
    # rule id -> why a scoped rule does not bind this body ("organisation type local-authority (...)")
    out_of_scope: dict[str, str] = field(default_factory=dict)


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


_PEOPLE: list[Any] = [None, None, {}]  # (manifest data, its initiative id, role -> Accountable) of the last finding


def _about(data: Any, role: str | None) -> tuple[str | None, Accountable]:
    """``initiative_id`` and ``resolve_accountable``, once per manifest and role: a manifest has a few
    dozen findings. Accountable is frozen, and the cache holds the manifest itself (never a stale id)."""
    cache = _PEOPLE
    if cache[0] is not data:
        cache[:] = [data, initiative_id(data), {}]
    people = cache[2]
    holder = people.get(role)
    if holder is None:
        holder = people[role] = resolve_accountable(data, role)
    return cache[1], holder


def make_finding(rule: Rule, violation: Violation, doc: Document, ctx: Context, severity: str | None = None) -> Finding:
    """``severity`` is the rule's severity for this body (``scoped_severity``), the rule's own by default."""
    initiative, holder = _about(doc.data, rule.accountable)
    line, column = doc.locate(violation.path)
    severity = violation.severity or severity or rule.severity
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
        initiative=initiative,
        accountable=violation.accountable or holder,
        references=_cited(rule.references, ctx.as_of) if not violation.also_cites else
        in_force(rule.references + tuple(violation.also_cites), ctx.as_of),
        waiver_policy=getattr(violation, "waiver_policy", None),
    )


_CITED: dict[int, tuple[tuple[Reference, ...], dt.date, tuple[Reference, ...]]] = {}  # id(refs) -> (refs, day, in force)


def _cited(refs: tuple[Reference, ...], day: dt.date) -> tuple[Reference, ...]:
    """``in_force(refs, day)`` for a rule's own references, worked out once per rule, not once per finding."""
    found = _CITED.get(id(refs))
    if found is not None and found[0] is refs and found[1] == day:
        return found[2]
    chosen = in_force(refs, day)
    if len(_CITED) > 4096:  # rules made afresh in a long session: never grow without bound
        _CITED.clear()
    _CITED[id(refs)] = (refs, day, chosen)
    return chosen


def in_force(refs: tuple[Reference, ...], day: dt.date) -> tuple[Reference, ...]:
    """The references that are the law on ``day``: a rule's citations follow ``--as-of``."""
    if all(r.in_force_from is None and r.in_force_until is None for r in refs):
        return refs
    return tuple(r for r in refs if r.in_force(day))


def schema_findings(doc: Document, ctx: Context) -> list[Finding]:
    """GOV-SCHEMA errors, plus extension blocks checked against their owners' schemas."""
    return _schema_check(doc, ctx)[0]


def _schema_check(doc: Document, ctx: Context) -> tuple[list[Finding], list[tuple[str, str, Any]]]:
    """GOV-SCHEMA errors, one per root cause, and the corrections they suggest (``corrections``),
    with a ``refused`` entry for each value the schema refused.

    One value is reported once (a date both in the wrong shape and not a date is one error), and
    a key reported as misspelt is not reported missing as well: the misspelling is the cause.
    """
    findings = []
    fixes: list[tuple[str, str, Any]] = []
    validator = document_validator("initiative")
    initiative = initiative_id(doc.data)
    sro = resolve_accountable(doc.data, "senior_responsible_owner")
    errors = list(validator.explain(doc.data))
    for error in errors:
        fixes += corrections(error)
    for path, detail, error in root_causes(errors):
        if _a_value(error, path):
            fixes.append((path, "refused", None))
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
    return findings, fixes


def _a_value(error: Any, path: str) -> bool:
    """Whether the schema refused the value at ``path`` (not a missing or unknown key): a rule's
    finding about that value would be a second finding for one root cause. ``metadata.phase`` is
    left out: rules that depend on it are judged as in the gravest phase instead."""
    if not path or path == "/metadata/phase" or error.validator in ("required", "additionalProperties"):
        return False
    return "propertyNames" not in getattr(error, "relative_schema_path", ())


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
    if not isinstance(violation.also_cites, tuple) or not all(isinstance(r, Reference) for r in violation.also_cites):
        return "also_cites is not a tuple of govern.core.model.Reference"
    return None


def evaluate(doc: Document, rules: Iterable[Rule], ctx: Context) -> Evaluation:
    """Run every manifest rule on one Initiative document.

    A manifest without a valid ``metadata.phase`` gets a GOV-SCHEMA error, and must
    never look cleaner for it (docs/design/semantics.md, Phases): rules that depend on the phase would
    otherwise just not apply. It is checked as it is and as if it were in each
    phase in turn, and the check with the most errors and warnings is reported,
    its findings saying which phase was assumed.

    A value ``govern init`` wrote for the person to replace ("Full Name") is not a
    value: the rules run as if it were absent (``govern.core.placeholders``), and a
    rule finding about it says so; a placeholder no finding covers is a
    GOV-PLACEHOLDER error of its own.

    The configuration's ``organisation:`` fills in what the manifest does not say
    (``govern.core.scope.with_organisation``), so a pack's ``when``, a check
    function and ``applies_to`` all judge the same body.
    """
    schema, fixes = _schema_check(doc, ctx)
    result = Evaluation(schema)
    data = doc.data
    places = unfilled(data)
    if places:
        data = without(data, places)
    data = with_organisation(data, ctx.config)
    rules = [rule for rule in rules if rule.scope == "manifest"]
    # whom each rule binds, judged once: the phase variants below keep the body's type, nation and regime
    judged = _judgements(rules, data, ctx)
    plain = [_run_rule(rule, doc, data, ctx, scope) for rule, scope in zip(rules, judged)]
    chosen, assumed = plain, None
    if not _has_phase(data):
        for phase in phases():
            as_in = _with_phase(data, phase)
            variant = [_run_rule(rule, doc, as_in, ctx, scope) for rule, scope in zip(rules, judged)]
            if _weight(f for _, found in variant for f in found) > _weight(f for _, found in chosen for f in found):
                chosen, assumed = variant, phase
    refused = tuple(path for path, action, _ in fixes if action == "refused")
    fixes = [fix for fix in fixes if fix[1] != "refused"]
    if fixes or refused:
        fixed = _corrected(data, fixes, ctx, assumed) if fixes else None
        judged_fixed = _judgements(rules, fixed, ctx) if fixed is not None else judged
        chosen = _without_consequences(rules, chosen, doc, fixed, refused, ctx, judged_fixed)
    note = f" (no valid metadata.phase: checked as if {assumed})"
    for rule, (outcome, findings), (_, before) in zip(rules, chosen, plain):
        if assumed is not None and [f.message for f in findings] != [f.message for f in before]:
            for finding in findings:  # this rule's verdict depends on the phase assumed
                finding.message = clip(finding.message, MAX_MESSAGE - len(note)) + note
        result.outcomes[rule.id] = outcome
        result.findings += findings
    if places:
        result.findings += _placeholder_findings(doc, places, result.findings)
    _list_assumed(result.findings, [rule.id for rule, scope in zip(rules, judged) if _by_assumption(scope)])
    for rule, (own, _, _) in zip(rules, judged):
        if own == "out" and result.outcomes.get(rule.id) == "not-applicable":
            result.out_of_scope[rule.id] = why_not(rule.applies_to, data, ctx.config)
    return result


SCOPE_NOTICE = "GOV-013"  # "Organisation type recorded": lists the rules applied on the assumption


def _list_assumed(findings: list[Finding], ids: list[str]) -> None:
    """GOV-013 names the rules it speaks for (``ids``): only the engine knows every rule of the run."""
    ids = sorted(ids)
    for finding in findings:
        if finding.rule == SCOPE_NOTICE:
            applied = ", ".join(ids) if ids else "none in this run"
            finding.message = clip(f"{finding.message}; applied on that assumption: {applied}", MAX_MESSAGE)


def _placeholder_findings(doc: Document, places: list[tuple[str, str]], findings: list[Finding]) -> list[Finding]:
    """Say where each ``govern init`` placeholder still stands (a person's name and email together):
    in the message of a rule finding about that field or person (one cause, one finding), else as a
    GOV-PLACEHOLDER error of its own."""
    from govern.core.checks import dotted

    subjects: dict[str, list[tuple[str, str]]] = {}
    for pointer, value in places:
        parent, _, field_name = pointer.rpartition("/")
        person = field_name in ("name", "email") and not parent.startswith("/metadata")
        subjects.setdefault(parent if person else pointer, []).append((field_name if person else "", value))
    extra = []
    sro = resolve_accountable(doc.data, "senior_responsible_owner")
    for subject, values in subjects.items():
        if values[0][0]:  # a person
            plural = "s" if len(values) > 1 else ""
            shown = ", ".join(f"{name} {value!r}" for name, value in values)
            said = f"{dotted(subject)} still holds the `govern init` placeholder{plural}: {shown}"
            pointers = {subject, f"{subject}/name", f"{subject}/email"}
        else:
            said = f"{dotted(subject)} is still the `govern init` placeholder {values[0][1]!r}"
            pointers = {subject}
        covered = [f for f in findings if f.rule not in NOTICES and f.path in pointers]
        for finding in covered:
            finding.message = clip(finding.message, MAX_MESSAGE - len(said) - 3) + f" ({said})"
        if not covered:
            line, column = doc.locate(subject)
            extra.append(notice("GOV-PLACEHOLDER", f"{said}; write the real value", doc.file, line, column, subject,
                                initiative_id(doc.data), accountable=sro))
    return extra


def _corrected(data: Any, fixes: list[tuple[str, str, Any]], ctx: Context, phase: str | None) -> Any:
    """The manifest as the person most probably meant it: misspelt keys and values corrected,
    dates, email addresses and URLs in the wrong form replaced by valid ones (a date by the run
    date, which no age rule reacts to). ``metadata.phase`` is never corrected: a manifest without a
    valid phase is checked as in its gravest phase, ``phase`` when one was assumed."""
    from govern.core.hints import example

    fixed = data
    copied: set[int] = set()  # the mappings and lists already copied: only the paths to a fix are copied
    for pointer, action, argument in fixes:
        if pointer == "/metadata/phase":
            continue
        parent, _, token = pointer.rpartition("/")
        fixed, holder = _copy_path(fixed, parent, copied)
        key: Any = token.replace("~1", "/").replace("~0", "~")
        if isinstance(holder, list) and key.isdigit():
            key = int(key)
        elif not isinstance(holder, dict) or key not in holder:
            continue
        if action == "rename" and isinstance(holder, dict) and argument not in holder:
            holder[argument] = holder.pop(key)
        elif action == "form":
            holder[key] = example(argument, ctx.as_of)
        elif action == "value":
            holder[key] = argument
    return _with_phase(fixed, phase) if phase is not None else fixed


def _copy_path(root: Any, pointer: str, copied: set[int]) -> tuple[Any, Any]:
    """``root`` with every mapping and list on the way to ``pointer`` copied (once: ``copied`` holds the
    copies' ids), and the copy found at ``pointer`` (None when there is none): the manifest itself,
    which checks read while it is corrected, is never changed."""
    def fresh(value: Any) -> Any:
        if id(value) in copied:
            return value
        value = dict(value) if type(value) is dict else list(value)
        copied.add(id(value))
        return value

    if type(root) not in (dict, list):
        return root, None
    root = fresh(root)
    node = root
    for token in pointer[1:].split("/") if pointer else ():  # read as govern.core.checks.get reads it
        if type(node) is list:
            if not token.isdigit() or int(token) >= len(node):
                return root, None
            token = int(token)
        elif type(node) is not dict or token not in node:
            return root, None
        child = node[token]  # type: ignore[index]
        if type(child) not in (dict, list):
            return root, None
        node[token] = child = fresh(child)
        node = child
    return root, node


def _without_consequences(rules: list[Rule], chosen: list, doc: Document, fixed: Any, refused: tuple[str, ...],
                          ctx: Context, judged: list[Judgement]) -> list:
    """Each rule's findings less the consequences of a root cause a GOV-SCHEMA error already reports
    (one cause gives one finding): findings about a value the schema refused, and findings that go
    away once the slips are corrected (``fixed``). A rule left with no finding is ``not-applicable``:
    it could not judge a value the schema refused."""
    kept = []
    for rule, (outcome, findings), scope in zip(rules, chosen, judged):
        if not findings or any(f.rule in INPUT_RULES for f in findings):
            kept.append((outcome, findings))
            continue
        remaining = [f for f in findings if not any(f.path == p or f.path.startswith(p + "/") for p in refused)]
        if fixed is not None and remaining:
            again = {(f.rule, f.path, f.message) for f in _run_rule(rule, doc, fixed, ctx, scope)[1]}
            remaining = [f for f in remaining if (f.rule, f.path, f.message) in again]
        kept.append((outcome if remaining else "not-applicable", remaining))
    return kept


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


Judgement = tuple[str, str, bool]  # (whom the rule binds: verdict, its severity for the body, severity by assumption)


def judge(rule: Rule, data: Any, ctx: Context, body: tuple[str | None, str | None] | None = None) -> Judgement:
    """Whether ``rule`` binds the body ("in", "out", "assumed", "adopted"), and its severity there
    (``scoped_severity``): what depends on the body's type, nation and regime, not on its other fields.
    ``body`` is ``organisation(data, ctx.config)`` when the caller has it already."""
    own = verdict(rule.applies_to, data, ctx.config, rule.id, body) if rule.applies_to else "in"
    if own == "out":
        return own, rule.severity, False
    return (own, *scoped_severity(rule, data, ctx, body))


_JUDGED: dict[tuple[Any, str], tuple[list[Rule], Any, list[Judgement]]] = {}  # (body, regime) -> (rules, config, judged)


def _judgements(rules: list[Rule], data: Any, ctx: Context) -> list[Judgement]:
    """``judge`` of each rule for this manifest. A judgement depends only on the rule, the body's type and
    nation, its data-protection regime and the configuration, so a run works it out once per kind of body,
    not once per manifest: reused only for the very same rule objects and configuration object."""
    body = organisation(data, ctx.config)
    key = (body, regime(data))
    found = _JUDGED.get(key)
    if found is not None and found[1] is ctx.config and len(found[0]) == len(rules) and all(map(is_, found[0], rules)):
        return found[2]
    judged = [judge(rule, data, ctx, body) for rule in rules]
    if len(_JUDGED) > 256:  # a long session of runs with other rules: never grow without bound
        _JUDGED.clear()
    _JUDGED[key] = (rules, ctx.config, judged)
    return judged


def _by_assumption(judged: Judgement) -> bool:
    """Whether the rule binds the body, or binds it at its severity, only because central government was assumed."""
    own, _, by_assumption = judged
    return own == "assumed" or (own == "in" and by_assumption)


def _run_rule(rule: Rule, doc: Document, data: Any, ctx: Context,
              judged: Judgement | None = None) -> tuple[str, list[Finding]]:
    """One rule on one manifest: its outcome and findings (a check that raises is a GOV-ENGINE error).
    ``judged`` is ``judge(rule, data, ctx)`` when the caller has it already."""
    if not rule.in_force(ctx.as_of):
        return "retired", []
    scope, severity, by_assumption = judged if judged is not None else judge(rule, data, ctx)
    if scope == "out":
        return "not-applicable", []  # the rule does not bind this body (docs/design/semantics.md 8.1): never a finding
    held = rule.as_live_while_holding_data and retired_holding_data(data, ctx.as_of)
    if held:  # docs/design/semantics.md 8.2: the phase does not make a system still holding data safe
        data = _with_phase(data, AS_LIVE)
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
    if not violations:
        return "pass", []
    findings = [make_finding(rule, violation, doc, ctx, severity) for violation in violations]
    for finding, violation in zip(findings, violations):
        notes = [AS_LIVE_NOTE] if held else []
        if scope == "assumed" or (by_assumption and violation.severity is None):
            # waivable whatever the rule's waiver_policy (docs/design/semantics.md 8.9 items 13, 16)
            finding.scope_basis = "assumed"
            notes.append(assumed_note(data, ctx.config))
        elif scope == "adopted":  # the body opted in (rules.<ID>.extend_scope); the source does not bind it
            finding.scope_basis = "adopted"
            notes.append(ADOPTED_NOTE)
        for note in notes:
            finding.message = clip(finding.message, MAX_MESSAGE - len(note) - 3) + f" ({note})"
    return "fail", findings


def scoped_severity(rule: Rule, data: Any, ctx: Context, body: tuple[str | None, str | None] | None = None) -> tuple[str, bool]:
    """The rule's severity for this body, and whether it is so only because central government was
    assumed: the first ``severity_by_scope`` entry that binds the body, else the rule's ``severity``."""
    for applies_to, severity in rule.severity_by_scope:
        found = verdict(applies_to, data, ctx.config, body=body)
        if found != "out":
            return severity, found == "assumed"
    return rule.severity, False


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
