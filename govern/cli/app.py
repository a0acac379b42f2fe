"""The command line: the only module that prints and chooses an exit code."""

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
    hold_signals,
    release_signals,
)

# Commands defined in their own modules: each has register(subparsers, common) and sets func.
COMMAND_MODULES: list[str] = ["govern.cli.plugins", "govern.cli.waivers", "govern.cli.config", "govern.cli.appetite", "govern.cli.verify", "govern.cli.portfolio", "govern.cli.history"]
# The commands each of those modules registers: build_parser imports a module only when its command runs
# or help lists every command (tests/cli/test_coldstart.py checks these match what the modules register).
MODULE_COMMANDS: dict[str, tuple[str, ...]] = {
    "govern.cli.plugins": ("plugins",),
    "govern.cli.waivers": ("waivers",),
    "govern.cli.config": ("config",),
    "govern.cli.appetite": ("appetite",),
    "govern.cli.verify": ("verify",),
    "govern.cli.portfolio": ("portfolio",),
    "govern.cli.history": ("history",),
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
    only = argv[0] if argv and argv[0] in {"check", "rules", "explain", "test", "init", *modules} else None

    if only in (None, "check"):
        check = sub.add_parser("check", parents=[common], help="check initiative manifests", description="Check manifests (files, or folders searched for *.yaml/*.yml) against the policy packs.")
        check.add_argument("paths", nargs="*", metavar="PATH")
        check.add_argument("--show-passes", action="store_true", help="also list the rules each manifest passed")
        check.add_argument(
            "--skip-non-govern", action="store_true",
            help="skip named files that are not govern documents, as a folder walk does (for pre-commit's file lists)",
        )
        check.add_argument("--baseline", metavar="REPORT.json", help="findings already in this previous JSON report are shown as existing, not failing")
        check.add_argument("--allow-empty", action="store_true", help=ALLOW_EMPTY_HELP)
        check.set_defaults(func=cmd_check)

    if only in (None, "rules"):
        rules = sub.add_parser("rules", parents=[common], help="list every rule")
        rules.add_argument("--domain", action="append", default=[], help="only rules of this domain (repeatable)")
        rules.set_defaults(func=cmd_rules)

    if only in (None, "explain"):
        explain = sub.add_parser("explain", parents=[common], help="explain one rule")
        explain.add_argument("rule", metavar="RULE")
        explain.set_defaults(func=cmd_explain)

    if only in (None, "test"):
        test = sub.add_parser("test", parents=[common], help="run the pass/fail examples of policy packs")
        test.add_argument("packs", nargs="*", metavar="PACK", help="pack folders or files (default: the built-in packs)")
        test.set_defaults(func=cmd_test)

    if only in (None, "init"):
        init = sub.add_parser("init", help="print a valid manifest skeleton to fill in")
        init.add_argument("--output", metavar="FILE", help="write the skeleton to FILE (never overwrites)")
        init.set_defaults(func=cmd_init)

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


def _main(argv: list[str]) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
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


_READS: list[tuple[argparse.Namespace, Any]] = []


def _input_files(args: argparse.Namespace, options: Any) -> list[str]:
    """Every file the command line reads (manifests found in folders included)."""
    files: list[str] = []
    for path in [*(getattr(args, "paths", None) or []), *(getattr(options, "policies", None) or [])]:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                files += [os.path.join(root, n) for n in names if n.endswith((".yaml", ".yml"))]
        else:
            files.append(path)
    for name in ("appetite", "waivers", "config", "baseline", "compare", "config_file"):
        for source in (args, options):
            value = getattr(source, name, None)
            if isinstance(value, str | os.PathLike):
                files.append(os.fspath(value))
    files += [os.fspath(p) for p in getattr(args, "plugins", None) or [] if isinstance(p, str | os.PathLike)]
    return files


def _refuse_inputs(path: str) -> None:
    """An --output that is one of the run's own inputs would destroy it: a usage error instead."""
    try:
        target = os.stat(path)
    except OSError:
        return  # nothing there yet
    for args, options in _READS:
        for candidate in _input_files(args, options):
            try:
                same = os.path.samestat(target, os.stat(candidate))
            except OSError:
                continue
            if same:
                raise GovernError(f"{path} is an input of this run; govern never overwrites its inputs "
                                  "(write the report to another file)")


def output_files(args: argparse.Namespace) -> list[str]:
    """Every file ``--output`` and ``--format NAME:FILE`` would write."""
    if not hasattr(args, "format"):
        return []
    return [path for _, path in outputs(args, "") if path]


def outputs(args: argparse.Namespace, default: str) -> list[tuple[str, str | None]]:
    """(format, file or None for stdout) pairs from --format/--output."""
    pairs = []
    for value in args.format or [default]:
        name, sep, path = value.partition(":")
        pairs.append((name, path if sep else None))
    if getattr(args, "output", None):
        for i, (name, path) in enumerate(pairs):
            if path is None:
                pairs[i] = (name, args.output)
                break
    return pairs


def write_atomic(path: str, text: str | Any) -> None:
    """Write the whole file or nothing: a failed run leaves a previous report intact.

    ``text`` is a string or an iterable of pieces of one.
    """
    staged: list[tuple[str, str]] = []
    try:
        if not stage(path, text, staged):
            write_through(path, text)
        commit(staged)
    finally:
        discard(staged)


def write_through(path: str, text: str | Any) -> None:
    """Write to a device or pipe (/dev/null, /dev/stdout, a FIFO), which is never replaced."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
    except OSError as exc:
        raise GovernError(f"cannot write {path}: {exc.strerror or exc}") from None


def stage(path: str, text: str | Any, staged: list[tuple[str, str]]) -> bool:
    """Write ``text`` to a temporary file beside ``path`` and add (temporary file, path) to ``staged``,
    for ``commit`` to rename over ``path``; ``discard`` removes what was never committed.

    False, having written nothing, when ``path`` is a device or pipe: ``write_through`` it instead.
    """
    pieces = [text] if isinstance(text, str) else text
    import stat
    import tempfile

    _refuse_inputs(path)
    if os.path.isdir(path):
        raise GovernError(f"{path} is a folder; give a file name to write the report to")
    try:
        existing = os.stat(path).st_mode
        special = not stat.S_ISREG(existing)
        mode = stat.S_IMODE(existing)  # replacing a report keeps its permissions
    except OSError:
        special = False
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # a new report gets what any new file would, not mkstemp's 0600
    if special:  # /dev/null, a pipe, /dev/stdout: write through, never replace the device itself
        return False
    folder = os.path.dirname(os.path.abspath(path))
    held = hold_signals()  # a signal between creating the file and noting it would leave it behind
    try:
        fd, tmp = tempfile.mkstemp(prefix=".govern-", suffix=".tmp", dir=folder)
        staged.append((tmp, path))
    except OSError as exc:
        raise GovernError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        release_signals(held)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(pieces)
        os.chmod(tmp, mode)
    except OSError as exc:
        raise GovernError(f"cannot write {path}: {exc.strerror or exc}") from None
    return True


def commit(staged: list[tuple[str, str]]) -> None:
    """Rename every staged file over its target, with the stop signals held: all of them or, should
    a rename fail, a GovernError naming what was not replaced."""
    held = hold_signals()
    try:
        while staged:
            tmp, path = staged[0]
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise GovernError(f"cannot write {path}: {exc.strerror or exc}") from None
            staged.pop(0)
    finally:
        release_signals(held)


def discard(staged: list[tuple[str, str]]) -> None:
    """Remove the temporary files of outputs that were never committed."""
    while staged:
        tmp, _ = staged.pop()
        try:
            os.unlink(tmp)
        except OSError:
            pass


def use_colour(stream: Any) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def emit(report: Any, args: argparse.Namespace, reporters: dict[str, Any], command: str, default: str) -> None:
    """Render every requested format; check all of them before writing any, replace files all together."""
    pairs = outputs(args, default)
    for name, _ in pairs:
        reporter = reporters.get(name)
        if reporter is None or command not in reporter.commands:
            known = ", ".join(sorted(n for n, r in reporters.items() if command in r.commands))
            raise GovernError(f"unknown format {name!r} for {command} (choose from {known})")
    rendered = []
    for name, path in pairs:
        reporter = reporters[name]
        if name == "text":
            text = reporter.render(
                report,
                colour=path is None and use_colour(sys.stdout),
                quiet=args.quiet,
                show_passes=getattr(args, "show_passes", False),
            )
        elif reporter.stream is not None:
            text = _guarded_stream(reporter, report, args)  # written piece by piece, never held whole
        else:
            text = _render_plugin_format(reporter, report, args)
        rendered.append((path, text))
    # Files are written to temporary files first and renamed together once every output is done:
    # several --format X:FILE reports are replaced all together or not at all.
    staged: list[tuple[str, str]] = []
    try:
        direct = [(path, text) for path, text in rendered if path is None or not stage(path, text, staged)]
        try:
            for path, text in direct:  # standard output, devices and pipes, in the order given
                if path is None:
                    for piece in [text] if isinstance(text, str) else text:
                        sys.stdout.write(piece)
                else:
                    sys.stdout.flush()
                    write_through(path, text)
        except BrokenPipeError:  # the reader of standard output went away: the files are complete
            commit(staged)
            raise
        commit(staged)
    finally:
        discard(staged)


def _guarded_stream(reporter: Any, report: Any, args: argparse.Namespace):
    """A format's pieces; one that raises (``SystemExit`` too) or yields no text fails like a failing
    ``render``. Only the format's own code is guarded: closing this generator is not its failure."""
    try:
        pieces = iter(reporter.stream(report))
    except Interrupted:
        raise
    except BaseException as exc:
        _format_failed(reporter, exc, args)
    while True:
        try:
            piece = next(pieces)
            if not isinstance(piece, str):
                raise TypeError(f"stream yielded {type(piece).__name__}, not text")
        except StopIteration:
            return
        except Interrupted:
            raise
        except BaseException as exc:
            _format_failed(reporter, exc, args)
        yield piece


def _render_plugin_format(reporter: Any, report: Any, args: argparse.Namespace) -> str:
    """A plugin's reporter that raises or returns no text is the plugin's error, not a traceback."""
    try:
        text = reporter.render(report)
        if not isinstance(text, str):
            raise TypeError(f"render returned {type(text).__name__}, not text")
    except Interrupted:
        raise
    except BaseException as exc:  # SystemExit from a format must not end the run with its exit code
        _format_failed(reporter, exc, args)
    return text


def _format_failed(reporter: Any, exc: BaseException, args: argparse.Namespace) -> None:
    if getattr(args, "debug", False):
        raise exc
    from govern.core.errors import raised

    raise GovernError(f"format {reporter.name!r} failed: {raised(exc)}", rule="GOV-PLUGIN") from None


def registry_for(options: Any) -> Any:
    """Every plugin's contributions, per --plugin/--no-plugins and the `plugins` configuration."""
    from govern.plugins.manager import load_for

    return load_for(options)


# -- commands -----------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from govern.run.runner import run_check

    options = options_from(args, "check")
    if not options.paths:
        raise GovernError("nothing to check: give one or more manifest files or folders")
    baseline = None
    if getattr(args, "baseline", None):  # read first: a bad baseline (a FIFO, too large) fails before the run
        from govern.run.baseline import load_report

        baseline = load_report(args.baseline, "baseline", max_size=options.max_file_size)
    report = run_check(options)
    reporters = report.registry.reporters
    if baseline is not None:
        from govern.run.baseline import apply_baseline

        apply_baseline(report, baseline)
    emit(report, args, reporters, "check", options.config.get("format", "text"))
    return report.exit_code(options.fail_on)


def cmd_rules(args: argparse.Namespace) -> int:
    from govern.cli.rules import render_rules
    from govern.run.runner import build_rules

    options = options_from(args, "rules")
    registry = registry_for(options)
    rules, errors, _ = build_rules(options, registry)
    for error in errors:
        print(f"govern: {error.located()}", file=sys.stderr)
    if args.domain:
        rules = [r for r in rules if r.domain in args.domain]
    fmt = (args.format or ["table"])[0]
    text = render_rules(rules, fmt)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_ERROR if errors else EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from govern.cli.rules import explain
    from govern.run.runner import build_rules

    options = options_from(args, "explain")
    options.only, options.skip = [], []
    options.examples = True
    rules, errors, _ = build_rules(options, registry_for(options))
    wanted = args.rule.upper()
    for rule in rules:
        if rule.id == wanted or wanted in rule.aliases:
            sys.stdout.write(explain(rule, options))
            return EXIT_OK
    from govern.core.engine import NOTICES

    if wanted in NOTICES:
        title, domain, severity = NOTICES[wanted]
        sys.stdout.write(f"{wanted}: {title}\n  domain: {domain}\n  severity: {severity}\n  A notice govern itself raises; it is not a rule of a pack.\n")
        return EXIT_OK
    for error in errors:
        print(f"govern: {error.located()}", file=sys.stderr)
    raise GovernError(f"no rule {args.rule!r} (see `govern rules`)")


def cmd_test(args: argparse.Namespace) -> int:
    from govern.testing import run_examples

    options = options_from(args, "test")
    lines, failures, errors = run_examples(options, args.packs, registry_for(options))
    for error in errors:
        print(f"govern: {error.located()}", file=sys.stderr)
    for line in lines:
        if not args.quiet or not line.startswith("ok"):
            print(line)
    if not args.quiet:
        total = len(lines)
        print(f"\n{total - failures} passed, {failures} failed")
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failures else EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from govern.cli.init import skeleton

    text = skeleton()
    if args.output:
        if os.path.exists(args.output):
            raise GovernError(f"{args.output} already exists; govern init never overwrites a file")
        write_atomic(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


__all__ = ["main", "EXIT_OK", "EXIT_FINDINGS", "EXIT_ERROR"]
