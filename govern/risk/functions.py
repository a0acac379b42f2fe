"""Risk-appetite checks (RISK-001..011): each manifest risk against the run's statement.

``assess_risks`` is the one place that scores a risk and decides whether a
breach is accepted; the check functions below only turn an assessment into
violations, and the board pack reads the same assessments. Semantics follow
docs/design/semantics.md, Engine semantics: a category is looked up after aliases and never
silently skipped; score = likelihood x impact; an acceptance counts only when
its acceptor holds an allowed role in this manifest, is not the risk owner and
the acceptance is live (its end is the earlier of ``expires`` and
``accepted_on + max_days``); a capacity breach can never be accepted.

Under a version-2 statement (docs/design/semantics.md 8.7-8.9) a risk's zone decides: within
tolerance it needs treatment and an acceptance by the role of the first
matching delegation entry (info, else warning); outside tolerance only a
live board decision (``escalation.decision``) of the statement's board, or
of a board the entry names, turns the error into a warning; at capacity only
a decision of ``capacity.decided_by`` does (RISK-008). Impact triggers put a
risk on the board's watch list (RISK-007 info) and are never a breach.
A short-form statement keeps every version-1 outcome.

Over 400 lines (about 830) on purpose: ``assess_risks`` and the eleven thin check functions
that read it are docs/design/semantics.md sections 4 and 7 in one place; split, the checks and the board pack
could drift from the one assessment they must share.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from govern.core.checks import CheckFunction, as_date, check_function, get_list, named, person, same_person
from govern.core.model import Accountable, Violation

FUNCTIONS: dict[str, CheckFunction] = {}

OWNER_ROLE = "risk_owner"
UNBOUNDED_SCALE = (10, 10)  # the schema's limit, used when no statement is loaded


def score(likelihood: int, impact: int) -> int:
    """A risk's score: likelihood x impact."""
    return likelihood * impact


@dataclass(frozen=True, slots=True)
class Acceptance:
    """A risk's ``escalation`` entry, judged against the statement and the manifest."""

    acceptor: str  # the name as written, or "an unnamed person"
    accepted_on: dt.date | None
    expires: dt.date | None
    end: dt.date | None  # effective end: min(expires, accepted_on + max_days)
    capped: str | None  # why the period was shortened, when it was
    reasons: tuple[str, ...]  # why it does not count; empty when it does

    @property
    def counts(self) -> bool:
        return not self.reasons


DECISION_DAYS = 365  # a board decision without `expires` (8.9 item 3)


@dataclass(frozen=True, slots=True)
class Decision:
    """A risk's ``escalation.decision``: a board's recorded decision, judged for one zone."""

    board: str  # as written, or "an unnamed board"
    minute: str | None
    date: dt.date | None
    end: dt.date | None  # expires, or date + 365 days
    reasons: tuple[str, ...]  # why it does not count; empty when it does

    @property
    def counts(self) -> bool:
        return not self.reasons

    def describe(self) -> str:
        minute = f" minute {self.minute}" if self.minute else ""
        when = f" of {self.date.isoformat()}" if self.date else ""
        return f"the decision of {self.board}{minute}{when}"


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """One entry of a manifest's ``risks``, as the risk checks read it."""

    index: int
    pointer: str  # /risks/<index>
    label: str  # "risk R1"
    owner: Accountable
    category: Any  # as written
    canonical: str | None
    level: str | None
    threshold: int | None
    cap: int | None
    likelihood: int | None  # residual, when on the scale
    impact: int | None
    problems: tuple[tuple[str, str], ...]  # (pointer, sentence) for residual values that cannot be scored
    score_breach: bool = False
    cap_breach: bool = False
    capacity_breach: bool = False
    acceptance: Acceptance | None = None
    # -- version 2 (zone, the delegation entry that applied, the board decision)
    zone: str | None = None  # appetite | tolerance | outside | capacity, when scored
    tolerance: int | None = None
    entry: Any = None  # govern.risk.appetite.Delegation, or None
    decision: Decision | None = None
    treated: bool = False  # RISK-006 holds
    trigger: int | None = None
    version2: bool = False

    @property
    def triggered(self) -> bool:
        """Residual impact at or above the level's impact trigger: board visibility, not a breach."""
        return self.trigger is not None and self.impact is not None and self.impact >= self.trigger

    @property
    def decided(self) -> bool:
        return self.decision is not None and self.decision.counts

    @property
    def known(self) -> bool:
        return self.canonical is not None

    @property
    def score(self) -> int | None:
        return None if self.likelihood is None or self.impact is None else score(self.likelihood, self.impact)

    @property
    def breach(self) -> bool:
        return self.score_breach or self.cap_breach or self.capacity_breach

    @property
    def accepted(self) -> bool:
        """In breach, but covered by a live, valid acceptance (never for a capacity breach).

        Under version 2: within tolerance by the delegated acceptance, outside
        tolerance and at capacity by a live board decision of the right body.
        """
        if self.version2 and self.zone in ("outside", "capacity"):
            return self.decided
        if self.version2 and self.zone == "tolerance" and self.decided:
            return True
        return self.breach and self.acceptance is not None and self.acceptance.counts

    @property
    def where(self) -> str:
        """The category as a reader needs it: ``cyber (security)`` for an alias."""
        written = str(self.category).strip()
        return written if written.lower() == self.canonical else f"{written} ({self.canonical})"

    def rating(self) -> str:
        return f"{self.likelihood} x {self.impact} = {self.score}"


def _scale(ctx: Any) -> tuple[int, int]:
    appetite = getattr(ctx, "appetite", None)
    return appetite.scale if appetite is not None else UNBOUNDED_SCALE


def _point(value: Any, top: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
        return None
    return value


def _rating_problem(value: Any, what: str, top: int, pointer: str) -> tuple[str, str] | None:
    if value is None:
        return (pointer, f"{what} is not recorded")
    if _point(value, top) is None:
        return (pointer, f"{what} {value!r} is not on the statement's 1-{top} scale")
    return None


def risks(data: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, risk) for i, risk in enumerate(get_list(data, "/risks")) if isinstance(risk, dict)]


def risk_label(risk: dict[str, Any], index: int) -> str:
    rid = risk.get("id")
    return f"risk {rid}" if isinstance(rid, str) and rid.strip() else f"risk #{index + 1}"


def risk_owner(risk: dict[str, Any]) -> Accountable:
    owner = risk.get("owner")
    if named(owner):
        email = owner.get("email") if isinstance(owner.get("email"), str) else None
        return Accountable(OWNER_ROLE, owner["name"].strip(), email)
    return Accountable(OWNER_ROLE, None)


def assess_risks(data: Any, appetite: Any, as_of: dt.date) -> list[RiskAssessment]:
    """Score every risk of a manifest against ``appetite`` (see the module docstring)."""
    return [assess_risk(data, i, risk, appetite, as_of) for i, risk in risks(data)]


def assess_risk(data: Any, index: int, risk: dict[str, Any], appetite: Any, as_of: dt.date) -> RiskAssessment:
    pointer = f"/risks/{index}"
    canonical = appetite.canonical(risk.get("category"))
    residual = risk.get("residual")
    base = {
        "index": index,
        "pointer": pointer,
        "label": risk_label(risk, index),
        "owner": risk_owner(risk),
        "category": risk.get("category"),
        "canonical": canonical,
    }
    if canonical is None:
        return RiskAssessment(**base, level=None, threshold=None, cap=None, likelihood=None, impact=None, problems=())
    level = appetite.categories[canonical]
    threshold, cap = appetite.levels[level], appetite.impact_caps.get(level)
    top_l, top_i = appetite.scale
    problems = []
    if not isinstance(residual, dict):
        problems.append((f"{pointer}/residual", "it has no residual rating"))
        likelihood = impact = None
    else:
        likelihood = _point(residual.get("likelihood"), top_l)
        impact = _point(residual.get("impact"), top_i)
        for key, top in (("likelihood", top_l), ("impact", top_i)):
            found = _rating_problem(residual.get(key), f"residual {key}", top, f"{pointer}/residual/{key}")
            if found:
                problems.append(found)
    scored = likelihood is not None and impact is not None
    value = score(likelihood, impact) if scored else None
    score_breach = scored and value > threshold
    cap_breach = impact is not None and cap is not None and impact > cap
    capacity_breach = scored and appetite.capacity is not None and value >= appetite.capacity
    if getattr(appetite, "version2", False):
        return _assess_v2(data, risk, appetite, as_of, base, level, threshold, cap, likelihood, impact,
                          tuple(problems), value, cap_breach)
    acceptance = None
    escalation = risk.get("escalation")
    # A board decision alone (escalation.decision, no accepted_by) is no person's acceptance: under a
    # short-form statement it is simply not an acceptance, rather than "an unnamed person" (RISK-011).
    decision_only = isinstance(escalation, dict) and "decision" in escalation and "accepted_by" not in escalation
    if (score_breach or cap_breach or capacity_breach) and isinstance(escalation, dict) and not decision_only:
        acceptance = judge_acceptance(data, risk, appetite, as_of, capacity_breach, value)
    trigger = (getattr(appetite, "impact_triggers", None) or {}).get(level)  # board visibility only
    decision = None
    if capacity_breach and getattr(appetite, "capacity_by", None):
        decision = _decision_of(risk, (appetite.capacity_by,), as_of)
    return RiskAssessment(
        **base,
        level=level,
        threshold=threshold,
        cap=cap,
        likelihood=likelihood,
        impact=impact,
        problems=tuple(problems),
        score_breach=score_breach,
        cap_breach=cap_breach,
        capacity_breach=capacity_breach,
        acceptance=acceptance,
        trigger=trigger,
        decision=decision,
        zone=appetite.zone(level, value) if scored and hasattr(appetite, "zone") else None,
        tolerance=threshold,
    )


def _assess_v2(data, risk, appetite, as_of, base, level, threshold, cap, likelihood, impact, problems, value,
               cap_breach) -> RiskAssessment:
    """A risk under a version-2 statement: its zone, the delegation entry, the acceptance or decision."""
    zone = appetite.zone(level, value) if value is not None else None
    # The entry that applies: by zone, and for an impact-cap breach within appetite the one covering its score
    # (under caps a valid live acceptance still makes RISK-007 a warning, 8.9 item 16).
    applies = zone in ("tolerance", "outside") or (cap_breach and zone == "appetite")
    entry = appetite.delegation_for(base["canonical"], value) if applies and value is not None else None
    escalation = risk.get("escalation") if isinstance(risk.get("escalation"), dict) else {}
    acceptance = decision = None
    if zone == "capacity":
        boards = (appetite.capacity_by,) if appetite.capacity_by else ()
        if "decision" in escalation:
            decision = _decision_of(risk, boards, as_of, "capacity.decided_by")
        if "accepted_by" in escalation:
            acceptance = _refused(escalation, f"the residual score {value} is at capacity "
                                  f"({appetite.capacity}): only a decision of "
                                  f"{appetite.capacity_by or 'the body named in capacity.decided_by'} can tolerate it")
    elif zone == "outside":
        boards = tuple(b for b in (appetite.approved_by, *(entry.boards if entry else ())) if b)
        if "decision" in escalation:
            decision = _decision_of(risk, boards, as_of)
        if "accepted_by" in escalation:
            acceptance = _refused(escalation, "it is outside tolerance, where only a recorded board decision "
                                  f"(escalation.decision of {' or '.join(boards)}) can accept it")
    elif zone == "tolerance" or (cap_breach and escalation):
        if "accepted_by" in escalation:
            acceptance = judge_acceptance(data, risk, appetite, as_of, False, value, entry)
        if "decision" in escalation and entry is not None and (entry.board or entry.boards):
            own = (appetite.approved_by,) if entry.board and appetite.approved_by else ()
            decision = _decision_of(risk, (*own, *entry.boards), as_of)
    above = zone in ("tolerance", "outside", "capacity") or cap_breach
    treated = above and _treated(risk, appetite, level, cap, as_of)
    return RiskAssessment(
        **base,
        level=level,
        threshold=threshold,
        cap=cap,
        likelihood=likelihood,
        impact=impact,
        problems=problems,
        score_breach=zone in ("tolerance", "outside"),
        cap_breach=cap_breach,
        capacity_breach=zone == "capacity",
        acceptance=acceptance,
        zone=zone,
        tolerance=appetite.tolerance_of(level),
        entry=entry,
        decision=decision,
        treated=treated,
        trigger=(appetite.impact_triggers or {}).get(level),
        version2=True,
    )


def _treated(risk: dict[str, Any], appetite: Any, level: str, cap: int | None, as_of: dt.date) -> bool:
    """RISK-006 holds: mitigations, and a dated target within appetite that has not passed."""
    mitigations = risk.get("mitigations")
    if not isinstance(mitigations, list) or not any(isinstance(m, str) and m.strip() for m in mitigations):
        return False
    target = risk.get("target")
    if not isinstance(target, dict):
        return False
    top_l, top_i = appetite.scale
    likelihood, impact, by = _point(target.get("likelihood"), top_l), _point(target.get("impact"), top_i), as_date(target.get("by"))
    if likelihood is None or impact is None or by is None or by < as_of:
        return False
    return score(likelihood, impact) <= appetite.levels[level] and (cap is None or impact <= cap)


def _refused(escalation: dict[str, Any], why: str) -> Acceptance:
    """A role's acceptance where no role may accept (outside tolerance, at capacity)."""
    acceptor = escalation.get("accepted_by")
    who = acceptor["name"].strip() if named(acceptor) else "an unnamed person"
    accepted_on, expires = as_date(escalation.get("accepted_on")), as_date(escalation.get("expires"))
    return Acceptance(who, accepted_on, expires, expires, None, (why,))


def _same_board(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _decision_of(risk: dict[str, Any], boards: tuple[str, ...], as_of: dt.date,
                 whose: str = "the statement's board") -> Decision | None:
    """``escalation.decision`` judged: the right board, a minute, a date, and live at ``as_of``."""
    escalation = risk.get("escalation")
    decision = escalation.get("decision") if isinstance(escalation, dict) else None
    if not isinstance(decision, dict):
        return None
    reasons: list[str] = []
    board = decision.get("board")
    if isinstance(board, str) and board.strip():
        board = board.strip()
        if not any(_same_board(board, allowed) for allowed in boards):
            allowed = " or ".join(boards) if boards else f"nobody ({whose} is not set)"
            reasons.append(f"{board} is not a board that may decide on it ({allowed})")
    else:
        board = "an unnamed board"
        reasons.append("it does not name the board that decided (decision.board)")
    minute = decision.get("minute") if isinstance(decision.get("minute"), str) and decision["minute"].strip() else None
    if minute is None:
        reasons.append("it gives no minute reference (decision.minute)")
    day, expires = as_date(decision.get("date")), as_date(decision.get("expires"))
    end = expires or (day + dt.timedelta(days=DECISION_DAYS) if day else None)
    if day is None:
        reasons.append("it has no date (decision.date)")
    elif day > as_of:
        reasons.append(f"it is dated {day.isoformat()}, after {as_of.isoformat()}")
    elif end is not None and as_of > end:
        reasons.append(f"it lapsed on {end.isoformat()}, before {as_of.isoformat()}")
    return Decision(board, minute, day, end, tuple(reasons))


def judge_acceptance(
    data: Any, risk: dict[str, Any], appetite: Any, as_of: dt.date, capacity_breach: bool, value: int | None,
    entry: Any = None,
) -> Acceptance:
    """An acceptance by a person; under version 2 ``entry`` is the delegation entry that applied."""
    escalation = risk["escalation"]
    acceptor = escalation.get("accepted_by")
    reasons: list[str] = []
    version2 = getattr(appetite, "version2", False)
    roles = (entry.roles if entry is not None else ()) if version2 else appetite.accept_by
    max_days = (entry.max_days if entry is not None else None) if version2 else appetite.max_days
    if named(acceptor):
        who = acceptor["name"].strip()
        if same_person(acceptor, risk.get("owner")):
            reasons.append(f"{who} is the risk's own owner")
        if not any(same_person(acceptor, person(data, role)) for role in roles):
            allowed = " or ".join(role.replace("_", " ") for role in roles)
            if version2 and entry is None:
                reasons.append("no delegation entry covers its category and score")
            elif version2:
                reasons.append(
                    f"{who} does not hold a role {entry.describe()} allows in this manifest ({allowed})"
                    if allowed
                    else f"{entry.describe()} allows only a recorded board decision (escalation.decision)"
                )
            else:
                reasons.append(
                    f"{who} does not hold a role allowed to accept it in this manifest ({allowed})"
                    if allowed
                    else "the statement allows no role to accept breaches (escalation.above_appetite.accept_by)"
                )
    else:
        who = "an unnamed person"
        reasons.append("it does not name who accepted it (accepted_by)")
    accepted_on, expires = as_date(escalation.get("accepted_on")), as_date(escalation.get("expires"))
    limit = accepted_on + dt.timedelta(days=max_days) if accepted_on and max_days else None
    capped = None
    if limit is not None and (expires is None or expires > limit):
        asked = (
            f"it asks for {(expires - accepted_on).days} days ({accepted_on.isoformat()} to {expires.isoformat()})"
            if expires
            else "it has no expiry date"
        )
        capped = f"{asked} but the statement allows at most {max_days}, so it is capped at {limit.isoformat()}"
    ends = [day for day in (expires, limit) if day is not None]
    end = min(ends) if ends else None
    if accepted_on is None:
        reasons.append("it has no accepted_on date")
    elif end is not None and as_of > end:
        verb = "lapsed" if capped else "expired"
        reasons.append(f"it {verb} on {end.isoformat()}, before {as_of.isoformat()}")
    if capacity_breach:
        reasons.append(
            f"the residual score {value} is at or above the capacity of {appetite.capacity}, "
            "which can never be accepted"
        )
    return Acceptance(who, accepted_on, expires, end, capped, tuple(reasons))


_LAST: list[Any] = [None, None, None, ()]  # (data, appetite, as_of, assessments) of the last call


def _assessments(data: Any, ctx: Any) -> tuple[RiskAssessment, ...]:
    """``assess_risks`` for the run's statement, computed once per manifest: the six risk rules
    all read it, and checks never change a manifest (the cache holds the manifest itself, so it is
    the same object, not one that took its address)."""
    appetite = getattr(ctx, "appetite", None)
    if appetite is None:
        return ()
    last = _LAST
    if last[0] is data and last[1] is appetite and last[2] == ctx.as_of:
        return last[3]
    found = tuple(assess_risks(data, appetite, ctx.as_of))
    last[:] = [data, appetite, ctx.as_of, found]
    return found


def _statement(ctx: Any) -> str:
    name = getattr(ctx.appetite, "name", "")
    return f"statement {name}" if name else "the statement"


# -- manifest rules -------------------------------------------------------------------


@check_function(FUNCTIONS, "risk_category_known")
def risk_category_known(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Every risk's category (after aliases) is a category of the appetite statement (RISK-001)."""
    appetite = getattr(ctx, "appetite", None)
    if appetite is None:
        return
    known = ", ".join(sorted(appetite.categories))
    for a in _assessments(data, ctx):
        if a.known:
            continue
        path = f"{a.pointer}/category"
        if not isinstance(a.category, str) or not a.category.strip():
            yield Violation(
                path, f"{a.label} has no category, so it cannot be scored against appetite", accountable=a.owner
            )
        else:
            aliases = f"; aliases: {', '.join(sorted(appetite.aliases))}" if appetite.aliases else ""
            yield Violation(
                path,
                f"{a.label} category {a.category!r} is not in {_statement(ctx)} "
                f"(categories: {known}{aliases}), so it is not scored",
                accountable=a.owner,
            )


def _acceptance_note(a: RiskAssessment) -> str:
    if a.acceptance is None:
        return "no acceptance is recorded (risks[].escalation)"
    if a.acceptance.counts:
        until = a.acceptance.end.isoformat() if a.acceptance.end else "further notice"
        return f"accepted by {a.acceptance.acceptor} until {until}"
    return f"the acceptance by {a.acceptance.acceptor} does not count (see RISK-011)"


@check_function(FUNCTIONS, "risk_within_appetite")
def risk_within_appetite(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """The residual score is within the category's threshold; an accepted breach is a warning (RISK-002)."""
    for a in _assessments(data, ctx):
        if not a.known:
            continue
        for path, problem in a.problems:
            yield Violation(
                path, f"{a.label}: {problem}, so it cannot be shown to be within appetite", accountable=a.owner
            )
        if a.version2:
            found = _zone_violation(a, ctx)
            if found:
                yield found
        elif a.score_breach:
            yield Violation(
                f"{a.pointer}/residual",
                f"{a.label} residual {a.rating()} is above the {a.level} appetite for {a.where} "
                f"(at most {a.threshold}); {_acceptance_note(a)}",
                "warning" if a.accepted else "error",
                a.owner,
            )


def _entry_note(a: RiskAssessment) -> str:
    if a.entry is None:
        return "no delegation entry covers it"
    return f"{a.entry.describe()} applied"


def _decision_note(a: RiskAssessment) -> str:
    if a.decision is None:
        return "no board decision is recorded (risks[].escalation.decision)"
    if a.decision.counts:
        return f"accepted by {a.decision.describe()} until {a.decision.end.isoformat()}"
    return f"{a.decision.describe()} does not count (see RISK-011)"


def _zone_violation(a: RiskAssessment, ctx: Any) -> Violation | None:
    """RISK-002 under a version-2 statement: info, warning or error by zone (docs/design/semantics.md 8.7, 8.9 item 1).

    At capacity it is RISK-008's alone (8.8 item 6); within appetite nothing.
    """
    if a.zone == "tolerance":
        treated = "treated (RISK-006 holds)" if a.treated else "not treated (see RISK-006)"
        accepted = a.decided or (a.acceptance is not None and a.acceptance.counts)
        note = _decision_note(a) if a.decided else _acceptance_note(a)
        return Violation(
            f"{a.pointer}/residual",
            f"{a.label} residual {a.rating()} is above the {a.level} appetite ({a.threshold}) but within its "
            f"tolerance ({a.tolerance}) for {a.where}: {treated}; {_entry_note(a)}; {note}",
            "info" if a.treated and accepted else "warning",
            a.owner,
        )
    if a.zone == "outside":
        return Violation(
            f"{a.pointer}/residual",
            f"{a.label} residual {a.rating()} is outside the {a.level} tolerance (at most {a.tolerance}) for "
            f"{a.where}, which only {_statement_board(ctx)} can accept by a recorded decision; {_entry_note(a)}; "
            f"{_decision_note(a)}",
            "warning" if a.decided else "error",
            a.owner,
            "board-reserved",  # 8.9 item 1: a waiver is refused, only escalation.decision clears it
        )
    return None


def _statement_board(ctx: Any) -> str:
    return getattr(ctx.appetite, "board", None) or "the board"


@check_function(FUNCTIONS, "risk_impact_cap")
def risk_impact_cap(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """The residual impact is within the impact cap of the category's level; accepted => warning (RISK-007)."""
    for a in _assessments(data, ctx):
        if a.known and a.cap_breach:
            yield Violation(
                f"{a.pointer}/residual/impact",
                f"{a.label} residual impact {a.impact} is above the {a.level} impact cap of {a.cap} for {a.where}, "
                f"whatever its score; {_acceptance_note(a)}",
                "warning" if a.accepted else "error",
                a.owner,
            )
        elif a.known and a.triggered:  # a trigger is board visibility, never a breach (8.7, 8.9 item 4)
            yield Violation(
                f"{a.pointer}/residual/impact",
                f"{a.label} residual impact {a.impact} is at or above the {a.level} impact trigger of {a.trigger} "
                f"for {a.where}: it is on the watch list of {_statement_board(ctx)} (board visibility)",
                "info",
                a.owner,
            )


@check_function(FUNCTIONS, "risk_capacity")
def risk_capacity(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """The residual score is below the statement's capacity; a capacity breach is never acceptable (RISK-008)."""
    for a in _assessments(data, ctx):
        if not (a.known and a.capacity_breach):
            continue
        body = getattr(ctx.appetite, "capacity_by", None)
        if body is None:
            yield Violation(
                f"{a.pointer}/residual",
                f"{a.label} residual {a.rating()} is at or above the capacity of {ctx.appetite.capacity} "
                f"in {_statement(ctx)}: it cannot be accepted or waived and needs a board decision",
            )
        elif a.decided:  # 8.9 item 4: tolerated by a live decision of capacity.decided_by
            yield Violation(
                f"{a.pointer}/residual",
                f"{a.label} residual {a.rating()} is at or above the capacity of {ctx.appetite.capacity} "
                f"in {_statement(ctx)}, tolerated by {a.decision.describe()} until {a.decision.end.isoformat()}",
                "warning",
            )
        else:
            yield Violation(
                f"{a.pointer}/residual",
                f"{a.label} residual {a.rating()} is at or above the capacity of {ctx.appetite.capacity} "
                f"in {_statement(ctx)}: only a recorded decision of {body} can tolerate it, never a waiver; "
                f"{_decision_note(a)}",
            )


@check_function(FUNCTIONS, "risk_acceptance_valid")
def risk_acceptance_valid(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Every acceptance of a breach that is ignored or capped, and why (RISK-011)."""
    for a in _assessments(data, ctx):
        if a.known and a.decision is not None and not a.decision.counts:
            yield Violation(
                f"{a.pointer}/escalation/decision",
                f"{a.label}: {a.decision.describe()} is ignored: " + "; ".join(a.decision.reasons)
                + (f" ({_entry_note(a)})" if a.version2 and a.zone != "capacity" else ""),
            )
        acceptance = a.acceptance
        if not a.known or acceptance is None or (acceptance.counts and not acceptance.capped):
            continue
        if a.version2 and a.zone in ("tolerance", "outside"):
            acceptance = dataclasses.replace(acceptance, reasons=(*acceptance.reasons, _entry_note(a)))
        if acceptance.counts:
            status = f"is capped (it still counts until {acceptance.end.isoformat()})"
        else:
            status = "is ignored"
        parts = [part for part in (acceptance.capped, *acceptance.reasons) if part]
        yield Violation(
            f"{a.pointer}/escalation",
            f"{a.label}: the acceptance by {acceptance.acceptor} {status}: " + "; ".join(parts),
        )


@check_function(FUNCTIONS, "risk_treatment_plan")
def risk_treatment_plan(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """A risk in breach has mitigations and a dated target within appetite (RISK-006)."""
    appetite = getattr(ctx, "appetite", None)
    for a in _assessments(data, ctx):
        if not (a.known and a.breach):
            continue
        risk = get_list(data, "/risks")[a.index]
        why = _breach_summary(a)
        mitigations = risk.get("mitigations")
        if not isinstance(mitigations, list) or not any(isinstance(m, str) and m.strip() for m in mitigations):
            yield Violation(
                f"{a.pointer}/mitigations", f"{a.label} is {why} but lists no mitigations", accountable=a.owner
            )
        problem = _target_problem(risk.get("target"), a, appetite, ctx.as_of)
        if problem:
            yield Violation(f"{a.pointer}/target", f"{a.label} is {why} but {problem}", accountable=a.owner)


def _breach_summary(a: RiskAssessment) -> str:
    parts = []
    if a.score_breach:
        parts.append(f"above appetite (residual {a.rating()} > {a.level} {a.threshold})")
    if a.cap_breach:
        parts.append(f"above the {a.level} impact cap ({a.impact} > {a.cap})")
    if a.capacity_breach and not parts:
        parts.append(f"at or above capacity (residual {a.rating()})")
    return " and ".join(parts)


def _target_problem(target: Any, a: RiskAssessment, appetite: Any, as_of: dt.date | None = None) -> str | None:
    if not isinstance(target, dict):
        return "has no target rating (risks[].target with likelihood, impact and by)"
    top_l, top_i = appetite.scale
    likelihood, impact = _point(target.get("likelihood"), top_l), _point(target.get("impact"), top_i)
    if likelihood is None or impact is None:
        return f"its target needs a likelihood and an impact on the statement's {top_l} x {top_i} scale"
    by = as_date(target.get("by"))
    if by is None:
        return "its target has no date (target.by)"
    if a.version2 and as_of is not None and by < as_of:  # 8.9 item 3: a plan holds while its date is ahead
        return f"its target date {by.isoformat()} has passed"
    if score(likelihood, impact) > a.threshold:
        rating = f"{likelihood} x {impact} = {score(likelihood, impact)}"
        return f"its target {rating} is still above the {a.level} appetite (at most {a.threshold})"
    if a.cap is not None and impact > a.cap:
        return f"its target impact {impact} is still above the {a.level} impact cap of {a.cap}"
    return None


@check_function(FUNCTIONS, "risk_residual_not_above_inherent")
def risk_residual_not_above_inherent(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Treatment cannot raise a risk: residual likelihood and impact are at most the inherent ones (RISK-003)."""
    top_l, top_i = _scale(ctx)
    for i, risk in risks(data):
        label, owner = risk_label(risk, i), risk_owner(risk)
        inherent, residual = risk.get("inherent"), risk.get("residual")
        if not isinstance(inherent, dict) or not isinstance(residual, dict):
            continue
        above = []
        for key, top in (("likelihood", top_l), ("impact", top_i)):
            value = inherent.get(key)
            if value is not None and _point(value, top) is None:
                yield Violation(
                    f"/risks/{i}/inherent/{key}",
                    f"{label} inherent {key} {value!r} is not on the statement's 1-{top} scale",
                    accountable=owner,
                )
                continue
            before, after = _point(value, top), _point(residual.get(key), top)
            if before is not None and after is not None and after > before:
                above.append(f"residual {key} {after} is above inherent {key} {before}")
        if above:
            yield Violation(f"/risks/{i}/residual", f"{label}: " + " and ".join(above), accountable=owner)


@check_function(FUNCTIONS, "risk_owner_named")
def risk_owner_named(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Every risk has an owner with a name and an email (RISK-004)."""
    for i, risk in risks(data):
        owner, label = risk.get("owner"), risk_label(risk, i)
        if not named(owner):
            yield Violation(f"/risks/{i}/owner", f"{label} has no named owner")
        elif not (isinstance(owner.get("email"), str) and owner["email"].strip()):
            yield Violation(f"/risks/{i}/owner", f"{label} owner {owner['name'].strip()} has no email")


@check_function(FUNCTIONS, "risk_review_not_overdue")
def risk_review_not_overdue(data: Any, options: dict[str, Any], ctx: Any):
    """Every risk has a review date that has not passed (RISK-005)."""
    for i, risk in risks(data):
        label, owner, path = risk_label(risk, i), risk_owner(risk), f"/risks/{i}/review_by"
        value = risk.get("review_by")
        day = as_date(value)
        if value is None:
            yield Violation(path, f"{label} has no review date", accountable=owner)
        elif day is None:
            yield Violation(path, f"{label} review_by {value!r} is not a date", accountable=owner)
        elif day < ctx.as_of:
            yield Violation(
                path, f"{label} review was due on {day.isoformat()}, before {ctx.as_of.isoformat()}", accountable=owner
            )


# -- portfolio rules (located in the appetite statement) ----------------------------------


def _approver(ctx: Any) -> Accountable:
    from govern.risk.appetite import APPROVER_ROLE

    return Accountable(APPROVER_ROLE, ctx.appetite.approved_by)


@check_function(
    FUNCTIONS,
    "appetite_current",
    {"type": "object", "additionalProperties": False, "properties": {"months": {"type": "integer", "minimum": 1}}},
)
def appetite_current(docs: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """The statement was approved within ``months`` (default 12) or its review date has not passed (RISK-009)."""
    from govern.risk.appetite import currency

    appetite = getattr(ctx, "appetite", None)
    if appetite is None or appetite.default:  # the bundled example never expires (8.7): a notice says it was used
        return
    current, facts = currency(appetite, ctx.as_of, options.get("months", 12))
    if current:
        return
    if appetite.review_by is not None:
        path = "/metadata/review_by"
    elif appetite.approved_on is not None:
        path = "/metadata/approved_on"
    else:
        path = "/metadata"
    yield Violation(path, f"{_statement(ctx)} is out of date: {facts}", accountable=_approver(ctx))


@check_function(FUNCTIONS, "risks_above_appetite_limit")
def risks_above_appetite_limit(docs: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Unaccepted breaches across the run stay within ``portfolio.max_risks_above_appetite`` (RISK-010)."""
    appetite = getattr(ctx, "appetite", None)
    if appetite is not None and getattr(appetite, "version2", False):
        yield from _outside_tolerance_limit(docs, appetite, ctx)
        return
    if appetite is None or appetite.max_risks_above_appetite is None:
        return
    counted, unknown = [], []
    for doc in [docs] if isinstance(docs, dict) or hasattr(docs, "data") else docs:  # the run's manifests, or one
        data = getattr(doc, "data", doc)
        where = _initiative(data, getattr(doc, "file", "<manifest>"))
        for a in assess_risks(data, appetite, ctx.as_of):
            name = f"{where} {a.label.removeprefix('risk ')}"
            if not a.known:
                unknown.append(f"{name} ({a.category if isinstance(a.category, str) else 'no category'})")
            elif a.breach and not a.accepted:
                counted.append(f"{name} {_breach_summary(a)}")
    limit = appetite.max_risks_above_appetite
    if len(counted) <= limit:
        return
    noun = "risk is" if len(counted) == 1 else "risks are"
    message = (
        f"{len(counted)} {noun} in breach of appetite without a live, valid acceptance, more than the limit of "
        f"{limit} in {_statement(ctx)}: {'; '.join(sorted(counted))}"
    )
    if unknown:
        message += f". Not counted, their category is not in the statement: {'; '.join(sorted(unknown))}"
    yield Violation("/portfolio/max_risks_above_appetite", message, accountable=_approver(ctx))


def _documents(docs: Any) -> list[Any]:
    return [docs] if isinstance(docs, dict) or hasattr(docs, "data") else list(docs)


def _outside_tolerance_limit(docs: Any, appetite: Any, ctx: Any):
    """RISK-010 under version 2: risks outside tolerance or at capacity without a live board decision,
    against ``capacity.portfolio_max_outside_tolerance`` (default 0; 8.8 item 6, 8.9 item 4)."""
    counted, unknown = [], []
    for doc in _documents(docs):
        data = getattr(doc, "data", doc)
        where = _initiative(data, getattr(doc, "file", "<manifest>"))
        for a in assess_risks(data, appetite, ctx.as_of):
            name = f"{where} {a.label.removeprefix('risk ')}"
            if not a.known:
                unknown.append(f"{name} ({a.category if isinstance(a.category, str) else 'no category'})")
            elif a.zone in ("outside", "capacity") and not a.decided:
                counted.append(f"{name} {ZONE_WORDS_SHORT[a.zone]} (residual {a.rating()})")
    limit = appetite.max_outside_tolerance or 0
    if len(counted) <= limit:
        return
    noun = "risk is" if len(counted) == 1 else "risks are"
    message = (
        f"{len(counted)} {noun} outside tolerance or at capacity without a live board decision, more than the "
        f"limit of {limit} in {_statement(ctx)}: {'; '.join(sorted(counted))}"
    )
    if unknown:
        message += f". Not counted, their category is not in the statement: {'; '.join(sorted(unknown))}"
    path = "/capacity/portfolio_max_outside_tolerance" if appetite.max_outside_tolerance is not None else "/capacity"
    yield Violation(path, message, accountable=_approver(ctx))


ZONE_WORDS_SHORT = {"outside": "outside tolerance", "capacity": "at capacity"}


def _initiative(data: Any, file: str) -> str:
    meta = data.get("metadata") if isinstance(data, dict) else None
    rid = meta.get("id") if isinstance(meta, dict) else None
    return rid if isinstance(rid, str) and rid.strip() else file


__all__ = ["FUNCTIONS", "Acceptance", "RiskAssessment", "assess_risk", "assess_risks", "score"]
