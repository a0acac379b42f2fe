"""Suppliers and contracts (COM-001..004, PRIV-015's contract link): docs/reference/rule-families.md 9.5 tricky cases and 8.9 item 15."""

from __future__ import annotations

import datetime as dt

from families_support import findings, manifest

CONTRACT = {
    "id": "C-2025-110", "supplier": "CaseCo Ltd", "regime": "procurement-act-2023", "kind": "standard",
    "estimated_value": 6200000, "awarded_on": "2025-06-02", "ends_on": "2028-06-01",
    "manager": {"name": "R. Singh", "email": "r.singh@example.gov"},
    "exit_plan": {"reference": "EXIT-1", "reviewed_on": "2026-03-01"},
    "kpis": {"count": 3, "published_on": "2025-06-10"}, "performance_assessed_on": "2026-05-30",
}
PROCESSOR = {"name": "CaseCo Ltd", "contract": "C-2025-110", "art28_terms": True, "country": "GB"}


def com(data, as_of=dt.date(2026, 11, 22)):
    return sorted((f.rule, f.severity) for f in findings(data, as_of=as_of) if f.rule.startswith(("COM-", "PRIV-015")))


def test_the_contract_ended_and_the_processing_did_not():
    ended = manifest({"contracts": [{**CONTRACT, "regime": "pcr-2015", "ends_on": "2026-06-01"}],
                      "privacy": {"processors": [PROCESSOR]}})
    assert com(ended) == [("COM-002", "error"), ("PRIV-015", "error")]
    [finding] = [f for f in findings(ended) if f.rule == "COM-002"]
    assert finding.accountable.role == "contract_manager" and finding.accountable.name == "R. Singh"
    renewed = manifest({"contracts": [{**CONTRACT, "regime": "pcr-2015", "ends_on": "2027-06-01"}]}, base=ended)
    assert com(renewed) == []


def test_which_procurement_law():
    assert com(manifest({"contracts": [{**CONTRACT, "kpis": {"count": 2, "published_on": "2025-06-10"}}]})) == [("COM-003", "error")]
    reason = {**CONTRACT, "kpis": {"count": 0, "not_appropriate": "perpetual licences"}, "performance_assessed_on": None}
    assert com(manifest({"contracts": [reason]}), as_of=dt.date(2027, 2, 1)) == []
    never = {**CONTRACT, "performance_assessed_on": None}
    assert com(manifest({"contracts": [never]})) == []  # s.71 commenced 2026-01-01: first period ends 2027-01-01
    assert com(manifest({"contracts": [never]}), as_of=dt.date(2027, 2, 1)) == [("COM-004", "error")]
    scottish = manifest({"metadata": {"organisation": {"type": "local-authority", "nation": "scotland"}},
                         "contracts": [{**CONTRACT, "regime": "pcsr-2015", "kpis": None, "exit_plan": None}]})
    assert com(scottish) == [("COM-001", "warning")]


def test_welsh_ministers_procurements_commence_in_april():
    never = {**CONTRACT, "awarded_on": "2025-01-10", "performance_assessed_on": None}
    welsh = manifest({"metadata": {"organisation": {"type": "local-authority", "nation": "wales"}}, "contracts": [never]})
    england = manifest({"metadata": {"organisation": {"type": "local-authority", "nation": "england"}}, "contracts": [never]})
    as_of = dt.date(2027, 2, 1)
    assert ("COM-004", "error") in com(england, as_of) and ("COM-004", "error") not in com(welsh, as_of)
