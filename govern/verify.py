"""``govern verify REPORT.json``: does a report still stand?

A report is evidence, so every value in it must be one govern would write
again. Verify first hashes every file the report's ``provenance`` names
(manifests, policy packs, ``--plugin`` files, appetite statement, waiver
register, configuration, baseline) and compares SHA-256s, names and
versions. Then it re-runs the check with the recorded command-line inputs at
the report's ``as_of``, regenerates the whole JSON report and compares it
with the one given, value by value: nothing in a report is volatile, so any
value that differs, any key added or removed, a finding repeated or moved,
a key written twice, is a difference, named by its JSON pointer.

Verify never imports or runs code a report names: ``--plugin`` files are
hashed and compared, never loaded, unless ``--allow-plugins`` says to trust
the report (and then only when their hashes match). Installed plugins load
as they would for ``govern check``.

Exit 0 when everything matches, 1 on any difference (each named), 2 when
the report cannot be read, is not a JSON object with provenance, or names
plugin code it was not allowed to run. Run it from the folder the check ran
in: the report's paths are relative to it; an input that is not there is
named as missing. ``compare_*`` are pure; ``cmd_verify``, ``rerun`` and
``rehashed`` are the I/O edge.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from govern.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, GovernError
from govern.loader import DEFAULT_MAX_FILE_SIZE

MAX_LISTED = 200  # value differences listed one by one; beyond this they are counted
COMMANDS = ("check", "portfolio")  # the commands whose report carries provenance


@dataclass(frozen=True)
class Difference:
    """One way a report no longer matches a fresh run of the same inputs."""

    kind: str  # govern, missing, manifest, pack, plugin, appetite, waivers, config, baseline, rerun, finding,
    #            outcome, value
    subject: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "message": self.message}


class PluginsNotAllowed(GovernError):
    """The report's check loads ``--plugin`` files, and verify was not told to trust them."""


def register(subparsers: Any, common: Any) -> None:  # noqa: ARG001 - options come from the report
    from govern.cli import _size

    parser = subparsers.add_parser(
        "verify",
        help="check that a JSON report still matches its files and findings",
        description="Re-read the files a JSON report names, re-run its check at its as_of and compare the whole "
        "report with the one the re-run writes: exit 0 when everything matches, 1 naming each difference, 2 when "
        "the report is unreadable or names plugin code it may not run. Run it from the folder the check ran in.",
    )
    parser.add_argument("report", metavar="REPORT.json", help="a report written by `govern check --format json`")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    parser.add_argument("--max-file-size", type=_size, metavar="BYTES",
                        help="refuse a larger report (default 5 MiB); a FIFO or device is never read")
    parser.add_argument("--quiet", action="store_true",
                        help="print differences only, nothing when the report is verified")
    parser.add_argument("--allow-plugins", action="store_true",
                        help="trust the report: import and run the --plugin files it names (only when their "
                        "SHA-256 matches the report's) to re-run its check; without it they are only hashed")
    parser.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    parser.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from govern.baseline import load_report

    previous = load_report(args.report, validate=False,  # a value govern never writes is a difference
                           max_size=args.max_file_size or DEFAULT_MAX_FILE_SIZE)
    provenance = previous.data.get("provenance")
    if not isinstance(provenance, dict):
        raise previous.error(
            "report has no provenance (written by an older govern?): write it again with `govern check --format json`"
        )
    try:
        differences, totals = verify(previous.data, provenance, args.allow_plugins, previous.text)
    except PluginsNotAllowed as exc:
        raise previous.error(exc.message, "/provenance/arguments/plugins") from None
    text = render_json(previous.display, differences, totals) if args.format == "json" else \
        render_text(previous.display, differences, totals, args.quiet)
    sys.stdout.write(text)
    return EXIT_FINDINGS if differences else EXIT_OK


# -- reading what the report records (it may have been edited into anything) ------------------


def _entries(value: Any) -> list[dict[str, Any]]:
    """The objects of a list the report records; anything else in it is left to the value comparison."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _strings(arguments: dict[str, Any], key: str) -> list[str]:
    value = arguments.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GovernError(
            f"the recorded arguments cannot be replayed: /provenance/arguments/{key} is not a list of text"
        )
    return value


def _arguments(provenance: dict[str, Any]) -> dict[str, Any]:
    arguments = provenance.get("arguments", {})
    if not isinstance(arguments, dict):
        raise GovernError("the recorded arguments cannot be replayed: /provenance/arguments is not an object")
    return arguments


# -- the re-run ------------------------------------------------------------------------------


def replay_argv(provenance: dict[str, Any]) -> list[str]:
    """The command line that made the report, rebuilt from ``provenance.arguments``."""
    arguments = _arguments(provenance)
    command = provenance.get("command") or "check"
    if command not in COMMANDS:
        raise GovernError(f"the recorded command {_text(command)} cannot be replayed (only {' and '.join(COMMANDS)})")
    as_of = provenance.get("as_of")
    if not isinstance(as_of, str):
        raise GovernError("the recorded arguments cannot be replayed: /provenance/as_of is not a date")
    argv = [command, f"--as-of={as_of}"]  # --flag=value: a value that starts with "-" is still a value
    for key, flag in (("policies", "--policies"), ("only", "--only"), ("skip", "--skip"), ("plugins", "--plugin")):
        argv += [f"{flag}={value}" for value in _strings(arguments, key)]
    keys = (("appetite", "--appetite"), ("waivers", "--waivers"), ("config", "--config"),
            ("max_file_size", "--max-file-size"))
    if command == "check":
        keys += (("baseline", "--baseline"),)  # recorded as given; rerun() applies it as cmd_check does
    for key, flag in keys:
        value = arguments.get(key)
        if value is not None and value != "" and value is not False:
            argv.append(f"{flag}={value}")
    for key, flag in (("no_plugins", "--no-plugins"), ("skip_non_govern", "--skip-non-govern"),
                      ("allow_empty", "--allow-empty")):
        if arguments.get(key) is True:
            argv.append(flag)
    return [*argv, "--", *_strings(arguments, "paths")]


def rerun(provenance: dict[str, Any]) -> Any:
    """Run the recorded check again, through the same command-line path; a GovernError says why it cannot."""
    import contextlib
    import io

    from govern.cli import build_parser, options_from
    from govern.run import run_check

    argv = replay_argv(provenance)
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):  # argparse's usage message becomes part of ours
            args = build_parser(argv).parse_args(argv)
    except SystemExit:
        reason = (said.getvalue().strip().splitlines() or ["invalid"])[-1]
        raise GovernError(f"the recorded arguments cannot be replayed ({reason})") from None
    options = options_from(args, argv[0])
    report = run_check(options, argv[0])
    baseline = getattr(args, "baseline", None)
    if baseline:
        from govern.baseline import apply_baseline

        try:
            apply_baseline(report, baseline, options.max_file_size)
        except GovernError:
            report.provenance["baseline"] = {"file": baseline, "sha256": None}
    return report


def regenerate(report: Any) -> dict[str, Any]:
    """The JSON report a fresh run writes, read back as data."""
    from govern.reporters.json_ import iter_render

    return json.loads("".join(iter_render(report)))


def plugin_files(provenance: dict[str, Any]) -> tuple[list[str], list[Difference]]:
    """The ``--plugin`` files the report's check loaded, and how each differs from its recorded SHA-256.

    Hashed only, never imported: a file missing, changed, or without a recorded hash is a difference.
    """
    from govern.provenance import plugin_sha256
    from govern.run import display_path

    named = _strings(_arguments(provenance), "plugins")
    recorded = {_text(p.get("origin")): p for p in _entries(provenance.get("plugins"))}
    out = []
    for path in named:
        shown = display_path(path)
        entry = recorded.get(f"file {shown}")
        now = plugin_sha256(path) if os.path.exists(path) else None
        if now is None:
            out.append(Difference("plugin", shown, f"plugin file {shown} is missing or unreadable"))
        elif entry is None or not isinstance(entry.get("sha256"), str):
            out.append(Difference("plugin", shown, f"plugin file {shown} has no SHA-256 in the report's plugins, "
                                  "so it cannot be compared and is not run"))
        elif entry["sha256"] != now:
            message = f"plugin file {shown} changed ({_sha_change(entry['sha256'], now)})"
            out.append(Difference("plugin", shown, message))
    return named, out


def rehashed(provenance: dict[str, Any]) -> dict[str, Any]:
    """The recorded provenance with every file hashed again (when the check itself cannot or may not re-run)."""
    from govern.provenance import file_sha256, plugin_sha256, recorded_file

    current = copy.deepcopy(provenance)
    for entry in _entries(current.get("manifests")) + _entries(current.get("packs")):
        file = entry.get("file")
        entry["sha256"] = file_sha256(recorded_file(file)) if isinstance(file, str) else None
    for entry in _entries(current.get("plugins")):
        origin = entry.get("origin")
        if isinstance(origin, str) and origin.startswith("file "):
            entry["sha256"] = plugin_sha256(origin[len("file "):]) if os.path.exists(origin[len("file "):]) else None
    for key in ("waivers", "config", "baseline"):
        if isinstance(current.get(key), dict):
            file = current[key].get("file")
            current[key]["sha256"] = file_sha256(file) if isinstance(file, str) else None
    appetite = current.get("appetite")
    if isinstance(appetite, dict):
        if appetite.get("default"):
            from govern.resources import default_appetite_path

            appetite["sha256"] = file_sha256(default_appetite_path())
        else:
            file = appetite.get("file")
            appetite["sha256"] = file_sha256(file) if isinstance(file, str) else None
    return current


def verify(
    data: dict[str, Any], provenance: dict[str, Any], allow_plugins: bool = False, text: str | None = None
) -> tuple[list[Difference], dict[str, int]]:
    """Every difference between the report (``data``, read from ``text``) and its inputs and a fresh run."""
    from govern import __version__

    totals = _totals(data, provenance)
    edited = (compare_duplicates(text) if text is not None else []) + compare_arguments(provenance)
    missing = compare_missing(provenance)
    try:
        named, plugin_changes = plugin_files(provenance)
    except GovernError:
        named, plugin_changes = [], []  # the re-run below says the arguments cannot be replayed
    problem = None
    if plugin_changes:
        problem = "the check was not re-run: the report's plugin files are not the ones it was made with"
    elif named and not allow_plugins:
        problem = "the check was not re-run: it would run the report's plugin files (--allow-plugins trusts them)"
    else:
        try:
            report = rerun(provenance)
        except GovernError as exc:
            problem = f"the check cannot be re-run: {exc.located()}"
    if problem is not None:
        current = {**rehashed(provenance), "govern_version": __version__}
        differences = edited + missing + compare_inputs(provenance, current) + plugin_changes
        if named and not allow_plugins and not differences:
            files = ", ".join(named)
            raise PluginsNotAllowed(
                f"the report's check loads plugin code ({files}); its SHA-256 matches, but verify runs no code a "
                "report names unless told to: pass --allow-plugins to trust the report and re-run its check"
            )
        return differences + [Difference("rerun", "check", problem)], totals
    fresh = regenerate(report)
    inputs = missing + compare_inputs(provenance, fresh.get("provenance") or {})
    findings = compare_findings(data.get("findings"), fresh.get("findings"))
    touched = {(d.subject.split(" ", 1)[0], d.subject.split(" ", 1)[1]) for d in findings}
    outcomes = compare_outcomes(data.get("manifests"), fresh.get("manifests") or [], touched)
    values = compare_values(data, fresh, explained=_explained(bool(findings), bool(findings or outcomes)),
                            stale=bool(inputs or edited))
    return edited + inputs + findings + outcomes + values, totals


def _totals(data: dict[str, Any], provenance: dict[str, Any]) -> dict[str, int]:
    findings = data.get("findings")
    return {
        "manifests": len(_entries(provenance.get("manifests"))),
        "packs": len(_entries(provenance.get("packs"))),
        "plugins": len(_entries(provenance.get("plugins"))),
        "findings": len(findings) if isinstance(findings, list) else 0,
        "outcomes": sum(len(m["outcomes"]) for m in _entries(data.get("manifests"))
                        if isinstance(m.get("outcomes"), dict)),
    }


# -- comparing (pure, but for os.path.exists naming what is missing) -------------------------


def _short(sha: Any) -> str:
    return f"{sha[:12]}.." if isinstance(sha, str) and sha else "unreadable"


def _sha_change(old: Any, new: Any) -> str:
    return f"sha256 {_short(old)} -> {_short(new)}"


def compare_missing(provenance: dict[str, Any]) -> list[Difference]:
    """When none of the report's files is here, the likeliest reason: verify runs in another folder."""
    files = [m.get("file") for m in _entries(provenance.get("manifests")) if isinstance(m.get("file"), str)]
    if not files or any(os.path.exists(file) for file in files):
        return []
    count = f"{len(files)} manifest file" + ("" if len(files) == 1 else "s")
    message = (f"none of the report's {count} is here ({files[0]} is missing): the report's paths are relative to "
               "the folder the check ran in; run govern verify there")
    return [Difference("missing", files[0], message)]


def compare_arguments(provenance: dict[str, Any]) -> list[Difference]:
    """The recorded command line against its checksum: a re-run takes its arguments on trust otherwise."""
    from govern.provenance import arguments_sha256

    recorded = provenance.get("arguments_sha256")
    if "arguments" not in provenance or recorded is None or recorded == arguments_sha256(provenance["arguments"]):
        return []  # a missing checksum is a difference from a fresh run's report
    message = ("/provenance/arguments does not match /provenance/arguments_sha256: the recorded command line "
               "was edited after the report was written")
    return [Difference("value", "/provenance/arguments", message)]


def compare_duplicates(text: str) -> list[Difference]:
    """Keys written twice in one JSON object: readers disagree on which value counts, so a report has none."""
    found: list[tuple[dict[str, Any], list[str]]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        twice = []
        for key, value in items:
            if key in out:
                twice.append(key)
            out[key] = value
        if twice:
            found.append((out, twice))
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return []  # load_report has read it already
    if not found:
        return []
    where = {id(node): pointer for pointer, node in _walk(data, "")}
    out = []
    for node, keys in found:
        for key in dict.fromkeys(keys):
            pointer = f"{where.get(id(node), '')}/{_escape(key)}"
            out.append(Difference("value", pointer, f"{pointer}: the key is written more than once in the report"))
    return out


def _walk(value: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        yield pointer, value
        for key, item in value.items():
            yield from _walk(item, f"{pointer}/{_escape(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{pointer}/{index}")


def compare_inputs(old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    out: list[Difference] = []
    if old.get("govern_version") != new.get("govern_version"):
        versions = f"{_text(old.get('govern_version'))} -> {_text(new.get('govern_version'))}"
        out.append(Difference("govern", "govern", f"govern version changed ({versions})"))
    out += _compare_manifests(_entries(old.get("manifests")), _entries(new.get("manifests")))
    out += _compare_packs(_entries(old.get("packs")), _entries(new.get("packs")))
    out += _compare_plugins(_entries(old.get("plugins")), _entries(new.get("plugins")))
    out += _compare_appetite(_object(old.get("appetite")), _object(new.get("appetite")))
    for key, label in (("waivers", "waiver register"), ("config", "configuration"), ("baseline", "baseline")):
        out += _compare_file(key, label, _object(old.get(key)), _object(new.get(key)))
    return out


def _object(value: Any) -> dict[str, Any] | None:
    """A recorded input file's entry: an object, or None; anything else is named by its text."""
    if value is None or isinstance(value, dict):
        return value
    return {"file": _text(value)}


def _missing(file: Any) -> str:
    from govern.provenance import recorded_file

    path = recorded_file(file) if isinstance(file, str) else None
    return "is missing" if path is None or not os.path.exists(path) else "is no longer read"


def _unreadable(file: Any) -> str:
    return "is missing" if _missing(file) == "is missing" else "is unreadable"


def _compare_manifests(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    out = []
    before = {_text(m.get("file")): m.get("sha256") for m in old}
    after = {_text(m.get("file")): m.get("sha256") for m in new}
    for file in sorted(before.keys() | after.keys()):
        if file not in before:
            if after[file] is None and not os.path.exists(file):
                out.append(Difference("manifest", file, f"path {file} given to the check is missing"))
            else:
                message = f"manifest {file} is new: not in the report (sha256 {_short(after[file])})"
                out.append(Difference("manifest", file, message))
        elif file not in after or (after[file] is None and before[file] is not None):
            message = f"manifest {file} {_missing(file)} (was sha256 {_short(before[file])})"
            out.append(Difference("manifest", file, message))
        elif before[file] != after[file]:
            message = f"manifest {file} changed ({_sha_change(before[file], after[file])})"
            out.append(Difference("manifest", file, message))
    return out


def _by_name(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    names = Counter(_text(e.get("name")) for e in entries)

    def label(entry: dict[str, Any]) -> str:
        name = _text(entry.get("name"))
        return name if names[name] == 1 else f"{name} ({_text(entry.get('file'))})"

    return {label(e): e for e in entries}


def _compare_packs(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    out = []
    before, after = _by_name(old), _by_name(new)
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        version = (now if was is None else was).get("version")
        label = f"pack {name} {version if isinstance(version, str) else ''}".rstrip()
        if now is None:
            file = was.get("file")
            gone = f" ({_text(file)} {_missing(file)})" if _missing(file) == "is missing" else f" (was {_text(file)})"
            out.append(Difference("pack", name, f"{label} is no longer loaded{gone}"))
        elif was is None:
            out.append(Difference("pack", name, f"{label} is new: not in the report ({_text(now.get('file'))})"))
        elif now.get("sha256") is None and was.get("sha256") is not None:
            file = now.get("file")
            out.append(Difference("pack", name, f"{label} cannot be read ({_text(file)} {_unreadable(file)})"))
        elif was.get("version") != now.get("version") or was.get("sha256") != now.get("sha256"):
            parts = []
            if was.get("version") != now.get("version"):
                parts.append(f"version {_text(was.get('version'))} -> {_text(now.get('version'))}")
            if was.get("sha256") != now.get("sha256"):
                parts.append(_sha_change(was.get("sha256"), now.get("sha256")))
            out.append(Difference("pack", name, f"{label} changed ({', '.join(parts)})"))
    return out


def _compare_plugins(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    out = []
    before = {_text(p.get("name")): p for p in old}
    after = {_text(p.get("name")): p for p in new}
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        version = (now if was is None else was).get("version")
        label = f"plugin {name} {version if isinstance(version, str) else ''}".rstrip()
        if now is None:
            out.append(Difference("plugin", name, f"{label} is no longer loaded"))
        elif was is None:
            out.append(Difference("plugin", name, f"{label} is new: not in the report"))
        else:
            parts = []
            if was.get("version") != now.get("version"):
                parts.append(f"version {_text(was.get('version'))} -> {_text(now.get('version'))}")
            if was.get("sha256") != now.get("sha256"):
                parts.append(_sha_change(was.get("sha256"), now.get("sha256")))
            if parts:
                out.append(Difference("plugin", name, f"plugin {name} changed ({', '.join(parts)})"))
    return out


def _compare_appetite(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Difference]:
    def same(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
        return a == b or bool(a and b and a.get("sha256") == b.get("sha256") and a.get("default") == b.get("default"))

    if same(old, new):
        return []

    def name(entry: dict[str, Any] | None) -> str:
        if not entry:
            return "none"
        return "the bundled default" if entry.get("default") else _text(entry.get("file"))

    moved = not old or not new or old.get("default") != new.get("default")
    if moved or (not old.get("default") and old.get("file") != new.get("file")):
        message = f"appetite statement changed ({name(old)} -> {name(new)})"
    elif new.get("sha256") is None and not new.get("default"):
        message = f"appetite statement {name(new)} {_unreadable(new.get('file'))}"
    else:
        message = f"appetite statement {name(new)} changed ({_sha_change(old.get('sha256'), new.get('sha256'))})"
    return [Difference("appetite", name(new), message)]


def _compare_file(kind: str, label: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Difference]:
    if old == new:
        return []
    if not new:
        file = _text(old.get("file"))
        gone = "is missing" if _missing(old.get("file")) == "is missing" else "is no longer used"
        return [Difference(kind, file, f"{label} {file} {gone}")]
    old_file, new_file = _text((old or {}).get("file")), _text(new.get("file"))
    if not old:
        return [Difference(kind, new_file, f"{label} {new_file} is new: the report used none")]
    if new.get("sha256") is None and old.get("sha256") is not None:
        return [Difference(kind, old_file, f"{label} {old_file} {_unreadable(old.get('file'))}")]
    if old.get("file") != new.get("file") and old.get("sha256") != new.get("sha256"):
        return [Difference(kind, new_file, f"{label} changed ({old_file} -> {new_file})")]
    if old.get("sha256") != new.get("sha256"):
        message = f"{label} {new_file} changed ({_sha_change(old.get('sha256'), new.get('sha256'))})"
        which = _waiver_changes(old.get("entries"), new.get("entries")) if kind == "waivers" else []
        return [Difference(kind, new_file, message + (": " + "; ".join(which) if which else ""))]
    return []


def _waiver_changes(old: Any, new: Any) -> list[str]:
    """Which waivers of a register changed, matched by initiative, rule and path."""
    if not isinstance(old, list) or not isinstance(new, list):
        return []

    def keyed(entries: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
        out: dict[tuple, dict[str, Any]] = {}
        for entry in entries:
            base = tuple(_text(entry.get(name) or "") for name in ("rule", "initiative", "path"))
            n = 0
            while (*base, n) in out:
                n += 1
            out[(*base, n)] = entry
        return out

    def number(entry: dict[str, Any]) -> str:
        index = entry.get("index")
        return str(index + 1) if type(index) is int else "?"

    before, after = keyed(_entries(old)), keyed(_entries(new))
    out = []
    for key in sorted(before.keys() | after.keys()):
        rule, initiative, path, _ = key
        what = f"waiver of {rule} for {initiative}" + (f" at {path}" if path else "")
        was, now = before.get(key), after.get(key)
        if now is None:
            out.append(f"{what} (entry {number(was)}) removed")
        elif was is None:
            out.append(f"{what} (entry {number(now)}) added")
        elif was.get("sha256") != now.get("sha256"):
            out.append(f"{what} (entry {number(now)}) changed")
    return out


# -- findings and outcomes ---------------------------------------------------------------------------

KEY_FIELDS = ("rule", "initiative", "file", "path")  # what a finding is about; the rest is what it says


def _identity(finding: dict[str, Any]) -> tuple[tuple[str, ...], str]:
    """(what the finding is about, everything it says as canonical JSON): a report is evidence, its words too."""
    key = tuple(_text(finding.get(name) or "") for name in KEY_FIELDS)
    said = {name: value for name, value in finding.items() if name not in KEY_FIELDS}
    return key, json.dumps(said, sort_keys=True, ensure_ascii=False)


def _said(state: str) -> str:
    """``severity, status`` of a finding's canonical state."""
    said = json.loads(state)
    return f"{_text(said.get('severity'))}, {_text(said.get('status', 'open'))}"


def _status(state: dict[str, Any]) -> str:
    return f"{_text(state.get('severity'))} {_text(state.get('status', 'open'))}"


def _change(a: str, b: str) -> str:
    old, new = json.loads(a), json.loads(b)
    if _status(old) != _status(new):
        return f"{_status(old)} -> {_status(new)}"
    changed = [name for name in sorted(old.keys() | new.keys())
               if not _same(old.get(name, _ABSENT), new.get(name, _ABSENT))]
    if set(changed) <= {"line", "column"}:
        where = lambda state: f"{_text(state.get('line'))}:{_text(state.get('column'))}"  # noqa: E731
        return f"line {where(old)} -> {where(new)}"
    if changed == ["message"]:
        return f"message was {_text(old.get('message'))!r}, now {_text(new.get('message'))!r}"
    return "; ".join(f"{name} was {_show(old.get(name, _ABSENT))}, now {_show(new.get(name, _ABSENT))}"
                     for name in changed)


def compare_findings(old: Any, new: Any) -> list[Difference]:
    """Findings matched by rule, initiative, file and pointer; every other field of each must agree too."""
    before: dict[tuple, Counter] = {}
    after: dict[tuple, Counter] = {}
    for items, side in ((_entries(old), before), (_entries(new), after)):
        for finding in items:
            key, state = _identity(finding)
            side.setdefault(key, Counter())[state] += 1
    out = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[2], k[3], k[0], k[1])):
        was, now = before.get(key, Counter()), after.get(key, Counter())
        if was == now:
            continue
        rule, initiative, file, path = key
        where = f"{rule}" + (f" for {initiative}" if initiative else "") + f" at {file}" + (f" {path}" if path else "")
        subject = f"{rule} {file}"
        if set(was) == set(now):  # the same finding, a different number of times: repeated or dropped
            for state in sorted(was):
                if was[state] != now[state]:
                    message = f"finding {where} is in the report {was[state]} times, a fresh run has it {now[state]}"
                    out.append(Difference("finding", subject, message))
            continue
        lost = sorted((was - now).elements())
        gained = sorted((now - was).elements())
        for a, b in zip(lost, gained):
            out.append(Difference("finding", subject, f"finding {where} changed ({_change(a, b)})"))
        for a in lost[len(gained):]:
            message = f"finding {where} no longer reproduced ({_said(a)})"
            out.append(Difference("finding", subject, message))
        for b in gained[len(lost):]:
            message = f"finding {where} is new: not in the report ({_said(b)})"
            out.append(Difference("finding", subject, message))
    return out


def compare_outcomes(old: Any, new: Any, touched: set[tuple[str, str]]) -> list[Difference]:
    """Rule outcomes per manifest (passes are evidence too), except those a finding difference explains."""
    after = {(_text(m.get("file")), _text(m.get("document", 0))): m for m in _entries(new)}
    out = []
    for manifest in _entries(old):
        file = _text(manifest.get("file"))
        key = (file, _text(manifest.get("document", 0)))
        if key not in after:
            continue  # the manifest's own difference (or the value comparison) says why
        was, now = manifest.get("outcomes"), after[key].get("outcomes")
        if not isinstance(was, dict) or not isinstance(now, dict):
            continue
        who = _text(manifest.get("initiative") or f"document {key[1]}")
        for rule in sorted(was.keys() | now.keys()):
            if not _same(was.get(rule, _ABSENT), now.get(rule, _ABSENT)) and (rule, file) not in touched:
                change = f"{_text(was.get(rule, 'not run'))} -> {_text(now.get(rule, 'not run'))}"
                message = f"outcome of {rule} for {who} ({file}) changed: {change}"
                out.append(Difference("outcome", f"{rule} {file}", message))
    return out


# -- every other value -----------------------------------------------------------------------------

_ABSENT = object()


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON: 1, 1.0 and true are three different values."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _show(value: Any, limit: int = 80) -> str:
    if value is _ABSENT:
        return "nothing"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def value_differences(old: Any, new: Any, pointer: str = "", skip: Callable[[str], bool] = lambda p: False
                      ) -> Iterator[tuple[str, str]]:
    """(JSON pointer, what differs) for every value of ``old`` (the report) that ``new`` (a fresh run) does not
    have exactly. Lists of unequal length are aligned first, so one repeated or added entry is one difference."""
    if skip(pointer):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in new.items():
            here = f"{pointer}/{_escape(key)}"
            if key not in old:
                if not skip(here):
                    yield here, f"missing from the report (a fresh run writes {_show(value)})"
            else:
                yield from value_differences(old[key], value, here, skip)
        for key, value in old.items():
            here = f"{pointer}/{_escape(key)}"
            if key not in new and not skip(here):
                yield here, f"not written by a fresh run (the report says {_show(value)})"
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) == len(new):
            for index, (a, b) in enumerate(zip(old, new)):
                yield from value_differences(a, b, f"{pointer}/{index}", skip)
            return
        yield from _aligned(old, new, pointer, skip)
    elif not _same(old, new):
        yield pointer, f"the report says {_show(old)}, a fresh run writes {_show(new)}"


def _aligned(old: list[Any], new: list[Any], pointer: str, skip: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    from difflib import SequenceMatcher

    def canonical(items: list[Any]) -> list[str]:
        return [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items]

    matcher = SequenceMatcher(None, canonical(old), canonical(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            yield from value_differences(old[i1 + k], new[j1 + k], f"{pointer}/{i1 + k}", skip)
        for i in range(i1 + pairs, i2):
            if not skip(f"{pointer}/{i}"):
                yield f"{pointer}/{i}", f"not written by a fresh run (an entry added or repeated: {_show(old[i])})"
        for j in range(j1 + pairs, j2):
            if not skip(f"{pointer}/{i1 + pairs}"):
                yield f"{pointer}/{i1 + pairs}", f"missing from the report (a fresh run writes {_show(new[j])})"


def _explained(findings: bool, outcomes: bool) -> Callable[[str], bool]:
    """Pointers the findings and outcomes sections already account for."""
    def skip(pointer: str) -> bool:
        parts = pointer.split("/")
        if findings and parts[1:2] == ["findings"] and len(parts) > 2:
            return True
        return outcomes and len(parts) > 3 and parts[1] == "manifests" and parts[3] == "outcomes"
    return skip


def compare_values(old: dict[str, Any], new: dict[str, Any], explained: Callable[[str], bool] = lambda p: False,
                   stale: bool = False) -> list[Difference]:
    """Every other value of the report against a fresh run's; when inputs changed, counted in one difference."""
    found = list(value_differences(old, new, "", explained))
    if not found:
        return []
    if stale:
        shown = ", ".join(pointer or "/" for pointer, _ in found[:5]) + (", ..." if len(found) > 5 else "")
        count = f"{len(found)} more value" + (" differs" if len(found) == 1 else "s differ")
        return [Difference("value", "", f"{count} from a fresh run of the changed inputs: {shown}")]
    out = [Difference("value", pointer, f"{pointer or '/'}: {what}") for pointer, what in found[:MAX_LISTED]]
    if len(found) > MAX_LISTED:
        out.append(Difference("value", "", f"and {len(found) - MAX_LISTED} more values differ from a fresh run"))
    return out


# -- output -------------------------------------------------------------------------------------

_SECTIONS = (
    ("inputs",
     ("govern", "missing", "manifest", "pack", "plugin", "appetite", "waivers", "config", "baseline", "rerun")),
    ("findings", ("finding",)),
    ("outcomes", ("outcome",)),
    ("values", ("value",)),
)


def render_text(report: str, differences: list[Difference], totals: dict[str, int], quiet: bool = False) -> str:
    from govern.reporters.sanitize import one_line

    if not differences:
        if quiet:
            return ""
        plural = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")  # noqa: E731
        return (
            f"{one_line(report)}: verified: {plural(totals['manifests'], 'file')}, "
            f"{plural(totals['packs'], 'pack')}, "
            f"{plural(totals['plugins'], 'plugin')}, appetite, waivers and configuration unchanged; "
            f"{plural(totals['findings'], 'finding')}, {plural(totals['outcomes'], 'rule outcome')} and every other "
            "value reproduced\n"
        )
    lines = []
    for title, kinds in _SECTIONS:
        chosen = [d for d in differences if d.kind in kinds]
        if chosen:
            lines.append(f"{title} that differ from {one_line(report)}:")
            lines += [f"  {one_line(d.message)}" for d in chosen]
    if not quiet:
        count = len(differences)
        lines.append(f"{one_line(report)}: does not match ({count} difference{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def render_json(report: str, differences: list[Difference], totals: dict[str, int]) -> str:
    sections = {title: [d.to_dict() for d in differences if d.kind in kinds] for title, kinds in _SECTIONS}
    out = {"report": report, "verified": not differences, "totals": totals, **sections}
    from govern.reporters.sanitize import json_safe

    return json_safe(json.dumps(out, indent=2, ensure_ascii=False)) + "\n"


__all__ = ["cmd_verify", "verify", "compare_inputs", "compare_findings", "compare_outcomes", "compare_values",
           "EXIT_ERROR"]
