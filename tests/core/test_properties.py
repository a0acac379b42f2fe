"""Properties that hold for any input, checked with hypothesis.

- the loader never raises for any bytes or any text: every problem is a GovernError it returns;
- the whole in-process pipeline (``govern.run.runner.run_check``) never raises on any file;
- manifests generated from ``schemas/initiative.schema.json`` never crash a rule (no GOV-ENGINE);
- every finding's pointer resolves, through ``Document.locate``, to its own line and column,
  and that line exists in the file;
- every report renders to valid JSON, SARIF 2.1.0 and JUnit XML;
- the order the inputs are given in changes no output byte;
- adding a live waiver never adds an error;
- removing ``metadata.phase`` (or spoiling it) never lowers the count of errors and warnings.

Removing *any* optional field cannot keep that last promise, and is not tested: many
fields state a fact that brings a duty, and a manifest without the fact describes a
smaller initiative that rightly owes less. Removing ``data.personal_data: true`` ends
the privacy duties (PRIV-005, DATA-006 on the community climate grant example), an
entry of ``risks`` or ``data.sharing`` takes its own findings with it (RISK-001,
RISK-002, DATA-004), ``service.channels`` decides whether a web accessibility
statement is owed (ACC-002), an amber ``delivery_confidence.rating`` whether a recovery
plan is (GOV-008). Only worst-case assumptions for every such fact could keep it; for
the phase govern makes exactly that assumption (``govern.core.engine.evaluate``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from govern.core.engine import evaluate
from govern.core.errors import GovernError
from govern.core.loader import load_file, load_text
from govern.run.runner import Options, run_check

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "tests" / "vendor"  # the official SARIF schema and JUnit XSD: tests/vendor/README.md
SCHEMA = json.loads((ROOT / "schemas" / "initiative.schema.json").read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 11, 22)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- a generator that walks the initiative schema ---------------------------------------------------

TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "NO", "on", "yes", "0755", ".inf", "\x1b[31mred", "\u202eevil", "a\nb", "null", "~", "2026-02-30"]),
)
ODD = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=True), TEXT, st.just([]), st.just({}))


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def strategy(node: Any, depth: int = 0) -> st.SearchStrategy:
    """Values the schema allows, now and then one it does not (so GOV-SCHEMA paths run too)."""
    return st.one_of(valid(node, depth), ODD) if depth else valid(node, depth)


@cache
def _pattern(pattern: str) -> st.SearchStrategy:
    return st.from_regex(pattern, fullmatch=True)


def valid(node: Any, depth: int) -> st.SearchStrategy:
    if node is True or not isinstance(node, dict):
        return ODD
    node = resolve(node)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    for key in ("anyOf", "oneOf"):
        if key in node:
            return st.one_of([valid(option, depth) for option in node[key]])
    kind = node.get("type")
    if isinstance(kind, list):
        return st.one_of([valid({**node, "type": k}, depth) for k in kind])
    if kind == "object" or "properties" in node:
        return _object(node, depth)
    if kind == "array":
        return st.lists(strategy(node.get("items", True), depth + 1), max_size=3 if depth < 3 else 1)
    if kind == "integer":
        return st.integers(node.get("minimum", -5), node.get("maximum", 200_000))
    if kind == "number":
        return st.floats(node.get("minimum", -5), node.get("maximum", 1e6), allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        if node.get("format") == "date":
            return st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
        if "pattern" in node:
            return _pattern(node["pattern"])
        return TEXT
    return ODD


def _object(node: dict[str, Any], depth: int) -> st.SearchStrategy:
    properties = node.get("properties", {})
    required = [k for k in node.get("required", []) if k in properties]
    optional = [k for k in properties if k not in required]
    if depth > 4:
        optional = []
    return st.fixed_dictionaries(
        {k: strategy(properties[k], depth + 1) for k in required},
        optional={k: strategy(properties[k], depth + 1) for k in optional},
    )


MANIFESTS = valid(SCHEMA, 0).map(lambda m: {**m, "apiVersion": "govern/v1", "kind": "Initiative"})


def with_id(manifest: dict[str, Any], ident: str) -> dict[str, Any]:
    metadata = manifest.get("metadata")
    metadata = dict(metadata) if isinstance(metadata, dict) else {"name": "Generated"}
    return {**manifest, "metadata": {**metadata, "id": ident}}


def dump(manifest: dict[str, Any], flow: bool = False) -> str:
    return yaml.safe_dump(manifest, default_flow_style=flow, allow_unicode=True, sort_keys=False, width=100)


@cache
def engine() -> tuple[list[Any], Any]:
    from govern.plugins.manager import load_for
    from govern.run.runner import build_rules, make_context

    options = Options(as_of=AS_OF, no_plugins=True)
    registry = load_for(options)
    rules, errors, _ = build_rules(options, registry)
    assert not errors
    return rules, make_context(options, registry, AS_OF)


# -- the loader and the pipeline never raise ---------------------------------------------------------


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_load_without_raising(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_bytes(raw)
        loaded = load_file(str(path), "m.yaml")
    assert all(isinstance(e, GovernError) and e.file == "m.yaml" and e.line >= 1 and e.column >= 1 for e in loaded.errors)


TOKENS = [*"ab: -[]{},&*!|>'\"#%@`?\n\t\\0.~", "---", "<<", "\x1b", "\ufeff", "\u202e", "  ", "\n- ", ": ", "!!int ", "&a ", "*a"]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@FAST
@given(st.one_of(st.text(max_size=200), YAMLISH))
def test_any_text_loads_without_raising(text: str) -> None:
    documents, errors = load_text(text, "m.yaml")
    assert all(isinstance(e, GovernError) for e in errors)
    lines = text.count("\n") + 2
    assert all(1 <= e.line <= lines for e in errors)
    for doc in documents:
        json.dumps(doc.data, allow_nan=True)  # plain JSON data, nothing else
        assert doc.locate("/no/such/pointer") == doc.locate("")


@SLOW
@given(st.one_of(YAMLISH, MANIFESTS.map(dump)))
def test_the_whole_pipeline_never_raises(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_text(text, encoding="utf-8")
        report = run_check(Options(paths=[str(path)], as_of=AS_OF, no_plugins=True))
    assert report.exit_code("error") in (0, 1, 2)


# -- generated manifests: no crash, every pointer located --------------------------------------------


@FAST
@given(MANIFESTS, st.booleans())
def test_schema_generated_manifests_never_crash_a_rule_and_every_pointer_is_located(manifest: dict[str, Any], flow: bool) -> None:
    text = dump(manifest, flow)
    documents, errors = load_text(text, "m.yaml")
    assume(not errors)
    [doc] = documents
    rules, ctx = engine()
    findings = evaluate(doc, rules, ctx).findings
    assert not [f.message for f in findings if f.rule == "GOV-ENGINE"]
    lines = text.split("\n")
    for finding in findings:
        assert doc.locate(finding.path) == (finding.line, finding.column), finding
        assert 1 <= finding.line <= len(lines)
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1


# -- reports: valid in every format, independent of input order --------------------------------------


@cache
def sarif_validator() -> Any:
    from jsonschema import Draft4Validator

    return Draft4Validator(json.loads((VENDOR / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))


@cache
def junit_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(VENDOR / "junit" / "junit-10.xsd"))


def portfolio(manifests: list[dict[str, Any]], folder: Path) -> list[str]:
    names = []
    for i, manifest in enumerate(manifests):
        manifest = with_id(manifest, f"GEN-{i}")
        name = f"m{i}.yaml"
        (folder / name).write_text(dump(manifest, i % 2 == 1), encoding="utf-8")
        names.append(str(folder / name))
    (folder / "broken.yaml").write_text("apiVersion: govern/v1\nkind: Initiative\nmetadata: [\n", encoding="utf-8")
    names.append(str(folder / "broken.yaml"))
    return names


def render_all(report: Any) -> dict[str, str]:
    reporters = report.registry.reporters
    return {name: reporters[name].render(report) for name in ("text", "json", "sarif", "junit", "github", "markdown")}


@SLOW
@given(st.lists(MANIFESTS, min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_reports_are_valid_json_sarif_and_junit_and_input_order_changes_no_byte(manifests: list[dict[str, Any]], rnd: random.Random) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = portfolio(manifests, Path(folder))
        first = render_all(run_check(Options(paths=paths, as_of=AS_OF, no_plugins=True)))
        shuffled = list(paths)
        rnd.shuffle(shuffled)
        second = render_all(run_check(Options(paths=shuffled, as_of=AS_OF, no_plugins=True)))
    json_report = json.loads(first["json"])
    sarif = json.loads(first["sarif"])
    errors = sorted(sarif_validator().iter_errors(sarif), key=str)
    assert not errors, errors[0].message
    junit_schema().validate(first["junit"])
    for name in first:
        if name == "json":  # provenance records the command line as given; everything else is the same
            a, b = json_report, json.loads(second["json"])
            for report in (a, b):  # the command line and its checksum (issue 13)
                report.get("provenance", {}).pop("arguments", None)
                report.get("provenance", {}).pop("arguments_sha256", None)
            assert a == b
        else:
            assert first[name] == second[name], name


# -- waivers ---------------------------------------------------------------------------------------


def register(initiative: str, rule: str, path: str | None) -> str:
    where = f", path: {json.dumps(path)}" if path else ""
    return ("apiVersion: govern/v1\nkind: WaiverRegister\nwaivers:\n"
            f"  - {{initiative: {json.dumps(initiative)}, rule: {rule}{where}, justification: Compensating control,"
            " approved_by: {name: Independent Assurance Board}, approved_on: 2026-01-01, expires: 2027-06-30}\n")


@SLOW
@given(MANIFESTS, st.integers(0, 1000), st.booleans())
def test_a_live_waiver_never_adds_an_error(manifest: dict[str, Any], pick: int, with_path: bool) -> None:
    manifest = with_id(manifest, "GEN-1")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_text(dump(manifest), encoding="utf-8")
        plain = run_check(Options(paths=[str(path)], as_of=AS_OF, no_plugins=True))
        candidates = [f for f in plain.findings if f.initiative == "GEN-1" and re.match(r"^[A-Z]+-\d{3}$", f.rule)]
        assume(candidates)
        target = candidates[pick % len(candidates)]
        waivers = Path(folder) / "waivers.yaml"
        waivers.write_text(register("GEN-1", target.rule, target.path if with_path else None), encoding="utf-8")
        waived = run_check(Options(paths=[str(path)], as_of=AS_OF, no_plugins=True, waivers=str(waivers)))

    def errors(report: Any) -> set[tuple[str, str, str]]:
        return {(f.rule, f.path, f.message) for f in report.findings if f.severity == "error" and not f.waived}

    assert errors(waived) <= errors(plain)
    assert waived.summary()["errors"] <= plain.summary()["errors"]


# -- a missing phase never makes a manifest look cleaner (semantics: Phases) ----------------------------


def _blocking(manifest: dict[str, Any]) -> int:
    [doc], errors = load_text(dump(manifest), "m.yaml")
    assert not errors
    rules, ctx = engine()
    return sum(1 for f in evaluate(doc, rules, ctx).findings if f.severity in ("error", "warning"))


def _without_phase(manifest: dict[str, Any], value: Any = None) -> dict[str, Any]:
    metadata = {k: v for k, v in manifest["metadata"].items() if k != "phase"}
    return {**manifest, "metadata": metadata if value is None else {**metadata, "phase": value}}


@FAST
@given(MANIFESTS, st.sampled_from([None, "gamma", "Live", 3]))
def test_removing_or_spoiling_the_phase_never_lowers_errors_and_warnings(manifest: dict[str, Any], spoilt: Any) -> None:
    assume(isinstance(manifest.get("metadata"), dict) and manifest["metadata"].get("phase") in SCHEMA["$defs"]["phase"]["enum"])
    # The property is about the phase: a text the dumper writes raw and the loader rightly refuses
    # (a NEL, U+0085, is a YAML line break) is the loader's business, tested in test_loader.
    assume(len(load_text(dump(manifest), "m.yaml")[0]) == 1)
    before = _blocking(manifest)
    assert _blocking(_without_phase(manifest, spoilt)) >= before + 1  # the GOV-SCHEMA error, and nothing lost


def _example_manifests() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted([*(ROOT / "examples" / "portfolio").glob("*.yaml"), ROOT / "policies" / "examples" / "base.yaml"]):
        for doc in load_file(str(path)).documents:
            if isinstance(doc.data, dict) and doc.data.get("kind") == "Initiative":
                found.append((f"{path.name}#{doc.index}", doc.data))
    return found


@pytest.mark.parametrize(("name", "manifest"), _example_manifests(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_examples_in_every_phase_lose_nothing_without_it(name: str, manifest: dict[str, Any]) -> None:
    without = _blocking(_without_phase(manifest))
    for phase in SCHEMA["$defs"]["phase"]["enum"]:
        assert without >= _blocking({**manifest, "metadata": {**manifest["metadata"], "phase": phase}}) + 1, (name, phase)
