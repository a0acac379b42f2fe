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
                                          answers_for_nothing, concentration, vacancy_role, vacant_roles)
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
    benefits: list[BenefitRow] = field(default_factory=list)  # the "Benefits" view: a row per measure
    tools: list[ToolRow] = field(default_factory=list)  # the "AI and algorithms" view: a row per algorithmic tool
    not_run: list[dict[str, Any]] = field(default_factory=list)  # rules --only/--skip left out of this run
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
        })
    return {"people": people, "risks": risks, "accountability": doc.locate("/accountability"),
            "measures": measure_profile(data), "tools": tool_profile(data)}


# -- building the portfolio ------------------------------------------------------------


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
    vacancy_findings: list[Finding] = []  # few: GOV-001..004 and RISK-004, naming the roles nobody holds

    def counted(findings):
        for finding in findings:  # each finding once: into its row, the titles and the statutory list
            row = lookup(finding) or portfolio_row
            domain = finding.domain
            if domain not in row.domains:
                row.domains[domain] = Counts()
            row.domains[domain].add(finding)
            if row is portfolio_row:
                portfolio_row.findings.append(finding)  # few: run-level notices and input errors
            seen_domains.add(domain)
            titles[finding.rule] = finding.title
            # Non-waivable covers the error-level breach only (docs/design/semantics.md 8.9 item 7); a
            # board-reserved rule is the board's to tolerate, never called a statutory duty (8.6).
            rule = rules.get(finding.rule)
            protected = rule is not None and not rule.waivable and finding.severity == "error"
            if protected:
                statutory_ids.add(finding.rule)
            asks.see(finding, protected and rule.waiver_policy != "board-reserved")
            if vacancy_role(finding):
                vacancy_findings.append(finding)
            yield finding

    index = {(row.file, row.document): {"initiative": row.id, "file": row.file, "line": row.line} for row in rows}
    people, notices = accountability_rows(counted(report.findings), index, profiles, as_of)
    extra = sorted({d for d in seen_domains if d not in DOMAINS} | {r.domain for r in report.rules if r.domain not in DOMAINS})
    domains = [*DOMAINS, *extra]
    ruled = {rule.domain for rule in report.rules}
    checked = {d: d in ruled or d in seen_domains for d in domains}
    has_portfolio_row = bool(portfolio_row.findings)
    for row in [*rows, portfolio_row]:
        row.domains = {d: row.domains.get(d) or Counts() for d in domains}
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
    portfolio.decisions, portfolio.decision_window = asks.finish(profiles, index), decision_window
    portfolio.vacant, portfolio.sro_limit = vacant_roles(people, vacancy_findings), sro_limit
    portfolio.concentration = concentration(profiles, index, sro_limit)
    portfolio.overrides = list(getattr(report, "overrides", None) or [])
    portfolio.not_run = list(getattr(report, "not_run", None) or [])
    portfolio.risks = _risk_list(profiles, index)
    portfolio.benefits = benefit_rows(profiles, index, as_of)
    portfolio.tools = tool_rows(profiles, index)
    if compare is not None:
        portfolio.comparison = compare_findings(report.findings, compare, compare_file)
        portfolio.direction = direction(rows, portfolio.risks, compare)
    return portfolio


def _risk_list(profiles: Any, manifests: dict) -> list[dict[str, Any]]:
    """Every risk of the portfolio with its initiative, in file order: the top 10 and the movements read it."""
    out = []
    for key, profile in profiles:
        manifest = manifests.get(key) or {}
        for risk in profile["risks"]:
            out.append({
                "initiative": manifest.get("initiative"), "index": risk["index"], "id": risk["id"], "title": risk["title"],
                "category": risk["category"], "score": risk["score"], "breach": risk["breach"],
                "accepted": risk["accepted"], "owner": risk["owner"], "file": manifest.get("file", key[0]),
                "line": risk.get("line") or manifest.get("line", 1),
            })
    return out


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
                                  m["document"], m.get("line", 1), "", {d: Counts() for d in DOMAINS}))
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


# -- risk appetite ------------------------------------------------------------------------


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
