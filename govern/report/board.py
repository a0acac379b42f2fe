"""The board pack's tables as rows of text, shared by the table, markdown and csv formats.

One place defines the columns, so the formats show the same numbers under the
same headings. Cells hold plain text from the manifests; each reporter escapes
for its own medium (``neutralise`` for media that are not markup at all).
"""

from __future__ import annotations

import re
from typing import Any

from govern.report.accountability import EXPIRY_WINDOWS
from govern.report.decisions import empty_text, grouped
from govern.report.direction import MOVES, movement, risk_key, top_risks
from govern.report.portfolio import Counts, Portfolio, plural, portfolio_of
from govern.report.views import BENEFIT_HEADERS, TOOL_HEADERS
from govern.core.text import one_line

DOMAIN_HEADINGS = {
    "governance": "Governance", "data": "Data", "privacy": "Privacy", "security": "Security",
    "accessibility": "Accessibility", "risk": "Risk", "ai": "AI", "commercial": "Commercial",
}
_TAG = re.compile(r"<\s*[A-Za-z/!?]")
# Abbreviations a board paper uses, expanded at their first use (issue 17, item 6). Rule ids (GOV-001) are not
# abbreviations: the legend says what their prefixes mean.
ABBREVIATIONS = {
    "SRO": "Senior Responsible Owner", "IAO": "Information Asset Owner", "SIRO": "Senior Information Risk Owner",
    "DPO": "Data Protection Officer", "DPIA": "Data Protection Impact Assessment",
    "GDPR": "General Data Protection Regulation", "ICO": "Information Commissioner's Office",
    "EDPB": "European Data Protection Board", "WCAG": "Web Content Accessibility Guidelines",
    "MFA": "multi-factor authentication", "API": "application programming interface", "AI": "artificial intelligence",
    "HMRC": "HM Revenue and Customs", "VAT": "value added tax", "DWP": "Department for Work and Pensions",
    "NCSC": "National Cyber Security Centre", "CAF": "Cyber Assessment Framework", "IPA": "Infrastructure and Projects Authority",
    "ROPA": "record of processing activities", "ISA": "information sharing agreement", "CPS": "Crown Prosecution Service",
    "COSO": "Committee of Sponsoring Organizations of the Treadway Commission", "NHS": "National Health Service",
    "DSPT": "Data Security and Protection Toolkit", "GovS": "Government Functional Standard",
    "ATRS": "Algorithmic Transparency Recording Standard",
}
RULE_PREFIXES = ("Rule identifiers: GOV governance, DATA data, PRIV privacy, SEC security, ACC accessibility, "
                 "RISK risk appetite.")


def heading(domain: str) -> str:
    return DOMAIN_HEADINGS.get(domain, domain.replace("-", " ").replace("_", " ").capitalize())


def text(value: Any) -> str:
    """A cell: one line, control characters made visible, None as an empty cell."""
    return "" if value is None else one_line(str(value))


def neutralise(value: str) -> str:
    """Markup in a medium that is not markup (terminal, CSV) is shown escaped, never raw: ``&lt;script&gt;``."""
    return value.replace("<", "&lt;").replace(">", "&gt;") if _TAG.search(value) else value


def plain_file(file: str | None) -> str:
    """A file as a board reads it: the path the user gave, or "govern's bundled NAME" for a file of the installation.

    A path inside govern's own policies folder (site-packages, a checkout) says where govern is installed,
    which is no business of the paper.
    """
    if not file:
        return ""
    from pathlib import Path

    from govern.core.resources import policies_dir

    try:
        bundled = policies_dir().resolve()
        resolved = Path(file).resolve()
    except (OSError, FileNotFoundError):
        return file
    if resolved == bundled or bundled in resolved.parents:
        return f"govern's bundled {resolved.relative_to(bundled).as_posix()}"
    return file


def where(file: str | None, line: int | None) -> str:
    """A location as ``file:line``: no column, no JSON pointer, no installation path."""
    return f"{plain_file(file)}:{line}" if line else plain_file(file)


def dash(value: Any) -> str:
    return "-" if value is None else str(value)


def compliance(p: Portfolio) -> tuple[list[str], list[list[str]]]:
    """Worst first; grouped, each group (contiguous, its name in its own column) ends with a subtotal row."""
    moves = p.direction.initiatives if p.direction is not None else None
    headers = ["ID", "Name", "Department", "Phase", *(heading(d) for d in p.domains), "Overall",
               *(["Since the last report"] if moves is not None else [])]

    def line(first: list[str], counts: dict[str, Counts], overall: Counts, move: str = "") -> list[str]:
        return [*first, *(counts[d].mark(p.checked[d]) for d in p.domains), overall.mark(),
                *([move] if moves is not None else [])]

    def initiative(row) -> list[str]:
        move = movement(moves.get(row.id)) if moves is not None and row.id else ""
        return line([text(row.label), text(row.name), text(row.department), text(row.phase)], row.domains, row.total, move)

    rows = []
    if p.group_by:
        for group, members, subtotal in p.groups:
            rows += [initiative(row) for row in members]
            rows.append(line([f"Subtotal: {text(group)} ({len(members)})", "", "", ""], subtotal, _sum(subtotal)))
    else:
        rows += [initiative(row) for row in p.rows]
    if p.portfolio_row is not None:
        r = p.portfolio_row
        rows.append(line(["(portfolio)", text(r.name), "", ""], r.domains, r.total))
    rows.append(line([f"Total ({plural(len(p.rows), 'initiative')})", "", "", ""], p.totals, p.total))
    return headers, rows


# The board pack's sections, in the order every format shows them (anchor, heading).
SECTIONS = (
    ("decisions", "Decisions for the board"), ("summary", "Summary"), ("compliance", "Compliance"),
    ("accountability", "Accountability"), ("risk-appetite", "Risk appetite"), ("top-risks", "Top 10 risks"),
    ("heatmaps", "Risk heatmaps"), ("benefits", "Benefits"), ("algorithms", "AI and algorithms"),
    ("comparison", "Since the last report"), ("trends", "Trends"), ("details", "Initiative details"),
)


def sections(p: Portfolio) -> list[tuple[str, str]]:
    """The sections this pack has: "Since the last report" only with a comparison, the benefits and AI views
    only when a manifest records benefit measures or algorithmic tools."""
    present = {"comparison": p.comparison is not None, "trends": p.history is not None,
               "benefits": bool(p.benefits), "algorithms": bool(p.tools)}
    return [(anchor, title) for anchor, title in SECTIONS if present.get(anchor, True)]


def benefits_intro(p: Portfolio) -> str:
    behind = sum(r.state == "behind" for r in p.benefits)
    return (f"{plural(len(p.benefits), 'success measure')} of "
            f"{plural(len({r.initiative for r in p.benefits}), 'initiative')}, {behind} behind plan. The latest actual on or "
            f"before {p.as_of.isoformat()} is set against the trajectory point of the latest date on or before it (the "
            "target once its date has passed); a target below the baseline means lower is better.")


def benefits(p: Portfolio) -> tuple[list[str], list[list[str]]]:
    return list(BENEFIT_HEADERS), [[text(c) for c in r.cells()] for r in p.benefits]


def tools_intro(p: Portfolio) -> str:
    return (f"{plural(len(p.tools), 'algorithmic tool')} in "
            f"{plural(len({r.initiative for r in p.tools}), 'initiative')}: the role each plays in decisions, its record under "
            "the Algorithmic Transparency Recording Standard (ATRS), and the safeguards and human oversight around it.")


def tools(p: Portfolio) -> tuple[list[str], list[list[str]]]:
    return list(TOOL_HEADERS), [[text(c) for c in r.cells()] for r in p.tools]


DECISION_HEADERS = ["Initiative", "What is asked", "Of whom", "By", "Where"]


def by_when(p: Portfolio, day: str) -> str:
    """A decision's date; the run's own date is "this meeting", which is when the board is asked."""
    return f"{day} (this meeting)" if day == p.as_of.isoformat() else day


def decisions(p: Portfolio) -> list[tuple[str, list[list[str]]]]:
    """"Decisions for the board": (heading, rows) for each kind that has lines, in the section's order."""
    return [
        (f"{title} ({len(lines)})", [[text(d.initiative) or "(portfolio)", text(d.asked), text(d.of_whom),
                                      by_when(p, d.by), text(_plain_where(d.where))] for d in lines])
        for _, title, lines in grouped(p.decisions) if lines
    ]


def _plain_where(location: str) -> str:
    file, _, line = location.rpartition(":")
    return where(file, int(line)) if file and line.isdigit() else plain_file(location)


def decisions_empty(p: Portfolio) -> str:
    """The sentence an empty section shows, or "" when there is something to decide."""
    return "" if p.decisions else empty_text(p.decision_window)


def decisions_none(p: Portfolio) -> str:
    """The kinds with nothing to decide, in words (so a reader knows they were looked at)."""
    empty = [title.split(" (")[0].lower() for _, title, lines in grouped(p.decisions) if not lines]
    return f"Nothing to decide on: {'; '.join(empty)}." if empty and p.decisions else ""


def decisions_intro(p: Portfolio) -> str:
    return (f"What the board is asked to decide at this meeting, of whom and by when: risks outside tolerance without a "
            f"decision, risk acceptances and waivers lapsing within {p.decision_window} days, phase approvals due and "
            f"statutory gaps.")


def _sum(counts: dict[str, Counts]) -> Counts:
    total = Counts()
    for c in counts.values():
        total.merge(c)
    return total


def accountability(p: Portfolio) -> tuple[list[str], list[list[str]]]:
    """People with something to answer for and vacant roles; the rest are folded into ``folded(p)``."""
    headers = ["Person", "Roles held", "Initiatives", "Open errors", "Open warnings", "Overdue reviews",
               *(f"Expiring <={w} days" for w in EXPIRY_WINDOWS)]
    shown = p.answering
    rows = [
        [text(r.name), ", ".join(r.roles), ", ".join(text(i) for i in r.initiatives), str(r.errors), str(r.warnings),
         str(r.overdue_reviews), *(str(r.expiring[w]) for w in EXPIRY_WINDOWS)]
        for r in shown
    ]
    totals = accountability_totals(p)
    rows.append([f"Total ({plural(len(shown), 'row')})", "", "", str(totals["errors"]), str(totals["warnings"]),
                 str(totals["overdue_reviews"]), *(str(totals["expiring"][w]) for w in EXPIRY_WINDOWS)])
    return headers, rows


def folded(p: Portfolio) -> str:
    """The one line for everyone with nothing to answer for."""
    quiet = p.quiet
    if not quiet:
        return "Everyone named has something to answer for."
    names = ", ".join(text(r.name) for r in sorted(quiet, key=lambda r: r.name.casefold()))
    who = "1 other person" if len(quiet) == 1 else f"{len(quiet)} other people"
    return (f"{who} named in the manifests {'has' if len(quiet) == 1 else 'have'} nothing "
            f"to answer for (no open error or warning, no overdue review, nothing expiring): {names}.")


def vacancies(p: Portfolio) -> list[str]:
    """"INITIATIVE: role, role" for each initiative with accountable roles nobody holds."""
    return [f"{text(initiative)}: {', '.join(roles)}" for initiative, roles in p.vacant.items()]


def concentrations(p: Portfolio) -> list[str]:
    """"Person: why (initiatives)" for each concentration of accountability."""
    return [f"{text(c.person)}: {c.reason} ({', '.join(text(i) for i in c.initiatives)})" for c in p.concentration]


def concentration_intro(p: Portfolio) -> str:
    return (f"Concentration: one person senior responsible owner of more than {p.sro_limit} initiatives, or holding "
            f"three or more different accountable roles.")


def accountability_totals(p: Portfolio) -> dict[str, Any]:
    return {
        "errors": sum(r.errors for r in p.people), "warnings": sum(r.warnings for r in p.people),
        "info": sum(r.info for r in p.people), "waived": sum(r.waived for r in p.people),
        "overdue_reviews": sum(r.overdue_reviews for r in p.people),
        "expiring": {w: sum(r.expiring[w] for r in p.people) for w in EXPIRY_WINDOWS},
    }


def category_name(row: Any) -> str:
    if row.category is None:
        return "not in the statement (RISK-001)"
    return row.category + (f" (also {', '.join(row.aliases)})" if row.aliases else "")


def appetite(p: Portfolio) -> tuple[list[str], list[list[str]]]:
    headers = ["Category", "Level", "Highest tolerated score", "Impact cap", "Risks", "Above appetite",
               "Accepted", "Unaccepted", "Highest residual", "Initiatives"]
    rows = []
    for c in p.categories:
        unscored = c.category is None
        rows.append([
            text(category_name(c)), dash(c.level), dash(c.threshold), dash(c.impact_cap), str(c.risks),
            "not scored" if unscored else str(c.above), "-" if unscored else str(c.accepted),
            "-" if unscored else str(c.unaccepted), dash(c.highest_residual), ", ".join(text(i) for i in c.initiatives),
        ])
    return headers, rows


TOP_HEADERS = ["Rank", "Initiative", "Risk", "Title", "Residual score", "Against appetite", "Owner"]


def against(risk: dict[str, Any]) -> str:
    """A risk against the appetite, in words."""
    if risk.get("score") is None:
        return "not scored"
    if risk.get("breach"):
        return "above, accepted" if risk.get("accepted") else "above, not accepted"
    return "within"


def top(p: Portfolio) -> tuple[list[str], list[list[str]]]:
    """The 10 risks with the highest residual score, with their movement when there is a previous report."""
    moves = p.direction.risks if p.direction is not None and p.direction.risks_compared else None
    headers = [*TOP_HEADERS, *(["Since the last report"] if moves is not None else [])]
    rows = [[str(n), text(r["initiative"]) or text(r["file"]), text(r["id"] or f"#{r['index'] + 1}"), text(r["title"]),
             str(r["score"]), against(r), text(r["owner"]) or "unassigned",
             *([movement(moves.get(risk_key(r)))] if moves is not None else [])]
            for n, r in enumerate(top_risks(p.risks), 1)]
    return headers, rows


def top_intro(p: Portfolio) -> str:
    scored = sum(1 for r in p.risks if r.get("score") is not None)
    text_ = f"The {min(scored, 10)} highest residual scores (likelihood x impact) of {plural(scored, 'scored risk')}."
    if p.direction is not None and not p.direction.risks_compared:
        text_ += " The previous report lists no risks (an older govern), so their movement is not shown."
    return text_


def travel_legend() -> str:
    return ("Direction of travel: " + ", ".join(MOVES.values()) + "; initiatives move by open errors, then warnings; "
            "risks by residual score.")


def arrivals(p: Portfolio) -> list[str]:
    """New initiatives, and those of the previous report no longer reported, in words."""
    if p.direction is None:
        return []
    new = [i for i, m in p.direction.initiatives.items() if m.state == "new"]
    out = [f"New since the last report: {', '.join(text(i) for i in sorted(new)) or 'none'}."]
    gone = [f"{text(r['initiative'])}" + (f" ({text(r['name'])})" if r.get("name") else "") for r in p.direction.removed]
    out.append(f"No longer reported (closed or removed): {', '.join(gone) or 'none'}.")
    if p.direction.closed_risks:
        out.append("Risks closed: " + ", ".join(f"{text(r['initiative'])} {text(r['id'])}" for r in p.direction.closed_risks) + ".")
    return out


def comparison(p: Portfolio) -> tuple[list[str], list[list[str]]]:
    c = p.comparison
    headers = ["Since the last report", "New", "Resolved", "Unchanged"]
    if c is None:
        return headers, []
    rows = [[f"Initiative {text(k) or '(portfolio)'}", str(v.new), str(v.resolved), str(v.unchanged)] for k, v in c.initiatives.items()]
    rows += [[f"Domain {text(heading(k))}", str(v.new), str(v.resolved), str(v.unchanged)]
             for k, v in c.domains.items()]
    rows.append(["Total", str(c.totals.new), str(c.totals.resolved), str(c.totals.unchanged)])
    return headers, rows


def heatmap_rows(heat: Any) -> tuple[list[str], list[list[str]]]:
    headers = ["Likelihood \\ Impact", "1", "2", "3", "4", "5"]
    rows = [[str(5 - i), *(str(n) for n in row)] for i, row in enumerate(heat.cells)]
    return headers, rows


def not_run(p: Portfolio) -> str:
    """The rules --only/--skip left out of this run, said where the board reads (semantics 8.8 item 7); "" when none."""
    if not p.not_run:
        return ""
    ids = ", ".join(str(item["rule"]) for item in p.not_run)
    return f"Rules not run (left out by --only/--skip for this run, so not judged here): {ids}."


def headline(p: Portfolio) -> str:
    s = p.summary()
    appetite_line = ""
    if p.appetite is not None:
        name = text(p.appetite.get("name")) or "(unnamed)"  # the statement's name is input too
        appetite_line = f"; appetite statement {name}" + (" (govern's bundled default)" if p.appetite.get("default") else "")
    return (
        f"{plural(s['manifests'], 'initiative')} as of {p.as_of.isoformat()}: {s['failing']} FAIL, {s['warning']} WARN, "
        f"{s['passing']} PASS; {plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}, {s['info']} info, "
        f"{s['waived']} waived; {plural(s['risks'], 'risk')}, {s['above_appetite']} above appetite "
        f"({s['unaccepted']} unaccepted){appetite_line}."
    )


def legend() -> str:
    return ("Status: FAIL = at least one error, WARN = warnings only, NOTE = info only, PASS = none, "
            "N/C = not checked (no rule of the domain ran); E errors, W warnings, I info; waived findings are counted "
            "apart. " + RULE_PREFIXES)


__all__ = ["portfolio_of", "decisions", "compliance", "accountability", "appetite", "comparison", "heatmap_rows", "headline", "legend"]
