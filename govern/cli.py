"""The command line: the only module that prints and chooses an exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import Any

from govern import __version__
from govern.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, GovernError

# Commands defined in their own modules: each has register(subparsers, common) and sets func.
COMMAND_MODULES: list[str] = ["govern.plugins_cli", "govern.waivers_cli", "govern.config_cli", "govern.appetite_cli", "govern.verify", "govern.portfolio_cli"]


def _date(value: str) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def common_options() -> argparse.ArgumentParser:
    """Options shared by the commands that run rules."""
    common = argparse.ArgumentParser(add_help=False)
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
    group.add_argument("--max-file-size", type=int, metavar="BYTES", help="refuse input files larger than this (default 5 MiB)")
    out = common.add_argument_group("output")
    out.add_argument("--format", action="append", default=[], metavar="FORMAT[:FILE]", help="output format; repeat to write several, e.g. --format text --format sarif:results.sarif")
    out.add_argument("--output", metavar="FILE", help="write the report to FILE (atomically) instead of standard output")
    out.add_argument("--fail-on", choices=("error", "warning", "info", "never"), help="lowest severity that fails the run")
    out.add_argument("--quiet", action="store_true", help="print findings only: no summary, nothing when clean")
    out.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govern",
        description="Policy-as-code for public-sector digital initiatives.",
    )
    parser.add_argument("--version", action="version", version=f"govern {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options()

    check = sub.add_parser("check", parents=[common], help="check initiative manifests", description="Check manifests (files, or folders searched for *.yaml/*.yml) against the policy packs.")
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument("--show-passes", action="store_true", help="also list the rules each manifest passed")
    check.add_argument(
        "--skip-non-govern", action="store_true",
        help="skip named files that are not govern documents, as a folder walk does (for pre-commit's file lists)",
    )
    check.add_argument("--baseline", metavar="REPORT.json", help="findings already in this previous JSON report are shown as existing, not failing")
    check.set_defaults(func=cmd_check)

    rules = sub.add_parser("rules", parents=[common], help="list every rule")
    rules.add_argument("--domain", action="append", default=[], help="only rules of this domain (repeatable)")
    rules.set_defaults(func=cmd_rules)

    explain = sub.add_parser("explain", parents=[common], help="explain one rule")
    explain.add_argument("rule", metavar="RULE")
    explain.set_defaults(func=cmd_explain)

    test = sub.add_parser("test", parents=[common], help="run the pass/fail examples of policy packs")
    test.add_argument("packs", nargs="*", metavar="PACK", help="pack folders or files (default: the built-in packs)")
    test.set_defaults(func=cmd_test)

    init = sub.add_parser("init", help="print a valid manifest skeleton to fill in")
    init.add_argument("--output", metavar="FILE", help="write the skeleton to FILE (never overwrites)")
    init.set_defaults(func=cmd_init)

    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return args.func(args)
    except GovernError as exc:
        print(f"govern: {exc.located()}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a traceback is a bug; --debug shows it
        if getattr(args, "debug", False):
            raise
        print(f"govern: internal error: {type(exc).__name__}: {exc} (rerun with --debug for a traceback)", file=sys.stderr)
        return EXIT_ERROR


# -- helpers shared by commands ---------------------------------------------------------


def options_from(args: argparse.Namespace, command: str = "check") -> Any:
    from govern.config import apply_config
    from govern.run import Options

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
    )
    apply_config(options, args, command)
    from govern.provenance import invocation

    options.invocation = invocation(args)
    return options


def outputs(args: argparse.Namespace, default: str) -> list[tuple[str, str | None]]:
    """(format, file or None for stdout) pairs from --format/--output."""
    pairs = []
    for value in args.format or [default]:
        name, sep, path = value.partition(":")
        pairs.append((name, path if sep else None))
    if args.output:
        for i, (name, path) in enumerate(pairs):
            if path is None:
                pairs[i] = (name, args.output)
                break
    return pairs


def write_atomic(path: str, text: str) -> None:
    """Write the whole file or nothing: a failed run leaves a previous report intact."""
    import stat
    import tempfile

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
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".govern-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def use_colour(stream: Any) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def emit(report: Any, args: argparse.Namespace, reporters: dict[str, Any], command: str, default: str) -> None:
    """Render every requested format; check all of them before writing any."""
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
        else:
            text = _render_plugin_format(reporter, report, args)
        rendered.append((path, text))
    for path, text in rendered:
        if path is None:
            sys.stdout.write(text)
        else:
            write_atomic(path, text)


def _render_plugin_format(reporter: Any, report: Any, args: argparse.Namespace) -> str:
    """A plugin's reporter that raises or returns no text is the plugin's error, not a traceback."""
    try:
        text = reporter.render(report)
        if not isinstance(text, str):
            raise TypeError(f"render returned {type(text).__name__}, not text")
    except Exception as exc:
        if getattr(args, "debug", False):
            raise
        raise GovernError(f"format {reporter.name!r} failed: {type(exc).__name__}: {exc}", rule="GOV-PLUGIN") from None
    return text


def registry_for(options: Any) -> Any:
    """Every plugin's contributions, per --plugin/--no-plugins and the `plugins` configuration."""
    from govern.plugins import load_for

    return load_for(options)


# -- commands -----------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from govern.run import run_check

    options = options_from(args, "check")
    if not options.paths:
        raise GovernError("nothing to check: give one or more manifest files or folders")
    report = run_check(options)
    reporters = report.registry.reporters
    if getattr(args, "baseline", None):
        from govern.baseline import apply_baseline

        apply_baseline(report, args.baseline)
    emit(report, args, reporters, "check", options.config.get("format", "text"))
    return report.exit_code(options.fail_on)


def cmd_rules(args: argparse.Namespace) -> int:
    from govern.rulelist import render_rules
    from govern.run import build_rules

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
    from govern.rulelist import explain
    from govern.run import build_rules

    options = options_from(args, "explain")
    options.only, options.skip = [], []
    options.examples = True
    rules, errors, _ = build_rules(options, registry_for(options))
    wanted = args.rule.upper()
    for rule in rules:
        if rule.id == wanted or wanted in rule.aliases:
            sys.stdout.write(explain(rule, options))
            return EXIT_OK
    from govern.engine import NOTICES

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
    from govern.scaffold import skeleton

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
