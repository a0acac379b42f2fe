"""The published JSON Schemas accept the documented examples and reject real mistakes.

The examples are the contract's own, copied into tests/fixtures/contract (each file names the
section it came from), so the schemas cannot drift from the examples users see.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import validator_for

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SCHEMA_FILES = sorted(SCHEMAS.glob("*.schema.json"))


CONTRACT = Path(__file__).resolve().parents[1] / "fixtures" / "contract"

# The contract's Initiative example sets metadata.organisation; the schema gains it with issue 14.
# strict: when it arrives these tests pass, and the marker must go.


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def as_strings(value: Any) -> Any:
    """Turn dates into ISO strings, as govern's own loader does."""
    if isinstance(value, dict):
        return {key: as_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_strings(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def example(name: str) -> Any:
    """One of the contract's examples, as govern's loader would see it (dates as strings)."""
    return as_strings(yaml.safe_load((CONTRACT / name).read_text(encoding="utf-8")))


def pointer_of(error: ValidationError) -> str:
    return "".join(f"/{part}" for part in error.absolute_path)


def errors(name: str, document: Any) -> list[tuple[str, str]]:
    """(JSON Pointer, failing keyword) of every error, deepest first within a combinator."""
    found = []
    for error in validator(name).iter_errors(document):
        leaves = [error]
        while any(leaf.context for leaf in leaves):
            leaves = [sub for leaf in leaves for sub in (leaf.context or [leaf])]
        found.extend((pointer_of(leaf), str(leaf.validator)) for leaf in leaves)
    return found


def assert_valid(name: str, document: Any) -> None:
    assert errors(name, document) == []


def assert_rejected_at(name: str, document: Any, pointer: str, keyword: str) -> None:
    found = errors(name, document)
    assert found, "the document was accepted"
    assert (pointer, keyword) in found, found
    # Every error belongs to the one mistake made (combinators report each branch).
    assert all(path.startswith(pointer) for path, _ in found), found


def set_at(document: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    *parents, last = pointer.strip("/").split("/")
    target: Any = changed
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    target[int(last) if isinstance(target, list) else last] = value
    return changed


# --------------------------------------------------------------------------- the schemas themselves


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda path: path.name)
def test_schema_is_valid_against_its_metaschema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator_for(schema).check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:govern:v1:{path.name.removesuffix('.schema.json')}"
    assert schema["title"]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda path: path.name)
def test_schema_file_is_two_space_json(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def _properties_without_description(node: Any, pointer: str = "") -> list[str]:
    missing = []
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{pointer}/properties/{key}")
        for key, sub in node.items():
            missing.extend(_properties_without_description(sub, f"{pointer}/{key}"))
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            missing.extend(_properties_without_description(sub, f"{pointer}/{index}"))
    return missing


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda path: path.name)
def test_every_property_is_described_for_editors(path: Path) -> None:
    assert _properties_without_description(json.loads(path.read_text(encoding="utf-8"))) == []


# --------------------------------------------------------------------------- documented examples


# Revision 2 (docs/design/semantics.md 8.9 item 10): `security.hosting` without `type` is a schema error. Both
# Initiative examples of the contract predate it and record hosting without a type; that is the only change.
HOSTING_TYPE_REQUIRED = [("/security/hosting", "required")]


def with_hosting_type(document: dict[str, Any]) -> dict[str, Any]:
    return set_at(document, "/security/hosting/type", "cloud")


@pytest.fixture(scope="module")
def spec_manifest() -> dict[str, Any]:
    return with_hosting_type(example("spec-initiative.yaml"))


@pytest.fixture(scope="module")
def full_manifest() -> dict[str, Any]:
    return with_hosting_type(example("rules-full-manifest.yaml"))


@pytest.mark.parametrize("name", ["spec-initiative.yaml", "rules-full-manifest.yaml"])
def test_contract_manifests_differ_from_revision_2_only_by_the_hosting_type(name: str) -> None:
    assert errors("initiative", example(name)) == HOSTING_TYPE_REQUIRED


def test_spec_example_manifest_is_valid(spec_manifest: dict[str, Any]) -> None:
    assert spec_manifest["kind"] == "Initiative"
    assert_valid("initiative", spec_manifest)


def test_full_manifest_is_valid(full_manifest: dict[str, Any]) -> None:
    assert full_manifest["accountability"]["senior_information_risk_owner"]
    assert_valid("initiative", full_manifest)


@pytest.mark.parametrize("name", ["spec-risk-appetite.yaml", "rules-default-appetite.yaml"])
def test_appetite_statements_are_valid(name: str) -> None:
    statement = example(name)
    assert statement["kind"] == "RiskAppetite"
    assert_valid("risk-appetite", statement)


def test_waiver_register_example_is_valid() -> None:
    register = example("spec-waiver-register.yaml")
    assert register["kind"] == "WaiverRegister"
    assert_valid("waiver-register", register)


# --------------------------------------------------------------------------- initiative: rejections


@pytest.mark.parametrize(
    ("pointer", "value", "at", "keyword"),
    [
        ("/owner", "someone", "", "additionalProperties"),
        ("/privacy/privacy_notice_ur", "https://example.gov/x", "/privacy", "additionalProperties"),
        ("/metadata/phase", "gamma", "/metadata/phase", "enum"),
        ("/service/public_facing", "yes", "/service/public_facing", "type"),
        ("/privacy/dpo_consulted", "NO", "/privacy/dpo_consulted", "type"),
        ("/privacy/dpia/completed_on", "2026-02-30", "/privacy/dpia/completed_on", "format"),
        ("/privacy/dpia/completed_on", "20/01/2026", "/privacy/dpia/completed_on", "pattern"),
        ("/risks/0/residual/likelihood", 0, "/risks/0/residual/likelihood", "minimum"),
        ("/risks/0/inherent/impact", 2.5, "/risks/0/inherent/impact", "type"),
        ("/service/channels", ["web", "fax"], "/service/channels/1", "enum"),
        ("/service/users", ["residents"], "/service/users/0", "enum"),
        ("/privacy/dpia/status", "done", "/privacy/dpia/status", "enum"),
        ("/data/lawful_basis", "public-task", "/data/lawful_basis", "enum"),
        ("/data/residency", ["uk"], "/data/residency/0", "pattern"),
        ("/data/retention_months", -1, "/data/retention_months", "minimum"),
        ("/security/mfa", "on", "/security/mfa", "type"),
        ("/security/mfa/admin", True, "/security/mfa", "additionalProperties"),
        ("/security/mfa/users", "gov-uk-verify", "/security/mfa", "type"),
        ("/security/hosting/type", None, "/security/hosting/type", "enum"),
        ("/privacy/international_transfers", "None", "/privacy/international_transfers", "const"),
        ("/accessibility/wcag_target", "WCAG 2.2 AA", "/accessibility/wcag_target", "pattern"),
        ("/accountability/service_owner/email", "j.okafor", "/accountability/service_owner/email", "pattern"),
        ("/metadata/id", "-bad id", "/metadata/id", "pattern"),
        ("/apiVersion", "govern/v2", "/apiVersion", "const"),
    ],
)
def test_initiative_rejects(
    full_manifest: dict[str, Any], pointer: str, value: Any, at: str, keyword: str
) -> None:
    assert_rejected_at("initiative", set_at(full_manifest, pointer, value), at, keyword)


def test_initiative_requires_only_identity(spec_manifest: dict[str, Any]) -> None:
    minimal = {"apiVersion": "govern/v1", "kind": "Initiative", "metadata": {"id": "X-1", "name": "X", "phase": "alpha"}}
    assert_valid("initiative", minimal)
    assert_rejected_at("initiative", {**minimal, "metadata": {"id": "X-1", "phase": "alpha"}}, "/metadata", "required")
    assert_rejected_at("initiative", {**minimal, "metadata": {"id": "X-1", "name": "X"}}, "/metadata", "required")
    no_id = set_at(spec_manifest, "/risks/0", {"title": "no id"})
    assert_rejected_at("initiative", no_id, "/risks/0", "required")


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("/extensions", {"dwp": {"anything": [1, {"nested": None}], "Flag": "yes"}, "other": 3}),
        ("/security/mfa", True),
        ("/security/mfa", {"admins": True, "staff": False, "users": "one-login"}),
        ("/security/incident_response_plan", {"reference": "IRP-1", "tested_on": "2026-01-05"}),
        ("/security/caf", {"critical_system": True, "independent_review_on": "2026-03-01", "improvement_plan": "CAF-IP-1"}),
        ("/security/supplier_assurance", "cyber-essentials"),
        (
            "/security/incident_response_plan",
            {"exists": True, "reference": "IRP-1", "tested_on": "2026-01-05"},
        ),
        ("/privacy/international_transfers", "none"),
        (
            "/accessibility/disproportionate_burden",
            {"assessed_on": "2026-01-01", "reference": "DB-1", "parts": ["maps"]},
        ),
        (
            "/benefits/measures",
            [{"name": "uptake", "baseline": 0.4, "target": "60%", "by": "2027-03-31", "unit": "percent"}],
        ),
        ("/metadata/phase_since", "2026-01-14"),
        ("/data/classification", "OFFICIAL-SENSITIVE"),
    ],
)
def test_initiative_accepts(full_manifest: dict[str, Any], pointer: str, value: Any) -> None:
    assert_valid("initiative", set_at(full_manifest, pointer, value))


# --------------------------------------------------------------------------- appetite, waivers, config


@pytest.mark.parametrize(
    ("pointer", "value", "at", "keyword"),
    [
        ("/levels/reckless", 20, "/levels", "additionalProperties"),
        ("/levels/averse", 0, "/levels/averse", "minimum"),
        ("/scale/likelihood", 1, "/scale/likelihood", "minimum"),
        ("/categories/security", "careful", "/categories/security", "enum"),
        ("/categories/Cyber Security", "averse", "/categories", "pattern"),
        (
            "/escalation/above_appetite/accept_by",
            ["data_protection_officer"],
            "/escalation/above_appetite/accept_by/0",
            "enum",
        ),
        ("/portfolio/max_risks_above_appetite", -1, "/portfolio/max_risks_above_appetite", "minimum"),
        ("/metadata/approved_on", "2026-13-01", "/metadata/approved_on", "format"),
    ],
)
def test_appetite_rejects(pointer: str, value: Any, at: str, keyword: str) -> None:
    statement = example("spec-risk-appetite.yaml")
    assert_rejected_at("risk-appetite", set_at(statement, pointer, value), at, keyword)


def test_appetite_accepts_legacy_level_names() -> None:
    statement = {
        "apiVersion": "govern/v1", "kind": "RiskAppetite", "metadata": {"name": "legacy"},
        "levels": {"minimalist": 6, "hungry": 16}, "categories": {"people": "hungry"},
    }
    assert_valid("risk-appetite", statement)


@pytest.mark.parametrize(
    ("pointer", "value", "at", "keyword"),
    [
        ("/waivers/0/justification", "", "/waivers/0/justification", "minLength"),
        ("/waivers/0/approved_by", {"email": "ciso@example.gov"}, "/waivers/0/approved_by", "required"),
        ("/waivers/0/expires", "2026-06-31", "/waivers/0/expires", "format"),
        ("/waivers/0/path", "privacy/dpia", "/waivers/0/path", "pattern"),
        ("/waivers/0/scope", "all", "/waivers/0", "additionalProperties"),
    ],
)
def test_waiver_register_rejects(pointer: str, value: Any, at: str, keyword: str) -> None:
    register = example("spec-waiver-register.yaml")
    assert_rejected_at("waiver-register", set_at(register, pointer, value), at, keyword)


def test_waiver_requires_its_fields() -> None:
    register = example("spec-waiver-register.yaml")
    for field in ("initiative", "rule", "justification", "approved_by", "approved_on", "expires"):
        waiver = {key: value for key, value in register["waivers"][0].items() if key != field}
        assert_rejected_at("waiver-register", {**register, "waivers": [waiver]}, "/waivers/0", "required")
    narrowed = set_at(register, "/waivers/0/path", "/security/penetration_test")
    assert_valid("waiver-register", set_at(narrowed, "/waivers/0/reference", "WAIV-12"))


CONFIG = {
    "policies": ["policies/local"],
    "packs": {"enable": ["privacy"], "disable": ["accessibility"]},
    "only": ["privacy", "SEC-004"],
    "skip": ["GOV-012"],
    "severity": {"SEC-005": "warning", "GOV-012": "off"},
    "appetite": "governance/appetite.yaml",
    "waivers": "governance/waivers.yaml",
    "fail_on": "warning",
    "format": "sarif",
    "classification": {
        "tiers": ["OFFICIAL", "SECRET", "TOP SECRET"],
        "aliases": {"OFFICIAL-SENSITIVE": {"tier": "OFFICIAL", "marking": "SENSITIVE"}},
    },
    "home_country": "GB",
    "plugins": {"enable": ["govern-dwp"], "disable": [], "autoload": False},
    "max_file_size": 1_048_576,
    "jobs": 4,
}


def test_config_accepts_every_key() -> None:
    assert_valid("config", CONFIG)
    assert_valid("config", {})


@pytest.mark.parametrize(
    ("pointer", "value", "at", "keyword"),
    [
        ("/apiVersion", "govern/v1", "", "additionalProperties"),
        ("/fail_on", "critical", "/fail_on", "enum"),
        ("/severity/SEC-005", "high", "/severity/SEC-005", "enum"),
        ("/home_country", "gb", "/home_country", "pattern"),
        ("/plugins/autoload", "yes", "/plugins/autoload", "type"),
        (
            "/classification/aliases/OFFICIAL-SENSITIVE",
            {"marking": "SENSITIVE"},
            "/classification/aliases/OFFICIAL-SENSITIVE",
            "required",
        ),
        ("/jobs", 0, "/jobs", "minimum"),
    ],
)
def test_config_rejects(pointer: str, value: Any, at: str, keyword: str) -> None:
    assert_rejected_at("config", set_at(CONFIG, pointer, value), at, keyword)
