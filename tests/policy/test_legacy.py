"""Legacy and decommissioning (SEC-010, GOV-023, SEC-011): the tricky cases of docs/reference/rule-families.md 9.4 with their severities."""

from __future__ import annotations

from families_support import findings, manifest

SERVER = {"name": "Windows Server", "version": "2012 R2", "end_of_support": "2023-10-10", "isolated": True,
          "remediation_plan": "LEG-2026-04"}
RUNTIME = {"name": "Example runtime", "version": "3.1", "end_of_support": "2027-01-31"}


def legacy(data):
    return sorted((f.rule, f.severity) for f in findings(data) if f.rule in ("SEC-010", "GOV-023", "SEC-011"))


def test_isolated_is_not_supported():
    department = manifest({"technology": {"components": [SERVER, RUNTIME]}})
    assert legacy(department) == [("GOV-023", "warning"), ("SEC-010", "warning"), ("SEC-010", "warning")]
    exposed = manifest({"technology": {"components": [{**SERVER, "isolated": False}, RUNTIME]}})
    assert ("SEC-010", "error") in legacy(exposed)
    council = manifest({"metadata": {"organisation": {"type": "local-authority", "nation": "england"}}}, base=department)
    assert legacy(council) == [("SEC-010", "warning"), ("SEC-010", "warning")]


def test_retired_on_paper_stays_in_scope_until_sanitised():
    retired = manifest({
        "metadata": {"phase": "retired"},
        "data": {"disposal": {"scheduled_on": "2026-12-15", "schedule": "RS 3.1"}},  # still holds data (docs/design/semantics.md 8.9 item 11)
        "technology": {"components": [{"name": "Public CMS", "end_of_support": "2026-06-30"}],
                       "legacy_risk": {"assessed_on": "2026-05-01", "rating": "amber"}},
    })
    assert ("SEC-010", "error") in legacy(retired) and ("SEC-011", "warning") in legacy(retired)
    done = manifest({"data": {"disposal": {"completed_on": "2026-09-15", "sanitisation": {"completed_on": "2026-05-01", "method": "provider-deletion",
                                                            "evidence": "AWS-DEL-0412"}}}}, base=retired)
    assert [r for r, _ in legacy(done) if r != "GOV-023"] == []
