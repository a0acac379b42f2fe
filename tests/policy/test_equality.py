"""Equality and Welsh language (ACC-007..009): docs/reference/rule-families.md 9.6 tricky cases and 8.9 item 8."""

from __future__ import annotations

from families_support import findings, manifest

IN_BETA = {
    "metadata": {"phase": "beta"},
    "accountability": {"approvals": [
        {"board": "DIB", "date": "2025-06-01", "decision": "approved", "phase": "alpha", "reference": "A"},
        {"board": "DIB", "date": "2026-01-14", "decision": "approved", "phase": "beta", "reference": "B"}]},
}


def acc(data):
    return sorted((f.rule, f.severity) for f in findings(data) if f.rule in ("ACC-007", "ACC-008", "ACC-009"))


def test_an_eqia_written_after_the_vote():
    beta = manifest(IN_BETA)
    assert acc(manifest({"equality": {"assessed_on": "2026-02-20"}}, base=beta)) == [("ACC-007", "warning")]
    assert acc(manifest({"equality": {"assessed_on": "2025-05-10"}}, base=beta)) == [("ACC-007", "warning")]
    assert acc(manifest({"equality": {"assessed_on": "2025-11-01"}}, base=beta)) == []
    assert acc(manifest({"equality": None}, base=beta)) == [("ACC-007", "error")]
    reviewed = manifest({"equality": {"assessed_on": "2025-11-01", "reviewed_on": "2026-06-01"}}, base=beta)
    assert acc(reviewed) == []  # a later review never makes the timing warning fire


def test_one_english_only_service_three_bodies():
    web = {"service": {"languages": ["en"]}}
    welsh = manifest({**web, "metadata": {"organisation": {"type": "local-authority", "nation": "wales"}},
                      "welsh_language": {"compliance_notice": "CN-1", "assessed_on": "2025-11-01"}})
    assert acc(welsh) == [("ACC-009", "error")]
    [finding] = [f for f in findings(welsh) if f.rule == "ACC-009"]
    department = manifest({**web, "welsh_language": {"scheme": "WLS-1"}})
    assert acc(department) == [("ACC-008", "warning")]
    english = manifest({**web, "metadata": {"organisation": {"type": "local-authority", "nation": "england"}}})
    assert acc(english) == []
    later = manifest({"welsh_language": {"not_required_reason": "website standards in notice take effect 2027-04-01"}}, base=welsh)
    assert acc(later) == []
