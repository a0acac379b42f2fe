"""The board's view of a run: compliance, accountability and risk-appetite tables.

``build_portfolio(report, as_of, compare=None)`` turns a ``govern.run.runner.Report``
of ``govern portfolio`` into a ``Portfolio``: plain data that every portfolio
reporter (table, markdown, html, json, csv) renders, so the formats can never
disagree about a count. Nothing here reads files, prints or reads the clock.

Every finding of the run is counted exactly once in the compliance table: in
its initiative's row (matched by file and ``metadata.id``), or in the portfolio
row for findings that concern no initiative (RISK-009/010, input errors).
Waived findings are counted as waived, never as errors or warnings. The
accountability table (``govern.report.accountability``) attributes the same findings
once each, and the comparison (``govern.report.comparison``) matches them against a
previous report.

Over 400 lines (about 440) on purpose: the dataclasses every portfolio reporter reads and the one
``build_portfolio`` that fills them; a count's meaning is read in one file, beside the code that
counts it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from govern.report.accountability import (DEFAULT_SRO_LIMIT, Concentration, PersonRow, accountability_rows,
                                          answers_for_nothing, concentration, vacancy_reported, vacant_roles)
from govern.report.comparison import Comparison, compare_findings
from govern.report.direction import Direction, direction
from govern.report.decisions import DEFAULT_WINDOW_DAYS, Decision, DecisionCollector
from govern.report.views import BenefitRow, ToolRow, benefit_rows, measure_profile, tool_profile, tool_rows
from govern.core.model import DOMAINS, PHASES, ROLES, Counts, Finding

GROUP_BY = ("department", "phase")
GRID = 5  # the heatmaps are 5 x 5: likelihood rows 5..1, impact columns 1..5


# -- the model --------------------------------------------------------------------


@dataclass(slots=True)
class InitiativeRow:
    """One row of the compliance table: a manifest and its counts per domain."""

    id: str | None
    name: str | None
    department: str | None
    phase: str | None
    file: str
    document: int
    line: int
    anchor: str
    domains: dict[str, Counts]
    findings: list[Finding] = field(default_factory=list)
    risks: list[dict[str, Any]] = field(default_factory=list)  # from the manifest's profile
    statement: str | None = None  # per-organisation statements: the one that judged this initiative
    # rule id -> why it does not bind this body (organisation type, nation, regime): docs/design/semantics.md 8.1
    not_applicable: dict[str, str] = field(default_factory=dict)
    # rule id -> "assumed scope" or "adopted, not binding", for rules whose findings here bind only so
    scoped: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.domains.values():
            total.merge(counts)
        return total

    @property
    def label(self) -> str:
        """The ID, else where the manifest starts (``file:line``), else the row's name: never "document N"."""
        return self.id or (f"{self.file}:{self.line}" if self.file else self.name or "portfolio")


@dataclass(slots=True)
class CategoryRow:
    """One row of the risk-appetite table: a category of the statement and its risks."""

    category: str | None  # None: risks whose category is not in the statement (RISK-001)
    aliases: list[str]
    level: str | None
    threshold: int | None
    impact_cap: int | None
    risks: int = 0
    above: int = 0
    accepted: int = 0
    unaccepted: int = 0
    highest_residual: int | None = None
    initiatives: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Heatmap:
    """Risks counted on the 5 x 5 grid of likelihood and impact."""

    kind: str  # residual or inherent
    cells: list[list[int]]  # cells[row][column]: row 0 is likelihood 5, column 0 is impact 1
    unplaced: int = 0  # risks without a rating on the 5 x 5 grid

    def count(self, likelihood: int, impact: int) -> int:
        return self.cells[GRID - likelihood][impact - 1]

    @property
    def placed(self) -> int:
        return sum(map(sum, self.cells))


@dataclass(slots=True)
class ZoneMap:
    """One category's 5 x 5 grid coloured by the statement's zones, with its residual risks counted."""

    category: str
    level: str
    appetite: int
    tolerance: int
    capacity: int | None
    zones: list[list[str]]  # zones[row][column]: row 0 is likelihood 5, column 0 is impact 1
    cells: list[list[int]]  # residual risks of the category in each cell

    def zone(self, likelihood: int, impact: int) -> str:
        return self.zones[GRID - likelihood][impact - 1]

    def count(self, likelihood: int, impact: int) -> int:
        return self.cells[GRID - likelihood][impact - 1]


@dataclass(slots=True)
class Portfolio:
    """The board's view of a run, plain data that every portfolio format renders."""

    version: str
    as_of: dt.date
    group_by: str | None
    domains: list[str]
    checked: dict[str, bool]
    rows: list[InitiativeRow]
    portfolio_row: InitiativeRow | None
    totals: dict[str, Counts]
    groups: list[tuple[str, list[InitiativeRow], dict[str, Counts]]]
    people: list[PersonRow]
    categories: list[CategoryRow]
    heatmaps: tuple[Heatmap, Heatmap]
    notices: list[Finding]
    findings: list[Finding]
    appetite: dict[str, Any] | None
    statutory: dict[str, list[Any]]  # rule id -> references, for rules that are not waivable
    titles: dict[str, str]
    comparison: Comparison | None = None
    board_reserved: set[str] = field(default_factory=set)  # of the statutory ids, rules only a board may tolerate (RISK-008)
    decisions: list[Decision] = field(default_factory=list)  # "Decisions for the board", in the section's order
    decision_window: int = DEFAULT_WINDOW_DAYS
    vacant: dict[str, list[str]] = field(default_factory=dict)  # initiative -> roles nobody holds that own findings
    concentration: list[Concentration] = field(default_factory=list)
    sro_limit: int = DEFAULT_SRO_LIMIT
    risks: list[dict[str, Any]] = field(default_factory=list)  # every scored-or-not risk, with its initiative
    direction: Direction | None = None  # with --compare: each initiative's and risk's movement
    history: list[Any] | None = None  # with --history: govern.report.history.Point per meeting, this one last
    overrides: list[dict[str, Any]] = field(default_factory=list)  # severities the configuration changed
    rule_titles: dict[str, str] = field(default_factory=dict)  # every rule of the run: the not-applicable lists name them
    benefits: list[BenefitRow] = field(default_factory=list)  # the "Benefits" view: a row per measure
    tools: list[ToolRow] = field(default_factory=list)  # the "AI and algorithms" view: a row per algorithmic tool
    not_run: list[dict[str, Any]] = field(default_factory=list)  # rules --only/--skip left out of this run
    board_decisions: list[dict[str, Any]] = field(default_factory=list)  # every escalation.decision on record
    zone_maps: list[ZoneMap] = field(default_factory=list)  # per category with risks, coloured by the statement
    profiles: Any = None  # ((file, document), profile) pairs, read again by fill_details
    lookup: Any = None  # finding -> its InitiativeRow or None

    def fill_details(self) -> None:
        """Each row's findings and risks, for a format that lists them per initiative.

        Reads the findings and profiles again; only the HTML board pack needs this,
        and a page that lists every finding holds them anyway.
        """
        if self.lookup is None:
            return
        rows = {(row.file, row.document): row for row in self.rows}
        for row in self.rows:
            row.findings, row.risks = [], []
        for key, profile in self.profiles or ():
            if key in rows:
                rows[key].risks = list(profile.get("risks", []))
        for finding in self.findings:
            row = self.lookup(finding)
            if row is not None:
                row.findings.append(finding)
        self.lookup = None

    @property
    def answering(self) -> list[PersonRow]:
        """The accountability rows the pack shows: people with something to answer for, and vacant roles."""
        return [row for row in self.people if not answers_for_nothing(row)]

    @property
    def quiet(self) -> list[PersonRow]:
        """People with nothing to answer for, folded into one line."""
        return [row for row in self.people if answers_for_nothing(row)]

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.totals.values():
            total.merge(counts)
        return total

    def summary(self) -> dict[str, int]:
        total = self.total
        statuses = Counter(row.total.status() for row in self.rows)
        scored = [c for c in self.categories if c.category is not None]
        return {
            "manifests": len(self.rows), "errors": total.errors, "warnings": total.warnings, "info": total.info,
            "waived": total.waived, "failing": statuses["FAIL"], "warning": statuses["WARN"],
            "passing": statuses["PASS"] + statuses["NOTE"], "risks": self.heatmaps[0].placed + self.heatmaps[0].unplaced,
            "above_appetite": sum(c.above for c in scored), "accepted": sum(c.accepted for c in scored),
            "unaccepted": sum(c.unaccepted for c in scored), "notices": len(self.notices),
        }


# -- what run_check keeps of each manifest ---------------------------------------------


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _point(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= GRID else None


def _rating(value: Any) -> tuple[int, int] | None:
    if not isinstance(value, dict):
        return None
    likelihood, impact = _point(value.get("likelihood")), _point(value.get("impact"))
    return (likelihood, impact) if likelihood and impact else None


def manifest_profile(doc: Any, ctx: Any) -> dict[str, Any]:
    """The few fields of a manifest the board pack needs: people and scored risks, not the document."""
    data = doc.data if isinstance(doc.data, dict) else {}
    accountability = data.get("accountability") if isinstance(data.get("accountability"), dict) else {}
    people = []
    for role in ROLES:
        holder = accountability.get(role)
        name = _text(holder.get("name")) if isinstance(holder, dict) else None
        if name:
            people.append((role, name))
    assessments = {}
    appetite = getattr(ctx, "appetite", None)
    if appetite is not None:
        from govern.risk.functions import assess_risks

        assessments = {a.index: a for a in assess_risks(data, appetite, ctx.as_of)}
    risks = []
    for index, risk in enumerate(data.get("risks") if isinstance(data.get("risks"), list) else []):
        if not isinstance(risk, dict):
            continue
        owner = risk.get("owner")
        a = assessments.get(index)
        acceptance = getattr(a, "acceptance", None)
        live_end = acceptance.end if acceptance is not None and acceptance.counts and a.breach else None
        risks.append({
            "index": index,
            "id": _text(risk.get("id")),
            "title": _text(risk.get("title")),
            "owner": _text(owner.get("name")) if isinstance(owner, dict) else None,
            "category": risk.get("category") if isinstance(risk.get("category"), str) else None,
            "canonical": getattr(a, "canonical", None),
            "inherent": _rating(risk.get("inherent")),
            "residual": _rating(risk.get("residual")),
            "score": a.score if a is not None else None,
            "breach": bool(a is not None and a.breach),
            "accepted": bool(a is not None and a.accepted),
            "acceptance_end": live_end,
            "line": doc.locate(f"/risks/{index}")[0],
            "zone": getattr(a, "zone", None),
            "decision": _decision_record(risk, a, ctx.as_of, doc.locate(f"/risks/{index}/escalation/decision")[0]),
        })
    return {"people": people, "risks": risks, "accountability": doc.locate("/accountability"),
            "measures": measure_profile(data), "tools": tool_profile(data)}


def _decision_record(risk: dict[str, Any], a: Any, as_of: dt.date, line: int) -> dict[str, Any] | None:
    """A board decision recorded on a risk (``escalation.decision``), as the board pack lists it.

    Its status: ``in force`` (dated on or before as_of and not lapsed), ``lapsed``, ``not yet``
    (dated after as_of), or ``does not count`` (a decision the zone's rule refused, e.g. the wrong
    board: RISK-011 says why). A decision without ``expires`` lapses 365 days after its date.
    """
    from govern.core.checks import as_date
    from govern.risk.functions import DECISION_DAYS

    escalation = risk.get("escalation")
    decision = escalation.get("decision") if isinstance(escalation, dict) else None
    if not isinstance(decision, dict):
        return None
    day, expires = as_date(decision.get("date")), as_date(decision.get("expires"))
    end = expires or (day + dt.timedelta(days=DECISION_DAYS) if day else None)
    judged = getattr(a, "decision", None)
    if day is None or not _text(decision.get("board")) or not _text(decision.get("minute")):
        status = "does not count"
    elif day > as_of:
        status = "not yet"
    elif end is not None and as_of > end:
        status = "lapsed"
    elif judged is not None and not judged.counts:
        status = "does not count"
    else:
        status = "in force"
    return {
        "board": _text(decision.get("board")), "minute": _text(decision.get("minute")),
        "date": _iso(day), "lapses": _iso(end), "status": status,
        "why": ("; ".join(judged.reasons) if judged is not None and not judged.counts else
                "it needs a board, a minute and a date") if status == "does not count" else None,
        "line": line,
    }


# -- building the portfolio ------------------------------------------------------------


SCOPE_MARKS = {"assumed": "assumed scope", "adopted": "adopted, not binding"}  # Finding.scope_basis in words


class _NoFindings(Counts):
    """The count of a compliance cell without findings, shared by every such cell (10,000 initiatives would
    otherwise hold 160,000 empty counts): never changed, so adding to it is a bug that must not go unseen."""

    __slots__ = ()

    def add(self, finding: Finding) -> None:
        raise TypeError("NO_FINDINGS is shared: give the cell its own Counts before adding to it")

    def merge(self, other: Counts) -> None:
        raise TypeError("NO_FINDINGS is shared: give the cell its own Counts before merging into it")


NO_FINDINGS = _NoFindings()


def build_portfolio(report: Any, as_of: dt.date, compare: dict[str, Any] | None = None,
                    group_by: str | None = None, compare_file: str = "",
                    decision_window: int = DEFAULT_WINDOW_DAYS, sro_limit: int = DEFAULT_SRO_LIMIT) -> Portfolio:
    """The board's tables, from one pass over the run's findings (which may be a stream).

    Rows keep counts, not findings: ``Portfolio.fill_details`` reads the findings
    and risks again for the one format that shows them per initiative (HTML).
    """
    rules = {rule.id: rule for rule in report.rules}
    profiles = _pairs(getattr(report, "profiles", None))
    rows, lookup = _rows(report.manifests, profiles)
    portfolio_row = InitiativeRow(None, "Portfolio-level and input findings", None, None, "", 0, 1,
                                  _anchor("portfolio", {row.anchor for row in rows}), {d: Counts() for d in DOMAINS})
    seen_domains: set[str] = set()
    titles: dict[str, str] = {}
    statutory_ids: set[str] = set()
    asks = DecisionCollector(as_of, decision_window)
    vacancies: set[tuple[str, str]] = set()  # (initiative, role) GOV-001..004 and RISK-004 say nobody holds

    def counted(findings):
        for finding in findings:  # each finding once: into its row, the titles and the statutory list
            row = lookup(finding) or portfolio_row
            domain = finding.domain
            if domain not in row.domains:
                row.domains[domain] = Counts()
            row.domains[domain].add(finding)
            if finding.scope_basis != "binding":
                row.scoped[finding.rule] = SCOPE_MARKS.get(finding.scope_basis, finding.scope_basis)
            if row is portfolio_row:
                portfolio_row.findings.append(finding)  # few: run-level notices and input errors
            seen_domains.add(domain)
            titles[finding.rule] = finding.title
            # Non-waivable covers the error-level breach only (docs/design/semantics.md 8.9 item 7); a
            # board-reserved rule is the board's to tolerate, never called a statutory duty (8.6).
            rule = rules.get(finding.rule)
            protected = rule is not None and not rule.waivable and finding.severity == "error"
            if protected:  # the basis column names both kinds, each in its own words
                statutory_ids.add(finding.rule)
            asks.see(finding, protected and rule.waiver_policy != "board-reserved")  # RISK-008 is a decision, not a statutory gap
            if (vacancy := vacancy_reported(finding)) is not None:
                vacancies.add(vacancy)
            yield finding

    index = {(row.file, row.document): {"initiative": row.id, "file": row.file, "line": row.line} for row in rows}
    people, notices = accountability_rows(counted(report.findings), index, profiles, as_of)
    extra = sorted({d for d in seen_domains if d not in DOMAINS} | {r.domain for r in report.rules if r.domain not in DOMAINS})
    domains = [*DOMAINS, *extra]
    ruled = {rule.domain for rule in report.rules}
    checked = {d: d in ruled or d in seen_domains for d in domains}
    has_portfolio_row = bool(portfolio_row.findings)
    for row in [*rows, portfolio_row]:  # most cells of a large portfolio are empty: they share one, read-only
        row.domains = {d: row.domains.get(d) or NO_FINDINGS for d in domains}
    totals = {d: Counts() for d in domains}
    for row in [*rows, *([portfolio_row] if has_portfolio_row else [])]:
        for d, counts in row.domains.items():
            totals[d].merge(counts)
    rows.sort(key=lambda r: (-r.total.errors, -r.total.warnings, r.id is None, r.id or "", r.file, r.document))
    groups = _groups(rows, domains, group_by)
    if groups:
        rows = [row for _, members, _ in groups for row in members]

    appetite = getattr(report, "appetite", None)
    categories = _categories(appetite, index, profiles)
    heatmaps = _heatmaps(profiles)
    statutory = {rid: list(rules[rid].references) for rid in sorted(statutory_ids)}
    board_reserved = {rid for rid in statutory_ids if rules[rid].waiver_policy == "board-reserved"}
    portfolio = Portfolio(
        version=report.version, as_of=as_of, group_by=group_by, domains=domains, checked=checked, rows=rows,
        portfolio_row=portfolio_row if has_portfolio_row else None, totals=totals, groups=groups, people=people,
        categories=categories, heatmaps=heatmaps, notices=notices, findings=report.findings,
        appetite=_appetite_info(appetite), statutory=statutory, titles=titles, board_reserved=board_reserved,
    )
    portfolio.profiles, portfolio.lookup = profiles, lookup
    portfolio.rule_titles = {rule.id: rule.title for rule in report.rules}
    portfolio.decisions, portfolio.decision_window = asks.finish(profiles, index), decision_window
    portfolio.vacant, portfolio.sro_limit = vacant_roles(people, sorted(vacancies)), sro_limit
    portfolio.concentration = concentration(profiles, index, sro_limit)
    portfolio.overrides = list(getattr(report, "overrides", None) or [])
    portfolio.not_run = list(getattr(report, "not_run", None) or [])
    portfolio.risks = _risk_list(profiles, index)
    portfolio.benefits = benefit_rows(profiles, index, as_of)
    portfolio.tools = tool_rows(profiles, index)
    portfolio.board_decisions = _board_decisions(profiles, index)
    portfolio.zone_maps = _zone_maps(appetite, profiles)
    if compare is not None:
        portfolio.comparison = compare_findings(report.findings, compare, compare_file)
        portfolio.direction = direction(rows, portfolio.risks, compare)
    return portfolio


class _RiskList:
    """Every risk of the portfolio with its initiative, in file order (the top 10, the movements and the JSON
    report read it), made afresh from the profiles each time it is read: a run keeps its profiles on disk
    (``govern.run.spool``), so 30,000 risks are never held as well."""

    def __init__(self, profiles: Any, manifests: dict) -> None:
        self.profiles, self.manifests = profiles, manifests
        self._count: int | None = None

    def __iter__(self):
        manifests = self.manifests
        count = 0
        for key, profile in self.profiles:
            manifest = manifests.get(key) or {}
            for risk in profile["risks"]:
                count += 1
                yield {
                    "initiative": manifest.get("initiative"), "index": risk["index"], "id": risk["id"],
                    "title": risk["title"], "category": risk["category"], "score": risk["score"],
                    "breach": risk["breach"], "accepted": risk["accepted"], "owner": risk["owner"],
                    "file": manifest.get("file", key[0]), "line": risk.get("line") or manifest.get("line", 1),
                }
        self._count = count

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(len(profile["risks"]) for _, profile in self.profiles)
        return self._count

    def __bool__(self) -> bool:
        return len(self) > 0


def _risk_list(profiles: Any, manifests: dict) -> _RiskList:
    return _RiskList(profiles, manifests)


def _pairs(profiles: Any) -> Any:
    """((file, document), profile) pairs in file order: a Spool as run_check keeps them, or a dict."""
    if not profiles:
        return []
    return sorted(profiles.items()) if isinstance(profiles, dict) else profiles


def _anchor(text: str, used: set[str]) -> str:
    base = "initiative-" + "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text).strip("-").lower()
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def _rows(manifests: Any, profiles: Any):
    """A compliance row per manifest, and ``lookup(finding)``: the row a finding belongs to, or None."""
    used: set[str] = set()
    rows: list[InitiativeRow] = []
    by_file: dict[tuple[str, str | None], list[InitiativeRow]] = {}
    by_id: dict[str, InitiativeRow] = {}
    for m in manifests:  # read once, each manifest's outcomes dropped as soon as it is read
        rows.append(InitiativeRow(m.get("initiative"), m.get("name"), m.get("department"), m.get("phase"), m["file"],
                                  m["document"], m.get("line", 1), "", {},  # a domain's Counts made at its first finding
                                  statement=(m["appetite"] or "(none applies)") if "appetite" in m else None,
                                  not_applicable=dict(m.get("not_applicable") or {})))
    rows.sort(key=lambda row: (row.file, row.document))
    for row in rows:
        row.anchor = _anchor(row.id or f"{row.file}-{row.document + 1}", used)
        by_file.setdefault((row.file, row.id), []).append(row)
        if row.id is not None:
            by_id.setdefault(row.id, row)

    def lookup(finding: Finding) -> InitiativeRow | None:
        candidates = by_file.get((finding.file, finding.initiative))
        if candidates:
            if len(candidates) == 1:
                return candidates[0]
            before = [row for row in candidates if row.line <= finding.line]
            return before[-1] if before else candidates[0]
        return by_id.get(finding.initiative) if finding.initiative is not None else None

    return rows, lookup


def _groups(rows: list[InitiativeRow], domains: list[str], group_by: str | None):
    if group_by not in GROUP_BY:
        return []
    order = {p: i for i, p in enumerate((*PHASES, "retired"))}

    def key(value: str | None) -> tuple:
        if group_by == "phase":
            return (value is None, order.get(value, len(order)), value or "")
        return (value is None, value or "")

    members: dict[str | None, list[InitiativeRow]] = {}
    for row in rows:  # already worst first, so each group stays worst first
        members.setdefault(getattr(row, group_by), []).append(row)
    groups = []
    for value in sorted(members, key=key):
        subtotal = {d: Counts() for d in domains}
        for row in members[value]:
            for d, counts in row.domains.items():
                subtotal[d].merge(counts)
        groups.append((value if value is not None else f"(no {group_by})", members[value], subtotal))
    return groups


def _board_decisions(profiles: Any, manifests: dict) -> list[dict[str, Any]]:
    """Every board decision recorded on a risk, in file order: what it accepted and when it lapses."""
    out = []
    for key, profile in profiles:
        manifest = manifests.get(key) or {}
        for risk in profile["risks"]:
            decision = risk.get("decision")
            if not decision:
                continue
            out.append({
                "initiative": manifest.get("initiative"), "risk": risk["id"], "title": risk["title"],
                "category": risk["canonical"] or risk["category"], "zone": risk.get("zone"), "score": risk["score"],
                **{k: decision[k] for k in ("board", "minute", "date", "lapses", "status", "why")},
                "file": manifest.get("file", key[0]), "line": decision.get("line") or risk.get("line"),
            })
    return out


# -- risk appetite ------------------------------------------------------------------------


def _zone_maps(appetite: Any, profiles: Any) -> list[ZoneMap]:
    """Small multiples: one zone-coloured grid per category that has risks, in the statement's order."""
    if appetite is None or tuple(getattr(appetite, "scale", (0, 0))) != (GRID, GRID) or not hasattr(appetite, "zone"):
        return []
    counts: dict[str, list[list[int]]] = {}
    for _, profile in profiles:
        for risk in profile["risks"]:
            if not risk["canonical"]:
                continue
            grid = counts.setdefault(risk["canonical"], [[0] * GRID for _ in range(GRID)])
            if risk["residual"] is not None:
                likelihood, impact = risk["residual"]
                grid[GRID - likelihood][impact - 1] += 1
    out = []
    for category, level in appetite.categories.items():
        if category not in counts:
            continue
        zones = [[appetite.zone(level, (GRID - row) * (column + 1)) for column in range(GRID)] for row in range(GRID)]
        out.append(ZoneMap(category, level, appetite.levels[level], appetite.tolerance_of(level), appetite.capacity,
                           zones, counts[category]))
    return out


def _appetite_info(appetite: Any) -> dict[str, Any] | None:
    if appetite is None:
        return None
    return {
        "name": getattr(appetite, "name", "") or None,
        "file": getattr(appetite, "file", None),
        "approved_by": getattr(appetite, "approved_by", None),
        "approved_on": _iso(getattr(appetite, "approved_on", None)),
        "review_by": _iso(getattr(appetite, "review_by", None)),
        "default": bool(getattr(appetite, "default", False)),
        "max_risks_above_appetite": getattr(appetite, "max_risks_above_appetite", None),
        "capacity": getattr(appetite, "capacity", None),
        "version2": bool(getattr(appetite, "version2", False)),
        "capacity_decided_by": getattr(appetite, "capacity_by", None),
    }


def _iso(day: Any) -> str | None:
    return day.isoformat() if isinstance(day, dt.date) else None


def _categories(appetite: Any, manifests, profiles) -> list[CategoryRow]:
    if appetite is None:
        return []
    rows = {
        name: CategoryRow(name, appetite.aliases_of(name), level, appetite.levels.get(level), appetite.impact_caps.get(level))
        for name, level in appetite.categories.items()
    }
    unknown = CategoryRow(None, [], None, None, None)
    held: dict[int, set[str]] = {}  # id(row) -> its initiatives, for membership without a list scan
    for (file, document), profile in profiles:
        initiative = (manifests.get((file, document)) or {}).get("initiative") or f"{file}-{document + 1}"
        for risk in profile["risks"]:
            row = rows.get(risk["canonical"]) if risk["canonical"] else None
            row = row or unknown
            row.risks += 1
            seen = held.setdefault(id(row), set())
            if initiative not in seen:
                seen.add(initiative)
                row.initiatives.append(initiative)
            if row is unknown:
                continue
            if risk["breach"]:
                row.above += 1
                row.accepted += risk["accepted"]
                row.unaccepted += not risk["accepted"]
            if risk["score"] is not None and (row.highest_residual is None or risk["score"] > row.highest_residual):
                row.highest_residual = risk["score"]
    out = sorted(rows.values(), key=lambda r: (-r.unaccepted, -r.above, -(r.highest_residual or 0), -r.risks, r.category))
    for row in out:
        row.initiatives.sort()
    if unknown.risks:
        unknown.initiatives.sort()
        out.append(unknown)
    return out


def _heatmaps(profiles) -> tuple[Heatmap, Heatmap]:
    maps = []
    for kind in ("residual", "inherent"):
        heat = Heatmap(kind, [[0] * GRID for _ in range(GRID)])
        for _, profile in profiles:
            for risk in profile["risks"]:
                rating = risk[kind]
                if rating is None:
                    heat.unplaced += 1
                else:
                    heat.cells[GRID - rating[0]][rating[1] - 1] += 1
        maps.append(heat)
    return maps[0], maps[1]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def portfolio_of(report: Any) -> Portfolio:
    """The portfolio a reporter renders: the one the CLI built, else one built from the report now."""
    built = getattr(report, "portfolio", None)
    if built is None:
        built = build_portfolio(report, report.as_of)
        if hasattr(report, "portfolio"):
            report.portfolio = built
    return built
