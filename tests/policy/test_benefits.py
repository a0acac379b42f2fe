"""Benefits and performance data (GOV-019..022): docs/reference/rule-families.md 9.2 tricky cases, severities and owners."""

from __future__ import annotations

import datetime as dt

from families_support import findings, manifest

MEASURE = {"name": "Median days to decision", "unit": "days", "baseline": 96, "baseline_on": "2026-06-15", "target": 45,
           "by": "2027-03-31", "owner": {"name": "K. Lund", "email": "k.lund@example.gov"},
           "trajectory": [{"on": "2026-09-30", "value": 80}], "actuals": [{"on": "2026-09-30", "value": 84}]}


def benefits(data, as_of=dt.date(2026, 11, 22)):
    return sorted((f.rule, f.severity) for f in findings(data, as_of=as_of) if f.rule in ("GOV-019", "GOV-020", "GOV-021", "GOV-022"))


def test_a_baseline_taken_after_go_live_and_behind_trajectory():
    data = manifest({"benefits": {"measures": [MEASURE]}})
    assert benefits(data) == [("GOV-020", "warning"), ("GOV-021", "info")]
    [late] = [f for f in findings(data) if f.rule == "GOV-020"]
    assert late.accountable.role == "benefit_owner" and late.accountable.name == "K. Lund"
    assert not [f for f in findings(data) if f.rule == "GOV-010"]  # baseline, target and date are all there


def test_the_target_date_passed_and_nobody_looked():
    due = {**MEASURE, "baseline_on": "2025-02-28", "by": "2026-06-30", "actuals": [{"on": "2026-03-31", "value": 60}]}
    data = manifest({"benefits": {"measures": [due]}})
    assert benefits(data, dt.date(2026, 8, 15)) == [("GOV-021", "warning")]
    council = manifest({"metadata": {"organisation": {"type": "local-authority", "nation": "england"}}}, base=data)
    assert benefits(council, dt.date(2026, 8, 15)) == []
