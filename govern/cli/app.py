"""The command line's entry: the parser, ``main`` (signals, exit codes) and what commands share.

Each command is defined in its own module (``COMMAND_MODULES``), imported only when it runs or
help lists it; writing reports and files is ``govern.cli.output``. Names that moved out of this
module stay importable from it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import types
from typing import Any


class _Deferred(types.ModuleType):
    """A stand-in for a module that imports the real one when an attribute is first read."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        import importlib

        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, name)


def _defer(name: str) -> None:
    """The standard library's dataclasses imports inspect, a tenth of a cold one-file check
    (6 ms), only to write a docstring for a dataclass that has none; govern's all have one.
    In the command line, ``inspect`` is imported only if something actually uses it."""
    if name not in sys.modules:
        sys.modules[name] = _Deferred(name)


_defer("inspect")

from govern import __version__  # noqa: E402
from govern.core.errors import (  # noqa: E402
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    STOP_SIGNALS,
    GovernError,
    Interrupted,
)
from govern.cli.output import (  # noqa: E402,F401 - moved to govern.cli.output; these names stay importable here
    _READS,
    _refuse_inputs,
    commit,
    discard,
    emit,
    output_files,
    outputs,
    stage,
    use_colour,
    write_atomic,
    write_through,
)

# Every command is defined in its own module: each has register(subparsers, common) and sets func.
# Help lists the commands in this order.
COMMAND_MODULES: list[str] = ["govern.cli.check", "govern.cli.rules", "govern.cli.explain", "govern.cli.examples",
                              "govern.cli.init", "govern.cli.plugins", "govern.cli.waivers", "govern.cli.config",
                              "govern.cli.appetite", "govern.cli.verify", "govern.cli.portfolio",
                              "govern.cli.history", "govern.cli.migrate", "govern.cli.schema"]
# The commands each of those modules registers: build_parser imports a module only when its command runs
# or help lists every command (tests/cli/test_coldstart.py checks these match what the modules register).
MODULE_COMMANDS: dict[str, tuple[str, ...]] = {
    "govern.cli.check": ("check",),
    "govern.cli.rules": ("rules",),
    "govern.cli.explain": ("explain",),
    "govern.cli.examples": ("test",),
    "govern.cli.init": ("init",),
    "govern.cli.plugins": ("plugins",),
    "govern.cli.waivers": ("waivers",),
    "govern.cli.config": ("config",),
    "govern.cli.appetite": ("appetite",),
    "govern.cli.verify": ("verify",),
    "govern.cli.portfolio": ("portfolio",),
    "govern.cli.history": ("history",),
    "govern.cli.migrate": ("migrate",),
    "govern.cli.schema": ("schema",),
}


def _date(value: str) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _size(value: str) -> int:
    try:
        size = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of bytes") from None
    if size < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be at least 1 byte")
    return size


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def _columns() -> int:
    """``shutil.get_terminal_size().columns``, which argparse asks for, without importing shutil
    (and with it bz2, lzma and zlib: ~1.5 ms of a cold start that prints no help)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own formatter, at the width it would choose."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    """argparse's parser with ``_HelpFormatter``; its sub-commands' parsers are ``_Parser`` too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def common_options() -> argparse.ArgumentParser:
    """Options shared by the commands that run rules."""
    common = _Parser(add_help=False)
    group = common.add_argument_group("rules and inputs")
    group.add_argument("--policies", action="append", default=[], metavar="DIR", help="extra policy packs (repeatable)")
    group.add_argument("--appetite", metavar="FILE", help="risk appetite statement (default: the bundled statement)")
    group.add_argument("--waivers", metavar="FILE", help="waiver register")
    group.add_argument("--config", metavar="FILE", help="configuration file (default: govern.yaml or [tool.govern] found upwards)")
    group.add_argument("--only", action="append", default=[], metavar="ID|DOMAIN", help="run only these rules or domains (repeatable)")
    group.add_argument("--skip", action="append", default=[], metavar="ID|DOMAIN", help="skip these rules or domains (repeatable)")
    group.add_argument("--as-of", type=_date, metavar="DATE", help="the run date for age checks (default: today)")
    group.add_argument("--plugin", action="append", default=[], dest="plugins", metavar="FILE", help="load a plugin module from a file (repeatable)")
    group.add_argument("--no-plugins", action="store_true", help="do not autoload installed plugins")
    group.add_argument("--max-file-size", type=_size, metavar="BYTES", help="refuse input files larger than this (default 5 MiB)")
    group.add_argument("--jobs", type=_positive, metavar="N", help="check files in N processes (default: every available core); output is identical")
    out = common.add_argument_group("output")
    out.add_argument("--format", action="append", default=[], metavar="FORMAT[:FILE]", help="output format; repeat to write several, e.g. --format text --format sarif:results.sarif")
    out.add_argument("--output", metavar="FILE", help="write the report to FILE (atomically) instead of standard output")
    out.add_argument("--fail-on", choices=("error", "warning", "info", "never"), help="lowest severity that fails the run")
    out.add_argument("--quiet", action="store_true", help="print findings only: no summary, nothing when clean")
    out.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    return common


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given a command line that starts with a command, only that command's.

    Then argparse can print no help or usage but that command's (``govern CMD --help``, a usage
    error in CMD), so the other commands need no parser and their modules are not imported.
    Otherwise (``govern``, ``govern --help``, ``govern -h CMD``, an unknown command) every
    command is built, as help lists them all.
    """
    parser = _Parser(
        prog="govern",
        description="Policy-as-code for public-sector digital initiatives.",
    )
    parser.add_argument("--version", action="version", version=f"govern {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options()
    modules = {command: module for module, commands in MODULE_COMMANDS.items() for command in commands}
    only = argv[0] if argv and argv[0] in modules else None

    import importlib

    for name in COMMAND_MODULES:
        if only is None or modules.get(only) == name or name not in MODULE_COMMANDS:
            importlib.import_module(name).register(sub, common)
    return parser


ALLOW_EMPTY_HELP = "a path that yields no manifest is not an error (default: exit 2, so a wrong path never passes)"


def main(argv: list[str] | None = None) -> int:
    previous = _stop_on_signals()
    try:
        return _run(argv)
    except Interrupted as exc:  # in the moment after the command returned
        return _stopped(exc.signum)
    finally:
        _ARMED[0] = False  # from here a signal is ignored until the handlers are put back
        import _signal

        for number, handler in previous.items():
            if argv is None and handler is _signal.default_int_handler:
                handler = _signal.SIG_DFL  # the process exits next: Ctrl-C now ends it quietly, never a traceback
            try:
                _signal.signal(number, handler)
            except (ValueError, OSError, TypeError):
                pass


def _run(argv: list[str] | None) -> int:
    if argv is None:  # the command line (`govern`, `python -m govern`): the process exits next
        import gc

        # Start-up builds tens of thousands of long-lived objects (modules, classes, compiled rules); at
        # the default threshold of 700 the collector would scan them again and again (~5 ms of a cold
        # start). Cycles are still collected, after 50,000 allocations instead of 700.
        gc.set_threshold(50_000, *gc.get_threshold()[1:])
        try:
            return _main(sys.argv[1:])
        finally:
            gc.freeze()  # so exiting skips a last collection of everything the run built (~7 ms of a cold start)
    return _main(argv)


_ARMED = [False]  # whether a stop signal raises Interrupted: only while a command runs


def _stop_on_signals() -> dict[int, Any]:
    """Make Ctrl-C, SIGTERM and SIGHUP raise ``Interrupted`` wherever the run is, so that it unwinds:
    temporary files are removed, workers stopped, a previous report left as it was. A signal the
    caller ignores (``nohup``) stays ignored. Returns the handlers replaced."""
    import _signal

    previous = {}
    _ARMED[0] = True
    for number in STOP_SIGNALS:
        try:
            current = _signal.getsignal(number)
            if current is not _signal.SIG_IGN:
                previous[number] = _signal.signal(number, _interrupted)
        except (ValueError, OSError):  # not the main thread: the caller handles its signals
            pass
    return previous


def _interrupted(signum: int, frame: Any) -> None:
    if not _ARMED[0]:
        return
    _ARMED[0] = False
    import _signal

    for number in STOP_SIGNALS:  # one signal stops the run; a second must not cut its clean-up short
        try:
            _signal.signal(number, _signal.SIG_IGN)
        except (ValueError, OSError):
            pass
    raise Interrupted(signum)


def _stopped(signum: int) -> int:
    """One line, and 128 + the signal's number, as a shell reports a process a signal stopped."""
    print(f"govern: stopped by {STOP_SIGNALS.get(signum, signum)}", file=sys.stderr)
    return 128 + signum


def unrecognised(parser: argparse.ArgumentParser, argv: list[str], unknown: list[str]) -> str:
    """argparse's "unrecognized arguments" with "did you mean" for a mistyped option of the command used."""
    commands = next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {})
    command = next((commands[word] for word in argv if word in commands), parser)
    known = [o for action in command._actions for o in action.option_strings if o.startswith("--")]
    parts = []
    for word in unknown:
        import difflib

        close = difflib.get_close_matches(word.split("=")[0], known, n=1, cutoff=0.6) if word.startswith("--") else []
        parts.append(f"{word} (did you mean {close[0]}?)" if close else word)
    return "unrecognized arguments: " + " ".join(parts)


def _main(argv: list[str]) -> int:
    parser = build_parser(argv)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        parser.error(unrecognised(parser, argv, unknown))
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return args.func(args)
    except GovernError as exc:
        print(f"govern: {exc.located()}", file=sys.stderr)
        return EXIT_ERROR
    except Interrupted as exc:  # a signal: every temporary file is gone, every worker stopped
        return _stopped(exc.signum)
    except KeyboardInterrupt:  # Ctrl-C where govern could not set its handler (not the main thread)
        return _stopped(2)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a traceback is a bug; --debug shows it
        if getattr(args, "debug", False):
            raise
        from govern.core.text import one_line

        print(one_line(f"govern: internal error: {type(exc).__name__}: {exc} (rerun with --debug for a traceback)"), file=sys.stderr)
        return EXIT_ERROR


# -- helpers shared by commands ---------------------------------------------------------


def options_from(args: argparse.Namespace, command: str = "check") -> Any:
    from govern.run.config import apply_config
    from govern.run.runner import Options

    options = Options(
        paths=list(getattr(args, "paths", []) or []),
        policies=list(args.policies),
        only=list(args.only),
        skip=list(args.skip),
        as_of=args.as_of,
        appetite=args.appetite,
        waivers=args.waivers,
        plugins=list(args.plugins),
        no_plugins=args.no_plugins,
        skip_non_govern=getattr(args, "skip_non_govern", False),
        allow_empty=getattr(args, "allow_empty", False),
    )
    apply_config(options, args, command)
    from govern.run.provenance import invocation

    options.invocation = invocation(args)
    _READS[:] = [(args, options)]  # what this run reads: --output may never replace one of them
    for path in output_files(args):  # refused at once: before the run, and before any report is written
        _refuse_inputs(path)
    return options


def registry_for(options: Any) -> Any:
    """Every plugin's contributions, per --plugin/--no-plugins and the `plugins` configuration."""
    from govern.plugins.manager import load_for

    return load_for(options)


# Where the commands that were defined here now live: ``from govern.cli.app import cmd_check`` still works,
# importing the command's module only then (a one-file check never imports ``rules`` or ``examples``).
_MOVED_COMMANDS = {"cmd_check": "govern.cli.check", "cmd_rules": "govern.cli.rules", "cmd_explain": "govern.cli.explain",
                   "cmd_test": "govern.cli.examples", "cmd_init": "govern.cli.init"}


def __getattr__(name: str) -> Any:
    module = _MOVED_COMMANDS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = ["main", "EXIT_OK", "EXIT_FINDINGS", "EXIT_ERROR"]
