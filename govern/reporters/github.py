"""GitHub Actions workflow commands: an annotation per finding on the pull request.

``::error file=F,line=L,col=C,title=T::message`` (``::warning``, ``::notice``),
escaped as the Actions runner requires (``toolkit/packages/core/src/command.ts``):
in the message ``%``, CR and LF become ``%25``, ``%0D`` and ``%0A``; in a
property value ``:`` and ``,`` also become ``%3A`` and ``%2C``. Any other
control character (a TAB, an ANSI escape in an initiative's name, U+0085) is
shown as a visible escape, never passed to the log raw. Every line is one of
govern's own commands or its summary, so nothing taken from an input starts a
line: a file named ``::stop-commands::x`` cannot silence the annotations, and
``##[`` (the runner's older command syntax) is shown as ``##\\x5b``.
"""

from __future__ import annotations

from typing import Any

from govern.reporters import Reporter
from govern.core.text import clean, controls

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    text = controls(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return text.replace("##[", "##\\x5b")  # the runner's older command syntax, anywhere in a line


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Any, titles: dict[str, str]) -> str:
    command = "notice" if finding.waived or finding.baseline else COMMANDS.get(finding.severity, "warning")
    properties = []
    if not finding.file.startswith("<"):
        properties += [f"file={escape_property(finding.file)}", f"line={max(1, finding.line)}", f"col={max(1, finding.column)}"]
    title = titles.get(finding.rule) or finding.title
    properties.append(f"title={escape_property(f'{finding.rule} {title}')}")
    message = finding.message
    if finding.initiative and finding.initiative not in message:
        message = f"[{finding.initiative}] {message}"
    if finding.waived and finding.waiver:
        message += f" (waived until {finding.waiver.get('expires')})"
    elif finding.baseline == "resolved":
        message += " (resolved since the baseline)"
    elif finding.baseline:
        message += " (existing finding, in the baseline)"
    return f"::{command} {','.join(properties)}::{escape_data(message)}"


def render(report: Any) -> str:
    from govern.reporters.summary import summary_line

    titles = {rule.id: rule.title for rule in report.rules}
    lines = [annotation(finding, titles) for finding in report.findings]
    lines.append(clean(summary_line(report)))  # a plain log line, not a command
    return "\n".join(lines) + "\n"


REPORTER = Reporter("github", render, ("check",), "GitHub Actions workflow annotations")
