"""The data and privacy packs beyond their examples: configuration, locations, severities, odd input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.run.config import DEFAULTS
from govern.core.loader import load_file
from govern.core.model import Context
from govern.plugins.manager import load_plugins
from govern.policy.packs import merge_patch
from govern.run.runner import Options, run_check
from govern.testing import evaluate_manifest, load_rules, run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE_FILE = ROOT / "policies" / "examples" / "base.yaml"
BASE = load_file(str(BASE_FILE)).documents[0].data
AS_OF = dt.date(2026, 11, 22)
_, ALL_RULES, _, ERRORS = load_rules(no_plugins=True)
MINE = {r.id: r for r in ALL_RULES if r.id.startswith(("DATA-", "PRIV-")) and r.pack in ("data", "privacy")}
REGISTRY = load_plugins([], True)


def ctx(config: dict | None = None, as_of: dt.date = AS_OF) -> Context:
    """A run context as `govern check` builds it; ``config`` defaults to govern's defaults."""
    return Context(as_of=as_of, config=config if config is not None else dict(DEFAULTS), functions=REGISTRY.functions)


def findings(patch: dict, config: dict | None = None, as_of: dt.date = AS_OF, rule: str | None = None):
    manifest = merge_patch(BASE, patch)
    found = evaluate_manifest(manifest, ALL_RULES, ctx(config, as_of))
    return [f for f in found if rule is None or f.rule == rule]


def fired(patch: dict, **kwargs) -> list[str]:
    return sorted({f.rule for f in findings(patch, **kwargs)})


def write(tmp_path: Path, patch: dict, name: str = "initiative.yaml") -> tuple[Path, list[str]]:
    path = tmp_path / name
    text = yaml.safe_dump(merge_patch(BASE, patch), sort_keys=False, default_flow_style=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines()


def test_packs_load_and_cover_the_catalogue():
    assert ERRORS == []
    expected = {f"DATA-{i:03d}" for i in range(1, 8)} | {f"PRIV-{i:03d}" for i in range(1, 15)}
    assert set(MINE) == expected


# -- metadata the board pack relies on -------------------------------------------------


def test_statutory_rules_are_not_waivable():
    # DATA-004 is waivable (docs/design/semantics.md 8.8 item 7); each of these says why it is not (8.6)
    statutory = {"PRIV-001", "PRIV-004", "PRIV-006", "PRIV-008", "PRIV-011", "PRIV-012"}
    assert {rid for rid, rule in MINE.items() if not rule.waivable} == statutory
    assert {MINE[rid].waiver_policy for rid in statutory} == {"statutory"}


def test_accountable_roles_never_the_dpo():
    roles = {rid: rule.accountable for rid, rule in MINE.items()}
    assert roles.pop("DATA-002") == "senior_information_risk_owner"
    assert roles.pop("PRIV-013") == "security_lead"  # s.62 logging (docs/design/semantics.md 8.1)
    assert set(roles.values()) == {"information_asset_owner"}


def test_references_are_structured_with_canonical_https_urls():
    allowed = ("https://www.legislation.gov.uk/", "https://www.gov.uk/", "https://ico.org.uk/",
               "https://security.gov.uk/", "https://ec.europa.eu/newsroom/article29/", "https://www.nist.gov/")
    for rid, rule in MINE.items():
        assert rule.references, rid
        for ref in rule.references:
            assert ref.framework
            assert ref.url is None or ref.url.startswith(allowed), (rid, ref.url)
    assert "12 calendar months" in MINE["PRIV-003"].defaults


# -- DATA-001 / DATA-002: the classification scheme -----------------------------------


def test_official_sensitive_is_an_info_not_an_error():
    [finding] = findings({"data": {"classification": "OFFICIAL-SENSITIVE", "marking": None}})
    assert (finding.rule, finding.severity, finding.path) == ("DATA-001", "info", "/data/classification")
    assert "classification: OFFICIAL and marking: SENSITIVE" in finding.message


def test_classification_is_required_even_without_a_data_block():
    manifest = {k: v for k, v in BASE.items() if k != "data"}
    got = [f for f in evaluate_manifest(manifest, [MINE["DATA-001"]], ctx()) if f.rule == "DATA-001"]
    assert [(f.path, f.severity) for f in got] == [("/data/classification", "error")]


def test_classification_scheme_from_config_changes_data001(tmp_path):
    path, _ = write(tmp_path, {"data": {"classification": "PROTECTED", "marking": None}})

    def data001(config):
        options = Options(paths=[str(path)], as_of=AS_OF, no_plugins=True)
        options.config = config
        return [f for f in run_check(options).findings if f.rule == "DATA-001"]

    default = data001(dict(DEFAULTS))
    assert [f.severity for f in default] == ["error"]
    assert "PROTECTED is not a tier of the classification scheme (OFFICIAL, SECRET, TOP SECRET)" in default[0].message

    scheme = {"tiers": ["OFFICIAL", "PROTECTED", "SECRET", "TOP SECRET"], "aliases": {}}
    assert data001({**DEFAULTS, "classification": scheme}) == []

    # With aliases: {} the default OFFICIAL-SENSITIVE alias is gone too.
    path.write_text(path.read_text().replace("classification: PROTECTED", "classification: OFFICIAL-SENSITIVE"))
    assert [f.severity for f in data001({**DEFAULTS, "classification": scheme})] == ["error"]
    assert [f.severity for f in data001(dict(DEFAULTS))] == ["info"]


def test_configured_alias_maps_to_a_tier():
    config = {**DEFAULTS, "classification": {"tiers": ["OFFICIAL", "SECRET"], "aliases": {"O-S": "OFFICIAL"}}}
    [finding] = findings({"data": {"classification": "O-S"}}, config=config)
    assert finding.severity == "info" and "O-S is read as OFFICIAL" in finding.message


def test_malformed_classification_config_falls_back_to_defaults():
    broken = {**DEFAULTS, "classification": {"tiers": "OFFICIAL", "aliases": ["x"]}}
    assert fired({}, config=broken) == []
    assert fired({"data": {"classification": "RESTRICTED"}}, config=broken) == ["DATA-001"]
    assert fired({}, config={}) == []  # an empty context config means the defaults


def test_data002_ranks_tiers_of_the_configured_scheme():
    scheme = {"tiers": ["OFFICIAL", "PROTECTED", "SECRET"], "aliases": {}}
    config = {**DEFAULTS, "classification": scheme}
    [finding] = findings({"data": {"classification": "PROTECTED"}}, config=config)
    assert (finding.rule, finding.severity, finding.path) == ("DATA-002", "error", "/security/accreditation")
    accredited = findings({"data": {"classification": "PROTECTED"}, "security": {"accreditation": "ACC-9"}}, config=config)
    assert [(f.rule, f.severity) for f in accredited] == [("DATA-002", "info")]
    assert "ACC-9" in accredited[0].message and "OFFICIAL only" in accredited[0].message


def test_unknown_tier_is_data001_only():
    assert fired({"data": {"classification": "ULTRA"}}) == ["DATA-001"]


# -- DATA-005: where the data lives ------------------------------------------------------


def test_data005_cli_reports_at_the_offending_processor_country(tmp_path):
    patch = {
        "data": {"residency": ["UK"]},
        "privacy": {
            "international_transfers": "none",
            "processors": [
                {"name": "Civic Forms Ltd", "contract": "C-2025-031", "art28_terms": True, "country": "GB"},
                {"name": "Helpdesk Partners", "contract": "C-2025-032", "art28_terms": True, "country": "IN"},
            ],
        },
    }
    path, lines = write(tmp_path, patch)
    result = run_cli("check", str(path), "--as-of", "2026-11-22", "--no-plugins", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    data005 = [f for f in report["findings"] if f["rule"] == "DATA-005"]
    assert [f["path"] for f in data005] == ["/privacy/processors/1/country"]
    row = next(i for i, line in enumerate(lines) if line.strip() == "country: IN")
    assert (data005[0]["line"], data005[0]["column"]) == (row + 1, lines[row].index("country") + 1)
    assert "IN (processor Helpdesk Partners)" in data005[0]["message"]
    assert data005[0]["accountable"] == {"role": "information_asset_owner", "name": "Priya Raman"}
    text = run_cli("check", str(path), "--as-of", "2026-11-22", "--no-plugins", cwd=tmp_path)
    assert f"{path.name}:{row + 1}:{lines[row].index('country') + 1}  ERROR  DATA-005" in text.stdout


def test_data005_one_finding_per_foreign_location_in_document_order():
    patch = {
        "data": {"residency": ["GB", "IE"]},
        "security": {"hosting": {"country": "DE"}},
        "privacy": {"processors": [{"name": "A", "country": "US"}, {"name": "B", "country": "UK"}]},
    }
    got = findings(patch, rule="DATA-005")
    assert [f.path for f in got] == ["/data/residency/1", "/security/hosting/country", "/privacy/processors/0/country"]


def test_data005_recorded_transfers_or_no_personal_data_silence_it():
    abroad = {"privacy": {"processors": [{"name": "A", "country": "US", "contract": "C-1", "art28_terms": True}]}}  # PRIV-015 met
    assert fired(abroad) == ["DATA-005"]
    transfer = {"to": "US", "recipient": "A", "mechanism": "uk-adequacy-regulations"}
    assert fired(merge_patch(abroad, {"privacy": {"international_transfers": [transfer]}})) == []
    assert "DATA-005" not in fired(merge_patch(abroad, {"data": {"personal_data": False}}))
    # An empty list of transfers is no record at all.
    got = findings(merge_patch(abroad, {"privacy": {"international_transfers": []}}), rule="DATA-005")
    assert len(got) == 1 and "is not recorded" in got[0].message


def test_data005_home_country_is_configurable_and_uk_means_gb():
    assert fired({"data": {"residency": ["UK", "GB"]}}, config={**DEFAULTS, "home_country": "UK"}) == []
    irish = {**DEFAULTS, "home_country": "IE"}
    got = findings({}, config=irish, rule="DATA-005")
    # Base data sits in GB: residency, hosting and the processor are all abroad from Ireland.
    assert [f.path for f in got] == ["/data/residency/0", "/security/hosting/country", "/privacy/processors/0/country"]
    assert "outside the home country IE" in got[0].message


# -- PRIV-003: a DPIA that has gone stale -----------------------------------------------


def test_priv003_warning_and_error_both_in_json(tmp_path):
    # completed before live began (2026-01-12), else PRIV-001 warns it came after processing began
    patch = {"privacy": {"dpia": {"completed_on": "2026-01-05", "reviewed_on": None, "review_by": "2026-07-20",
                                  "screening": {"ico_list": ["innovative-technology"], "updated_on": "2026-09-01"}}}}
    path, _ = write(tmp_path, patch)
    result = run_cli("check", str(path), "--as-of", "2026-11-22", "--no-plugins", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    priv003 = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "PRIV-003"]
    assert sorted((f["severity"], f["path"]) for f in priv003) == [
        ("error", "/privacy/dpia/screening/updated_on"),
        ("warning", "/privacy/dpia/review_by"),
    ]
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == {"PRIV-003"}


def test_priv003_default_review_is_twelve_calendar_months():
    def priv003(completed: str, as_of: dt.date):
        patch = {"metadata": {"phase_since": "2025-01-01"},
                 "privacy": {"dpia": {"completed_on": completed, "reviewed_on": None, "review_by": None,
                                      "screening": {"updated_on": None}}}}
        return findings(patch, as_of=as_of, rule="PRIV-003")

    assert priv003("2025-11-22", dt.date(2026, 11, 22)) == []  # exactly 12 months: still in date
    [late] = priv003("2025-11-21", dt.date(2026, 11, 22))
    assert late.severity == "warning" and "more than 12 months" in late.message
    assert priv003("2025-08-31", dt.date(2026, 8, 31)) == []  # month ends stay calendar months


def test_priv003_does_not_apply_to_an_unfinished_dpia():
    patch = {"privacy": {"dpia": {"status": "in-progress", "review_by": "2020-01-01"}}}
    assert "PRIV-003" not in fired(patch)


# -- the other privacy rules --------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "status", "fires"),
    [("discovery", "not-started", False), ("alpha", "in-progress", False), ("alpha", "not-started", True),
     ("beta", "in-progress", True), ("live", "completed", False), ("retired", "not-started", False)],
)
def test_priv001_phase_gating(phase, status, fires):
    manifest = merge_patch(BASE, {"metadata": {"phase": phase}, "privacy": {"dpia": {"status": status, "screening": {"art35_3": ["a"]}}}})
    got = [f for f in evaluate_manifest(manifest, [MINE["PRIV-001"]], ctx()) if f.rule == "PRIV-001"]
    assert bool(got) is fires


@pytest.mark.parametrize(("wp248", "fires"), [(["sensitive-data"], False), (["sensitive-data", "vulnerable-subjects"], True)])
def test_priv009_follows_the_priv001_condition(wp248, fires):
    got = findings({"privacy": {"dpo_consulted": False, "dpia": {"screening": {"wp248": wp248}}}}, rule="PRIV-009")
    assert bool(got) is fires


@pytest.mark.parametrize("art9", [f"9(2)({c})" for c in "abcdefghij"])
def test_priv006_each_condition_with_what_it_needs(art9):
    letter = art9[-2]
    conditions = {"art9": art9}
    if letter in "bghij":
        conditions["dpa2018_schedule1"] = "Part 2 para 6"
    if letter in "bg":
        conditions["appropriate_policy_document"] = "APD-1"
    patch = {"data": {"special_category_data": True, "special_category_conditions": conditions}}
    assert fired(patch) == []
    if letter in "bghij":
        less = merge_patch(patch, {"data": {"special_category_conditions": {"dpa2018_schedule1": None}}})
        assert fired(less) == ["PRIV-006"]


def test_priv006_rejects_other_spellings_of_the_condition():
    patch = {"data": {"special_category_data": True, "special_category_conditions": {"art9": "Art. 9(2)(a)"}}}
    [finding] = findings(patch, rule="PRIV-006")
    assert finding.path == "/data/special_category_conditions/art9" and "Art. 9(2)(a)" in finding.message


def test_priv007_lawful_basis_does_not_count_but_either_condition_does():
    assert fired({"data": {"criminal_offence_data": True, "lawful_basis": "legal_obligation"}}) == ["PRIV-007"]
    schedule = {"official_authority": False, "dpa2018_schedule1": "Part 2 para 10"}
    assert fired({"data": {"criminal_offence_data": True, "criminal_offence_conditions": schedule}}) == []


@pytest.mark.parametrize(
    ("transfer", "fires"),
    [({"mechanism": "uk-addendum", "reference": "TRA-1"}, False), ({"mechanism": "uk-addendum"}, True),
     ({"mechanism": "art49-derogation"}, False), ({"mechanism": "uk-adequacy-regulations"}, False),
     ({"mechanism": "idta", "reference": ""}, True), ({"mechanism": "adequacy"}, True)],
)
def test_priv010_mechanisms(transfer, fires):
    entry = {"to": "US", "recipient": "Support desk", **transfer}
    got = findings({"privacy": {"international_transfers": [entry]}}, rule="PRIV-010")
    assert bool(got) is fires
    assert all(f.path.startswith("/privacy/international_transfers/0/") for f in got)


def test_priv011_consultation_must_precede_beta_but_not_alpha():
    consult = {"privacy": {"dpia": {"residual_high_risk": True, "ico_prior_consultation": {"date": "2026-08-01", "outcome": "advice"}}}}
    beta = merge_patch(consult, {"metadata": {"phase": "beta", "phase_since": "2026-07-01"}})
    [finding] = findings(beta, rule="PRIV-011")
    assert finding.path == "/privacy/dpia/ico_prior_consultation/date" and "2026-07-01" in finding.message
    alpha = merge_patch(consult, {"metadata": {"phase": "alpha", "phase_since": "2026-07-01"},
                                  "privacy": {"dpia": {"ico_prior_consultation": {"date": "2027-02-01"}}}})
    assert findings(alpha, rule="PRIV-011") == []


def test_priv005_only_for_legitimate_interests():
    assert fired({"data": {"lawful_basis": "legitimate_interests"}}) == ["PRIV-005"]
    assert findings({"data": {"lawful_basis": "legitimate_interests"}}, rule="PRIV-005")[0].severity == "warning"


# -- robustness -------------------------------------------------------------------------

ODD = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=12), st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.sampled_from(["country", "date", "name", "updated_on", "tier"]), st.text(max_size=10), max_size=3),
)
SPOTS = [
    ("data", "classification"), ("data", "residency"), ("data", "sharing"), ("privacy", "processors"),
    ("privacy", "international_transfers"), ("privacy", "dpia"), ("security", "hosting"), ("metadata", "phase_since"),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(SPOTS), ODD), min_size=1, max_size=4),
       st.sampled_from([None, {}, {"classification": "x", "home_country": 3}]))
def test_checks_never_raise_on_odd_values(changes, config):
    patch: dict = {}
    for (block, key), value in changes:
        patch.setdefault(block, {})[key] = value if value is not None else "none"
    got = findings(patch, config=None if config is None else {**DEFAULTS, **config})
    assert not [f for f in got if f.rule == "GOV-ENGINE"], [f.message for f in got if f.rule == "GOV-ENGINE"]
