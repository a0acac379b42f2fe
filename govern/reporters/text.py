"""``file:line:col  SEVERITY  RULE  message``, grouped by file, with a summary line."""

from __future__ import annotations

from typing import Any

from govern.reporters import Reporter
from govern.reporters.sanitize import clean, one_line

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m", "waived": "\x1b[2m"}
_RESET = "\x1b[0m"


def render(report: Any, colour: bool = False, quiet: bool = False, show_passes: bool = False) -> str:
    lines: list[str] = []
    current = None
    for finding in report.findings:
        if finding.file != current:
            if current is not None:
                lines.append("")
            current = finding.file
        label = "WAIVED" if finding.waived else finding.severity.upper()
        if finding.baseline:
            label = f"{label}(existing)"
        where = f"{clean(finding.file)}:{finding.line}:{finding.column}"
        text = one_line(finding.message)
        if finding.waived and finding.waiver:
            text += f" [waived until {finding.waiver.get('expires')}]"
        if colour:
            key = "waived" if finding.waived else finding.severity
            label = f"{_COLOURS[key]}{label}{_RESET}"
        lines.append(f"{where}  {label}  {finding.rule}  {text}")
    if show_passes:
        for manifest in report.manifests:
            passed = sorted(rule for rule, outcome in manifest.get("outcomes", {}).items() if outcome == "pass")
            who = clean(manifest.get("initiative") or manifest["file"])
            lines.append(f"{clean(manifest['file'])}: {who}: {len(passed)} rules passed: {', '.join(passed) or 'none'}")
    if not quiet:
        if lines:
            lines.append("")
        lines.append(summary_line(report))
    return "\n".join(lines) + "\n" if lines else ""


def summary_line(report: Any) -> str:
    s = report.summary()
    plural = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")  # noqa: E731
    parts = [plural(s["errors"], "error"), plural(s["warnings"], "warning"), f"{s['info']} info"]
    if s["waived"]:
        parts.append(f"{s['waived']} waived")
    return f"Checked {plural(s['manifests'], 'manifest')}: " + ", ".join(parts) + f" (as of {report.as_of.isoformat()})."


REPORTER = Reporter("text", render, ("check",), "file:line:col  SEVERITY  RULE  message (default)")
