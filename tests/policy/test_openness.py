"""Openness, sustainability and resilience (GOV-024, GOV-025, SEC-012): docs/reference/rule-families.md 9.8 tricky cases."""

from __future__ import annotations

from families_support import findings, manifest


def fired(data):
    return sorted((f.rule, f.severity) for f in findings(data) if f.rule in ("GOV-024", "GOV-025", "SEC-012"))


def test_closed_for_a_reason():
    closed = manifest({"technology": {"source_code": {"open": False, "closed_reason": "fraud detection rules", "repository_url": None}}})
    assert fired(closed) == []
    silent = manifest({"technology": {"source_code": {"open": False, "closed_reason": None, "repository_url": None}}})
    assert fired(silent) == [("GOV-024", "info")]
    council = manifest({"metadata": {"organisation": {"type": "local-authority", "nation": "england"}}}, base=silent)
    assert fired(council) == []


def test_backups_nobody_has_restored():
    moved = manifest({"security": {"backup": {"restore_tested_on": "2026-03-12"}, "last_significant_change": "2026-07-01"}})
    [finding] = [f for f in findings(moved) if f.rule == "SEC-012"]
    assert finding.severity == "warning" and "predates the last significant change" in finding.message
    assert fired(manifest({"security": {"backup": None}})) == [("SEC-012", "warning")]
