"""``file:line:col  SEVERITY  RULE  message``, grouped by file, with a summary line.

On a terminal each finding also answers "who and how": a second, indented line names
the accountable role and the person who holds it, and gives a one-line fix (the first
sentence of the rule's remediation). Piped or written to a file, and with ``--quiet``,
the output stays one line per finding, for tools that read ``file:line:col``.
"""

from __future__ import annotations

from typing import Any

from govern.reporters import Reporter
from govern.core.scope import describe
from govern.core.text import one_line
from govern.reporters.summary import summary_line

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m", "waived": "\x1b[2m"}
_RESET = "\x1b[0m"


def render(report: Any, colour: bool = False, quiet: bool = False, show_passes: bool = False,
           details: bool = False) -> str:
    lines: list[str] = []
    current = None
    fixes = _fixes(getattr(report, "rules", None)) if details and not quiet else None
    for item in report.findings:
        if type(item) is tuple:  # (sort key, lines) written by a worker (rows, below)
            file, text = item[0][0], item[1]
        else:
            file, text = item.file, finding_lines(item, colour, fixes)
        if file != current:
            if current is not None:
                lines.append("")
            current = file
        lines.append(text)
    if show_passes:
        lines += passes(report, blank=bool(lines))
    if not quiet:
        if lines:
            lines.append("")
        lines.append(summary_line(report))
        lines += override_lines(getattr(report, "overrides", None) or [])
    return "\n".join(lines) + "\n" if lines else ""


def finding_lines(finding: Any, colour: bool = False, fixes: dict[str, str] | None = None) -> str:
    """A finding's line, and its "who and how" line when ``fixes`` is given (on a terminal)."""
    label = "WAIVED" if finding.waived else finding.severity.upper()
    if finding.baseline:
        label = f"{label}({finding.baseline})"  # existing, or resolved (BASELINE-RESOLVED)
    where = f"{one_line(finding.file)}:{finding.line}:{finding.column}"  # a newline in a name forges no line
    text = one_line(finding.message)
    if finding.waived and finding.waiver:
        text += f" [waived until {one_line(str(finding.waiver.get('expires')))}]"
    if colour:
        key = "waived" if finding.waived else finding.severity
        label = f"{_COLOURS[key]}{label}{_RESET}"
    line = f"{where}  {label}  {one_line(finding.rule)}  {text}"
    return line if fixes is None else f"{line}\n{detail_line(finding, fixes)}"


def rows(colour: bool, quiet: bool, details: bool):
    """For ``Options.rows``: given the run's rules, how one finding is written, so forked workers write
    the lines of their files' findings and ``render`` only places them."""

    def writer(rules: Any):
        fixes = _fixes(rules) if details and not quiet else None
        return lambda finding: finding_lines(finding, colour, fixes)

    return writer


def detail_line(finding: Any, fixes: dict[str, str]) -> str:
    """``    owner: SRO, Jo Bloggs (jo@example.gov)  fix: ...``: who acts on a finding, and how."""
    return f"    owner: {owner(finding.accountable)}  fix: {one_line(fixes.get(finding.rule) or generic_fix(finding.rule))}"


def owner(accountable: Any) -> str:
    """The accountable role and the person who holds it, in words."""
    from govern.report.accountability import ROLE_LABELS

    role = getattr(accountable, "role", None)
    if not role:
        return "no accountable role"
    label = one_line(ROLE_LABELS.get(role, role.replace("_", " ")))
    name = getattr(accountable, "name", None)
    if not name:
        return f"{label}, nobody named"
    email = getattr(accountable, "email", None)
    return f"{label}, {one_line(name)}" + (f" ({one_line(email)})" if email else "")


def _fixes(rules: Any) -> dict[str, str]:
    """Rule id -> one-line fix: the first sentence of each rule's remediation, and govern's notices' own."""
    from govern.core.engine import NOTICE_FIXES

    fixes = dict(NOTICE_FIXES)
    for rule in rules or ():
        if getattr(rule, "remediation", ""):
            fixes[rule.id] = first_sentence(rule.remediation)
    return fixes


_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "cf.", "vs.", "no.")


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of ``text`` on one line (``e.g.`` ends none), at most ``limit`` characters."""
    words = text.split()
    for index, word in enumerate(words):
        if word[-1:] in ".!?" and word.lower().lstrip("(") not in _ABBREVIATIONS:
            words = words[: index + 1]
            break
    sentence = " ".join(words)
    return sentence if len(sentence) <= limit else sentence[: limit - 3].rstrip() + "..."


def generic_fix(rule: str) -> str:
    """For a rule that gives no remediation (a plugin's, say): where to read about it."""
    return f"see `govern explain {rule}` for what the rule expects"


_OUTCOME_ORDER = ("pass", "fail", "waived", "not-applicable", "retired")


def passes(report: Any, blank: bool = False) -> list[str]:
    """``--show-passes``: per manifest, the outcome counts and every rule it passed, with its title."""
    titles = {rule.id: rule.title for rule in report.rules}
    scopes = {rule.id: describe(rule.applies_to) for rule in report.rules if getattr(rule, "applies_to", None)}
    lines: list[str] = []
    for manifest in report.manifests:
        outcomes = manifest.get("outcomes", {})
        counts = {o: 0 for o in _OUTCOME_ORDER}
        for outcome in outcomes.values():
            counts[outcome] = counts.get(outcome, 0) + 1
        tally = ", ".join(f"{n} {o.replace('-', ' ')}" for o, n in counts.items() if n) or "no rules"
        who = manifest.get("initiative") or f"document {manifest.get('document', 0) + 1}"
        if blank or lines:
            lines.append("")
        lines.append(f"{one_line(manifest['file'])}: {one_line(str(who))}: {tally}")
        passed = sorted(rule for rule, outcome in outcomes.items() if outcome == "pass")
        width = max((len(rule) for rule in passed), default=0)
        lines += [f"  PASS  {one_line(rule):<{width}}  {one_line(titles.get(rule, ''))}".rstrip() for rule in passed]
        lines += _out_of_scope(outcomes, scopes, manifest.get("not_applicable") or {})
    return lines


def _out_of_scope(outcomes: dict[str, str], scopes: dict[str, str], reasons: dict[str, str]) -> list[str]:
    """Scoped rules that do not bind this body (docs/design/semantics.md 8.1), apart from passes and with the
    reason (organisation type, nation or regime): said, so a quiet rule is never a mystery."""
    ids = sorted(rule for rule, outcome in outcomes.items() if outcome == "not-applicable" and (rule in scopes or rule in reasons))
    width = max((len(rule) for rule in ids), default=0)
    out = []
    for rule in ids:
        if rule in reasons:
            why = f"out of scope: {reasons[rule]}; this rule applies to {scopes.get(rule, 'some bodies')}"
        else:
            why = f"its conditions did not match; this rule applies to {scopes[rule]}"
        out.append(f"  N/A   {one_line(rule):<{width}}  not applicable ({one_line(why)})")
    return out


def override_lines(overrides: list[dict[str, Any]]) -> list[str]:
    """Severities the configuration changed: never silent, so a reader knows the verdict was tuned."""
    if not overrides:
        return []
    source = one_line(overrides[0].get("source") or "configuration")
    changes = "; ".join(f"{one_line(o['rule'])} {o['default']} -> {o['severity']}" for o in overrides)
    return [f"Severity changed by {source}: {changes}."]


REPORTER = Reporter("text", render, ("check",), "file:line:col  SEVERITY  RULE  message (default)")
