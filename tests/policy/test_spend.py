"""Business case and spend control (GOV-014..018): severities, scope and settings beyond the pack's examples.

The pack's own examples (policies/spend.yaml) run in tests/policy/test_packs.py; these pin
what a board relies on: the tricky cases of docs/reference/rule-families.md 9.1 with their severities, the configured
govern defaults, and that a council is never judged by HM Treasury's controls.
"""

from __future__ import annotations

import datetime as dt
import json

from families_support import COUNCIL, findings, manifest, severities

from govern.testing import run_cli

FORECAST_CROSSED = {
    "metadata": {"phase": "beta"},
    "governance": {"spend_control": {"phase": "beta"}},
    "business_case": {"stage": "obc", "approved_on": "2026-01-14",
                      "whole_life_cost": {"approved": 4200000, "forecast": 5600000, "forecast_on": "2026-10-31"}},
}
LIMIT = {"delegated_authority_limit": 5000000}


def test_forecast_crossing_the_limit_is_a_warning_and_gov014_passes():
    data = manifest(FORECAST_CROSSED)
    assert severities(data, "GOV-016", config=LIMIT) == ["warning"]
    assert severities(data, "GOV-015", config=LIMIT) == ["warning"]
    assert "33 % over" in findings(data, config=LIMIT, rule="GOV-015")[0].message
    assert findings(data, config=LIMIT, rule="GOV-014") == []


def test_an_approval_beyond_the_delegation_is_an_error_owned_by_the_accounting_officer():
    data = manifest({**FORECAST_CROSSED, "business_case": {**FORECAST_CROSSED["business_case"],
                     "whole_life_cost": {"approved": 5600000, "forecast": 5600000, "forecast_on": "2026-10-31"}}})
    [finding] = findings(data, config=LIMIT, rule="GOV-016")
    assert finding.severity == "error"
    assert finding.accountable.role == "accounting_officer" and finding.accountable.name == "Joan Hale"
    assert "hm-treasury" in finding.message


def test_gmpp_assessment_before_the_departure_is_a_warning():
    data = manifest({**FORECAST_CROSSED, "governance": {"gmpp": True, "spend_control": {"phase": "beta"}},
                     "business_case": {**FORECAST_CROSSED["business_case"],
                                       "above_delegation": {"approved_by": "hm-treasury", "date": "2026-01-10", "reference": "H"},
                                       "ao_assessment": {"completed_on": "2026-01-10", "summary_url": "https://x.gov.uk"}}})
    assert severities(data, "GOV-018") == ["warning"]


def test_spend_control_binds_an_alb_but_not_the_council():
    lbx = manifest({"governance": {"spend_control": None},
                    "business_case": {"stage": "fbc", "approved_on": "2025-12-15",
                                      "whole_life_cost": {"approved": 515000}}}, base=COUNCIL)
    assert findings(lbx, rule="GOV-017") == []
    alb = manifest({"metadata": {"organisation": {"type": "arms-length-body", "nation": "uk"}}}, base=lbx)
    assert severities(alb, "GOV-017") == ["error"]
    alb_beta = manifest({"metadata": {"phase": "beta"}}, base=alb)
    assert severities(alb_beta, "GOV-017") == ["error"]
    alb_alpha = manifest({"metadata": {"phase": "alpha"}}, base=alb)
    assert severities(alb_alpha, "GOV-017") == ["warning"]


def test_no_organisation_is_judged_as_a_department():
    """docs/design/semantics.md 8.1: scoped rules apply as for central government, never silently pass."""
    data = manifest({"metadata": {"organisation": None}, "business_case": None})
    # GOV-014 fires as it would for a department, and GOV-013 says that reading was assumed
    assert [f.rule for f in findings(data) if f.rule.startswith("GOV-01")] == ["GOV-013", "GOV-014"]


def fired(result) -> set[str]:
    assert result.returncode in (0, 1), result.stderr
    return {f["rule"] for f in json.loads(result.stdout)["findings"]}


def test_configured_defaults_come_from_govern_yaml(tmp_path):
    """A real run: delegated_authority_limit and the tolerance are read from govern.yaml."""
    import yaml

    (tmp_path / "dept.yaml").write_text(yaml.safe_dump(manifest(FORECAST_CROSSED), sort_keys=False), encoding="utf-8")
    args = ("check", "dept.yaml", "--as-of", "2026-11-22", "--format", "json", "--no-plugins")
    plain = fired(run_cli(*args, cwd=tmp_path))
    assert "GOV-016" not in plain and "GOV-015" in plain
    (tmp_path / "govern.yaml").write_text(
        "delegated_authority_limit: {default: 9000000, dfg-grants: 5000000}\n"
        "business_case: {forecast_tolerance: 0.5}\n", encoding="utf-8")
    configured = fired(run_cli(*args, cwd=tmp_path))
    assert "GOV-016" in configured and "GOV-015" not in configured


def test_explain_names_the_govern_defaults():
    out = run_cli("explain", "GOV-017").stdout
    assert "govern defaults (not a framework's figures)" in out and "£100k" in out
    assert "scope UKG" in out or "UKG" in out


def test_bad_delegated_limit_in_config_is_a_located_error(tmp_path):
    (tmp_path / "govern.yaml").write_text("delegated_authority_limit: lots\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("apiVersion: govern/v1\nkind: Initiative\nmetadata: {id: A, name: A, phase: discovery}\n")
    result = run_cli("check", "m.yaml", "--as-of", "2026-11-22", cwd=tmp_path)
    assert result.returncode == 2 and "govern.yaml:1:" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


_ = dt
