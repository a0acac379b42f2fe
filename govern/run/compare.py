"""Comparing a report with a fresh run of its check, section by section (``govern verify``).

Each ``compare_*`` takes what the report says and what the inputs or a fresh run say, and
returns ``Difference``s a reader can act on: inputs by file and SHA-256, findings by what
they are about (rule, initiative, file, path), rule outcomes by manifest, and then every
other value by its JSON pointer. Pure, but for ``os.path.exists`` naming what is missing.
This module is about 520 lines: one comparison per section of the report, sharing one
notion of identity; splitting it would scatter that notion over several files.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from govern.core.errors import GovernError

MAX_LISTED = 200  # value differences listed one by one; beyond this they are counted


@dataclass(frozen=True)
class Difference:
    """One way a report no longer matches a fresh run of the same inputs."""

    kind: str  # govern, missing, manifest, pack, plugin, appetite, waivers, config, baseline, rerun, finding,
    #            outcome, value
    subject: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "message": self.message}


def entries_of(value: Any) -> list[dict[str, Any]]:
    """The objects of a list the report records; anything else in it is left to the value comparison."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def recorded_arguments(provenance: dict[str, Any]) -> dict[str, Any]:
    arguments = provenance.get("arguments", {})
    if not isinstance(arguments, dict):
        raise GovernError("the recorded arguments cannot be replayed: /provenance/arguments is not an object")
    return arguments


def count_totals(data: dict[str, Any], provenance: dict[str, Any]) -> dict[str, int]:
    findings = data.get("findings")
    return {
        "manifests": len(entries_of(provenance.get("manifests"))),
        "packs": len(entries_of(provenance.get("packs"))),
        "plugins": len(entries_of(provenance.get("plugins"))),
        "findings": len(findings) if isinstance(findings, list) else 0,
        "outcomes": sum(len(m["outcomes"]) for m in entries_of(data.get("manifests"))
                        if isinstance(m.get("outcomes"), dict)),
    }


# -- comparing (pure, but for os.path.exists naming what is missing) -------------------------


def _short(sha: Any) -> str:
    return f"{sha[:12]}.." if isinstance(sha, str) and sha else "unreadable"


def sha_change(old: Any, new: Any) -> str:
    return f"sha256 {_short(old)} -> {_short(new)}"


def compare_missing(provenance: dict[str, Any]) -> list[Difference]:
    """When none of the report's files is here, the likeliest reason: verify runs in another folder."""
    files = [m.get("file") for m in entries_of(provenance.get("manifests")) if isinstance(m.get("file"), str)]
    if not files or any(os.path.exists(file) for file in files):
        return []
    count = f"{len(files)} manifest file" + ("" if len(files) == 1 else "s")
    message = (f"none of the report's {count} is here ({files[0]} is missing): the report's paths are relative to "
               "the folder the check ran in; run govern verify there")
    return [Difference("missing", files[0], message)]


def compare_arguments(provenance: dict[str, Any]) -> list[Difference]:
    """The recorded command line against its checksum: a re-run takes its arguments on trust otherwise."""
    from govern.run.provenance import arguments_sha256

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
        versions = f"{as_text(old.get('govern_version'))} -> {as_text(new.get('govern_version'))}"
        out.append(Difference("govern", "govern", f"govern version changed ({versions})"))
    out += _compare_manifests(entries_of(old.get("manifests")), entries_of(new.get("manifests")))
    out += _compare_packs(entries_of(old.get("packs")), entries_of(new.get("packs")))
    out += _compare_plugins(entries_of(old.get("plugins")), entries_of(new.get("plugins")))
    out += _compare_appetite(_object(old.get("appetite")), _object(new.get("appetite")))
    for key, label in (("waivers", "waiver register"), ("config", "configuration"), ("baseline", "baseline")):
        out += _compare_file(key, label, _object(old.get(key)), _object(new.get(key)))
    return out


def _object(value: Any) -> dict[str, Any] | None:
    """A recorded input file's entry: an object, or None; anything else is named by its text."""
    if value is None or isinstance(value, dict):
        return value
    return {"file": as_text(value)}


def _missing(file: Any) -> str:
    from govern.run.provenance import recorded_file

    path = recorded_file(file) if isinstance(file, str) else None
    return "is missing" if path is None or not os.path.exists(path) else "is no longer read"


def _unreadable(file: Any) -> str:
    return "is missing" if _missing(file) == "is missing" else "is unreadable"


def _compare_manifests(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    out = []
    before = {as_text(m.get("file")): m.get("sha256") for m in old}
    after = {as_text(m.get("file")): m.get("sha256") for m in new}
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
            message = f"manifest {file} changed ({sha_change(before[file], after[file])})"
            out.append(Difference("manifest", file, message))
    return out


def _by_name(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    names = Counter(as_text(e.get("name")) for e in entries)

    def label(entry: dict[str, Any]) -> str:
        name = as_text(entry.get("name"))
        return name if names[name] == 1 else f"{name} ({as_text(entry.get('file'))})"

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
            gone = f" ({as_text(file)} {_missing(file)})" if _missing(file) == "is missing" else f" (was {as_text(file)})"
            out.append(Difference("pack", name, f"{label} is no longer loaded{gone}"))
        elif was is None:
            out.append(Difference("pack", name, f"{label} is new: not in the report ({as_text(now.get('file'))})"))
        elif now.get("sha256") is None and was.get("sha256") is not None:
            file = now.get("file")
            out.append(Difference("pack", name, f"{label} cannot be read ({as_text(file)} {_unreadable(file)})"))
        elif was.get("version") != now.get("version") or was.get("sha256") != now.get("sha256"):
            parts = []
            if was.get("version") != now.get("version"):
                parts.append(f"version {as_text(was.get('version'))} -> {as_text(now.get('version'))}")
            if was.get("sha256") != now.get("sha256"):
                parts.append(sha_change(was.get("sha256"), now.get("sha256")))
            out.append(Difference("pack", name, f"{label} changed ({', '.join(parts)})"))
    return out


def _compare_plugins(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    out = []
    before = {as_text(p.get("name")): p for p in old}
    after = {as_text(p.get("name")): p for p in new}
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
                parts.append(f"version {as_text(was.get('version'))} -> {as_text(now.get('version'))}")
            if was.get("sha256") != now.get("sha256"):
                parts.append(sha_change(was.get("sha256"), now.get("sha256")))
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
        return "the bundled default" if entry.get("default") else as_text(entry.get("file"))

    moved = not old or not new or old.get("default") != new.get("default")
    if moved or (not old.get("default") and old.get("file") != new.get("file")):
        message = f"appetite statement changed ({name(old)} -> {name(new)})"
    elif new.get("sha256") is None and not new.get("default"):
        message = f"appetite statement {name(new)} {_unreadable(new.get('file'))}"
    else:
        message = f"appetite statement {name(new)} changed ({sha_change(old.get('sha256'), new.get('sha256'))})"
    return [Difference("appetite", name(new), message)]


def _compare_file(kind: str, label: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Difference]:
    if old == new:
        return []
    if not new:
        file = as_text(old.get("file"))
        gone = "is missing" if _missing(old.get("file")) == "is missing" else "is no longer used"
        return [Difference(kind, file, f"{label} {file} {gone}")]
    old_file, new_file = as_text((old or {}).get("file")), as_text(new.get("file"))
    if not old:
        return [Difference(kind, new_file, f"{label} {new_file} is new: the report used none")]
    if new.get("sha256") is None and old.get("sha256") is not None:
        return [Difference(kind, old_file, f"{label} {old_file} {_unreadable(old.get('file'))}")]
    if old.get("file") != new.get("file") and old.get("sha256") != new.get("sha256"):
        return [Difference(kind, new_file, f"{label} changed ({old_file} -> {new_file})")]
    if old.get("sha256") != new.get("sha256"):
        message = f"{label} {new_file} changed ({sha_change(old.get('sha256'), new.get('sha256'))})"
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
            base = tuple(as_text(entry.get(name) or "") for name in ("rule", "initiative", "path"))
            n = 0
            while (*base, n) in out:
                n += 1
            out[(*base, n)] = entry
        return out

    def number(entry: dict[str, Any]) -> str:
        index = entry.get("index")
        return str(index + 1) if type(index) is int else "?"

    before, after = keyed(entries_of(old)), keyed(entries_of(new))
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
    key = tuple(as_text(finding.get(name) or "") for name in KEY_FIELDS)
    said = {name: value for name, value in finding.items() if name not in KEY_FIELDS}
    return key, json.dumps(said, sort_keys=True, ensure_ascii=False)


def _said(state: str) -> str:
    """``severity, status`` of a finding's canonical state."""
    said = json.loads(state)
    return f"{as_text(said.get('severity'))}, {as_text(said.get('status', 'open'))}"


def _status(state: dict[str, Any]) -> str:
    return f"{as_text(state.get('severity'))} {as_text(state.get('status', 'open'))}"


def _change(a: str, b: str) -> str:
    old, new = json.loads(a), json.loads(b)
    if _status(old) != _status(new):
        return f"{_status(old)} -> {_status(new)}"
    changed = [name for name in sorted(old.keys() | new.keys())
               if not _same(old.get(name, _ABSENT), new.get(name, _ABSENT))]
    if set(changed) <= {"line", "column"}:
        where = lambda state: f"{as_text(state.get('line'))}:{as_text(state.get('column'))}"  # noqa: E731
        return f"line {where(old)} -> {where(new)}"
    if changed == ["message"]:
        return f"message was {as_text(old.get('message'))!r}, now {as_text(new.get('message'))!r}"
    return "; ".join(f"{name} was {_show(old.get(name, _ABSENT))}, now {_show(new.get(name, _ABSENT))}"
                     for name in changed)


def compare_findings(old: Any, new: Any) -> list[Difference]:
    """Findings matched by rule, initiative, file and pointer; every other field of each must agree too."""
    before: dict[tuple, Counter] = {}
    after: dict[tuple, Counter] = {}
    for items, side in ((entries_of(old), before), (entries_of(new), after)):
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
    after = {(as_text(m.get("file")), as_text(m.get("document", 0))): m for m in entries_of(new)}
    out = []
    for manifest in entries_of(old):
        file = as_text(manifest.get("file"))
        key = (file, as_text(manifest.get("document", 0)))
        if key not in after:
            continue  # the manifest's own difference (or the value comparison) says why
        was, now = manifest.get("outcomes"), after[key].get("outcomes")
        if not isinstance(was, dict) or not isinstance(now, dict):
            continue
        who = as_text(manifest.get("initiative") or f"document {key[1]}")
        for rule in sorted(was.keys() | now.keys()):
            if not _same(was.get(rule, _ABSENT), now.get(rule, _ABSENT)) and (rule, file) not in touched:
                change = f"{as_text(was.get(rule, 'not run'))} -> {as_text(now.get(rule, 'not run'))}"
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


def explained_by(findings: bool, outcomes: bool) -> Callable[[str], bool]:
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
