"""``govern portfolio PATH...``: the board's view, in the formats a board reads.

The I/O edge of the board pack: runs the same check as ``govern check``,
reads a previous report for ``--compare``, shows progress on a terminal and
writes the reports. The tables themselves come from ``govern.report.portfolio``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from govern.core.errors import GovernError

DEFAULT_FORMAT = "table"
PROGRESS_MANIFESTS = 200  # show progress beyond this many files or manifests...
PROGRESS_SECONDS = 2.0  # ...or once a run has taken this long
PREVIOUS_SCHEMA = {
    "type": "object",
    "required": ["command", "findings"],
    "properties": {
        "command": {"const": "portfolio"},
        "as_of": {"type": "string"},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["rule", "domain", "file", "path", "initiative"],
                "properties": {
                    "rule": {"type": "string"},
                    "domain": {"type": "string"},
                    "file": {"type": "string"},
                    "path": {"type": "string"},
                    "initiative": {"type": ["string", "null"]},
                },
            },
        },
    },
}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from govern.cli.app import ALLOW_EMPTY_HELP
    from govern.report.portfolio import GROUP_BY

    parser = subparsers.add_parser(
        "portfolio", parents=[common], help="board view: compliance, accountability and risk-appetite tables",
        description="Check many manifests and report them as a board pack: compliance, accountability and "
        "risk-appetite tables (formats: table, markdown, html, json, csv). A report: exits 0 unless an input "
        "is bad (2) or --fail-on is given.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="manifest files or folders")
    parser.add_argument("--group-by", choices=GROUP_BY, help="group the compliance table by department or phase")
    parser.add_argument("--compare", metavar="PREVIOUS.json",
                        help="a previous `govern portfolio --format json` report: show what is new, resolved and unchanged")
    parser.add_argument("--history", metavar="DIR",
                        help="a folder of earlier `govern portfolio --format json` reports, one per meeting: draw trends")
    parser.add_argument("--allow-empty", action="store_true", help=ALLOW_EMPTY_HELP)
    parser.set_defaults(func=cmd_portfolio)


def cmd_portfolio(args: argparse.Namespace) -> int:
    from govern.cli.app import emit, options_from
    from govern.core.paths import display_path
    from govern.report.portfolio import build_portfolio
    from govern.run.runner import run_check

    options = options_from(args, "portfolio")
    if not options.paths:
        raise GovernError("nothing to report on: give one or more manifest files or folders")
    previous = load_previous(args.compare, options.max_file_size) if args.compare else None
    progress = Progress(sys.stderr)
    try:
        report = run_check(options, command="portfolio", progress=progress)
    finally:
        progress.finish()
    points = load_history(args.history, options.max_file_size) if args.history else None
    compare_file = display_path(args.compare) if args.compare else ""
    board = board_settings(options)
    report.portfolio = build_portfolio(report, report.as_of, previous, args.group_by, compare_file,
                                       decision_window=board["decision_window_days"], sro_limit=board["sro_limit"])
    if points is not None:
        from govern.report.history import current, ordered

        report.portfolio.history = ordered([*points, current(report.portfolio)])
    emit(report, args, reporters(report.registry.reporters), "portfolio", DEFAULT_FORMAT)
    for line in input_errors(report):
        print(line, file=sys.stderr)
    return report.exit_code(options.fail_on)


def load_history(folder: str, max_size: int) -> list[Any]:
    """The points of every ``*.json`` report in ``folder``, each read and validated like ``--compare``'s.

    A report that is not a portfolio report is a located GovernError (exit 2): a trend drawn from a file
    that is not what it claims would mislead the board.
    """
    from pathlib import Path

    from govern.core.paths import display_path
    from govern.report.history import point

    base = Path(folder)
    if not base.is_dir():
        raise GovernError("--history needs a folder of `govern portfolio --format json` reports", display_path(folder))
    files = sorted(p for p in base.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
    if not files:
        raise GovernError("no portfolio reports (*.json) in the history folder", display_path(folder))
    return [point(load_report(str(path), max_size), display_path(str(path))) for path in files]


def load_report(path: str, max_size: int) -> dict[str, Any]:
    """A whole portfolio report, validated against ``schemas/portfolio-report.schema.json``."""
    import json as _json

    from jsonschema import Draft202012Validator

    from govern.core.paths import display_path
    from govern.core.resources import schemas_dir
    from govern.core.schemas import describe

    data = load_previous(path, max_size, "a report of the --history folder")
    schema = _json.loads((schemas_dir() / "portfolio-report.schema.json").read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        pointer, detail = (describe(errors[0]) or [("", errors[0].message)])[0]
        line, column = _locate(path, display_path(path), pointer, max_size)
        raise GovernError(f"not a valid `govern portfolio --format json` report: {detail}", display_path(path), line,
                          column, path=pointer)
    return data


def board_settings(options: Any) -> dict[str, Any]:
    """The configuration's ``board`` settings over their defaults (``govern.run.config.SETTINGS``)."""
    from govern.run.config import SETTINGS

    return {**SETTINGS["board"], **((getattr(options, "config", None) or {}).get("board") or {})}


def input_errors(report: Any, limit: int = 10) -> list[str]:
    """``govern: file:line:col: message`` for the bad inputs behind an exit 2 (a missing path, a path
    with no manifest, an unparseable file): the board formats count them but do not list them."""
    from govern.core.engine import INPUT_RULES

    if not report.tally().input_errors:
        return []
    found = [f for f in report.findings if f.rule in INPUT_RULES]
    lines = [GovernError(f.message, f.file, f.line, f.column).located() for f in found[:limit]]
    if len(found) > limit:
        lines.append(f"{len(found) - limit} more input errors (see --format json)")
    return [f"govern: {line}" for line in lines]


def reporters(registered: dict[str, Any]) -> dict[str, Any]:
    """Plugin formats for portfolio, with govern's own portfolio formats taking their names.

    ``json`` and ``markdown`` also name check formats; for ``govern portfolio``
    they render the portfolio (a plugin cannot replace a built-in format).
    """
    from govern.reporters import csv_, html, portfolio_json, portfolio_markdown, table

    own = {r.name: r for r in (table.REPORTER, portfolio_markdown.REPORTER, html.REPORTER, portfolio_json.REPORTER, csv_.REPORTER)}
    merged = {name: r for name, r in registered.items() if "portfolio" in r.commands}
    merged.update(own)
    return merged


# -- --compare ----------------------------------------------------------------------------


def load_previous(path: str, max_size: int, what: str = "the previous report for --compare") -> dict[str, Any]:
    """A previous portfolio JSON report; any problem is a located GovernError (exit 2).

    Read as every input is (``govern.core.loader.read_source``): a regular file within
    ``--max-file-size``, so a FIFO or a device (``/dev/zero``) is refused before it is opened.
    """
    from govern.core.loader import read_source
    from govern.core.paths import display_path

    display = display_path(path)
    try:
        text, _ = read_source(path, max_size)
    except GovernError as exc:
        exc.file = display
        exc.message = f"cannot read {what}: {exc.message}"
        raise
    try:
        data = json.loads(text)
    except RecursionError:
        raise GovernError("the previous report is nested too deeply to be a govern report", display) from None
    except json.JSONDecodeError as exc:
        raise GovernError(f"the previous report is not JSON: {exc.msg}", display, exc.lineno, exc.colno) from None
    problems = _problems(data)
    if problems:
        pointer, detail = problems[0]
        line, column = _locate(path, display, pointer, max_size)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise GovernError(
            f"not a `govern portfolio --format json` report: {detail}{more}", display, line, column, path=pointer
        )
    return data


def _problems(data: Any) -> list[tuple[str, str]]:
    from jsonschema import Draft202012Validator

    from govern.core.schemas import describe

    found = []
    for error in sorted(Draft202012Validator(PREVIOUS_SCHEMA).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        found += describe(error)
    return found


def _locate(path: str, display: str, pointer: str, max_size: int) -> tuple[int, int]:
    """JSON is YAML: the loader's position table locates a JSON Pointer in the file."""
    from govern.core.loader import load_file

    try:
        loaded = load_file(path, display, max_size)
    except Exception:  # noqa: BLE001 - locating is best effort; the message still names the pointer
        return (1, 1)
    if loaded.errors or not loaded.documents:
        return (1, 1)
    return loaded.documents[0].locate(pointer)


# -- progress -------------------------------------------------------------------------------


class Progress:
    """``checking 1200/10000`` on a terminal's stderr for long runs; nothing at all otherwise.

    Never part of a report: it goes to stderr only, only when stderr is a
    terminal, and only past ``PROGRESS_MANIFESTS`` items or ``PROGRESS_SECONDS``.
    The line is erased when the run ends.
    """

    def __init__(self, stream: Any, clock: Any = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        try:
            self.enabled = bool(stream.isatty())
        except (AttributeError, ValueError):
            self.enabled = False
        self.started = clock()
        self.last = None
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if self.last is None and total <= PROGRESS_MANIFESTS and now - self.started < PROGRESS_SECONDS:
            return
        if self.last is not None and now - self.last < 0.1 and done != total:
            return
        self.last = now
        what = "files"
        text = f"govern: {stage} {what} {done}/{total}"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(text))

    def finish(self) -> None:
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
