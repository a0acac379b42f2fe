"""Writing what a command produces: reports in every requested format, files replaced atomically.

Split from ``govern.cli.app`` (which still answers these names). ``emit`` renders every
``--format``/``--output`` and replaces all files together or none; ``write_atomic`` writes one
file whole or not at all; a run's own inputs are never overwritten (``options_from`` records them
in ``_READS``).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from govern.core.errors import GovernError, Interrupted, hold_signals, release_signals

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


def terminal(stream: Any) -> bool:
    """Whether ``stream`` is a terminal a person reads (the text report's second lines are for them)."""
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


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
    if any(name == "text" for name, _ in pairs) and not getattr(args, "quiet", False):
        for item in getattr(report, "notices", None) or ():  # once per run, beside the findings, never among them
            sys.stderr.write(f"{item['severity']}: {item['rule']}: {item['message']}\n")
    rendered = []
    for name, path in pairs:
        reporter = reporters[name]
        if name == "text":
            text = reporter.render(
                report,
                colour=path is None and use_colour(sys.stdout),
                quiet=args.quiet,
                show_passes=getattr(args, "show_passes", False),
                details=path is None and terminal(sys.stdout),
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
