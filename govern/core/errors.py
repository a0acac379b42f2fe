"""Exit codes and the one error type govern raises for bad input.

A traceback is a bug: everything a user can get wrong becomes a
``GovernError`` with a location, which the CLI prints as ``file:line:col``
or turns into a ``GOV-INPUT`` finding. ``Interrupted`` is how a signal
(Ctrl-C, SIGTERM, SIGHUP) stops a run.
"""

from __future__ import annotations

import _signal  # what `signal` is built on, loaded by every interpreter: importing `signal` costs a cold start

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
        from govern.core.text import one_line

        if self.file is None:
            return one_line(self.message)
        return one_line(f"{self.file}:{self.line}:{self.column}: {self.message}")

    def __str__(self) -> str:
        return self.located()


class Interrupted(BaseException):
    """A signal asked the run to stop: Ctrl-C (SIGINT), SIGTERM or SIGHUP.

    The command line's signal handler raises it wherever the run is, so every ``finally``
    runs on the way out: temporary files are removed and worker processes stopped. It is a
    ``BaseException`` so that no ``except Exception`` swallows it, and govern's guards around
    plugin code, which catch everything else a plugin raises, let it through.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def raised(exc: BaseException) -> str:
    """``Name: first line of the message`` for an exception from code govern does not trust,
    which may not even turn into text."""
    try:
        lines = str(exc).strip().splitlines()
    except Exception:  # noqa: BLE001 - a hostile __str__
        lines = []
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


# -- signals ---------------------------------------------------------------------------------

# The signals that stop a run (Ctrl-C, `kill`, a closed terminal), where the platform has them.
STOP_SIGNALS: dict[int, str] = {
    getattr(_signal, name): name for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(_signal, name)
}


def hold_signals() -> set[int] | None:
    """Hold the stop signals back until ``release_signals``, which delivers any that came meanwhile:
    around a fork (a worker takes its own handlers first) and renames that must happen together.
    None where the platform cannot hold signals."""
    try:
        return _signal.pthread_sigmask(_signal.SIG_BLOCK, list(STOP_SIGNALS))
    except (AttributeError, OSError, ValueError):
        return None


def release_signals(previous: set[int] | None) -> None:
    if previous is not None:
        _signal.pthread_sigmask(_signal.SIG_SETMASK, previous)
