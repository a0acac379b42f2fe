"""Two versions of the packs run on one portfolio, and what moved between them (``govern migrate``).

The portfolio is checked twice, the same way ``govern check`` checks it, once with each set of
packs in place of govern's bundled packs: a frozen version (``policies/vN``), the current packs,
or any folder given. Findings are matched by what they are about (file, initiative, rule, JSON
path); a finding only in the second run is *gained*, one only in the first is *lost*, one in both
with another severity has *changed severity*. Each is given the rule's ``changed:`` text, so a
board is told why its numbers moved.

The limit, said wherever the result is shown (``LIMIT``): both runs use this installation's check
functions. A frozen pack is its rule text (``when``, ``require``, severities, the options given to
each function), not the code of the govern release that first shipped it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govern.core.engine import INPUT_RULES
from govern.core.errors import GovernError
from govern.core.model import Finding, Rule

LIMIT = ("Both runs use this installation's check functions: an older pack version is its frozen rule text "
         "(when, require, severities, function options), not the code of the govern release that shipped it.")
CHANGES = ("gained", "lost", "severity")


@dataclass(frozen=True)
class Change:
    """One finding gained, lost or with another severity, and why (the rule's ``changed:`` text)."""

    change: str  # gained | lost | severity
    rule: str
    title: str
    path: str
    message: str
    before: str | None  # severity in the first run (None: gained)
    after: str | None  # severity in the second run (None: lost)
    reason: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.change, "rule": self.rule, "title": self.title, "path": self.path,
                "line": self.line, "message": self.message, "severity_before": self.before,
                "severity_after": self.after, "reason": self.reason}


@dataclass
class ManifestChanges:
    """One manifest (file and initiative) and what moved in it, in rule order."""

    file: str
    initiative: str | None
    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "initiative": self.initiative, "changes": [c.to_dict() for c in self.changes]}


@dataclass
class Side:
    """One run: which packs, and its totals."""

    version: int
    label: str  # where the packs came from, as a reader should see it
    packs: list[dict[str, str]]
    totals: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "packs_from": self.label, "packs": self.packs, "totals": self.totals}


@dataclass
class Migration:
    """Both runs and every manifest's changes: what ``govern migrate`` writes."""

    as_of: dt.date
    before: Side
    after: Side
    manifests: list[ManifestChanges]  # every manifest, in file order; most have no change
    limit: str = LIMIT

    @property
    def changed(self) -> list[ManifestChanges]:
        return [m for m in self.manifests if m.changes]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(CHANGES, 0)
        for manifest in self.manifests:
            for change in manifest.changes:
                out[change.change] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": "migrate",
            "as_of": self.as_of.isoformat(),
            "limit": self.limit,
            "from": self.before.to_dict(),
            "to": self.after.to_dict(),
            "summary": {"manifests": len(self.manifests), "manifests_changed": len(self.changed),
                        "manifests_unchanged": len(self.manifests) - len(self.changed), **self.counts()},
            "manifests": [m.to_dict() for m in self.changed],
        }


class InputErrors(GovernError):
    """A run met input errors (a manifest that cannot be read, a pack that does not load): each is located."""

    def __init__(self, problems: list[GovernError]) -> None:
        first = problems[0]
        super().__init__(first.message, first.file, first.line, first.column)
        self.problems = problems


# -- which packs a version names --------------------------------------------------------------


def frozen_versions() -> dict[int, Path]:
    """The frozen pack versions shipped with govern: ``policies/v1`` and so on."""
    from govern.core.resources import policies_dir

    found = {}
    for entry in policies_dir().iterdir():
        match = re.fullmatch(r"v([1-9][0-9]*)", entry.name)
        if match and entry.is_dir():
            found[int(match.group(1))] = entry
    return dict(sorted(found.items()))


def current_version() -> int:
    """The version of the live packs: one more than the newest frozen version."""
    return max(frozen_versions(), default=0) + 1


def packs_for(version: int) -> Path | None:
    """The folder of a pack version (None: the current packs); an unknown version is an input error."""
    frozen = frozen_versions()
    if version in frozen:
        return frozen[version]
    if version == current_version():
        return None
    known = ", ".join(str(v) for v in frozen) or "none"
    raise GovernError(f"pack version {version} is not known to this govern (frozen versions: {known}; "
                      f"current: {current_version()})")


# -- comparing two runs -----------------------------------------------------------------------


def migrate(options: Any, from_version: int, to_version: int, from_packs: str | None = None,
            to_packs: str | None = None) -> Migration:
    """Run the portfolio under both pack sets and list what moved, manifest by manifest.

    ``from_packs``/``to_packs`` replace the version's folder (a department's own pack versions).
    Input errors in either run (a manifest that cannot be read, a pack that does not load) are
    raised together as ``InputErrors``, each located; the caller exits 2.
    """
    from govern.run.runner import run_check

    sides = []
    runs = []
    for version, folder in ((from_version, from_packs), (to_version, to_packs)):
        chosen = folder if folder is not None else packs_for(version)
        run_options = dataclasses.replace(options, packs_folder=None if chosen is None else str(chosen))
        report = run_check(run_options, "check")
        findings = list(report.findings)
        close = getattr(report.findings, "close", None)
        if close:
            close()
        problems = [f for f in findings if f.rule in INPUT_RULES]
        if problems:
            raise InputErrors([GovernError(f.message, f.file, f.line, f.column) for f in problems])
        label = _label(version, folder, chosen)
        packs = sorted(({"name": p["name"], "version": p["version"]} for p in report.packs
                        if p.get("source") == "builtin"), key=lambda p: p["name"])
        summary = report.summary()
        totals = {k: summary[k] for k in ("errors", "warnings", "info")}
        sides.append(Side(version, label, packs, totals))
        runs.append((report, findings))
    (first_report, before), (second_report, after) = runs
    manifests = _manifests(first_report.manifests, second_report.manifests)
    changes = diff(before, after, {r.id: r for r in first_report.rules}, {r.id: r for r in second_report.rules},
                   to_version)
    for manifest in manifests:
        manifest.changes = changes.get((manifest.file, manifest.initiative), [])
    known = {(m.file, m.initiative) for m in manifests}
    for key in sorted(set(changes) - known, key=lambda k: (k[0], k[1] or "")):  # portfolio-wide findings
        manifests.append(ManifestChanges(key[0], key[1], changes[key]))
    return Migration(first_report.as_of, sides[0], sides[1], manifests)


def _label(version: int, given: str | None, folder: Path | None) -> str:
    if given is not None:
        return f"the packs in {given}"
    if folder is None:
        return f"govern's bundled packs, version {version} (current)"
    return f"govern's bundled packs, version {version} (frozen in policies/{folder.name})"


def _manifests(first: Any, second: Any) -> list[ManifestChanges]:
    seen = {}
    for info in [*first, *second]:
        key = (info["file"], info.get("initiative"))
        seen.setdefault(key, ManifestChanges(*key))
    return list(seen.values())


def diff(before: list[Finding], after: list[Finding], old_rules: dict[str, Rule], new_rules: dict[str, Rule],
         to_version: int) -> dict[tuple[str, str | None], list[Change]]:
    """Changes per (file, initiative): findings matched by file, initiative, rule and JSON path.

    A rule renamed in the newer packs (its old ID among its ``aliases``) is matched under its new ID.
    Where a rule raises several findings at one path, they are paired in order of severity.
    """
    renamed = {alias: rule.id for rule in new_rules.values() for alias in rule.aliases}

    def grouped(findings: list[Finding], rename: bool) -> dict[tuple[str, str | None, str, str], list[Finding]]:
        out: dict[tuple[str, str | None, str, str], list[Finding]] = {}
        for finding in findings:
            rule = renamed.get(finding.rule, finding.rule) if rename else finding.rule
            out.setdefault((finding.file, finding.initiative, rule, finding.path), []).append(finding)
        for items in out.values():
            items.sort(key=lambda f: (_rank(f.severity), f.message))
        return out

    old, new = grouped(before, True), grouped(after, False)
    result: dict[tuple[str, str | None], list[Change]] = {}
    for key in sorted(set(old) | set(new), key=lambda k: (k[0], k[1] or "", k[2], k[3])):
        file, initiative, rule_id, path = key
        was, now = old.get(key, []), new.get(key, [])
        for i in range(max(len(was), len(now))):
            a = was[i] if i < len(was) else None
            b = now[i] if i < len(now) else None
            if a is not None and b is not None and a.severity == b.severity:
                continue
            kind = "gained" if a is None else "lost" if b is None else "severity"
            shown = b or a
            reason = _reason(kind, rule_id, old_rules, new_rules, to_version)
            result.setdefault((file, initiative), []).append(
                Change(kind, rule_id, shown.title, path, shown.message, a and a.severity, b and b.severity, reason,
                       shown.line))
    return result


def _rank(severity: str) -> int:
    return {"error": 0, "warning": 1, "info": 2}.get(severity, 3)


def _reason(kind: str, rule_id: str, old_rules: dict[str, Rule], new_rules: dict[str, Rule], to_version: int) -> str:
    """Why a finding moved: the newer rule's ``changed:`` text, else what can be said without it."""
    new = new_rules.get(rule_id)
    old = old_rules.get(rule_id) or next((r for r in old_rules.values() if rule_id in getattr(new, "aliases", ())), None)
    if new is None and old is not None:
        return f"the rule is not in pack version {to_version} (removed)"
    if new is not None and new.changed:
        return new.changed
    if new is not None and old is None:
        return f"new rule in pack version {to_version}"
    if new is None:
        return "not a pack rule (an engine notice: see the finding's message)"
    return "the pack gives no `changed:` reason for this rule"
