"""Exit codes and the one error type govern raises for bad input.

A traceback is a bug: everything a user can get wrong becomes a
``GovernError`` with a location, which the CLI prints as ``file:line:col``
or turns into a ``GOV-INPUT`` finding.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class GovernError(Exception):
    """A problem with something the user wrote or asked for."""

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int = 1,
        column: int = 1,
        rule: str = "GOV-INPUT",
        path: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = max(1, int(line))
        self.column = max(1, int(column))
        self.rule = rule
        self.path = path

    def located(self) -> str:
        """``file:line:col: message`` for people: control characters from a file name or a
        quoted value are shown as visible escapes, never sent to the terminal raw."""
        from govern.reporters.sanitize import one_line

        if self.file is None:
            return one_line(self.message)
        return one_line(f"{self.file}:{self.line}:{self.column}: {self.message}")

    def __str__(self) -> str:
        return self.located()
