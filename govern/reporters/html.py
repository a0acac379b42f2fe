"""``govern portfolio --format html``: the board pack as one self-contained, printable page.

Inline CSS only: no script, no external asset, no web font, so the file can be
mailed, archived and printed as it is. The page is itself a public-sector
document and aims at WCAG 2.2 AA: ``lang``, a skip link, one ``h1`` then
``h2``/``h3`` in order, tables with captions and header scopes, text contrast of
at least 4.5:1, and every status written in words as well as colour (heatmap
cells carry their counts as text). Every value that comes from a manifest or a
rule passes through ``esc``: one line with control characters shown escaped
(``sanitize.one_line``), then ``html.escape`` with ``quote=True``.

Over 400 lines (about 620, with 140 of inline CSS for screen and print) on purpose: one page built by
one ``Page``, whose sections share its anchors, escaping and heading order; split, a section could be
rendered without ``esc`` or out of heading order unnoticed.
"""

from __future__ import annotations

import html
import re
from typing import Any

from govern.report.accountability import EXPIRY_WINDOWS, ROLE_LABELS
from govern.report.portfolio import GRID, SCOPE_MARKS, Counts, Portfolio, plural, portfolio_of
from govern.reporters import Reporter
from govern.report.records import (ZONE_MARKS, ZONE_NAMES, board_decisions, board_decisions_intro, statement_line,
                                   zone_map_title)
from govern.report.board import (DECISION_HEADERS, accountability_totals, category_name, concentration_intro, decisions,
                                 decisions_empty, decisions_intro, decisions_none, folded, heading, legend, sections,
                                 where)
from govern.report.board import ABBREVIATIONS, arrivals, benefits_intro, not_run, tools_intro, top, top_intro, travel_legend
from govern.report.views import BENEFIT_HEADERS, TOOL_HEADERS
from govern.report.direction import movement, risk_key
from govern.core.text import one_line

LIKELIHOOD = {5: "Almost certain", 4: "Likely", 3: "Possible", 2: "Unlikely", 1: "Rare"}
IMPACT = {1: "Minimal", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}
KEEP_ROWS = 4  # a table of at most this many rows is never split across printed pages
BENEFIT_TONES = {"behind": "warn", "met": "pass", "ahead": "pass"}


def esc(value: Any) -> str:
    return html.escape(one_line("" if value is None else str(value)), quote=True)


def status(counts: Counts, checked: bool = True) -> str:
    word = counts.status(checked)
    css = {"FAIL": "fail", "WARN": "warn", "NOTE": "note", "PASS": "pass"}.get(word, "nc")
    badge = f'<span class="status s-{css}">{esc(counts.mark(checked, waived=False))}</span>'
    return badge + (f'<span class="waived-note">+{counts.waived} waived</span>' if counts.waived else "")


class Page:
    def __init__(self, p: Portfolio) -> None:
        self.p = p
        self.anchors = {row.id: row.anchor for row in p.rows if row.id}
        self.out: list[str] = []

    def add(self, *parts: str) -> None:
        self.out.extend(parts)

    def link(self, initiative: str | None) -> str:
        anchor = self.anchors.get(initiative)
        return f'<a class="id" href="#{anchor}">{esc(initiative)}</a>' if anchor else esc(initiative)

    def links(self, initiatives: list[str]) -> str:
        return ", ".join(self.link(i) for i in initiatives) or "&#8212;"

    def table(self, ident: str, caption: str, head: list[str], body: list[str], foot: list[str] = (), note: str = "",
              numeric: range = range(0), compact: bool = False, echo: bool = False) -> None:
        """A data table in a focusable region; ``echo``: the caption repeats the heading just above it, so print omits it."""
        num = ' class="num"'
        cols = "".join(f'<th scope="col"{num if i in numeric else ""}>{h}</th>' for i, h in enumerate(head))
        rows = sum(part.count("<tr") for part in (*body, *foot))
        echoed = ' class="echo"' if echo else ""
        css = "data" + (" compact" if compact else "") + (" keep" if rows <= KEEP_ROWS else "")  # printed on one page
        self.add(f'<div class="table-wrap" role="region" aria-labelledby="{ident}-caption" tabindex="0">',
                 f'<table class="{css}" id="{ident}">', f'<caption id="{ident}-caption"{echoed}>{caption}</caption>',
                 f"<thead><tr>{cols}</tr></thead>", *body)
        if foot:
            self.add("<tfoot>", *foot, "</tfoot>")
        self.add("</table></div>")
        if note:
            self.add(f'<p class="note">{note}</p>')

    # -- sections ----------------------------------------------------------------------
    def masthead(self) -> None:
        p, s = self.p, self.p.summary()
        statement = esc(statement_line(p)) if p.appetite is not None else ""
        self.add('<header class="masthead"><div class="wrap">',
                 '<p class="kicker">Governance board paper</p>',
                 "<h1>Portfolio board pack</h1>",
                 f'<p class="meta">Position as of <strong>{esc(p.as_of.isoformat())}</strong> &#183; '
                 f"{plural(s['manifests'], 'initiative')} &#183; generated by govern {esc(p.version)}</p>")
        if statement:
            self.add(f'<p class="meta">{statement}</p>')
        self.add("</div></header>")

    def contents(self) -> None:
        items = sections(self.p)
        self.add('<nav class="contents wrap" aria-label="Contents"><h2 class="visually-hidden">Contents</h2><ol>',
                 *(f'<li><a href="#{a}">{t}</a></li>' for a, t in items), "</ol></nav>")

    def decisions(self) -> None:
        """The board's asks first: what, of whom, by when; an empty section says so in words."""
        p = self.p
        self.add('<section aria-labelledby="decisions-h" id="decisions"><h2 id="decisions-h">Decisions for the board</h2>',
                 f"<p>{esc(decisions_intro(p))}</p>")
        if not p.decisions:
            self.add(f'<p class="none">{esc(decisions_empty(p))}</p>')
        for n, (title, rows) in enumerate(decisions(p), 1):
            body = ["<tbody>", *(f'<tr><th scope="row">{self.link(r[0]) if r[0] in self.anchors else esc(r[0])}</th>'
                                 + "".join(f"<td>{esc(cell)}</td>" for cell in r[1:]) + "</tr>" for r in rows), "</tbody>"]
            self.add(f'<h3 id="decisions-{n}-h">{esc(title)}</h3>')
            self.table(f"decisions-{n}", esc(title), DECISION_HEADERS, body, echo=True)
        if decisions_none(p):
            self.add(f'<p class="note">{esc(decisions_none(p))}</p>')
        self.add('<h3 id="board-decisions-h">Board decisions on record</h3>', f"<p>{esc(board_decisions_intro(p))}</p>")
        if p.board_decisions:
            head, rows = board_decisions(p)
            body = ["<tbody>"]
            for d, row in zip(p.board_decisions, rows):
                flag = "" if d["status"] == "in force" else ' class="flagged"'
                state = esc(row[7])
                if d["status"] != "in force":
                    word, _, why = row[7].partition(": ")
                    state = f'<span class="status s-fail">{esc(word)}</span>' + (f" {esc(why)}" if why else "")
                body.append(f'<tr{flag}><th scope="row">{self.link(d["initiative"]) if d["initiative"] in self.anchors else esc(row[0])}'
                            f"</th>" + "".join(f"<td>{esc(c)}</td>" for c in row[1:7]) + f"<td>{state}</td></tr>")
            body.append("</tbody>")
            self.table("board-decisions", "Board decisions recorded on risks: what each accepted and when it lapses",
                       head, body)
        self.add("</section>")

    def summary(self) -> None:
        s = self.p.summary()
        cards = [
            ("Initiatives", s["manifests"], f"{s['failing']} fail, {s['warning']} warn, {s['passing']} pass", ""),
            ("Errors", s["errors"], "unwaived, across all domains", "fail" if s["errors"] else "pass"),
            ("Warnings", s["warnings"], f"{s['info']} info, {s['waived']} waived", "warn" if s["warnings"] else "pass"),
            ("Risks above appetite", s["above_appetite"], f"{s['unaccepted']} unaccepted, {s['accepted']} accepted, of {s['risks']} risks",
             "fail" if s["unaccepted"] else ("warn" if s["above_appetite"] else "pass")),
        ]
        self.add('<section aria-labelledby="summary-h" id="summary"><h2 id="summary-h">Summary</h2><ul class="cards">')
        for title, number, detail, tone in cards:
            self.add(f'<li class="card{" c-" + tone if tone else ""}"><span class="card-title">{title}</span>'
                     f'<span class="card-number">{number}</span><span class="card-detail">{esc(detail)}</span></li>')
        self.add("</ul>")
        if self.p.overrides:  # a verdict tuned by configuration says so on the page the board reads
            source = esc(self.p.overrides[0].get("source") or "the configuration")
            items = "".join(
                f"<li>{esc(o['rule'])} {esc(o['title'])}: {esc(o['default'])} &#8594; "
                f"{'<strong>off</strong> (not run)' if o['severity'] == 'off' else esc(o['severity'])}</li>"
                for o in self.p.overrides)
            self.add(f'<div class="overrides"><p><strong>Severities changed by configuration</strong> ({source}): '
                     f"these rules are not reported at the severity their pack gives them.</p><ul>{items}</ul></div>")
        if self.p.not_run:  # --only/--skip: what this board pack did not judge
            said = not_run(self.p).removeprefix("Rules not run ")
            self.add(f'<div class="overrides"><p><strong>Rules not run</strong> {esc(said)}</p></div>')
        if self.p.comparison is not None:
            c = self.p.comparison
            since = esc(c.previous_as_of or "the previous report")
            self.add(f'<p>Since {since}: <strong>{c.totals.new} new</strong>, <strong>{c.totals.resolved} resolved</strong>, '
                     f'{c.totals.unchanged} unchanged findings (<a href="#comparison">details</a>).</p>')
        self.add("</section>")

    def compliance(self) -> None:
        p = self.p
        moves = p.direction.initiatives if p.direction is not None else None
        head = ["ID", "Name", "Department", "Phase", *(heading(d) for d in p.domains), "Overall",
                *(["Since the last report"] if moves is not None else [])]
        width = len(head)
        extra = "<td></td>" if moves is not None else ""

        def row(r) -> str:
            cells = "".join(f"<td>{status(r.domains[d], p.checked[d])}</td>" for d in p.domains)
            move = f"<td>{_move(moves.get(r.id))}</td>" if moves is not None else ""
            return (f'<tr><th scope="row"><a href="#{r.anchor}">{esc(r.label)}</a></th><td>{esc(r.name)}</td>'
                    f"<td>{esc(r.department)}</td><td>{esc(r.phase)}</td>{cells}<td>{status(r.total)}</td>{move}</tr>")

        def counts_row(label: str, counts: dict[str, Counts], css: str) -> str:
            total = Counts()
            for c in counts.values():
                total.merge(c)
            cells = "".join(f"<td>{status(counts[d], p.checked[d])}</td>" for d in p.domains)
            return f'<tr class="{css}"><th scope="row" colspan="4">{label}</th>{cells}<td>{status(total)}</td>{extra}</tr>'

        body = []
        if p.group_by:
            for group, members, subtotal in p.groups:
                body += ["<tbody>", f'<tr class="group"><th scope="rowgroup" colspan="{width}">{esc(p.group_by.capitalize())}: {esc(group)}</th></tr>',
                         *(row(r) for r in members), counts_row(f"Subtotal: {esc(group)} ({len(members)})", subtotal, "subtotal"), "</tbody>"]
        else:
            body += ["<tbody>", *(row(r) for r in p.rows), "</tbody>"]
        if p.portfolio_row is not None:
            r = p.portfolio_row
            body += ["<tbody>", f'<tr class="subtotal"><th scope="row" colspan="4"><a href="#{r.anchor}">{esc(r.name)}</a></th>'
                     + "".join(f"<td>{status(r.domains[d], p.checked[d])}</td>" for d in p.domains) + f"<td>{status(r.total)}</td>{extra}</tr>", "</tbody>"]
        foot = [counts_row(f"Total ({plural(len(p.rows), 'initiative')})", p.totals, "total")]
        self.add('<section aria-labelledby="compliance-h" id="compliance"><h2 id="compliance-h">Compliance</h2>',
                 "<p>One row per initiative, worst first (most errors, then most warnings). Each cell gives the "
                 "status in words and the number of findings; select an ID for that initiative&#8217;s findings.</p>")
        self.table("compliance-table", "Compliance by initiative and domain, worst first", head, body, foot, esc(legend()))
        self.add("</section>")

    def accountability(self) -> None:
        p = self.p
        head = ["Person", "Roles held", "Initiatives", "Open errors", "Open warnings", "Overdue reviews",
                *(f"Expiring within {w} days" for w in EXPIRY_WINDOWS)]
        body = ["<tbody>"]
        for r in p.answering:
            name, css = esc(r.name), ""
            if r.person is None:
                css = ' class="vacant"'
                name = f"<em>unassigned</em> ({esc(ROLE_LABELS.get(r.role, r.role))})" if r.role else "<em>no accountable role</em>"
            expiring = "".join(f'<td class="num">{r.expiring[w]}</td>' for w in EXPIRY_WINDOWS)
            body.append(f'<tr{css}><th scope="row">{name}</th><td>{esc(", ".join(r.roles)) or "&#8212;"}</td><td>{self.links(r.initiatives)}</td>'
                        f'<td class="num">{_number(r.errors, "fail")}</td><td class="num">{_number(r.warnings, "warn")}</td>'
                        f'<td class="num">{_number(r.overdue_reviews, "warn")}</td>{expiring}</tr>')
        body.append("</tbody>")
        t = accountability_totals(p)
        foot = [f'<tr class="total"><th scope="row" colspan="3">Total ({plural(len(p.answering), "row")})</th><td class="num">{t["errors"]}</td>'
                f'<td class="num">{t["warnings"]}</td><td class="num">{t["overdue_reviews"]}</td>'
                + "".join(f'<td class="num">{t["expiring"][w]}</td>' for w in EXPIRY_WINDOWS) + "</tr>"]
        self.add('<section aria-labelledby="accountability-h" id="accountability"><h2 id="accountability-h">Accountability</h2>',
                 "<p>Each finding belongs to the person named in the manifest for the rule&#8217;s role; a role nobody holds is "
                 "shown as unassigned. Overdue reviews are open findings of ACC-003, PRIV-003, RISK-005 and RISK-009 "
                 "(also counted as errors or warnings). Expiring counts live waivers and risk acceptances ending within "
                 "30, 60 and 90 days (cumulative).</p>")
        self.table("accountability-table", "Accountability by person: open findings, overdue reviews and expiring exceptions",
                   head, body, foot, numeric=range(3, 9))
        self.add(f"<p>{esc(folded(p))}</p>", '<h3 id="vacant-h">Vacant accountable roles, by initiative</h3>')
        if p.vacant:
            self.add("<ul>", *(f"<li>{self.link(i)}: {esc(', '.join(roles))}</li>" for i, roles in p.vacant.items()), "</ul>")
        else:
            self.add("<p>None: every role that owns findings is held.</p>")
        self.add('<h3 id="concentration-h">Concentration</h3>', f"<p>{esc(concentration_intro(p))}</p>")
        if p.concentration:
            self.add("<ul>", *(f"<li><strong>{esc(c.person)}</strong>: {esc(c.reason)} ({self.links(list(c.initiatives))})</li>"
                               for c in p.concentration), "</ul>")
        else:
            self.add("<p>None.</p>")
        if p.notices:
            self.add('<h3 id="notices-h">Portfolio notices</h3><p>Roles nobody holds that own findings, not reported by any rule (not counted above):</p><ul>')
            self.add(*(f"<li><strong>{esc(n.rule)}</strong> {self.link(n.initiative)}: {esc(n.message)} "
                       f'<span class="where">({esc(where(n.file, n.line))})</span></li>' for n in p.notices))
            self.add("</ul>")
        self.add("</section>")

    def appetite(self) -> None:
        p = self.p
        self.add('<section aria-labelledby="risk-appetite-h" id="risk-appetite"><h2 id="risk-appetite-h">Risk appetite</h2>')
        if p.appetite is None:
            self.add("<p>No valid risk appetite statement was read, so risks are not scored.</p></section>")
            return
        head = ["Category", "Level", "Highest tolerated score", "Impact cap", "Risks", "Above appetite",
                "Accepted", "Unaccepted", "Highest residual score", "Initiatives"]
        body = ["<tbody>"]
        for c in p.categories:
            unscored = c.category is None
            unaccepted = "&#8212;" if unscored else _number(c.unaccepted, "fail")
            above = '<span class="status s-warn">NOT SCORED</span>' if unscored else _number(c.above, "warn")
            body.append(f'<tr><th scope="row">{esc(category_name(c))}</th><td>{esc(c.level or "")}</td>'
                        f'<td class="num">{_dash(c.threshold)}</td><td class="num">{_dash(c.impact_cap)}</td>'
                        f'<td class="num">{c.risks}</td><td class="num">{above}</td>'
                        f'<td class="num">{"&#8212;" if unscored else c.accepted}</td><td class="num">{unaccepted}</td>'
                        f'<td class="num">{_dash(c.highest_residual)}</td><td>{self.links(c.initiatives)}</td></tr>')
        body.append("</tbody>")
        s = p.summary()
        limit = p.appetite.get("max_risks_above_appetite")
        limit_text = f" The statement allows {limit} unaccepted risks above appetite across the portfolio." if limit is not None else ""
        self.add(f"<p>Residual scores (likelihood &#215; impact) against the statement&#8217;s categories, aliases folded in. "
                 f"{s['above_appetite']} of {s['risks']} risks are above appetite, {s['unaccepted']} of them without a live, "
                 f"valid acceptance.{limit_text}</p>")
        self.table("appetite-table", "Risk appetite by category: tolerance, risks above appetite and highest residual score",
                   head, body, numeric=range(2, 9))
        self.add("</section>")

    def top_risks(self) -> None:
        head, rows = top(self.p)
        body = ["<tbody>"]
        for r in rows:
            body.append(f'<tr><td class="num">{esc(r[0])}</td><th scope="row">{self.link(r[1]) if r[1] in self.anchors else esc(r[1])}'
                        f" {esc(r[2])}</th><td>{esc(r[3])}</td><td class=\"num\">{esc(r[4])}</td><td>{esc(r[5])}</td>"
                        f"<td>{esc(r[6])}</td>" + "".join(f"<td>{_arrow(c)}</td>" for c in r[7:]) + "</tr>")
        body.append("</tbody>")
        head = ["Rank", "Initiative and risk", *head[3:]]
        self.add('<section aria-labelledby="top-risks-h" id="top-risks"><h2 id="top-risks-h">Top 10 risks</h2>',
                 f"<p>{esc(top_intro(self.p))}</p>")
        self.table("top-risks-table", "The 10 risks with the highest residual score", head, body, numeric=range(0, 1))
        self.add("</section>")

    def zone_maps(self) -> None:
        """Small multiples: one grid per category with risks, each cell coloured by the statement's zone and
        marked with the zone's letter (colour is never the only cue), counting the category's residual risks."""
        p = self.p
        if not p.zone_maps:
            return
        name = esc((p.appetite or {}).get("name") or "the statement")
        self.add(f'<h3 id="zone-maps-h">Residual risk by category, in the zones of statement {name}</h3>',
                 f"<p>One grid per category that has risks: each cell is coloured and lettered by its zone under {name} "
                 "for that category&#8217;s level, and gives the number of the category&#8217;s residual risks in it.</p>",
                 '<ul class="bands" aria-label="Zones">',
                 *(f'<li><span class="swatch z-{zone}" aria-hidden="true"></span><strong>{ZONE_MARKS[zone]}</strong> '
                   f"{ZONE_NAMES[zone].capitalize()}</li>" for zone in ZONE_MARKS),
                 "</ul>", '<div class="zonemaps">')
        for n, zmap in enumerate(p.zone_maps, 1):
            title = esc(zone_map_title(zmap, p))
            self.add(f'<div class="heatmap-block"><table class="heatmap zonemap" id="zonemap-{n}"><caption>{title}</caption>',
                     '<thead><tr><th scope="col"><span class="visually-hidden">Likelihood</span></th>'
                     + "".join(f'<th scope="col">{i}</th>' for i in range(1, GRID + 1)) + "</tr></thead><tbody>")
            for likelihood in range(GRID, 0, -1):
                cells = []
                for impact in range(1, GRID + 1):
                    zone, count = zmap.zone(likelihood, impact), zmap.count(likelihood, impact)
                    label = (f"{count} risk{'s' if count != 1 else ''} at likelihood {likelihood}, impact {impact} "
                             f"(score {likelihood * impact}, {ZONE_NAMES[zone]})")
                    cells.append(f'<td class="zcell z-{zone}{" zero" if count == 0 else ""}" data-zone="{zone}" '
                                 f'data-count="{count}"><span class="mark" aria-hidden="true">{ZONE_MARKS[zone]}</span>'
                                 f'<span class="count" aria-hidden="true">{count}</span>'
                                 f'<span class="visually-hidden">{label}</span></td>')
                self.add(f'<tr><th scope="row">{likelihood}</th>{"".join(cells)}</tr>')
            self.add('</tbody></table></div>')
        self.add("</div>", '<p class="axis-note">Rows: likelihood 5 (top) to 1. Columns: impact 1 (left) to 5.</p>')

    def heatmaps(self) -> None:
        self.add('<section aria-labelledby="heatmaps-h" id="heatmaps"><h2 id="heatmaps-h">Risk heatmaps</h2>')
        self.zone_maps()
        self.add('<h3 id="heat-all-h">All risks</h3>',
                 "<p>Number of risks in each cell of the 5 &#215; 5 grid, every category together: likelihood from 5 (top) "
                 "to 1, impact from 1 (left) to 5. Zones depend on each category&#8217;s level, so these grids are not "
                 "coloured by zone; every cell states its count and score in text.</p>",
                 '<div class="heatmaps">')
        for heat in self.p.heatmaps:
            title = "Residual risk" if heat.kind == "residual" else "Inherent risk"
            when = "after treatment" if heat.kind == "residual" else "before treatment"
            self.add(f'<div class="heatmap-block"><h3 id="heat-{heat.kind}-h">{title} ({when})</h3>',
                     f'<table class="heatmap" id="heatmap-{heat.kind}"><caption>{title}: count of risks by likelihood and impact'
                     f" ({heat.placed} placed, {heat.unplaced} without a rating on the grid)</caption>",
                     '<thead><tr><th scope="col"><span class="visually-hidden">Likelihood</span></th>'
                     + "".join(f'<th scope="col">{i}<span class="axis">{IMPACT[i]}</span></th>' for i in range(1, GRID + 1))
                     + "</tr></thead><tbody>")
            for likelihood in range(GRID, 0, -1):
                cells = []
                for impact in range(1, GRID + 1):
                    n, score = heat.count(likelihood, impact), likelihood * impact
                    label = f"{n} risk{'s' if n != 1 else ''} at likelihood {likelihood}, impact {impact} (score {score})"
                    cells.append(f'<td class="heat{" zero" if n == 0 else ""}" '
                                 f'data-likelihood="{likelihood}" data-impact="{impact}" data-count="{n}">'
                                 f'<span class="count" aria-hidden="true">{n}</span><span class="score" aria-hidden="true">score {score}</span>'
                                 f'<span class="visually-hidden">{label}</span></td>')
                self.add(f'<tr><th scope="row">{likelihood}<span class="axis">{LIKELIHOOD[likelihood]}</span></th>{"".join(cells)}</tr>')
            self.add('</tbody></table><p class="axis-note">Rows: likelihood. Columns: impact.</p></div>')
        self.add("</div></section>")

    def benefits(self) -> None:
        """Per measure: baseline, latest actual against the plan for its date, owner and status (only with measures)."""
        p = self.p
        if not p.benefits:
            return
        body = ["<tbody>"]
        for r in p.benefits:
            tone = BENEFIT_TONES.get(r.state, "nc")
            body.append(f'<tr><th scope="row">{self.link(r.initiative) if r.initiative in self.anchors else esc(r.initiative)}</th>'
                        f"<td>{esc(r.measure)}</td><td>{esc(r.baseline)}</td><td>{esc(r.latest)}</td><td>{esc(r.planned)}</td>"
                        f'<td>{esc(r.owner)}</td><td><span class="status s-{tone}">{esc(r.status)}</span></td></tr>')
        body.append("</tbody>")
        self.add('<section aria-labelledby="benefits-h" id="benefits"><h2 id="benefits-h">Benefits</h2>',
                 f"<p>{esc(benefits_intro(p))}</p>")
        self.table("benefits-table", "Success measures: baseline, latest actual against plan, owner and status",
                   list(BENEFIT_HEADERS), body)
        self.add("</section>")

    def algorithms(self) -> None:
        """Per algorithmic tool: decision role, ATRS record, safeguards and human oversight (only with tools)."""
        p = self.p
        if not p.tools:
            return
        body = ["<tbody>"]
        for r in p.tools:
            atrs = f'<a href="{esc(r.atrs_url)}">{esc(r.atrs)}</a>' if r.atrs_url else esc(r.atrs)
            body.append(f'<tr><th scope="row">{self.link(r.initiative) if r.initiative in self.anchors else esc(r.initiative)}</th>'
                        f"<td>{esc(r.tool)}</td><td>{esc(r.role)}</td><td>{atrs}</td><td>{esc(r.safeguards)}</td></tr>")
        body.append("</tbody>")
        self.add('<section aria-labelledby="algorithms-h" id="algorithms"><h2 id="algorithms-h">AI and algorithms</h2>',
                 f"<p>{esc(tools_intro(p))}</p>")
        self.table("algorithms-table", "Algorithmic tools: decision role, transparency record, safeguards and oversight",
                   list(TOOL_HEADERS), body)
        self.add("</section>")

    def comparison(self) -> None:
        c = self.p.comparison
        if c is None:
            return
        since = esc(c.previous_as_of or "the previous report")
        self.add('<section aria-labelledby="comparison-h" id="comparison">'
                 f'<h2 id="comparison-h">Since the last report ({since})</h2>',
                 f"<p>Compared with {esc(c.previous_file)}: findings matched by initiative, rule, file and field. "
                 f"{esc(travel_legend())}</p>", "<ul>", *(f"<li>{esc(line)}</li>" for line in arrivals(self.p)), "</ul>")
        head = ["Initiative", "New", "Resolved", "Unchanged"]
        body = ["<tbody>", *(f'<tr><th scope="row">{self.link(k) if k else "Portfolio-level"}</th><td class="num">{v.new}</td>'
                             f'<td class="num">{v.resolved}</td><td class="num">{v.unchanged}</td></tr>' for k, v in c.initiatives.items()), "</tbody>"]
        foot = [f'<tr class="total"><th scope="row">Total</th><td class="num">{c.totals.new}</td><td class="num">{c.totals.resolved}</td>'
                f'<td class="num">{c.totals.unchanged}</td></tr>']
        self.table("comparison-initiatives", "Change since the last report, by initiative", head, body, foot,
                   numeric=range(1, 4), compact=True)
        body = ["<tbody>", *(f'<tr><th scope="row">{esc(heading(k))}</th><td class="num">{v.new}</td><td class="num">{v.resolved}</td>'
                             f'<td class="num">{v.unchanged}</td></tr>' for k, v in c.domains.items()), "</tbody>"]
        self.table("comparison-domains", "Change since the last report, by domain", ["Domain", "New", "Resolved", "Unchanged"],
                   body, foot, numeric=range(1, 4), compact=True)
        for kind, items in (("New findings", c.new), ("Resolved findings", c.resolved)):
            self.add(f"<h3>{kind} ({len(items)})</h3>")
            if items:
                self.add("<ul>", *(f"<li><strong>{esc(i.get('rule'))}</strong> {self.link(i.get('initiative')) if i.get('initiative') else 'portfolio'}: "
                                   f"{esc(i.get('message'))}</li>" for i in items), "</ul>")
            else:
                self.add("<p>None.</p>")
        self.add("</section>")

    def trends(self) -> None:
        """Small inline SVG line charts, each with its data table beside it: readable without the picture."""
        points = self.p.history
        if points is None:
            return
        from govern.report.history import SERIES

        self.add('<section aria-labelledby="trends-h" id="trends"><h2 id="trends-h">Trends</h2>',
                 f"<p>Per meeting, from {plural(len(points) - 1, 'earlier report')} and this one. Each chart has its "
                 "numbers in the table beside it.</p>", '<div class="trends">')
        for n, (key, title) in enumerate(SERIES, 1):
            values = [pt.value(key) for pt in points]
            body = ["<tbody>", *(f'<tr><th scope="row">{esc(pt.as_of)}</th><td class="num">{pt.value(key)}</td></tr>'
                                 for pt in points), "</tbody>"]
            self.add(f'<div class="trend"><h3 id="trend-{n}-h">{esc(title)}</h3>', _chart(f"trend-{n}", title, points, values))
            self.table(f"trend-{n}-table", f"{esc(title)} per meeting", ["Meeting (as of)", esc(title)], body,
                       numeric=range(1, 2), compact=True)
            self.add("</div>")
        self.add("</div></section>")

    def details(self) -> None:
        p = self.p
        self.add('<section aria-labelledby="details-h" id="details"><h2 id="details-h">Initiative details</h2>')
        rows = [*p.rows, *([p.portfolio_row] if p.portfolio_row is not None else [])]
        for r in rows:
            title = f"{esc(r.label)} &#8212; {esc(r.name)}" if r.id else esc(r.name or r.label)
            self.add(f'<section class="initiative" id="{r.anchor}" aria-labelledby="{r.anchor}-h">',
                     f'<h3 id="{r.anchor}-h">{title} {status(r.total)}</h3>')
            facts = [("Department", r.department), ("Phase", r.phase), ("File", r.file and where(r.file, r.line)),
                     ("Risk appetite statement", r.statement)]
            facts = [(k, v) for k, v in facts if v]
            if facts:
                self.add('<dl class="facts">', *(f"<dt>{k}</dt><dd>{esc(v)}</dd>" for k, v in facts), "</dl>")
            self.findings(r)
            self.out_of_scope(r)
            self.risks(r)
            self.add('<p class="back"><a href="#compliance">Back to the compliance table</a></p></section>')
        self.add("</section>")

    def findings(self, r: Any) -> None:
        if not r.findings:
            self.add('<p><span class="status s-pass">PASS</span> No findings.</p>')
            return
        body = ["<tbody>"]
        for f in sorted(r.findings, key=_worst):
            state = "WAIVED" if f.waived else f.severity.upper()
            if f.scope_basis != "binding":  # "assumed scope" / "adopted, not binding" (docs/design/semantics.md 8.9 item 13)
                state += " \u2014 " + SCOPE_MARKS.get(f.scope_basis, f.scope_basis)
            css = "waived" if f.waived else {"error": "fail", "warning": "warn"}.get(f.severity, "note")
            waiver = ""
            if f.waiver:
                waiver = f'<br><span class="where">waiver: {esc(f.waiver.get("status"))}, expires {esc(f.waiver.get("expires"))}</span>'
            who = f.accountable.name or ("unassigned" if f.accountable.role else "&#8212;")
            role = f" ({esc(ROLE_LABELS.get(f.accountable.role, f.accountable.role))})" if f.accountable.role else ""
            body.append(f'<tr><th scope="row">{esc(f.rule)}</th><td><span class="status s-{css}">{esc(state)}</span>{waiver}</td>'
                        f"<td>{esc(heading(f.domain))}</td><td>{esc(f.message)} "
                        f'<span class="where loc">{esc(where(f.file, f.line))}</span></td>'
                        f"<td>{esc(who) if f.accountable.name else who}{role}</td><td>{self.basis(f.rule, f)}</td></tr>")
        body.append("</tbody>")
        self.table(f"{r.anchor}-findings", f"Findings for {esc(r.label)}",
                   ["Rule", "Status", "Domain", "Finding and location", "Accountable", "Statutory basis"], body)

    def out_of_scope(self, r: Any) -> None:
        """The rules that do not bind this body, with why (docs/design/semantics.md 8.1): a quiet rule is never a mystery."""
        if not r.not_applicable:
            return
        items = [f"<li><strong>{esc(rule)}</strong> {esc(self.p.rule_titles.get(rule, ''))}: {esc(why)}</li>"
                 for rule, why in sorted(r.not_applicable.items())]
        self.add(f'<details class="not-applicable"><summary>Not applicable by scope ({len(items)} rules)</summary><ul>',
                 *items, "</ul></details>")

    def basis(self, rule: str, finding: Any = None) -> str:
        severity = finding.severity if finding is not None else "error"
        if finding is not None and finding.scope_basis == "assumed":
            return '<span class="muted">Waivable (assumed scope)</span>'
        refs = self.p.statutory.get(rule)
        if refs is None or severity != "error":  # only the error-level breach is non-waivable (semantics 8.9 item 7)
            return '<span class="muted">Waivable</span>'
        parts = []
        for ref in refs:
            text = esc(str(ref))
            url = getattr(ref, "url", None)
            parts.append(f'<a href="{esc(url)}">{text}</a>' if isinstance(url, str) and url.startswith(("https://", "http://")) else text)
        label = ("Not waivable (board-reserved: only a board decision can tolerate it)" if rule in self.p.board_reserved
                 else "Not waivable (statutory duty)")
        return f'<strong>{label}</strong><ul class="refs">' + "".join(f"<li>{x}</li>" for x in parts) + "</ul>"

    def risks(self, r: Any) -> None:
        if not r.risks:
            return
        levels = {c.category: c for c in self.p.categories if c.category}
        d = self.p.direction
        moves = d.risks if d is not None and d.risks_compared else None
        body = ["<tbody>"]
        for risk in r.risks:
            move = (f"<td>{_move(moves.get(risk_key({'initiative': r.id, 'id': risk['id'], 'index': risk['index']})))}</td>"
                    if moves is not None else "")
            c = levels.get(risk["canonical"])
            if c is None:
                state = '<span class="status s-warn">NOT IN STATEMENT</span>'
            elif risk["score"] is None:
                state = '<span class="status s-warn">NOT SCORED</span>'
            elif risk["breach"] and risk["accepted"]:
                end = risk["acceptance_end"]
                state = f'<span class="status s-warn">ABOVE, ACCEPTED</span> until {esc(end.isoformat() if end else "further notice")}'
            elif risk["breach"]:
                state = '<span class="status s-fail">ABOVE, NOT ACCEPTED</span>'
            else:
                state = '<span class="status s-pass">WITHIN</span>'
            tolerance = f"{esc(c.level)} (at most {c.threshold})" if c else "&#8212;"
            body.append(f'<tr><th scope="row">{esc(risk["id"] or "#" + str(risk["index"] + 1))}</th><td>{esc(risk["title"])}</td>'
                        f'<td>{esc(risk["category"])}</td><td>{_rating(risk["inherent"])}</td><td>{_rating(risk["residual"])}</td>'
                        f"<td>{tolerance}</td><td>{state}</td><td>{esc(risk['owner'] or 'unassigned')}</td>{move}</tr>")
        body.append("</tbody>")
        self.table(f"{r.anchor}-risks", f"Risks of {esc(r.label)}",
                   ["Risk", "Title", "Category", "Inherent", "Residual", "Appetite", "Against appetite", "Owner",
                    *(["Since the last report"] if moves is not None else [])], body)


CHART_W, CHART_H, CHART_PAD = 240, 110, 22


def _chart(ident: str, title: str, points: list[Any], values: list[int]) -> str:
    """A line chart as inline SVG: no script, a title and description for assistive technology, fixed decimals."""
    top = max(values + [1])
    n = len(values)
    step = (CHART_W - 2 * CHART_PAD) / max(n - 1, 1)

    def x(i: int) -> str:
        return f"{CHART_PAD + i * step:.1f}"

    def y(v: int) -> str:
        return f"{CHART_H - CHART_PAD - (CHART_H - 2 * CHART_PAD) * v / top:.1f}"

    line = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
    dots = "".join(f'<circle cx="{x(i)}" cy="{y(v)}" r="3"/>' for i, v in enumerate(values))
    labels = "".join(f'<text x="{x(i)}" y="{float(y(v)) - 6:.1f}" text-anchor="middle">{v}</text>' for i, v in enumerate(values))
    summary = ", ".join(f"{esc(pt.as_of)}: {v}" for pt, v in zip(points, values))
    return (f'<svg class="chart" viewBox="0 0 {CHART_W} {CHART_H}" width="{CHART_W}" height="{CHART_H}" role="img" '
            f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{ident}-t">{esc(title)} per meeting</title><desc id="{ident}-d">{summary}</desc>'
            f'<line x1="{CHART_PAD}" y1="{CHART_H - CHART_PAD}" x2="{CHART_W - CHART_PAD}" y2="{CHART_H - CHART_PAD}" class="axis-line"/>'
            f'<polyline points="{line}" fill="none"/>{dots}{labels}'
            f'<text x="{CHART_PAD}" y="{CHART_H - 6}">{esc(points[0].as_of)}</text>'
            f'<text x="{CHART_W - CHART_PAD}" y="{CHART_H - 6}" text-anchor="end">{esc(points[-1].as_of)}</text></svg>')


ARROW_CSS = {"new": "mv-new", "worse": "mv-worse", "better": "mv-better", "unchanged": "mv-same", "closed": "mv-same"}


def _move(move: Any) -> str:
    """A movement as an arrow and words (never colour alone)."""
    return _arrow(movement(move), getattr(move, "state", None))


def _arrow(words: str, state: str | None = None) -> str:
    state = state or next((k for k in ARROW_CSS if k in words), "unchanged")
    return f'<span class="move {ARROW_CSS.get(state, "mv-same")}">{esc(words)}</span>'


def _worst(f: Any) -> tuple:
    return (f.waived, {"error": 0, "warning": 1}.get(f.severity, 2), f.rule, f.line, f.path)


def _rating(rating: Any) -> str:
    return "&#8212;" if rating is None else f"{rating[0]} &#215; {rating[1]} = {rating[0] * rating[1]}"


def _dash(value: Any) -> str:
    return "&#8212;" if value is None else esc(value)


def _number(n: int, tone: str) -> str:
    return f'<strong class="n-{tone}">{n}</strong>' if n else "0"


def render(report: Any) -> str:
    page = Page(portfolio_of(report))
    p = page.p
    p.fill_details()  # the page lists each initiative's findings and risks
    page.add("<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Portfolio board pack, as of {esc(p.as_of.isoformat())}</title>", f"<style>{CSS}\n{page_css(p.as_of.isoformat())}</style>", "</head>",
             "<body>", '<a class="skip-link" href="#main">Skip to main content</a>')
    page.masthead()
    page.contents()
    page.add('<main id="main" class="wrap" tabindex="-1">')
    page.decisions()
    page.summary()
    page.compliance()
    page.accountability()
    page.appetite()
    page.top_risks()
    page.heatmaps()
    page.benefits()
    page.algorithms()
    page.comparison()
    page.trends()
    page.details()
    page.add("</main>", '<footer class="wrap"><p>Produced by govern '
             f"{esc(p.version)} from the manifests and policy packs as of {esc(p.as_of.isoformat())}. The same inputs give the "
             "same page, byte for byte.</p></footer>", "</body>", "</html>")
    return expand_abbreviations("\n".join(page.out) + "\n")


_SEGMENTS = re.compile(r"(<[^>]*>)")
_ABBREVIATION = re.compile(r"(?<![\w/&#-])(" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
                           + r")(?![\w/-])")
_UNTOUCHED = ("style", "title", "abbr")


def expand_abbreviations(page: str) -> str:
    """Each abbreviation of ``ABBREVIATIONS`` written out at its first use in the page's text, then left short.

    Only text of the body between tags is touched (never an attribute, the title or the style sheet), and a word
    that is part of an identifier (``ACC-002``, ``HO-ACC-S``) is not an abbreviation. An expansion the text
    already gave before the first use (``Senior Information Risk Owner (SIRO)``) counts as given.
    """
    head, mark, body = page.partition("<body>")
    if not mark:
        return page
    done: set[str] = set()
    read: list[str] = []
    out: list[str] = []
    inside: str | None = None

    def expand(match: re.Match) -> str:
        abbr = match.group(1)
        if abbr in done:
            return abbr
        done.add(abbr)
        long = ABBREVIATIONS[abbr]
        if long.casefold() in ("".join(read) + match.string[:match.start()]).casefold():
            return abbr
        return f'{esc(long)} (<abbr title="{esc(long)}">{abbr}</abbr>)'

    for part in _SEGMENTS.split(body):
        if part.startswith("<"):
            name = part[1:].split(">")[0].split()[0].lower() if len(part) > 2 else ""
            if inside is None and name in _UNTOUCHED:
                inside = name
            elif inside is not None and name == "/" + inside:
                inside = None
            out.append(part)
        elif inside is None and part:
            out.append(_ABBREVIATION.sub(expand, part))
            read.append(part)
        else:
            out.append(part)
    return head + mark + "".join(out)


def page_css(as_of: str) -> str:
    """A4 portrait pages, the as-of date and "page N of M" in the foot margin (Chromium prints margin boxes)."""
    box = "font-family:Arial,sans-serif;font-size:8pt;color:#505a5f"
    return ("@page{size:A4 portrait;margin:10mm 10mm 14mm;"
            f'@bottom-left{{content:"Portfolio board pack, as of {esc(as_of)}";{box}}}'
            f'@bottom-right{{content:"page " counter(page) " of " counter(pages);{box}}}}}')


CSS = """
:root{--ink:#0b0c0c;--muted:#505a5f;--line:#b1b4b6;--panel:#f3f2f1;--brand:#0b2e4f;--link:#1d70b8}
*{box-sizing:border-box}
html{font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;font-size:16px;line-height:1.45;color:var(--ink);background:#fff}
body{margin:0}
.wrap{max-width:1240px;margin:0 auto;padding:0 24px}
a{color:var(--link)}
a:focus,[tabindex]:focus{outline:3px solid #ffdd00;outline-offset:0;background:#ffdd00;color:var(--ink)}
.skip-link{position:absolute;left:-9999px;top:0;padding:8px 12px;background:#ffdd00;color:var(--ink);z-index:2}
.skip-link:focus{left:8px}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.masthead{background:var(--brand);color:#fff;padding:28px 0 22px;border-bottom:8px solid #1d70b8}
.masthead h1{margin:2px 0 8px;font-size:2.25rem;line-height:1.15}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:.85rem;font-weight:700;color:#d9e2ec}
.meta{margin:4px 0;color:#fff}
.contents{margin-top:18px}
.contents ol{list-style:none;display:flex;flex-wrap:wrap;gap:8px 22px;margin:0;padding:0 0 14px;border-bottom:1px solid var(--line)}
.contents a{font-weight:700}
h2{font-size:1.6rem;margin:40px 0 12px;padding-top:10px;border-top:4px solid var(--brand)}
h3{font-size:1.2rem;margin:26px 0 10px}
p{max-width:72em}
.note,.axis-note{color:var(--muted);font-size:.9rem}
.cards{list-style:none;display:grid;grid-template-columns:repeat(4,1fr);gap:16px;padding:0;margin:8px 0 16px}
.card{border:1px solid var(--line);border-left:8px solid var(--brand);padding:12px 16px;background:#fff}
.card.c-fail{border-left-color:#b10e1e}.card.c-warn{border-left-color:#f47738}.card.c-pass{border-left-color:#00703c}
.card-title{display:block;font-weight:700}
.card-number{display:block;font-size:2.4rem;font-weight:700;line-height:1.1}
.card-detail{display:block;color:var(--muted);font-size:.9rem}
.table-wrap{overflow-x:auto;margin:0 0 8px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:700;font-size:1rem;padding:6px 0 8px;caption-side:top}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:var(--panel);border-bottom:2px solid var(--ink);font-size:.85rem}
tbody th{font-weight:700;white-space:nowrap}
a.id{white-space:nowrap}
tr.vacant th,tr.vacant td{background:#fbe3df}
tr.vacant a{color:#0f4a80}
.refs{list-style:none;margin:2px 0 0;padding:0}
.refs li{margin:0 0 4px}
.refs a{display:inline-block;min-height:24px;padding:2px 0}
tr.total th,tr.total td{border-top:2px solid var(--ink);border-bottom:2px solid var(--ink);background:var(--panel);font-weight:700}
tr.subtotal th,tr.subtotal td{background:#f8f8f8;font-style:italic}
tr.group th{background:#e8e8e8;color:#383f43;text-transform:uppercase;letter-spacing:.04em;font-size:.8rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.compact{width:auto;min-width:40%}
#compliance-table{font-size:.75rem}#compliance-table th,#compliance-table td{padding:5px 2px}
#compliance-table .status{padding:1px 3px;font-size:.7rem}#compliance-table .move{white-space:normal}
.status{display:inline-block;padding:1px 6px;border-radius:3px;font-weight:700;font-size:.8rem;white-space:nowrap;border:1px solid transparent}
.s-fail{background:#f6d7d2;color:#6e1509;border-color:#6e1509}
.s-warn{background:#fff2c2;color:#5c4700;border-color:#5c4700}
.s-note{background:#d2e2f1;color:#0b3d66;border-color:#0b3d66}
.s-pass{background:#cce2d8;color:#005a30;border-color:#005a30}
.s-nc{background:#f3f2f1;color:#505a5f;border-color:#505a5f}
.s-waived{background:#e8e8e8;color:#383f43;border-color:#383f43}
.waived-note{display:block;font-size:.8rem;color:var(--muted);white-space:nowrap}
.n-fail{color:#6e1509}.n-warn{color:#5c4700}
.trends{display:grid;grid-template-columns:1fr 1fr;gap:12px 32px}
.trend{display:grid;grid-template-columns:auto 1fr;gap:0 16px;align-items:start;break-inside:avoid}
.trend h3{grid-column:1/-1;margin:12px 0 4px}
svg.chart{font-size:10px;fill:var(--ink)}
svg.chart polyline{stroke:#1d70b8;stroke-width:2}
svg.chart circle{fill:#1d70b8}
svg.chart .axis-line{stroke:#505a5f}
.move{white-space:nowrap;font-weight:700}.mv-worse{color:#6e1509}.mv-better{color:#005a30}.mv-new{color:#0b3d66}.mv-same{color:#383f43}
.tag{display:inline-block;padding:0 5px;border:1px solid var(--ink);font-size:.7rem;letter-spacing:.04em}
.muted,.where{color:var(--muted);font-size:.85rem}
.loc{display:block}
.heatmaps{display:grid;grid-template-columns:1fr 1fr;gap:32px}
table.heatmap{width:auto;table-layout:fixed;font-size:.85rem}
table.heatmap th{text-align:center;border:0;background:none;font-size:.85rem;padding:4px}
table.heatmap tbody th{text-align:right;width:110px}
.axis{display:block;font-weight:400;color:var(--muted);font-size:.75rem}
td.heat{width:88px;height:64px;text-align:center;vertical-align:middle;border:2px solid #fff;color:var(--ink)}
td.heat .count{display:block;font-size:1.6rem;font-weight:700;line-height:1.1}
td.heat.zero{background-image:linear-gradient(rgba(255,255,255,.6),rgba(255,255,255,.6))}
td.heat.zero .count{font-weight:400;color:var(--muted)}
td.heat .score{display:block;font-size:.7rem}
td.heat{background:#f3f2f1}
.z-appetite{background:#a8d5ba}.z-tolerance{background:#ffe38a}.z-outside{background:#ffb27a}.z-capacity{background:#f28b82}
.zonemaps{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:24px}
td.zcell{width:48px;height:44px;text-align:center;vertical-align:middle;border:2px solid #fff;color:var(--ink)}
td.zcell .mark{display:block;font-size:.7rem;font-weight:700}
td.zcell .count{display:block;font-size:1.1rem;font-weight:700;line-height:1.1}
td.zcell.zero .count{font-weight:400}
td.z-outside,td.z-capacity{background-image:repeating-linear-gradient(45deg,rgba(11,12,12,.08) 0 2px,transparent 2px 8px)}
tr.flagged th,tr.flagged td{background:#fdf1ef}
.bands{list-style:none;display:flex;gap:20px;padding:0;margin:12px 0}
.swatch{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:-2px;border:1px solid var(--ink)}
.initiative{border-top:1px solid var(--line);margin-top:18px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 12px}
.facts dt{font-weight:700}.facts dd{margin:0}
.back{font-size:.9rem}
footer{margin-top:48px;padding:16px 24px 32px;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
@media (max-width:900px){.cards{grid-template-columns:1fr 1fr}.heatmaps,.trends{grid-template-columns:1fr}}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
html{font-size:8pt;line-height:1.15}
.skip-link,.contents,.back{display:none}
.wrap{max-width:none;padding:0}
.masthead{padding:6px 0 6px;border-bottom-width:3px}
.masthead h1{font-size:1.7rem;margin:0 0 2px}
.meta{margin:0}
h2{font-size:1.3rem;margin:12px 0 4px;padding-top:4px;border-top-width:2px}
h3{font-size:1.05rem;margin:8px 0 3px}
p{margin:3px 0 5px}
a{color:var(--ink);text-decoration:none}
.table-wrap{overflow:visible;margin:0 0 4px}
table{font-size:.95rem}
caption{font-size:.95rem;padding:2px 0 3px}
th,td,#compliance-table th,#compliance-table td{padding:1px 4px}
.loc{display:inline;margin-left:4px}
.refs{font-size:.9em}.refs,.refs li{display:inline}.refs::before{content:": "}.refs li+li::before{content:"; "}
.status{padding:0 3px;font-size:.75rem}
thead th{font-size:.9rem}
thead{display:table-header-group}
tfoot{display:table-row-group}
tr,td.heat,.card,.heatmap-block,.trend,.facts,table.keep,ul.refs{break-inside:avoid}
h1,h2,h3,caption,.facts,h2+p,h3+p{break-after:avoid}
h2+p,h3+p{break-inside:avoid}
.facts+p{break-after:avoid}
tbody tr:first-child{break-before:avoid}
.cards{grid-template-columns:repeat(4,1fr);gap:8px;margin:4px 0 8px}
.card{padding:4px 8px;border-left-width:5px}
.card-number{font-size:1.5rem}
.heatmaps{grid-template-columns:max-content max-content;gap:24px;break-inside:avoid}
.heatmap-block h3{margin-top:2px}
table.heatmap tbody th{width:72px}
td.heat{width:42px;height:26px;border-width:1px}
td.heat .count{font-size:1.05rem}
td.heat .score{font-size:.7rem}
.bands{margin:4px 0}
.initiative{margin-top:6px}
.initiative caption,caption.echo{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.initiative h3{margin-top:6px}
.facts{display:flex;flex-wrap:wrap;gap:0 6px;margin:0 0 3px}
.facts dd{margin-right:12px}
.refs li{margin:0}
.refs a{display:inline;min-height:0;padding:0}
footer{margin-top:12px;padding:6px 0}
}
""".strip()


REPORTER = Reporter("html", render, ("portfolio",), "the board pack: one self-contained, printable HTML page")
