"""``--baseline REPORT.json``: adopt govern without hiding new problems.

A finding already present in a previous JSON report is marked ``existing``:
shown, never failing the run. A finding matches a baseline entry only when
initiative, rule, file and JSON pointer are all the same (never by rule
alone) and it is not graver than it was; anything else is new and fails as
usual. A baseline entry that no longer matches any finding is reported as a
``BASELINE-RESOLVED`` info notice at the file and line the baseline
recorded, with status ``resolved`` (it never fails a run either).

Only entries whose status was ``open`` or ``existing`` absorb findings: a
finding that was waived then and is no longer waived (the waiver expired)
is new. Input errors (``GOV-INPUT`` and the like) are never absorbed, and
neither is a finding of a rule that is not waivable (docs/design/semantics.md, Non-waivable rules): it stays
failing, and a ``BASELINE-REFUSED`` info notice beside it says why.
``load_report`` and ``apply_baseline`` are the I/O edge; ``match`` is pure.
A report is read as any input is: a regular file within ``--max-file-size``
(a FIFO or a device is refused before it is opened, so nothing blocks).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from govern.core.engine import INPUT_RULES, notice
from govern.core.errors import GovernError
from govern.core.loader import DEFAULT_MAX_FILE_SIZE
from govern.core.model import SEVERITY_RANK, Finding

RESOLVED = "BASELINE-RESOLVED"
REFUSED = "BASELINE-REFUSED"
ABSORBING = ("open", "existing")


@dataclass
class ReportFile:
    """A JSON report read back from disk, with a way to locate a pointer in it."""

    display: str
    data: dict[str, Any]
    sha256: str
    text: str

    def locate(self, pointer: str) -> tuple[int, int]:
        from govern.core.loader import load_text

        try:
            documents, _ = load_text(self.text, self.display)  # JSON is YAML: the loader knows positions
        except Exception:  # noqa: BLE001 - locating is best effort; the message is what matters
            return (1, 1)
        return documents[0].locate(pointer) if documents else (1, 1)

    def error(self, message: str, pointer: str = "") -> GovernError:
        line, column = self.locate(pointer)
        return GovernError(message, self.display, line, column, path=pointer)


def load_report(path: str, what: str = "report", validate: bool = True,
                max_size: int = DEFAULT_MAX_FILE_SIZE) -> ReportFile:
    """Read and validate a govern JSON report; any problem is a located ``GovernError`` (exit 2).

    ``validate=False`` (``govern verify``) leaves the schema to the caller: a report edited into
    values govern never writes is a difference from a fresh run, not an unreadable file.
    ``max_size`` is the run's ``--max-file-size``: a report of thousands of manifests can be
    larger than the default, so such a run raises it.
    """
    import hashlib

    from govern.core.loader import read_source
    from govern.core.schemas import describe
    from govern.core.paths import display_path
    from govern.core.schemas import document_validator

    display = display_path(path)
    try:
        text, raw = read_source(path, max_size)
    except GovernError as exc:
        exc.file = display
        exc.message = f"cannot read {what}: {exc.message}"
        raise
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GovernError(f"{what} is not valid JSON: {exc.msg}", display, exc.lineno, exc.colno) from None
    except RecursionError:
        raise GovernError(f"{what} is nested too deeply to be a govern report", display) from None
    report = ReportFile(display, data, hashlib.sha256(raw).hexdigest(), text)
    if not isinstance(data, dict):
        raise report.error(
            f"{what} is not a govern JSON report (expected an object with `findings`; write one with --format json)"
        )
    if not validate:
        return report
    errors = sorted(document_validator("report").iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        pointer, detail = (describe(errors[0]) or [("", errors[0].message)])[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise report.error(f"{what} is not a valid govern JSON report: {detail}{more}", pointer)
    return report


@dataclass(frozen=True)
class Entry:
    """One finding of the baseline report."""

    rule: str
    initiative: str | None
    file: str
    path: str
    severity: str
    status: str
    message: str
    line: int
    column: int

    @property
    def key(self) -> tuple[str | None, str, str, str]:
        return (self.initiative, self.rule, self.file, self.path)


def entries(report: ReportFile) -> list[Entry]:
    return [
        Entry(
            rule=item["rule"], initiative=item.get("initiative"), file=item["file"], path=item["path"],
            severity=item["severity"], status=item.get("status", "open"), message=item.get("message", ""),
            line=item.get("line", 1), column=item.get("column", 1),
        )
        for item in report.data["findings"]
    ]


def _key(finding: Finding) -> tuple[str | None, str, str, str]:
    return (finding.initiative, finding.rule, finding.file, finding.path)


def match(findings: list[Finding], baseline: list[Entry], protected: frozenset[str] = frozenset()) -> list[Entry]:
    """Mark findings the baseline already had as ``existing``; return the entries nothing matched.

    Each entry absorbs at most one finding. Entries with the same message
    are paired first, so when several findings share a location the one
    that is genuinely new is the one left open. Entries of ``protected``
    rules (not waivable) at error level absorb nothing and are returned with the unmatched; a
    warning of such a rule is absorbed like any other (docs/design/semantics.md 8.9 item 7).
    """
    pool: dict[tuple, list[Entry]] = {}
    kept: list[Entry] = []
    for entry in baseline:
        if entry.status in ABSORBING and entry.rule not in INPUT_RULES and entry.rule not in (RESOLVED, REFUSED):
            if entry.rule in protected and entry.severity == "error":  # only the error-level breach is protected
                kept.append(entry)
            else:
                pool.setdefault(entry.key, []).append(entry)
    candidates = [f for f in findings if f.rule not in INPUT_RULES and f.rule != RESOLVED]
    taken: set[int] = set()
    for same_message in (True, False):
        for finding in candidates:
            if id(finding) in taken:
                continue
            bucket = pool.get(_key(finding), [])
            for i, entry in enumerate(bucket):
                if same_message and entry.message != finding.message:
                    continue
                if SEVERITY_RANK[finding.severity] > SEVERITY_RANK.get(entry.severity, 3):
                    continue  # graver than it was: a new problem
                del bucket[i]
                taken.add(id(finding))
                if not finding.waived:  # a waived finding stays waived; it still holds its entry
                    finding.baseline = "existing"
                break
    left = [entry for bucket in pool.values() for entry in bucket] + kept
    return sorted(left, key=lambda e: (e.file, e.line, e.rule, e.column, e.path, e.message))


def resolved_notice(entry: Entry, baseline: str) -> Finding:
    where = entry.path or "the document"
    subject = f"{entry.rule}" + (f" for {entry.initiative}" if entry.initiative else "")
    finding = notice(
        RESOLVED,
        f"{subject} at {where} is in the baseline {baseline} but no longer found: resolved",
        entry.file, entry.line, entry.column, entry.path, entry.initiative,
    )
    finding.baseline = "resolved"
    return finding


def refused_notice(entry: Entry, finding: Finding, baseline: str) -> Finding:
    where = finding.path or "the document"
    subject = f"{finding.rule}" + (f" for {finding.initiative}" if finding.initiative else "")
    return notice(
        REFUSED,
        f"{subject} at {where} is in the baseline {baseline}, but {entry.rule} cannot be waived, so a baseline "
        "does not absorb it: the finding stays failing until the duty is met",
        finding.file, finding.line, finding.column, finding.path, finding.initiative,
    )


def apply_baseline(report: Any, baseline: str | ReportFile, max_size: int = DEFAULT_MAX_FILE_SIZE) -> None:
    """Compare ``report`` with a previous JSON report (a path, or one ``load_report`` read), in place."""
    previous = baseline if isinstance(baseline, ReportFile) else load_report(baseline, "baseline", max_size)
    report.findings = list(report.findings)  # marked in place: a baseline run holds its findings in memory
    protected = frozenset(rid for rule in report.rules if not rule.waivable for rid in (rule.id, *rule.aliases))
    left = match(report.findings, entries(previous), protected)
    current = {}
    for finding in report.findings:
        current.setdefault(_key(finding), finding)
    for entry in left:
        finding = current.get(entry.key) if entry.rule in protected else None
        if finding is not None and finding.severity == "error":  # still there: it stays failing, and the report says why
            report.findings.append(refused_notice(entry, finding, previous.display))
        else:
            report.findings.append(resolved_notice(entry, previous.display))
    report.findings.sort(key=Finding.sort_key)
    if getattr(report, "provenance", None) is not None:
        report.provenance["baseline"] = {"file": previous.display, "sha256": previous.sha256}
