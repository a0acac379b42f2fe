"""A pull-request comment in GitHub-flavoured Markdown.

A summary line and a table of every manifest, then a table of findings for
each file that has any (``file:line``, severity, rule, message). Every value
that comes from a manifest is escaped: table pipes, HTML (``<``, ``>``,
``&``), Markdown emphasis, code and link characters, line breaks and control
characters, so a manifest cannot break the table or inject markup into the
comment. Nor can it make the comment act: ``@someone`` and ``@org/team`` (and
e-mail addresses), ``#123`` and ``GH-123`` references and bare URLs
(``https://...``, ``www.``) get a zero-width space (``&#8203;``) after the
``@``, ``#``, ``:`` or ``www``, so GitHub neither notifies, cross-links nor
autolinks them, while they read the same. Long reports are cut to stay under
GitHub's comment size limit.
"""

from __future__ import annotations

import re
from typing import Any

from govern.reporters import Reporter
from govern.reporters.mdtext import cell

MAX_CHARS = 60_000  # GitHub refuses comments over 65,536 characters
LABELS = {"error": "error", "warning": "warning", "info": "info"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 or word == "info" else "s")


def _counts(findings: list[Any]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for finding in findings:
        counts["waived" if finding.waived else finding.severity] += 1
    return counts


def _severity(finding: Any) -> str:
    if finding.waived:
        return f"waived (until {cell((finding.waiver or {}).get('expires'))})"
    label = LABELS.get(finding.severity, finding.severity)
    return f"**{label}**" if finding.severity == "error" else label


def render(report: Any) -> str:
    summary = report.summary()
    headline = (
        f"**govern**: checked {_plural(summary['manifests'], 'manifest')} as of {report.as_of.isoformat()}: "
        f"{_plural(summary['errors'], 'error')}, {_plural(summary['warnings'], 'warning')}, "
        f"{summary['info']} info, {summary['waived']} waived."
    )
    verdict = "Some checks failed." if summary["errors"] else "No errors."
    out = ["## govern check", "", f"{headline} {verdict}", ""]
    by_file: dict[str, list[Any]] = {}
    for finding in report.findings:
        by_file.setdefault(finding.file, []).append(finding)
    if report.manifests:
        out += ["| Manifest | Initiative | Errors | Warnings | Info | Waived |", "| --- | --- | ---: | ---: | ---: | ---: |"]
        by_manifest: dict[tuple[str, Any], list[Any]] = {}  # indexed once: a file of 10,000 manifests stays linear
        tallies: dict[tuple[str, Any], dict[str, int]] = {}
        for finding in report.findings:
            by_manifest.setdefault((finding.file, finding.initiative), []).append(finding)
        for manifest in sorted(report.manifests, key=lambda m: (m["file"], m.get("document", 0))):
            key = (manifest["file"], manifest.get("initiative"))
            c = tallies[key] if key in tallies else tallies.setdefault(key, _counts(by_manifest.get(key, [])))
            who = " ".join(cell(v) for v in (manifest.get("initiative"), manifest.get("name")) if v) or "-"
            out.append(f"| {cell(manifest['file'])} | {who} | {c['error']} | {c['warning']} | {c['info']} | {c['waived']} |")
        out.append("")
    # one table per manifest (file and initiative); a file that is no manifest (a register, an unreadable file) gets one
    manifests = {(m["file"], m.get("initiative")): m for m in report.manifests}
    manifest_files = {m["file"] for m in report.manifests}
    groups: dict[tuple[str, str], list[Any]] = {}
    for finding in report.findings:
        key = (finding.file, (finding.initiative or "") if finding.file in manifest_files else "")
        groups.setdefault(key, []).append(finding)
    size = sum(len(line) + 1 for line in out)
    shown = 0
    for file, initiative in sorted(groups):
        manifest = manifests.get((file, initiative or None))
        title = cell(file)
        if manifest and (manifest.get("initiative") or manifest.get("name")):
            title += " — " + " ".join(cell(v) for v in (manifest.get("initiative"), manifest.get("name")) if v)
        elif initiative:
            title += " — " + cell(initiative)
        section = ["", f"### {title}", "", "| Location | Severity | Rule | Message |", "| --- | --- | --- | --- |"]
        size += sum(len(line) + 1 for line in section)
        rows = []
        for finding in groups[(file, initiative)]:
            row = f"| {cell(finding.file)}:{finding.line} | {_severity(finding)} | {cell(finding.rule)} | {cell(finding.message)} |"
            size += len(row) + 1
            if size > MAX_CHARS:
                break
            rows.append(row)
        if rows:
            out += section + rows
            shown += len(rows)
        if size > MAX_CHARS:
            break
    if shown < len(report.findings):
        out += ["", f"_{len(report.findings) - shown} more findings are not shown here; see the full report (`govern check`)._"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip("\n") + "\n"


REPORTER = Reporter("markdown", render, ("check",), "a pull-request comment (GitHub-flavoured Markdown)")
