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
named as missing. The comparisons are in ``govern.run.compare``; the command, the re-run
through the command line and the output are in ``govern.cli.verify``.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from typing import Any

from govern.core.errors import GovernError
from govern.run.compare import (
    Difference,
    as_text,
    compare_arguments,
    compare_duplicates,
    compare_findings,
    compare_inputs,
    compare_missing,
    compare_outcomes,
    compare_values,
    count_totals,
    entries_of,
    explained_by,
    recorded_arguments,
    sha_change,
)

COMMANDS = ("check", "portfolio")  # the commands whose report carries provenance


class PluginsNotAllowed(GovernError):
    """The report's check loads ``--plugin`` files, and verify was not told to trust them."""


# -- reading what the report records (it may have been edited into anything) ------------------


def _strings(arguments: dict[str, Any], key: str) -> list[str]:
    value = arguments.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GovernError(
            f"the recorded arguments cannot be replayed: /provenance/arguments/{key} is not a list of text"
        )
    return value


# -- the re-run ------------------------------------------------------------------------------


def replay_argv(provenance: dict[str, Any]) -> list[str]:
    """The command line that made the report, rebuilt from ``provenance.arguments``."""
    arguments = recorded_arguments(provenance)
    command = provenance.get("command") or "check"
    if command not in COMMANDS:
        raise GovernError(f"the recorded command {as_text(command)} cannot be replayed (only {' and '.join(COMMANDS)})")
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


def plugin_files(provenance: dict[str, Any]) -> tuple[list[str], list[Difference]]:
    """The ``--plugin`` files the report's check loaded, and how each differs from its recorded SHA-256.

    Hashed only, never imported: a file missing, changed, or without a recorded hash is a difference.
    """
    from govern.core.paths import display_path
    from govern.run.provenance import plugin_sha256

    named = _strings(recorded_arguments(provenance), "plugins")
    recorded = {as_text(p.get("origin")): p for p in entries_of(provenance.get("plugins"))}
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
            message = f"plugin file {shown} changed ({sha_change(entry['sha256'], now)})"
            out.append(Difference("plugin", shown, message))
    return named, out


def rehashed(provenance: dict[str, Any]) -> dict[str, Any]:
    """The recorded provenance with every file hashed again (when the check itself cannot or may not re-run)."""
    from govern.run.provenance import file_sha256, plugin_sha256, recorded_file

    current = copy.deepcopy(provenance)
    for entry in entries_of(current.get("manifests")) + entries_of(current.get("packs")):
        file = entry.get("file")
        entry["sha256"] = file_sha256(recorded_file(file)) if isinstance(file, str) else None
    for entry in entries_of(current.get("plugins")):
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
            from govern.core.resources import default_appetite_path

            appetite["sha256"] = file_sha256(default_appetite_path())
        else:
            file = appetite.get("file")
            appetite["sha256"] = file_sha256(file) if isinstance(file, str) else None
    return current


def verify(
    data: dict[str, Any], provenance: dict[str, Any], fresh_report: Callable[[dict[str, Any]], dict[str, Any]],
    allow_plugins: bool = False, text: str | None = None,
) -> tuple[list[Difference], dict[str, int]]:
    """Every difference between the report (``data``, read from ``text``) and its inputs and a fresh run.

    ``fresh_report(provenance)`` re-runs the recorded check and returns the JSON report it writes, as
    data (``govern.cli.verify`` passes the command line's own path; a ``GovernError`` says why it
    cannot); it is called only when the recorded plugin files match and may run.
    """
    from govern import __version__

    totals = count_totals(data, provenance)
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
            fresh = fresh_report(provenance)
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
    inputs = missing + compare_inputs(provenance, fresh.get("provenance") or {})
    findings = compare_findings(data.get("findings"), fresh.get("findings"))
    touched = {(d.subject.split(" ", 1)[0], d.subject.split(" ", 1)[1]) for d in findings}
    outcomes = compare_outcomes(data.get("manifests"), fresh.get("manifests") or [], touched)
    values = compare_values(data, fresh, explained=explained_by(bool(findings), bool(findings or outcomes)),
                            stale=bool(inputs or edited))
    return edited + inputs + findings + outcomes + values, totals


# -- output -------------------------------------------------------------------------------------
