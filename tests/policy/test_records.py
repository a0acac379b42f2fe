"""Records and data quality (DATA-008..010): docs/reference/rule-families.md 9.7 tricky cases with their severities."""

from __future__ import annotations

from families_support import findings, manifest

RETIRED = {
    "metadata": {"phase": "retired"},
    "data": {"disposal": {"completed_on": "2026-09-15", "schedule": "RS-2024 3.1"},
             "sharing": [{"with": "LBX Electoral Registration Office", "agreement": "ISA-2025-007", "ends_on": "2026-06-30"}]},
}


def records(data):
    return sorted((f.rule, f.severity) for f in findings(data) if f.rule in ("DATA-008", "DATA-009", "DATA-010"))


def org(kind, nation):
    return {"metadata": {"organisation": {"type": kind, "nation": nation}}}


def test_public_record_or_not():
    assert records(manifest(org("local-authority", "england"), base=manifest(RETIRED))) == []
    trust = manifest(org("nhs", "england"), base=manifest(RETIRED))
    assert records(trust) == [("DATA-009", "error")]
    appraised = manifest({"data": {"disposal": {"appraisal": {"completed_on": "2026-08-01", "reference": "NHS RM Code",
                                                             "decision": "destroy"}}}}, base=trust)
    assert records(appraised) == []
    declared = manifest({"data": {"public_records": False}}, base=trust)  # the manifest overrides the default
    assert records(declared) == []


def test_no_personal_data_still_records():
    tool = {"name": "Grant scoring", "decision_role": "decision-support", "public_effect": True, "personal_data": False,
            "significant_decisions": False, "human_oversight": {"reference": "H", "reviewer_can_override": True},
            "bias_testing": {"completed_on": "2026-01-05", "reference": "B"},
            "atrs": {"status": "published", "url": "https://www.gov.uk/atrs/g"}}
    grants = manifest({"data": {"personal_data": False, "retention_schedule": None,
                                "quality": {"assessed_on": "2025-03-01", "reference": "DQ"}}, "algorithmic_tools": [tool]})
    assert records(grants) == [("DATA-008", "warning"), ("DATA-010", "warning")]
    council = manifest(org("local-authority", "england"), base=grants)
    assert records(council) == [("DATA-008", "warning")]
