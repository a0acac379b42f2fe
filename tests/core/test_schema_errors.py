"""Schema errors are worded without jsonschema, exactly as the jsonschema path words them.

For every kind of error the initiative, configuration, waiver register and risk appetite schemas
can give, a real invalid document is built; govern's own errors (``Validator.explain``: the compiled
fastschema checks find the invalid parts, ``govern.core.schemas.explain`` words them) are compared
with jsonschema's (``iter_errors``) on path, keyword, message, schema path and context, and so is
what a person reads: each root cause's location and sentence (did you mean, the form of a date,
email or URL with an example). A ``govern check`` of the broken manifest reports exactly those
findings, at those lines and columns, and never imports jsonschema.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from govern.core.loader import load_text
from govern.core.resources import policies_dir
from govern.core.schemas import (Problem, _format_checker, _validator_class, corrections, document_validator,
                                 explainable, load_schema, root_causes)

BASE = (policies_dir() / "examples" / "base.yaml").read_text(encoding="utf-8")
AS_OF = "2026-11-22"


def _edit(old: str, new: str, count: int = 1) -> str:
    assert BASE.count(old) >= count, old
    return BASE.replace(old, new, count)


# (kind, the keyword jsonschema reports, the broken manifest, text the message must hold)
MANIFESTS = [
    ("unknown top-level key", "additionalProperties", _edit("governance:\n", "governence:\n"), 'did you mean "governance"?'),
    ("unknown nested key", "additionalProperties", _edit("  transactional: true", "  transactionall: true"),
     'did you mean "transactional"?'),
    ("unknown key, nothing close", "additionalProperties", _edit("  transactional: true", "  colour: blue\n  transactional: true"),
     "the keys allowed here are"),
    ("a description on a risk", "additionalProperties", _edit("    review_by: 2027-01-31", "    description: x\n    review_by: 2027-01-31"),
     "unknown key"),
    ("enum in another case", "enum", _edit("  phase: live", "  phase: Live"), 'did you mean "live"?'),
    ("enum in another wording", "enum", _edit("decision: approved, phase: beta", "decision: agreed, phase: beta"),
     "must be one of"),
    ("pattern (a country)", "pattern", _edit("  residency: [GB]", "  residency: [gb]"),
     "is not in the form this field needs (ISO 3166-1"),
    ("pattern with a form (an email)", "pattern", _edit("email: h.okoro@lbx.example.gov", "email: h.okoro at lbx"),
     "is not an email address; write an email address as name@domain"),
    ("pattern with a form (a URL)", "pattern", _edit("  privacy_notice_url: https://lbx.example.gov/council-tax/privacy",
                                                     "  privacy_notice_url: lbx.example.gov/privacy"), "is not a web address"),
    ("date in day-first form", "pattern", _edit("    review_by: 2027-02-16", "    review_by: 16/02/2027"),
     "write dates as YYYY-MM-DD, e.g. 2027-02-16"),
    ("format date (an impossible day)", "format", _edit("    review_by: 2027-02-16", '    review_by: "2027-02-30"'), "is not a real date"),
    ("type (a number as a string)", "type", _edit("  retention_months: 72", '  retention_months: "72"'), "is not of type"),
    ("type (a list for a mapping)", "type", _edit("  encryption: {at_rest: true, in_transit: true}", "  encryption: [at_rest]"),
     "is not of type"),
    ("required", "required", _edit("  id: LBX-2025-008\n", ""), "metadata.id is missing"),
    ("minLength", "minLength", _edit("  name: Tell us you're moving (council tax)", '  name: ""'), "should be non-empty"),
    ("minimum", "minimum", _edit("  retention_months: 72", "  retention_months: -1"), "less than the minimum"),
    ("maximum", "maximum", _edit("    residual: {likelihood: 2, impact: 3}", "    residual: {likelihood: 2, impact: 11}"),
     "greater than the maximum"),
    ("const", "const", _edit("kind: Initiative", "kind: Initiatives"), 'must be "Initiative"'),
    ("anyOf", "anyOf", _edit("  mfa: {admins: true, staff: true, users: true}", "  mfa: sometimes"), "security.mfa"),
    ("uniqueItems", "uniqueItems", _edit("  channels: [web, phone]", "  channels: [web, web]"), "non-unique"),
]


def shape(errors) -> list:
    """Everything a finding is made of, context included (schema paths too, which tell a bad key)."""
    return [(tuple(e.absolute_path), e.validator, e.message, tuple(e.relative_schema_path),
             [(tuple(c.absolute_path), c.validator, c.message, tuple(c.relative_schema_path)) for c in e.context])
            for e in errors]


def both(name: str, data) -> tuple[list, list]:
    fast = list(document_validator(name).explain(data))
    slow = list(_validator_class()(load_schema(name), format_checker=_format_checker()).iter_errors(data))
    return fast, slow


def said(errors) -> list[tuple[str, str]]:
    return [(pointer, sentence) for pointer, sentence, _ in root_causes(errors)]


def test_the_document_schemas_are_explained_without_jsonschema():
    for name in ("initiative", "config", "waiver-register", "risk-appetite"):
        assert explainable(load_schema(name)), name


@pytest.mark.parametrize("kind, keyword, text, hint", MANIFESTS, ids=[m[0] for m in MANIFESTS])
def test_each_error_kind_of_a_manifest_is_worded_as_jsonschema_words_it(kind, keyword, text, hint):
    doc = load_text(text, "m.yaml")[0][0]
    fast, slow = both("initiative", doc.data)
    assert fast and all(isinstance(e, Problem) for e in fast)
    assert keyword in [e.validator for e in slow]
    assert shape(fast) == shape(slow)
    assert said(fast) == said(slow)
    assert [c for e in fast for c in corrections(e)] == [c for e in slow for c in corrections(e)]
    assert any(hint in sentence for _, sentence in said(fast)), said(fast)


def test_a_manifest_with_several_errors_keeps_their_order_and_one_finding_per_root_cause():
    text = (BASE.replace("governance:\n", "governence:\n").replace("  phase: live", "  phase: Live")
            .replace("    review_by: 2027-02-16", "    review_by: 16/02/2027").replace("  retention_months: 72", '  retention_months: "72"'))
    doc = load_text(text, "m.yaml")[0][0]
    fast, slow = both("initiative", doc.data)
    assert shape(fast) == shape(slow)
    assert said(fast) == said(slow)
    pointers = [p for p, _ in said(fast)]
    assert len(pointers) == len(set(pointers)) == 4
    date = [e for e in fast if tuple(e.absolute_path) == ("privacy", "dpia", "review_by")]
    assert [e.validator for e in date] == ["format", "pattern"]  # two errors, one root cause, one finding
    assert "/privacy/dpia/review_by" in pointers


def test_govern_check_reports_the_jsonschema_paths_words_and_places_without_importing_it(tmp_path):
    """The messy path end to end: every GOV-SCHEMA finding of a real check is the jsonschema path's root
    cause, at the line and column of its pointer, and the run never imports jsonschema."""
    expected = []
    for index, (_kind, _keyword, text, _hint) in enumerate(MANIFESTS):
        name = f"m{index:02d}.yaml"
        text = text.replace("id: LBX-2025-008", f"id: LBX-TEST-{index:03d}")  # each its own id: no repeated-id finding
        (tmp_path / name).write_text(text, encoding="utf-8")
        doc = load_text(text, name)[0][0]
        if doc.data.get("kind") != "Initiative":
            continue  # a document of another kind is not checked as an initiative (the const case above)
        slow = list(_validator_class()(load_schema("initiative"), format_checker=_format_checker()).iter_errors(doc.data))
        for pointer, sentence, _ in root_causes(slow):
            expected.append((name, *doc.locate(pointer), pointer, sentence))
    code = ("import sys\nfrom govern.cli.app import main\n"
            f"sys.argv = ['govern', 'check', '.', '--as-of', '{AS_OF}', '--no-plugins', '--format', 'json:out.json']\n"
            "try:\n    code = main()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print('EXIT', code, 'jsonschema' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("EXIT 2 False"), result.stdout[-500:] + result.stderr[-2000:]  # 2: schema errors
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    found = [(f["file"], f["line"], f["column"], f["path"], f["message"]) for f in report["findings"] if f["rule"] == "GOV-SCHEMA"]
    assert sorted(found) == sorted(expected)
    assert len(found) >= len(MANIFESTS) - 1


def test_a_cold_check_of_a_messy_manifest_imports_no_jsonschema(tmp_path):
    text = dict((m[0], m[2]) for m in MANIFESTS)["date in day-first form"]
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "govern", "check", "m.yaml", "--as-of", AS_OF,
                             "--no-plugins"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode in (1, 2) and "GOV-SCHEMA" in result.stdout and "Traceback" not in result.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert "govern.core.schemas" in imported
    assert not [name for name in imported if name.split(".")[0] == "jsonschema"]


# -- the other document schemas ----------------------------------------------------------------

CONFIGS = [
    ("unknown key", {"severty": {}}),
    ("enum", {"fail_on": "errors"}),
    ("pattern and propertyNames (a rule id as a key)", {"severity": {"gov-001": "warning"}}),
    ("additionalProperties as a schema", {"severity": {"GOV-001": "loud", "SEC-002": "quiet"}}),
    ("uniqueItems", {"skip": ["GOV-001", "GOV-001"]}),
    ("oneOf (none matches)", {"delegated_authority_limit": "lots"}),
    ("oneOf (a negative number)", {"delegated_authority_limit": -5}),
    ("maximum", {"board": {"decision_window_days": 99999}}),
    ("type", {"only": "GOV-001"}),
]


@pytest.mark.parametrize("kind, values", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_configuration_errors_are_worded_as_jsonschema_words_them(kind, values):
    fast, slow = both("config", values)
    assert fast, kind
    order = lambda errors: sorted(shape(errors))  # noqa: E731  (jsonschema walks an additionalProperties schema in set order)
    assert order(fast) == order(slow)
    key = lambda e: [str(p) for p in e.absolute_path]  # noqa: E731  (how govern.run.config sorts them)
    assert said(sorted(fast, key=key)) == said(sorted(slow, key=key))


def _register(**entry):
    waiver = {"rule": "GOV-001", "initiative": "LBX-2025-008", "reason": "agreed", "approved_by": "Jo Bloggs",
              "approved_on": "2026-01-01", "expires": "2027-01-01", **entry}
    return {"apiVersion": "govern/v1", "kind": "WaiverRegister", "waivers": [waiver]}


WAIVERS = [
    ("unknown key", _register(expiry="2027-01-01")),
    ("date in the wrong form", _register(expires="01/01/2027")),
    ("an impossible date", _register(expires="2027-02-30")),
    ("const", {**_register(), "kind": "Waivers"}),
    ("required", {"apiVersion": "govern/v1", "kind": "WaiverRegister"}),
    ("minLength", _register(reason="")),
]


@pytest.mark.parametrize("kind, data", WAIVERS, ids=[w[0] for w in WAIVERS])
def test_waiver_register_errors_are_worded_as_jsonschema_words_them(kind, data):
    fast, slow = both("waiver-register", data)
    assert fast, kind
    assert shape(fast) == shape(slow)
    assert said(fast) == said(slow)


def _statement() -> dict:
    from govern.core.loader import load_file

    return load_file(str(policies_dir() / "default-appetite.yaml")).documents[0].data


def _appetite(change) -> dict:
    data = json.loads(json.dumps(_statement()))
    change(data)
    return data


APPETITES = [
    ("unknown key", lambda d: d.update(metadta={})),
    ("propertyNames (a category name)", lambda d: d.setdefault("categories", {}).update({"Bad Name": "averse"})),
    ("maximum (the scale)", lambda d: d.setdefault("scale", {}).update(likelihood=12)),
    ("minimum (the scale)", lambda d: d.setdefault("scale", {}).update(impact=0)),
    ("type", lambda d: d.update(categories=["operational"])),
]


@pytest.mark.parametrize("kind, change", APPETITES, ids=[a[0] for a in APPETITES])
def test_risk_appetite_errors_are_worded_as_jsonschema_words_them(kind, change):
    data = _appetite(change)
    assert not list(document_validator("risk-appetite").explain(_statement()))
    fast, slow = both("risk-appetite", data)
    assert fast, kind
    assert sorted(shape(fast)) == sorted(shape(slow))
    assert sorted(said(fast)) == sorted(said(slow))


def test_a_schema_explain_does_not_cover_still_goes_to_jsonschema():
    from govern.core.schemas import Validator

    validator = Validator({"type": "object", "patternProperties": {"^x": {"type": "string"}}, "additionalProperties": False})
    errors = list(validator.explain({"y": 1}))
    assert errors and type(errors[0]).__module__.startswith("jsonschema")

