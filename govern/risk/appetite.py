"""Risk-appetite statements: load, validate and query a board's ``kind: RiskAppetite``.

A statement is checked against ``schemas/risk-appetite.schema.json`` and then
for meaning: thresholds rise (or stay level) from averse to eager and stay on
the scale, every category names a level the statement defines, aliases name
real categories without hiding one, impact caps stay on the impact scale.
Every problem is a located ``GovernError``; the legacy level names
``minimalist`` and ``hungry`` are read as ``minimal`` and ``eager`` and leave
an info notice instead. The numbers are the board's (or, for the bundled
example, govern's): HM Treasury's guidance names the levels but sets no scores.

Version 2 (docs/design/semantics.md 8.7-8.9) gives each level an ``appetite`` and a
``tolerance``, so a risk falls in one of four zones (``zone``): within
appetite, within tolerance, outside tolerance, at capacity. A statement with
no ``tolerance`` (the short form) is read exactly as version 1 was: its
tolerance equals its appetite and ``escalation.above_appetite`` is one
catch-all delegation entry up to capacity. Who may accept what is the
``delegation`` matrix, first matching entry wins.

Over 400 lines (about 670) on purpose: ``parse_statement`` is one validation pass whose problems
are reported in file order, and the short queries after it (currency, summary, ``explain`` text)
read the same ``AppetiteStatement``; splitting them would only separate a type from its uses.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from govern.core.errors import GovernError
from govern.core.checks import as_date
from govern.core.loader import DEFAULT_MAX_FILE_SIZE, Document, escape_pointer, load_file

LEVELS = ("averse", "minimal", "cautious", "open", "eager")
LEGACY_LEVELS = {"minimalist": "minimal", "hungry": "eager"}
DEFAULT_SCALE = (5, 5)
LEGACY_NOTICE = "APPETITE-LEGACY"
DEFAULT_NOTICE = "RISK-APPETITE-DEFAULT"
NONE_NOTICE = "APPETITE-NONE"  # per-organisation statements: none applies to a manifest
APPROVER_ROLE = "approving_body"
EXAMPLE_NAME = "govern-example"
EXAMPLE_DISPLAY = "govern-example (bundled example statement)"  # never the installation path
ZONES = ("appetite", "tolerance", "outside", "capacity")  # lowest first: a higher score never moves down
ZONE_WORDS = {
    "appetite": "within appetite",
    "tolerance": "within tolerance",
    "outside": "outside tolerance",
    "capacity": "at capacity",
}
DEFAULT_MAX_DAYS = 180  # a delegation entry without max_days (8.9 item 3)


class AppetiteError(GovernError):
    """An invalid statement; ``problems`` holds every located problem, first one first."""

    def __init__(self, problems: list[GovernError]) -> None:
        first = problems[0]
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(first.message + suffix, first.file, first.line, first.column, first.rule, first.path)
        self.problems = problems


@dataclass(frozen=True, slots=True)
class AppetiteNotice:
    """Something a run reports about the statement without rejecting it."""

    path: str
    message: str
    severity: str = "info"


@dataclass(frozen=True, slots=True)
class Delegation:
    """One entry of the delegation matrix: who may accept risks of these categories up to a limit.

    ``index`` is the entry's position in ``delegation``, or None for the
    catch-all read from ``escalation.above_appetite``; ``boards`` are boards
    named in ``accept_by`` (``{board: name}``) and ``board`` says whether the
    statement's own board (``accept_by: [board]``) may accept by decision.
    """

    index: int | None
    categories: tuple[str, ...]  # canonical categories; empty means every category
    up_to: str | int  # "tolerance", "capacity" or a score
    roles: tuple[str, ...]
    boards: tuple[str, ...] = ()
    board: bool = False
    max_days: int | None = None

    @property
    def pointer(self) -> str:
        return "/escalation/above_appetite" if self.index is None else f"/delegation/{self.index}"

    def describe(self) -> str:
        """``delegation entry 2 (financial, up to tolerance, accepted by senior_responsible_owner)``."""
        name = "escalation.above_appetite" if self.index is None else f"delegation entry {self.index + 1}"
        who = [*self.roles, *(["board"] if self.board else []), *(f"board {b}" for b in self.boards)]
        scope = ", ".join(self.categories) if self.categories else "any category"
        return f"{name} ({scope}, up to {self.up_to}, accepted by {' or '.join(who) or 'nobody'})"


@dataclass(frozen=True, eq=False)
class AppetiteStatement:
    """A validated risk-appetite statement: levels, thresholds, caps and aliases."""

    file: str
    data: dict[str, Any]
    positions: dict[str, tuple[int, int]]
    sha256: str | None
    levels: dict[str, int]  # canonical level -> highest residual score within appetite, averse first
    categories: dict[str, str]  # category -> canonical level
    aliases: dict[str, str]  # alias -> category
    impact_caps: dict[str, int]  # canonical level -> highest residual impact
    scale: tuple[int, int]  # (likelihood points, impact points)
    accept_by: tuple[str, ...] = ()
    max_days: int | None = None
    capacity: int | None = None
    max_risks_above_appetite: int | None = None
    notices: tuple[AppetiteNotice, ...] = ()
    default: bool = False  # the bundled statement
    line: int = 1
    column: int = 1
    # -- version 2 (docs/design/semantics.md 8.7); a short-form statement leaves tolerances equal to levels
    tolerances: dict[str, int] | None = None  # canonical level -> highest residual score within tolerance
    version2: bool = False  # some level gives a tolerance
    capacity_by: str | None = None  # capacity.decided_by
    impact_triggers: dict[str, int] | None = None
    delegation: tuple[Delegation, ...] = ()  # explicit entries, then the catch-all from escalation
    explicit_delegation: bool = False  # the statement has a `delegation` list
    descriptors: dict[str, dict[int, str]] | None = None
    max_outside_tolerance: int | None = None  # capacity.portfolio_max_outside_tolerance
    applies_to: tuple[str, ...] = ()

    # -- identity ------------------------------------------------------------------
    def _meta(self, key: str) -> Any:
        meta = self.data.get("metadata")
        return meta.get(key) if isinstance(meta, dict) else None

    @property
    def name(self) -> str:
        return str(self._meta("name") or "")

    @property
    def approved_by(self) -> str | None:
        value = self._meta("approved_by")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def approved_on(self) -> dt.date | None:
        return as_date(self._meta("approved_on"))

    @property
    def review_by(self) -> dt.date | None:
        return as_date(self._meta("review_by"))

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column of ``pointer`` in the statement, or of its nearest existing parent."""
        while True:
            found = self.positions.get(pointer)
            if found is not None:
                return found
            if not pointer:
                return (self.line, self.column)
            pointer = pointer[: pointer.rfind("/")]

    # -- queries -------------------------------------------------------------------
    @property
    def max_score(self) -> int:
        return self.scale[0] * self.scale[1]

    @property
    def thresholds(self) -> dict[str, int]:
        """Highest tolerated residual score of every category and alias."""
        out = {name: self.levels[level] for name, level in self.categories.items()}
        out.update({alias: out[target] for alias, target in self.aliases.items()})
        return dict(sorted(out.items()))

    def canonical(self, category: Any) -> str | None:
        """The category a name (or alias) stands for, or None when the statement lacks it."""
        if not isinstance(category, str):
            return None
        key = category.strip().lower()
        if key in self.categories:
            return key
        return self.aliases.get(key)

    def level_of(self, category: Any) -> str | None:
        canonical = self.canonical(category)
        return self.categories.get(canonical) if canonical else None

    def threshold(self, category: Any) -> int | None:
        level = self.level_of(category)
        return self.levels.get(level) if level else None

    def impact_cap(self, category: Any) -> int | None:
        level = self.level_of(category)
        return self.impact_caps.get(level) if level else None

    def aliases_of(self, category: str) -> list[str]:
        return sorted(alias for alias, target in self.aliases.items() if target == category)

    def tolerates(self, level: str, likelihood: int, impact: int) -> bool:
        if level not in self.levels or likelihood * impact > self.levels[level]:
            return False
        cap = self.impact_caps.get(level)
        return cap is None or impact <= cap

    def most_cautious_level(self, likelihood: int, impact: int) -> str | None:
        """The first level from averse to eager that tolerates the cell, or None."""
        for level in self.levels:
            if self.tolerates(level, likelihood, impact):
                return level
        return None

    # -- version 2 ----------------------------------------------------------------
    def tolerance_of(self, level: str) -> int:
        return (self.tolerances or self.levels).get(level, self.levels[level])

    def tolerance(self, category: Any) -> int | None:
        level = self.level_of(category)
        return self.tolerance_of(level) if level else None

    def trigger(self, category: Any) -> int | None:
        level = self.level_of(category)
        return (self.impact_triggers or {}).get(level) if level else None

    def zone(self, level: str, value: int) -> str:
        """The zone of a residual score at a level, tested from the top (8.9 item 2)."""
        if self.capacity is not None and value >= self.capacity:
            return "capacity"
        if value > self.tolerance_of(level):
            return "outside"
        if value > self.levels[level]:
            return "tolerance"
        return "appetite"

    def delegation_for(self, category: str, value: int) -> Delegation | None:
        """The first delegation entry covering the (canonical) category and score, or None."""
        for entry in self.delegation:
            if entry.categories and category not in entry.categories:
                continue
            if entry.up_to == "tolerance":
                level = self.categories.get(category)
                if level is None or value > self.tolerance_of(level):
                    continue
            elif entry.up_to == "capacity":
                if self.capacity is not None and value >= self.capacity:
                    continue
            elif value > entry.up_to:
                continue
            return entry
        return None

    @property
    def board(self) -> str:
        """The statement's board, as findings owned by "the board" name it."""
        return self.approved_by or "the approving board"

    def label(self) -> str:
        who = f", approved by {self.approved_by}" if self.approved_by else ""
        when = f" on {self.approved_on.isoformat()}" if self.approved_on else ""
        return f"{self.name or '(unnamed)'}{who}{when}"


# -- building a statement ------------------------------------------------------------


def parse_statement(doc: Document, sha256: str | None = None, default: bool = False) -> AppetiteStatement:
    """Validate one RiskAppetite document; raises ``AppetiteError`` listing every problem."""
    from govern.core.schemas import document_validator, root_causes

    problems: list[GovernError] = []

    def problem(pointer: str, message: str) -> None:
        line, column = doc.locate(pointer)
        problems.append(GovernError(f"invalid RiskAppetite: {message}", doc.file, line, column, path=pointer))

    for pointer, detail, _ in root_causes(document_validator("risk-appetite").explain(doc.data)):
        problem(pointer, detail)
    if problems:
        raise AppetiteError(_ordered(problems))

    data = doc.data
    notices: list[AppetiteNotice] = []
    scale_data = data.get("scale", {})
    scale = (scale_data.get("likelihood", DEFAULT_SCALE[0]), scale_data.get("impact", DEFAULT_SCALE[1]))
    top = scale[0] * scale[1]
    where = f"the {scale[0]} x {scale[1]} scale (scores 1-{top})"

    written_levels = data.get("levels", {})
    version2 = any(isinstance(value, dict) for value in written_levels.values())
    both = _levels(written_levels, "/levels", problem, notices)
    levels = {level: (_appetite_value(value), pointer) for level, (value, pointer) in both.items()}
    tolerances = {level: _tolerance_value(value) for level, (value, _) in both.items()}
    if not levels:
        problem("/levels", "levels defines no appetite level")
    previous: tuple[str, int] | None = None
    for level, (value, pointer) in levels.items():
        name = _written(pointer, level)
        if value > top:
            problem(pointer, f"{name} is {value}, above the highest score on {where}")
        if previous and value < previous[1]:
            problem(
                pointer,
                f"{name} ({value}) is below {previous[0]} ({previous[1]}): "
                "thresholds must not decrease from averse to eager",
            )
        previous = (name, value)
        tolerance = tolerances[level]
        if tolerance < value:
            problem(f"{pointer}/tolerance", f"{name} tolerance {tolerance} is below its appetite {value}")
        elif tolerance > top:
            problem(f"{pointer}/tolerance", f"{name} tolerance {tolerance} is above the highest score on {where}")

    caps = _levels(data.get("impact_caps", {}), "/impact_caps", problem, notices)
    for level, (value, pointer) in caps.items():
        if value > scale[1]:
            problem(
                pointer,
                f"{_written(pointer, level)} is {value}, "
                f"above the highest impact on the {scale[0]} x {scale[1]} scale ({scale[1]})",
            )

    categories: dict[str, str] = {}
    defined = ", ".join(levels) or "none"
    for name, level in data.get("categories", {}).items():
        pointer = f"/categories/{escape_pointer(name)}"
        canonical = LEGACY_LEVELS.get(level, level)
        if canonical != level:
            notices.append(_legacy_notice(pointer, f"categories.{name}: {level}", level))
        if canonical not in levels:
            problem(pointer, f"category {name} is {level}, a level that levels does not define (defined: {defined})")
        categories[name] = canonical
    if not categories:
        problem("/categories", "categories lists no risk category")

    aliases: dict[str, str] = {}
    for alias, target in data.get("aliases", {}).items():
        pointer = f"/aliases/{escape_pointer(alias)}"
        if alias in categories:
            problem(pointer, f"alias {alias} hides the category of the same name")
        elif target not in categories:
            what = "an alias, not a category" if target in data.get("aliases", {}) else "not a category"
            problem(pointer, f"alias {alias} points at {target}, which is {what} of this statement")
        aliases[alias] = target

    triggers = _levels(data.get("impact_triggers", {}), "/impact_triggers", problem, notices)
    for level, (value, pointer) in triggers.items():
        if value > scale[1]:
            problem(pointer, f"{_written(pointer, level)} is {value}, above the highest impact ({scale[1]})")

    escalation = data.get("escalation", {})
    above = escalation.get("above_appetite", {})
    capacity_block = data.get("capacity", {})
    capacity, capacity_pointer = escalation.get("capacity"), "/escalation/capacity"
    if capacity_block:
        if capacity is not None:
            problem("/capacity", "give capacity once: capacity.score replaces escalation.capacity")
        capacity, capacity_pointer = capacity_block.get("score"), "/capacity/score"
    if capacity is not None and capacity > top:
        written = capacity_pointer.strip("/").replace("/", ".")
        problem(capacity_pointer, f"{written} is {capacity}, above the highest score on {where}")
    if capacity is not None and version2:  # a short-form statement stays valid as version 1 read it
        for level, (value, pointer) in both.items():
            if tolerances[level] >= capacity:
                what = "tolerance" if isinstance(value, dict) else "appetite"
                problem(
                    f"{pointer}/tolerance" if isinstance(value, dict) else pointer,
                    f"{_written(pointer, level)} {what} {tolerances[level]} is not below capacity {capacity}: "
                    "every level needs appetite <= tolerance < capacity",
                )
    delegation = _delegation(data, categories, aliases, above, version2, problem)

    approved_on, review_by = as_date(data["metadata"].get("approved_on")), as_date(data["metadata"].get("review_by"))
    if approved_on and review_by and review_by < approved_on:
        problem("/metadata/review_by", f"review_by {review_by} is before approved_on {approved_on}")

    if problems:
        raise AppetiteError(_ordered(problems))
    return AppetiteStatement(
        file=doc.file,
        data=data,
        positions=doc.positions,
        sha256=sha256,
        levels={level: value for level, (value, _) in levels.items()},
        categories=categories,
        aliases=aliases,
        impact_caps={level: value for level, (value, _) in caps.items()},
        scale=scale,
        accept_by=tuple(above.get("accept_by", ())),
        max_days=above.get("max_days"),
        capacity=capacity,
        max_risks_above_appetite=data.get("portfolio", {}).get("max_risks_above_appetite"),
        notices=tuple(sorted(notices, key=lambda n: (doc.locate(n.path), n.path))),
        default=default,
        line=doc.line,
        column=doc.column,
        tolerances=tolerances,
        version2=version2,
        capacity_by=capacity_block.get("decided_by"),
        impact_triggers={level: value for level, (value, _) in triggers.items()},
        delegation=delegation,
        explicit_delegation="delegation" in data,
        descriptors={
            axis: {int(point): words for point, words in points.items()}
            for axis, points in scale_data.get("descriptors", {}).items()
        },
        max_outside_tolerance=capacity_block.get("portfolio_max_outside_tolerance"),
        applies_to=tuple(data["metadata"].get("applies_to", ())),
    )


def _appetite_value(value: Any) -> int:
    return value["appetite"] if isinstance(value, dict) else value


def _tolerance_value(value: Any) -> int:
    """A level's tolerance; the short form ``averse: 4`` means tolerance = appetite (version 1)."""
    return value["tolerance"] if isinstance(value, dict) else value


def _delegation(data: dict[str, Any], categories, aliases, above: dict[str, Any], version2: bool, problem):
    """The delegation matrix, then ``escalation.above_appetite`` read as one catch-all entry.

    The catch-all goes ``up_to: capacity`` (8.8 item 1); in a short-form
    statement it keeps version 1's unlimited period when it gives no max_days.
    """
    entries = []
    for index, entry in enumerate(data.get("delegation", [])):
        canonical = []
        for position, name in enumerate(entry.get("categories", [])):
            target = name if name in categories else aliases.get(name)
            if target is None:
                problem(f"/delegation/{index}/categories/{position}", f"delegation names {name}, not a category of this statement")
            else:
                canonical.append(target)
        roles = tuple(item for item in entry["accept_by"] if isinstance(item, str) and item != "board")
        boards = tuple(item["board"] for item in entry["accept_by"] if isinstance(item, dict))
        entries.append(
            Delegation(index, tuple(canonical), entry["up_to"], roles, boards, "board" in entry["accept_by"],
                       entry.get("max_days", DEFAULT_MAX_DAYS))
        )
    if above.get("accept_by"):
        days = above.get("max_days", DEFAULT_MAX_DAYS if version2 else None)
        entries.append(Delegation(None, (), "capacity", tuple(above["accept_by"]), max_days=days))
    return tuple(entries)


def _levels(block: dict[str, Any], base: str, problem, notices: list[AppetiteNotice]) -> dict[str, tuple[Any, str]]:
    """Canonical level -> (value, pointer), in averse..eager order, legacy names folded in."""
    found: dict[str, tuple[int, str]] = {}
    section = base.strip("/")
    for key, value in block.items():
        pointer = f"{base}/{key}"
        canonical = LEGACY_LEVELS.get(key, key)
        if canonical != key:
            if canonical in block:
                problem(pointer, f"{section}.{key} is the legacy name of {canonical}, which is also given")
                continue
            notices.append(_legacy_notice(pointer, f"{section}.{key}", key))
        found[canonical] = (value, pointer)
    return {level: found[level] for level in LEVELS if level in found}


def _written(pointer: str, level: str) -> str:
    """``levels.minimal``, or ``levels.minimalist (minimal)`` where the legacy name was written."""
    section, key = pointer.strip("/").split("/")
    return f"{section}.{key}" if key == level else f"{section}.{key} ({level})"


def _legacy_notice(pointer: str, where: str, legacy: str) -> AppetiteNotice:
    canonical = LEGACY_LEVELS[legacy]
    return AppetiteNotice(
        pointer, f"{where} uses the legacy level name {legacy!r}, read as {canonical!r}; write {canonical!r} instead"
    )


def _ordered(problems: list[GovernError]) -> list[GovernError]:
    unique = {(p.line, p.column, p.message): p for p in problems}
    return [unique[key] for key in sorted(unique)]


def statement_from_data(data: dict[str, Any], file: str = "<appetite>") -> AppetiteStatement:
    """A statement from in-memory data (tests, plugins); positions are all (1, 1)."""
    return parse_statement(Document(file, 0, data, {"": (1, 1)}))


def load_appetite(
    path: str, display: str | None = None, default: bool = False, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> AppetiteStatement:
    """The RiskAppetite document of a file (which may hold other documents too)."""
    display = display or path
    loaded = load_file(path, display, max_size)
    if loaded.errors:
        raise AppetiteError(list(loaded.errors))
    found = [doc for doc in loaded.documents if doc.kind == "RiskAppetite"]
    if not found:
        raise AppetiteError([GovernError("holds no RiskAppetite document (`kind: RiskAppetite`)", display)])
    if len(found) > 1:
        extra = found[1]
        raise AppetiteError(
            [
                GovernError(
                    "holds more than one RiskAppetite document; give one statement per file",
                    display,
                    extra.line,
                    extra.column,
                )
            ]
        )
    return parse_statement(found[0], loaded.sha256, default)


def appetite_source(options: Any) -> tuple[str, bool]:
    """(path, is the bundled default): --appetite, else the `appetite` config key, else the default."""
    from govern.core.resources import default_appetite_path

    given = getattr(options, "appetite", None)
    if given:
        return str(given), False
    configured = (getattr(options, "config", None) or {}).get("appetite")
    if isinstance(configured, str) and configured.strip():
        return configured, False
    return str(default_appetite_path()), True


_CACHE: dict[tuple, AppetiteStatement] = {}


@dataclass(frozen=True, eq=False)
class StatementSet:
    """Per-organisation statements (docs/design/semantics.md 8.7): a folder of statements, one per body.

    A manifest is judged by the statement whose ``metadata.applies_to`` lists its
    ``metadata.department`` or ``metadata.organisation.id``, else by the one statement without
    ``applies_to`` (the folder's catch-all), else by none (an APPETITE-NONE error says so).
    """

    folder: str
    statements: tuple[AppetiteStatement, ...]

    @property
    def fallback(self) -> AppetiteStatement | None:
        return next((s for s in self.statements if not s.applies_to), None)

    @property
    def primary(self) -> AppetiteStatement:
        """The statement reports name when they name one: the catch-all, else the first in file order."""
        return self.fallback or self.statements[0]

    def for_data(self, data: Any) -> AppetiteStatement | None:
        keys = manifest_bodies(data)
        for statement in self.statements:
            if statement.applies_to and keys.intersection(statement.applies_to):
                return statement
        return self.fallback


def manifest_bodies(data: Any) -> set[str]:
    """The ids a statement's applies_to may name for a manifest: its department and organisation id."""
    meta = data.get("metadata") if isinstance(data, dict) else None
    if not isinstance(meta, dict):
        return set()
    out = {meta["department"]} if isinstance(meta.get("department"), str) else set()
    organisation = meta.get("organisation")
    if isinstance(organisation, dict) and isinstance(organisation.get("id"), str):
        out.add(organisation["id"])
    return out


def load_statement_set(folder: str, display: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> StatementSet:
    """Every RiskAppetite document of a folder's *.yaml / *.yml files (not its subfolders), in name order."""
    names = sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and not n.startswith("."))
    statements: list[AppetiteStatement] = []
    problems: list[GovernError] = []
    claimed: dict[str, AppetiteStatement] = {}
    catch_all: AppetiteStatement | None = None
    for name in names:
        path, shown = os.path.join(folder, name), f"{display.rstrip('/')}/{name}"
        if not os.path.isfile(path):
            continue
        loaded = load_file(path, shown, max_size)
        if loaded.errors:
            problems.extend(loaded.errors)
            continue
        for doc in loaded.documents:
            if doc.kind != "RiskAppetite":
                continue
            try:
                statement = parse_statement(doc, loaded.sha256, _is_bundled(path))
            except AppetiteError as exc:
                problems.extend(exc.problems)
                continue
            if not statement.applies_to:
                if catch_all is not None:
                    line, column = statement.locate("/metadata")
                    problems.append(GovernError(
                        f"invalid RiskAppetite: {catch_all.name} ({catch_all.file}) already applies to every other "
                        "body; give this statement metadata.applies_to", shown, line, column, path="/metadata"))
                    continue
                catch_all = statement
            for position, body in enumerate(statement.applies_to):
                if body in claimed:
                    line, column = statement.locate(f"/metadata/applies_to/{position}")
                    problems.append(GovernError(
                        f"invalid RiskAppetite: {body} is also in applies_to of {claimed[body].name} "
                        f"({claimed[body].file}): one statement per body", shown, line, column,
                        path=f"/metadata/applies_to/{position}"))
                claimed.setdefault(body, statement)
            statements.append(statement)
    if problems:
        raise AppetiteError(_ordered(problems))
    if not statements:
        raise AppetiteError([GovernError("holds no RiskAppetite document (`kind: RiskAppetite`) in its *.yaml files",
                                         display)])
    return StatementSet(display, tuple(statements))


def appetite_set(options: Any) -> StatementSet | None:
    """The run's per-organisation statements when --appetite (or configuration) names a folder, else None."""
    from govern.core.paths import display_path

    path, default = appetite_source(options)
    if default or not os.path.isdir(path):
        return None
    max_size = getattr(options, "max_file_size", DEFAULT_MAX_FILE_SIZE) or DEFAULT_MAX_FILE_SIZE
    return load_statement_set(path, display_path(path), max_size)


def unmatched(doc: Any, found: StatementSet) -> Any:
    """APPETITE-NONE: no statement of the folder applies to this manifest, so its risks are not judged."""
    from govern.core.engine import initiative_id, notice

    bodies = ", ".join(sorted(manifest_bodies(doc.data))) or "no metadata.department or metadata.organisation.id"
    line, column = doc.locate("/metadata")
    return notice(NONE_NOTICE, f"no statement in {found.folder} applies to this initiative ({bodies}) and none "
                  "applies to every other body, so its risks are not judged: add it to a statement's "
                  "metadata.applies_to, or give one statement no applies_to", doc.file, line, column, "/metadata",
                  initiative_id(doc.data))


def context_for(ctx: Any, data: Any) -> Any:
    """The context one manifest is judged in: with a statement set, the statement that applies to it."""
    found = getattr(ctx, "appetites", None)
    if found is None:
        return ctx
    import dataclasses

    return dataclasses.replace(ctx, appetite=found.for_data(data))


def _is_bundled(path: str) -> bool:
    """Whether ``path`` is the bundled example statement itself (not a copy of it)."""
    from govern.core.resources import default_appetite_path

    try:
        return os.path.samefile(path, default_appetite_path())
    except OSError:
        return False


def appetite_for(options: Any, path: str | None = None) -> AppetiteStatement:
    """The statement a run uses (read once per file version, however many contexts ask)."""
    from govern.core.paths import display_path

    if path is None:
        path, default = appetite_source(options)
    else:
        default = False
    if not default and os.path.isdir(path):  # per-organisation statements: reports name the catch-all
        max_size = getattr(options, "max_file_size", DEFAULT_MAX_FILE_SIZE) or DEFAULT_MAX_FILE_SIZE
        return load_statement_set(path, display_path(path), max_size).primary
    max_size = getattr(options, "max_file_size", DEFAULT_MAX_FILE_SIZE) or DEFAULT_MAX_FILE_SIZE
    # Findings name the file as given (a path an editor can open: `file:line:col` has no other colon);
    # the board paper names it "govern's bundled default-appetite.yaml" (govern.report.board.plain_file),
    # and provenance builtin:default-appetite.yaml. Named by its path, it is still the example.
    display = display_path(path)
    default = default or _is_bundled(path)
    try:
        info = os.stat(path)
        key = (os.path.realpath(path), info.st_mtime_ns, info.st_size, display, default, max_size)
    except OSError:
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    statement = load_appetite(path, display, default, max_size)
    if key is not None:
        _CACHE[key] = statement
    return statement


# -- what a run reports about the statement ---------------------------------------------


def notice_findings(statement: AppetiteStatement | None) -> list[Any]:
    """The statement's notices (legacy level names) as findings located in the statement."""
    from govern.core.engine import notice
    from govern.core.model import Accountable

    if statement is None:
        return []
    findings = []
    for item in statement.notices:
        line, column = statement.locate(item.path)
        findings.append(
            notice(
                LEGACY_NOTICE,
                item.message,
                statement.file,
                line,
                column,
                item.path,
                None,
                item.severity,
                Accountable(APPROVER_ROLE, statement.approved_by),
            )
        )
    return findings


def run_notices(statement: AppetiteStatement | None) -> list[dict[str, str]]:
    """What a run says once about its statement, not per manifest: the bundled example was used (8.7).

    A run notice, not a finding: no board owns it, it never changes the exit code, and it is said
    once (text: on standard error; JSON: ``notices``; SARIF: the run's properties and notifications).
    """
    if statement is None or not statement.default:
        return []
    return [{
        "rule": DEFAULT_NOTICE,
        "severity": "info",
        "message": (
            f"the bundled example statement {statement.name or EXAMPLE_NAME} judged the risks: its thresholds are "
            "govern's examples, approved by no board; give your board's statement with --appetite FILE "
            "or the `appetite` configuration key"
        ),
    }]


def currency(statement: AppetiteStatement, as_of: dt.date, months: int = 12) -> tuple[bool, str]:
    """Whether the statement is current at ``as_of`` (RISK-009), and why in words."""
    from govern.core.checks import add_months

    if statement.default:
        return True, "the bundled example statement does not expire: it is an example, approved by no board"
    approved, review = statement.approved_on, statement.review_by
    fresh = approved is not None and add_months(approved, months) >= as_of
    reviewed = review is not None and review >= as_of
    facts = []
    if approved is not None:
        facts.append(
            f"approved on {approved.isoformat()}"
            + ("" if fresh else f", more than {months} months before {as_of.isoformat()}")
        )
    else:
        facts.append("no approval date (metadata.approved_on)")
    if review is not None:
        facts.append(
            f"review by {review.isoformat()}" + ("" if reviewed else f", which has passed at {as_of.isoformat()}")
        )
    else:
        facts.append("no review date (metadata.review_by)")
    return fresh or reviewed, "; ".join(facts)


def summary_lines(statement: AppetiteStatement) -> list[str]:
    """The statement in a few lines: used by `govern explain` and `govern appetite`."""
    meta = []
    if statement.approved_by or statement.approved_on:
        who = f" by {statement.approved_by}" if statement.approved_by else ""
        when = f" on {statement.approved_on.isoformat()}" if statement.approved_on else ""
        meta.append(f"approved{who}{when}")
    if statement.review_by:
        meta.append(f"review by {statement.review_by.isoformat()}")
    lines = [
        f"statement: {statement.name} ({statement.file})" + (" - the bundled example" if statement.default else ""),
        f"  {', '.join(meta) or 'no approval recorded'}",
        f"  scale: {statement.scale[0]} x {statement.scale[1]} (score = likelihood x impact, 1-{statement.max_score})",
        "  highest residual score within appetite: "
        + ", ".join(f"{level} {value}" for level, value in statement.levels.items()),
    ]
    if statement.impact_caps:
        lines.append("  impact caps: " + ", ".join(f"{level} {cap}" for level, cap in statement.impact_caps.items()))
    if statement.capacity is not None and statement.capacity_by:
        lines.append(f"  capacity: a residual score of {statement.capacity} or more is tolerated only by a "
                     f"recorded decision of {statement.capacity_by}")
    elif statement.capacity is not None:
        lines.append(f"  capacity: a residual score of {statement.capacity} or more can never be accepted")
    if statement.version2:
        lines.append("  highest residual score within tolerance: "
                     + ", ".join(f"{level} {statement.tolerance_of(level)}" for level in statement.levels))
    if statement.explicit_delegation:
        lines.append("  who may accept what: " + "; ".join(entry.describe() for entry in statement.delegation))
    elif statement.accept_by:
        limit = f" for at most {statement.max_days} days" if statement.max_days else ""
        lines.append(f"  breaches may be accepted by: {', '.join(statement.accept_by)}{limit}")
    else:
        lines.append("  breaches may be accepted by: nobody (no escalation.above_appetite.accept_by)")
    if statement.max_risks_above_appetite is not None:
        lines.append(f"  portfolio limit: {statement.max_risks_above_appetite} unaccepted risks above appetite")
    return lines


def explain_text(options: Any) -> str:
    """What `govern explain` adds for a risk rule: the statement and thresholds in use."""
    statement = appetite_for(options)
    lines = ["Appetite statement used:", *("  " + line for line in summary_lines(statement))]
    by_category = ", ".join(
        f"{name} {level} ({statement.levels[level]})" for name, level in sorted(statement.categories.items())
    )
    lines.append(f"    categories: {by_category}")
    if statement.aliases:
        lines.append("    aliases: " + ", ".join(f"{a} -> {t}" for a, t in sorted(statement.aliases.items())))
    if statement.default:
        lines.append(
            "  These numbers are govern defaults, not HM Treasury figures: HM Treasury's Risk Appetite "
            "Guidance Note names the levels but sets no scores. Give your board's statement with "
            "--appetite FILE or the `appetite` configuration key."
        )
    else:
        lines.append(
            "  These numbers are the statement's own, not HM Treasury figures: HM Treasury's Risk Appetite "
            "Guidance Note names the levels but sets no scores."
        )
    import textwrap

    wrapped = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()))
        wrapped.append(textwrap.fill(line, 78, subsequent_indent=indent + "  ", break_on_hyphens=False))
    return "\n".join(wrapped)
