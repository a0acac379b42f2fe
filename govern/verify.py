"""``govern verify REPORT.json``: does a report still stand?

It re-reads every file the report's ``provenance`` names (manifests, policy
packs, plugin files, appetite statement, waiver register, configuration,
baseline) and compares their SHA-256, names and versions; then it re-runs
the check with the recorded command-line inputs at the report's ``as_of``
and compares the findings (rule, initiative, file, pointer, severity,
status) and the outcome of every rule on every manifest.

Exit 0 when everything matches, 1 on any difference (each named), 2 when
the report cannot be read or is not a govern JSON report with provenance.
Run it from the folder the check ran in: the report's paths are relative
to it. ``compare_*`` are pure; ``cmd_verify`` and ``rerun`` are the I/O edge.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from govern.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, GovernError
from govern.loader import DEFAULT_MAX_FILE_SIZE


@dataclass(frozen=True)
class Difference:
    """One way a report no longer matches a fresh run of the same inputs."""

    kind: str  # govern, manifest, pack, plugin, appetite, waivers, config, baseline, finding, outcome, rerun
    subject: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "message": self.message}


def register(subparsers: Any, common: Any) -> None:  # noqa: ARG001 - options come from the report
    from govern.cli import _size

    parser = subparsers.add_parser(
        "verify",
        help="check that a JSON report still matches its files and findings",
        description="Re-read the files a JSON report names and re-run its check at its as_of: exit 0 when "
        "everything matches, 1 naming each difference, 2 when the report is unreadable or invalid. "
        "Run it from the folder the check ran in.",
    )
    parser.add_argument("report", metavar="REPORT.json", help="a report written by `govern check --format json`")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    parser.add_argument("--max-file-size", type=_size, metavar="BYTES",
                        help="refuse a larger report (default 5 MiB); a FIFO or device is never read")
    parser.add_argument("--quiet", action="store_true",
                        help="print differences only, nothing when the report is verified")
    parser.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    parser.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from govern.baseline import load_report

    previous = load_report(args.report, max_size=args.max_file_size or DEFAULT_MAX_FILE_SIZE)
    provenance = previous.data.get("provenance")
    if not isinstance(provenance, dict):
        raise previous.error(
            "report has no provenance (written by an older govern?): write it again with `govern check --format json`"
        )
    differences, totals = verify(previous.data, provenance)
    text = render_json(previous.display, differences, totals) if args.format == "json" else \
        render_text(previous.display, differences, totals, args.quiet)
    sys.stdout.write(text)
    return EXIT_FINDINGS if differences else EXIT_OK


# -- the re-run ------------------------------------------------------------------------------


def replay_argv(provenance: dict[str, Any]) -> list[str]:
    """The command line that made the report, rebuilt from ``provenance.arguments``."""
    arguments = provenance.get("arguments", {})
    command = provenance.get("command") or "check"
    argv = [command, "--as-of", provenance["as_of"]]
    for key, flag in (("policies", "--policies"), ("only", "--only"), ("skip", "--skip"), ("plugins", "--plugin")):
        for value in arguments.get(key) or []:
            argv += [flag, value]
    for key, flag in (("appetite", "--appetite"), ("waivers", "--waivers"), ("config", "--config")):
        if arguments.get(key):
            argv += [flag, arguments[key]]
    if arguments.get("max_file_size"):
        argv += ["--max-file-size", str(arguments["max_file_size"])]
    if arguments.get("no_plugins"):
        argv.append("--no-plugins")
    if arguments.get("skip_non_govern"):
        argv.append("--skip-non-govern")
    return [*argv, "--", *(arguments.get("paths") or [])]


def rerun(provenance: dict[str, Any]) -> Any:
    """Run the recorded check again, through the same command-line path; a GovernError says why it cannot."""
    from govern.cli import build_parser, options_from
    from govern.run import run_check

    argv = replay_argv(provenance)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:
        raise GovernError(f"the recorded arguments cannot be replayed: govern {' '.join(argv)}") from None
    options = options_from(args, argv[0])
    report = run_check(options, argv[0])
    baseline = (provenance.get("arguments") or {}).get("baseline")
    if baseline:
        from govern.baseline import apply_baseline

        try:
            apply_baseline(report, baseline, options.max_file_size)
        except GovernError:
            report.provenance["baseline"] = {"file": baseline, "sha256": None}
    return report


def rehashed(provenance: dict[str, Any]) -> dict[str, Any]:
    """The recorded provenance with every file hashed again (when the check itself cannot re-run)."""
    from govern.provenance import file_sha256

    current = copy.deepcopy(provenance)
    for entry in current.get("manifests", []) + current.get("packs", []):
        entry["sha256"] = file_sha256(entry.get("file"))
    for key in ("waivers", "config", "baseline"):
        if isinstance(current.get(key), dict):
            current[key]["sha256"] = file_sha256(current[key].get("file"))
    appetite = current.get("appetite")
    if isinstance(appetite, dict):
        if appetite.get("default"):
            from govern.resources import default_appetite_path

            appetite["sha256"] = file_sha256(default_appetite_path())
        else:
            appetite["sha256"] = file_sha256(appetite.get("file"))
    return current


def verify(data: dict[str, Any], provenance: dict[str, Any]) -> tuple[list[Difference], dict[str, int]]:
    from govern import __version__

    problem = None
    try:
        report = rerun(provenance)
    except GovernError as exc:
        report, problem = None, exc.located()
    current = report.provenance if report is not None else {**rehashed(provenance), "govern_version": __version__}
    differences = compare_inputs(provenance, current)
    if problem is not None:
        differences.append(Difference("rerun", "check", f"the check cannot be re-run: {problem}"))
        findings: list[Difference] = []
        outcomes: list[Difference] = []
    else:
        findings = compare_findings(data.get("findings", []), [f.to_dict() for f in report.findings])
        touched = {(d.subject.split(" ", 1)[0], d.subject.split(" ", 1)[1]) for d in findings}
        outcomes = compare_outcomes(data.get("manifests") or [], report.manifests, touched)
    totals = {
        "manifests": len(provenance.get("manifests", [])),
        "packs": len(provenance.get("packs", [])),
        "plugins": len(provenance.get("plugins", [])),
        "findings": len(data.get("findings", [])),
        "outcomes": sum(len(m.get("outcomes", {})) for m in data.get("manifests") or []),
    }
    return differences + findings + outcomes, totals


# -- comparing (pure) -------------------------------------------------------------------------


def _short(sha: str | None) -> str:
    return f"{sha[:12]}.." if sha else "unreadable"


def _sha_change(old: str | None, new: str | None) -> str:
    return f"sha256 {_short(old)} -> {_short(new)}"


def compare_inputs(old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    out: list[Difference] = []
    if old.get("govern_version") != new.get("govern_version"):
        versions = f"{old.get('govern_version')} -> {new.get('govern_version')}"
        out.append(Difference("govern", "govern", f"govern version changed ({versions})"))
    out += _compare_manifests(old.get("manifests") or [], new.get("manifests") or [])
    out += _compare_packs(old.get("packs") or [], new.get("packs") or [])
    out += _compare_plugins(old.get("plugins") or [], new.get("plugins") or [])
    out += _compare_appetite(old.get("appetite"), new.get("appetite"))
    for key, label in (("waivers", "waiver register"), ("config", "configuration"), ("baseline", "baseline")):
        out += _compare_file(key, label, old.get(key), new.get(key))
    return out


def _compare_manifests(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    out = []
    before = {m["file"]: m.get("sha256") for m in old}
    after = {m["file"]: m.get("sha256") for m in new}
    for file in sorted(before.keys() | after.keys()):
        if file not in after or (after[file] is None and before[file] is not None):
            gone = "is missing" if not os.path.exists(file) else "is no longer read"
            out.append(Difference("manifest", file, f"manifest {file} {gone} (was sha256 {_short(before[file])})"))
        elif file not in before:
            message = f"manifest {file} is new: not in the report (sha256 {_short(after[file])})"
            out.append(Difference("manifest", file, message))
        elif before[file] != after[file]:
            message = f"manifest {file} changed ({_sha_change(before[file], after[file])})"
            out.append(Difference("manifest", file, message))
    return out


def _by_name(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    names = Counter(e.get("name") for e in entries)
    return {(e["name"] if names[e.get("name")] == 1 else f"{e.get('name')} ({e.get('file')})"): e for e in entries}


def _compare_packs(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    out = []
    before, after = _by_name(old), _by_name(new)
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        label = f"pack {name} {(was or now).get('version') or ''}".rstrip()
        if now is None:
            out.append(Difference("pack", name, f"{label} is no longer loaded (was {was.get('file')})"))
        elif was is None:
            out.append(Difference("pack", name, f"{label} is new: not in the report ({now.get('file')})"))
        elif was.get("version") != now.get("version") or was.get("sha256") != now.get("sha256"):
            parts = []
            if was.get("version") != now.get("version"):
                parts.append(f"version {was.get('version')} -> {now.get('version')}")
            if was.get("sha256") != now.get("sha256"):
                parts.append(_sha_change(was.get("sha256"), now.get("sha256")))
            out.append(Difference("pack", name, f"{label} changed ({', '.join(parts)})"))
    return out


def _compare_plugins(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    out = []
    before = {p["name"]: p for p in old}
    after = {p["name"]: p for p in new}
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        label = f"plugin {name} {(was or now).get('version') or ''}".rstrip()
        if now is None:
            out.append(Difference("plugin", name, f"{label} is no longer loaded"))
        elif was is None:
            out.append(Difference("plugin", name, f"{label} is new: not in the report"))
        else:
            parts = []
            if was.get("version") != now.get("version"):
                parts.append(f"version {was.get('version')} -> {now.get('version')}")
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
        return "the bundled default" if entry.get("default") else str(entry.get("file"))

    moved = not old or not new or old.get("default") != new.get("default")
    if moved or (not old.get("default") and old.get("file") != new.get("file")):
        message = f"appetite statement changed ({name(old)} -> {name(new)})"
    else:
        message = f"appetite statement {name(new)} changed ({_sha_change(old.get('sha256'), new.get('sha256'))})"
    return [Difference("appetite", name(new), message)]


def _compare_file(kind: str, label: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Difference]:
    if old == new:
        return []
    if not new:
        return [Difference(kind, old["file"], f"{label} {old['file']} is no longer used")]
    if not old:
        return [Difference(kind, new["file"], f"{label} {new['file']} is new: the report used none")]
    if new.get("sha256") is None and old.get("sha256") is not None:
        return [Difference(kind, old["file"], f"{label} {old['file']} is missing or unreadable")]
    if old.get("file") != new.get("file") and old.get("sha256") != new.get("sha256"):
        return [Difference(kind, new["file"], f"{label} changed ({old['file']} -> {new['file']})")]
    if old.get("sha256") != new.get("sha256"):
        message = f"{label} {new['file']} changed ({_sha_change(old.get('sha256'), new.get('sha256'))})"
        which = _waiver_changes(old.get("entries"), new.get("entries")) if kind == "waivers" else []
        return [Difference(kind, new["file"], message + (": " + "; ".join(which) if which else ""))]
    return []


def _waiver_changes(old: list[dict[str, Any]] | None, new: list[dict[str, Any]] | None) -> list[str]:
    """Which waivers of a register changed, matched by initiative, rule and path."""
    if old is None or new is None:
        return []

    def keyed(entries: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
        out: dict[tuple, dict[str, Any]] = {}
        for entry in entries:
            base = (entry.get("rule") or "", entry.get("initiative") or "", entry.get("path") or "")
            n = 0
            while (*base, n) in out:
                n += 1
            out[(*base, n)] = entry
        return out

    before, after = keyed(old), keyed(new)
    out = []
    for key in sorted(before.keys() | after.keys()):
        rule, initiative, path, _ = key
        what = f"waiver of {rule} for {initiative}" + (f" at {path}" if path else "")
        was, now = before.get(key), after.get(key)
        if now is None:
            out.append(f"{what} (entry {was['index'] + 1}) removed")
        elif was is None:
            out.append(f"{what} (entry {now['index'] + 1}) added")
        elif was.get("sha256") != now.get("sha256"):
            out.append(f"{what} (entry {now['index'] + 1}) changed")
    return out


def _identity(finding: dict[str, Any]) -> tuple[tuple[str, str, str, str], tuple]:
    """(what the finding is about, what it says): a report is evidence, so its words must reproduce too."""
    key = tuple(finding.get(name) or "" for name in ("rule", "initiative", "file", "path"))
    state = (finding.get("severity") or "", finding.get("status") or "open", finding.get("line"), finding.get("column"),
             finding.get("message") or "")
    return key, state


def _change(a: tuple, b: tuple) -> str:
    if a[:2] != b[:2]:
        return f"{a[0]} {a[1]} -> {b[0]} {b[1]}"
    if a[2:4] != b[2:4]:
        return f"line {a[2]}:{a[3]} -> {b[2]}:{b[3]}"
    return f"message was {a[4]!r}, now {b[4]!r}"


def compare_findings(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    """Findings matched by rule, initiative, file and pointer; severity and status must agree too."""
    before: dict[tuple, Counter] = {}
    after: dict[tuple, Counter] = {}
    for items, side in ((old, before), (new, after)):
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
        lost = sorted((was - now).elements())
        gained = sorted((now - was).elements())
        for a, b in zip(lost, gained):
            out.append(Difference("finding", subject, f"finding {where} changed ({_change(a, b)})"))
        for a in lost[len(gained):]:
            out.append(Difference("finding", subject, f"finding {where} no longer reproduced ({a[0]}, {a[1]})"))
        for b in gained[len(lost):]:
            out.append(Difference("finding", subject, f"finding {where} is new: not in the report ({b[0]}, {b[1]})"))
    return out


def compare_outcomes(
    old: list[dict[str, Any]], new: list[dict[str, Any]], touched: set[tuple[str, str]]
) -> list[Difference]:
    """Rule outcomes per manifest (passes are evidence too), except those a finding difference explains."""
    after = {(m["file"], m.get("document", 0)): m for m in new}
    out = []
    for manifest in old:
        key = (manifest["file"], manifest.get("document", 0))
        if key not in after:
            continue  # the manifest's own difference says why
        was, now = manifest.get("outcomes") or {}, after[key].get("outcomes") or {}
        who = manifest.get("initiative") or f"document {key[1] + 1}"
        for rule in sorted(was.keys() | now.keys()):
            if was.get(rule) != now.get(rule) and (rule, manifest["file"]) not in touched:
                change = f"{was.get(rule, 'not run')} -> {now.get(rule, 'not run')}"
                message = f"outcome of {rule} for {who} ({manifest['file']}) changed: {change}"
                out.append(Difference("outcome", f"{rule} {manifest['file']}", message))
    return out


# -- output -------------------------------------------------------------------------------------

_SECTIONS = (
    ("inputs", ("govern", "manifest", "pack", "plugin", "appetite", "waivers", "config", "baseline", "rerun")),
    ("findings", ("finding",)),
    ("outcomes", ("outcome",)),
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
            f"{plural(totals['findings'], 'finding')} and {plural(totals['outcomes'], 'rule outcome')} reproduced\n"
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


__all__ = ["cmd_verify", "verify", "compare_inputs", "compare_findings", "compare_outcomes", "EXIT_ERROR"]
