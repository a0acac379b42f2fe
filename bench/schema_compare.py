"""Govern's own JSON Schema compiler beside jsonschema-rs and fastjsonschema, measured (issue 19, item 4).

    python bench/schema_compare.py                                  # every part; corpora of 1,000 and 10,000
    python bench/schema_compare.py --sizes 1000 --parts keywords,suite,speed
    python bench/schema_compare.py --suite PATH/JSON-Schema-Test-Suite  # another copy of the official suite

The two libraries are not govern dependencies: install them into a venv of your own for the
measurement (``pip install jsonschema-rs fastjsonschema``). An engine whose library is missing is
skipped with a message. The engines compared:

- ``govern``: ``govern.core.fastschema.compile_validity``, the yes/no path every check takes;
- ``jsonschema-rs``: ``Draft202012Validator(schema, validate_formats=True)`` (Rust, one binary wheel);
- ``fastjsonschema``: ``compile(schema, use_default=False)`` (generates Python code; drafts 4, 6 and 7
  only; ``use_default=False`` because its default fills ``default`` values into the instance);
- ``jsonschema``: the library govern already uses to explain an invalid instance, as the reference.

No engine may reach the network: remote ``$ref`` retrieval is refused for all of them.

Parts (``--parts``, default all), printed as markdown and written to bench/out/schema_compare.md
(raw figures in bench/out/schema_compare.json):

- ``keywords``: every keyword govern's schemas (schemas/*.json) and packs (policies/*.yaml: each
  rule's ``when``, ``require`` and ``severities[].when``) use, with counts and the formats named;
- ``suite``: the JSON-Schema-Test-Suite's draft2020-12 files for the keywords govern's compiler
  supports, pass/fail per file and engine, every govern mismatch listed. The suite is read from
  ``--suite`` (default: tests/vendor/json-schema-test-suite); without it this part is skipped.
  As the suite asks, ``format`` is an annotation in the main files and asserted in optional/format;
  govern always asserts its three formats (date, email, regex), so those cases are marked;
- ``speed``: the validation step alone on manifests parsed once with govern's loader, from corpora
  that bench/generate.py makes (cached under ``--corpus``, as bench/run.py does): (a) yes/no: every
  schema against every manifest; (b) as ``govern check`` asks: the initiative schema, then for each
  rule its ``when``, its severity overrides and its ``require``, with the errors of an invalid
  ``require`` collected (govern: ``Validator.explain``; the libraries: their own errors). Best of
  ``--repeat`` runs; jsonschema only on the first ``--reference-max`` manifests (it is slow);
- ``cold``: a fresh interpreter that imports each engine and compiles all those schemas (import and
  compile timed apart; ``GOVERN_NO_CACHE=1`` so govern analyses every pattern), and a whole
  ``govern check ONE-FILE`` with each engine swapped in, with govern's pack cache warm and off;
- ``check``: whole ``govern check DIR --format json --jobs 1`` runs with each engine swapped in as the
  yes/no path (``govern.core.schemas.compile_validity`` replaced before the run; jsonschema still explains
  what is invalid), timed through bench/timer.py; every engine's report must be byte-identical to
  govern's own;
- ``errors``: what each engine says, and where, for typical mistakes in a manifest (the base example
  with one field broken), beside the finding ``govern check`` reports with its line and column.

Every figure is from one run on this machine; compare ratios, not seconds, across machines.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import floor  # noqa: E402
import generate  # noqa: E402
import run  # noqa: E402

ENGINES = ("govern", "jsonschema-rs", "fastjsonschema", "jsonschema")
MODULES = {"jsonschema-rs": "jsonschema_rs", "fastjsonschema": "fastjsonschema", "jsonschema": "jsonschema"}
SWAPPABLE = ("govern", "jsonschema-rs", "fastjsonschema")  # engines a whole govern run is measured with
PARTS = ("keywords", "suite", "speed", "cold", "check", "errors")
DEFAULT_SUITE = ROOT / "tests" / "vendor" / "json-schema-test-suite"

# The suite files for the keywords govern's compiler compiles (the file is named after its keyword),
# then the optional files about those keywords: big numbers, regular expressions, the three formats
# govern asserts. Files of keywords the compiler leaves to jsonschema (multipleOf, dependentSchemas,
# unevaluated*, $dynamicRef, $anchor, remote refs, vocabularies) are not run.
SUITE_FILES = (
    "additionalProperties", "allOf", "anyOf", "boolean_schema", "const", "contains", "default", "dependentRequired",
    "enum", "exclusiveMaximum", "exclusiveMinimum", "format", "if-then-else", "infinite-loop-detection", "items",
    "maxContains", "maxItems", "maxLength", "maxProperties", "maximum", "minContains", "minItems", "minLength",
    "minProperties", "minimum", "not", "oneOf", "pattern", "patternProperties", "prefixItems", "properties",
    "propertyNames", "ref", "required", "type", "uniqueItems",
    "optional/bignum", "optional/ecmascript-regex", "optional/float-overflow", "optional/non-bmp-regex",
    "optional/format/date", "optional/format/email", "optional/format/regex",
)

# One definition of "compile a schema into is_valid" per engine, run both here and in the child
# processes that time whole govern runs (LAUNCHER), so that both measure the same thing.
ENGINE_SOURCE = r'''
def _refuse(uri, *_):
    raise ValueError(f"remote reference {uri} refused: no network in a measurement")


def engine(name, formats=True):
    """schema -> is_valid(instance) for the engine NAME; raises InvalidSchema when it refuses a schema."""
    if name == "govern":
        from govern.core.fastschema import compile_validity

        return compile_validity
    if name == "jsonschema-rs":
        import jsonschema_rs

        def compile_rs(schema):
            try:
                return jsonschema_rs.validator_for(schema, validate_formats=formats, retriever=_refuse).is_valid
            except ValueError as exc:
                from govern.core.fastschema import InvalidSchema

                raise InvalidSchema(str(exc).splitlines()[0]) from None

        return compile_rs
    if name == "fastjsonschema":
        import fastjsonschema

        handlers = {scheme: _refuse for scheme in ("http", "https", "file", "ftp", "urn")}
        failed = fastjsonschema.JsonSchemaValueException

        def compile_fj(schema):
            try:
                check = fastjsonschema.compile(schema, handlers=handlers, use_default=False, use_formats=formats)
            except Exception as exc:  # its compiler raises more than JsonSchemaDefinitionException
                from govern.core.fastschema import InvalidSchema

                raise InvalidSchema(f"{type(exc).__name__}: {exc}") from None

            def is_valid(instance):
                try:
                    check(instance)
                except failed:
                    return False
                return True

            return is_valid

        return compile_fj
    if name == "jsonschema":
        from jsonschema import FormatChecker, validators

        from govern.core.fastschema import CHECKED_FORMATS

        checker = FormatChecker(formats=None if formats == "all" else CHECKED_FORMATS) if formats else None

        def compile_js(schema):
            cls = validators.validator_for(schema, default=validators.Draft202012Validator)
            return cls(schema, format_checker=checker).is_valid

        return compile_js
    raise SystemExit(f"unknown engine {name!r}")
'''

LAUNCHER = ENGINE_SOURCE + r'''
import sys

name = sys.argv.pop(1)
if name != "govern":
    import govern.core.schemas

    govern.core.schemas.compile_validity = engine(name)
sys.argv[0] = "govern"
from govern.cli.app import main

sys.exit(main())
'''

COLD_PROBE = ENGINE_SOURCE + r'''
import json, sys, time

import govern.core.loader  # what every govern run has imported before it compiles a schema (yaml, re, ...)

with open(sys.argv[2], encoding="utf-8") as handle:
    schemas = json.load(handle)
start = time.perf_counter()
compile_one = engine(sys.argv[1])  # imports the engine's library
imported = time.perf_counter()
for schema in schemas:
    compile_one(schema)
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - start) * 1000, "compile_ms": (done - imported) * 1000}))
'''

_space: dict[str, Any] = {}
exec(ENGINE_SOURCE, _space)  # noqa: S102 - our own source, shared with the child processes
engine: Callable[..., Callable[[Any], Callable[[Any], bool]]] = _space["engine"]


def available() -> dict[str, str]:
    """Engine -> version, for the engines that can run here; a missing library is said once, on stderr."""
    from importlib import metadata

    found = {"govern": metadata.version("govern")}
    for name in ENGINES[1:]:
        try:
            __import__(MODULES[name])
            found[name] = metadata.version(name)
        except ImportError:
            print(f"schema_compare: skipping {name}: not installed (pip install {name})", file=sys.stderr)
    return found


# -- what govern's schemas use ----------------------------------------------------------------

_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_ONE = ("additionalProperties", "items", "contains", "not", "if", "then", "else", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema")
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


def keywords_in(schema: Any, counts: Counter, formats: Counter) -> None:
    """Count the keywords of ``schema`` and all its subschemas (not property names, not const/enum data)."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        counts[key] += 1
        if key == "format":
            formats[value] += 1
        subs: list[Any] = []
        if key in _MAPS and isinstance(value, dict):
            subs = list(value.values())
        elif key in _ONE:
            subs = value if isinstance(value, list) else [value]
        elif key in _LISTS and isinstance(value, list):
            subs = value
        for sub in subs:
            keywords_in(sub, counts, formats)


def document_schemas() -> dict[str, Any]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "schemas").glob("*.json"))}


def pack_rules() -> list[dict[str, Any]]:
    """Each rule of the packs in policies/, read with govern's own loader (YAML 1.2 core, dates as text)."""
    from govern.core.loader import load_file

    rules = []
    for path in sorted((ROOT / "policies").glob("*.yaml")):
        for doc in load_file(str(path)).documents:
            if doc.kind == "PolicyPack":
                rules += [{"id": rule["id"], "when": rule.get("when"), "require": rule.get("require"),
                           "severities": [s["when"] for s in rule.get("severities", [])]}
                          for rule in doc.data.get("rules", [])]
    return rules


def rule_schemas(rules: list[dict[str, Any]]) -> list[Any]:
    out = []
    for rule in rules:
        out += [s for s in (rule["when"], rule["require"]) if s is not None] + rule["severities"]
    return out


def compiler_status(keyword: str) -> str:
    """What govern.core.fastschema does with a keyword: compiles it, skips it as an annotation, or declines."""
    from govern.core import fastschema

    if keyword in fastschema._ANNOTATIONS:
        return "annotation"
    probes = {"$ref": {"$ref": "#"}, "format": {"format": "date"}, "type": {"type": "string"}, "items": {"items": {}},
              "contains": {"contains": {}}, "not": {"not": {}}, "if": {"if": {}}, "then": {"then": {}},
              "else": {"else": {}}, "additionalProperties": {"additionalProperties": {}},
              "propertyNames": {"propertyNames": {}}, "required": {"required": []}, "enum": {"enum": [1]},
              "const": {"const": 1}, "uniqueItems": {"uniqueItems": True}, "pattern": {"pattern": "a"}}
    schema = probes.get(keyword)
    if schema is None:
        if keyword in ("properties", "patternProperties", "$defs", "dependentRequired"):
            schema = {keyword: {}}
        elif keyword in ("allOf", "anyOf", "oneOf", "prefixItems"):
            schema = {keyword: [{}]}
        else:
            schema = {keyword: 1}
    try:
        fastschema.compile_validity(schema)
    except fastschema.Unsupported:
        return "declined (jsonschema)"
    except fastschema.InvalidSchema:
        return "refused"
    return "compiled"


def part_keywords() -> dict[str, Any]:
    doc_counts, doc_formats, pack_counts, pack_formats = Counter(), Counter(), Counter(), Counter()
    for schema in document_schemas().values():
        keywords_in(schema, doc_counts, doc_formats)
    rules = pack_rules()
    for schema in rule_schemas(rules):
        keywords_in(schema, pack_counts, pack_formats)
    rows = [{"keyword": k, "schemas": doc_counts[k], "packs": pack_counts[k], "govern": compiler_status(k)}
            for k in sorted(set(doc_counts) | set(pack_counts), key=lambda k: (k.lstrip("$").lower(), k))]
    return {"rows": rows, "formats": dict(doc_formats + pack_formats), "rules": len(rules),
            "rule_schemas": len(rule_schemas(rules))}


# -- the official test suite ------------------------------------------------------------------


def part_suite(suite: Path, engines: dict[str, str]) -> dict[str, Any] | None:
    base = suite / "tests" / "draft2020-12"
    if not base.is_dir():
        print(f"schema_compare: skipping the suite: no {base} (give --suite PATH)", file=sys.stderr)
        return None
    table: dict[str, dict[str, Counter]] = {}
    mismatches: list[dict[str, Any]] = []
    for name in SUITE_FILES:
        cases = json.loads((base / f"{name}.json").read_text(encoding="utf-8"))
        formats = name.startswith("optional/format/")  # the suite: format asserts only there
        table[name] = {}
        for engine_name in engines:
            counts = table[name][engine_name] = Counter()
            compile_one = engine(engine_name, "all" if formats and engine_name == "jsonschema" else formats)
            for case in cases:
                for outcome, test, detail in suite_case(engine_name, compile_one, case):
                    counts[outcome] += 1
                    if engine_name == "govern" and outcome != "pass":
                        mismatches.append({"file": name, "case": case["description"], "test": test, "outcome": outcome,
                                           "detail": detail})
    return {"files": table, "govern_mismatches": mismatches, "engines": list(engines)}


def suite_case(engine_name: str, compile_one: Callable, case: dict[str, Any]):
    """(outcome, test description, detail) for each test of a case: pass, fail, declined or error."""
    from govern.core.fastschema import InvalidSchema, Unsupported

    try:
        is_valid = compile_one(case["schema"])
    except Unsupported as exc:  # govern then uses jsonschema for this schema: not a wrong answer
        yield from (("declined", t["description"], str(exc)) for t in case["tests"])
        return
    except InvalidSchema as exc:  # a schema the suite says is valid, refused
        yield from (("error", t["description"], f"refused: {exc}"[:200]) for t in case["tests"])
        return
    except Exception as exc:  # noqa: BLE001 - a compiler that crashes on a valid schema
        yield from (("error", t["description"], f"{type(exc).__name__}: {exc}"[:200]) for t in case["tests"])
        return
    for test in case["tests"]:
        try:
            answer = is_valid(test["data"])
        except Exception as exc:  # noqa: BLE001 - a crash is a result here
            yield "error", test["description"], f"{type(exc).__name__}: {exc}"[:200]
            continue
        if answer == test["valid"]:
            yield "pass", test["description"], ""
        else:
            yield "fail", test["description"], f"expected {'valid' if test['valid'] else 'invalid'}"


# -- speed of the validation step alone -------------------------------------------------------


def manifests(size: int, args: argparse.Namespace) -> list[Any]:
    from govern.core.loader import load_file

    folder = run.corpus(args.corpus, size, args.seed)
    out = []
    for path in floor.walk([folder]):
        out += [doc.data for doc in load_file(path).documents if doc.kind == "Initiative"]
    return out


def errors_of(engine_name: str, schema: Any) -> Callable[[Any], list[tuple[str, str]]]:
    """instance -> [(JSON Pointer, message)] as the engine reports an invalid instance."""
    if engine_name == "govern":
        from govern.core.schemas import Validator

        validator = Validator(schema)  # explain: govern's own messages, or jsonschema's when it must
        return lambda x: [(pointer(e.absolute_path), e.message) for e in validator.explain(x)]
    if engine_name == "jsonschema-rs":
        import jsonschema_rs

        rs = jsonschema_rs.validator_for(schema, validate_formats=True)
        return lambda x: [(pointer(e.instance_path), e.message) for e in rs.iter_errors(x)]
    if engine_name == "fastjsonschema":
        import fastjsonschema

        check = fastjsonschema.compile(schema, use_default=False)

        def first_error(x: Any) -> list[tuple[str, str]]:
            try:
                check(x)
            except fastjsonschema.JsonSchemaValueException as exc:
                return [(exc.name, exc.message)]  # one error, named "data.a.b[0]", not a pointer
            return []

        return first_error
    from jsonschema import FormatChecker, validators

    from govern.core.fastschema import CHECKED_FORMATS

    js = validators.Draft202012Validator(schema, format_checker=FormatChecker(formats=CHECKED_FORMATS))
    return lambda x: [(pointer(e.absolute_path), e.message) for e in js.iter_errors(x)]


def pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def as_check(engine_name: str, initiative: Any, rules: list[dict[str, Any]]) -> Callable[[Any], int]:
    """manifest -> errors found, asking the schemas what govern.core.engine and govern.policy.packs ask them."""
    make = engine(engine_name)
    top_valid, top_errors = make(initiative), errors_of(engine_name, initiative)
    steps = []
    for rule in rules:
        when = make(rule["when"]) if rule["when"] is not None else None
        overrides = tuple(make(s) for s in rule["severities"])
        require = None
        if rule["require"] is not None:
            if engine_name == "govern":
                require = errors_of("govern", rule["require"])  # explain answers yes/no first, as govern does
            else:
                valid, explain = make(rule["require"]), errors_of(engine_name, rule["require"])
                require = lambda x, v=valid, e=explain: [] if v(x) else e(x)  # noqa: E731
        steps.append((when, overrides, require))

    def check(manifest: Any) -> int:
        found = 0 if top_valid(manifest) else len(top_errors(manifest))
        for when, overrides, require in steps:
            if when is not None and not when(manifest):
                continue
            for override in overrides:
                if override(manifest):
                    break
            if require is not None:
                found += len(require(manifest))
        return found

    return check


def part_speed(args: argparse.Namespace, engines: dict[str, str]) -> dict[str, Any]:
    """Each engine timed ``--repeat`` times, interleaved so that machine noise hits all alike; the best counts."""
    initiative = document_schemas()["initiative.schema.json"]
    rules = pack_rules()
    schemas = [initiative, *rule_schemas(rules)]
    out: dict[str, Any] = {"schemas": len(schemas), "sizes": {}}
    for size in args.sizes:
        docs = manifests(size, args)
        work = {}
        for name in engines:
            if name == "jsonschema" and len(docs) > args.reference_max:
                continue  # too slow to wait for: its figure at the smaller size says enough
            make = engine(name)
            checks = [make(s) for s in schemas]
            checker = as_check(name, initiative, rules)
            work[name] = (lambda c=checks, d=docs: [[f(x) for f in c] for x in d],
                          lambda c=checker, d=docs: sum(c(x) for x in d))
        times: dict[str, list[list[float]]] = {name: [[], []] for name in work}
        results: dict[str, list[Any]] = {}
        for _ in range(args.repeat):
            for name, jobs in work.items():
                for i, job in enumerate(jobs):
                    start = time.perf_counter()
                    result = job()
                    times[name][i].append(time.perf_counter() - start)
                    results.setdefault(name, [None, None])[i] = result
        row: dict[str, Any] = {}
        calls = len(docs) * len(schemas)
        for name, (yes_no, flow) in times.items():
            answer, errors = results[name]
            base = results["govern"][0]
            row[name] = {"manifests": len(docs), "yes_no_s": min(yes_no), "calls": calls,
                         "us_per_call": min(yes_no) / calls * 1e6, "as_check_s": min(flow),
                         "ms_per_manifest": min(flow) / len(docs) * 1000, "errors": errors,
                         "valid_answers": sum(map(sum, answer)),  # the same yes/no on every (manifest, schema)?
                         "disagreements": sum(a != b for x, y in zip(base, answer) for a, b in zip(x, y))}
            print(f"  speed {size}: {name:<14} yes/no {min(yes_no):7.3f} s   as check {min(flow):7.3f} s",
                  file=sys.stderr)
        out["sizes"][size] = row
    return out


# -- cold start and whole runs ----------------------------------------------------------------


def timed(cmd: list[str], env: dict[str, str], cwd: str, out: Any = subprocess.DEVNULL) -> dict[str, Any]:
    """Wall seconds, exit code, peak RSS and CPU seconds of one command, through bench/timer.py."""
    with tempfile.NamedTemporaryFile("r", suffix=".timer") as result:
        done = subprocess.run([sys.executable, "-S", str(HERE / "timer.py"), result.name, *cmd], cwd=cwd, stdout=out,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
        fields = result.read().split()
    if done.returncode != 0 or len(fields) != 4:
        raise SystemExit(f"schema_compare: the timer failed for {cmd[:4]}: {done.stderr.decode()[-500:]}")
    return {"wall": float(fields[0]), "rc": int(fields[1]), "maxrss_mib": int(fields[2]) / 2**20, "cpu": float(fields[3])}


def environment(cache: str, no_cache: bool = False) -> dict[str, str]:
    env = dict(run.ENV)  # byte-code is written, as an installed govern has it
    env["XDG_CACHE_HOME"] = cache  # a pack cache of this measurement's own, never the user's
    env.pop("GOVERN_NO_CACHE", None)
    if no_cache:
        env["GOVERN_NO_CACHE"] = "1"
    return env


def govern_with(name: str, *args: str) -> list[str]:
    return [sys.executable, "-c", LAUNCHER, name, *args]


def part_cold(args: argparse.Namespace, engines: dict[str, str], cache: str) -> dict[str, Any]:
    schemas = [document_schemas()["initiative.schema.json"], *rule_schemas(pack_rules())]
    out: dict[str, Any] = {"schemas": len(schemas), "probe": {}, "one_file": {}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(schemas, handle)
    try:
        samples: dict[str, list[dict[str, float]]] = {name: [] for name in engines}
        for _ in range(args.cold_repeat):
            for name in engines:
                done = subprocess.run([sys.executable, "-c", COLD_PROBE, name, handle.name], capture_output=True,
                                      text=True, env=environment(cache, no_cache=True), cwd=str(ROOT))
                if done.returncode != 0:
                    raise SystemExit(f"schema_compare: the cold probe failed for {name}: {done.stderr[-800:]}")
                samples[name].append(json.loads(done.stdout))
        for name, runs in samples.items():
            out["probe"][name] = {key: statistics.median(r[key] for r in runs) for key in ("import_ms", "compile_ms")}
    finally:
        os.unlink(handle.name)
    one = run.first_file(run.corpus(args.corpus, 1, args.seed))
    for label, no_cache in (("warm pack cache", False), ("GOVERN_NO_CACHE=1", True)):
        env = environment(cache, no_cache)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in engines if name in SWAPPABLE}
        for name in runs:  # untimed: byte-code, page cache and the pack cache are warm after it
            timed(govern_with(name, "check", one, "--format", "json", "--as-of", args.as_of), env, args.corpus)
        for _ in range(args.cold_repeat):
            for name in runs:
                runs[name].append(timed(govern_with(name, "check", one, "--format", "json", "--as-of", args.as_of),
                                        env, args.corpus))
        out["one_file"][label] = {name: {"wall_ms": statistics.median(r["wall"] for r in rs) * 1000,
                                         "maxrss_mib": max(r["maxrss_mib"] for r in rs)} for name, rs in runs.items()}
        print(f"  cold one file ({label}): " + ", ".join(f"{n} {v['wall_ms']:.0f} ms"
                                                          for n, v in out["one_file"][label].items()), file=sys.stderr)
    return out


def part_check(args: argparse.Namespace, engines: dict[str, str], cache: str) -> dict[str, Any]:
    env = environment(cache)
    out: dict[str, Any] = {}
    for size in args.sizes:
        folder = run.corpus(args.corpus, size, args.seed)
        names = [name for name in engines if name in SWAPPABLE]
        command = ("check", folder, "--format", "json", "--as-of", args.as_of, "--jobs", "1")
        digests = {}
        for name in names:  # untimed, its report kept to compare
            with tempfile.TemporaryFile() as report:
                sample = timed(govern_with(name, *command), env, args.corpus, out=report)
                report.seek(0)
                digests[name] = hashlib.sha256(report.read()).hexdigest()
            if sample["rc"] not in (0, 1):
                raise SystemExit(f"schema_compare: govern check with {name} failed (exit {sample['rc']})")
        repeat = args.check_repeat if size < 5000 else max(1, args.check_repeat - 1)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
        for _ in range(repeat):
            for name in names:
                runs[name].append(timed(govern_with(name, *command), env, args.corpus))
                print(f"  check {size}: {name:<14} {runs[name][-1]['wall']:7.3f} s", file=sys.stderr)
        out[size] = {name: {"wall_s": statistics.median(r["wall"] for r in rs),
                            "cpu_s": statistics.median(r["cpu"] for r in rs),
                            "maxrss_mib": max(r["maxrss_mib"] for r in rs), "runs": len(rs),
                            "same_report": digests[name] == digests["govern"]} for name, rs in runs.items()}
    return out


# -- error messages ---------------------------------------------------------------------------

MISTAKES = (  # (what, JSON Pointer, new value or None to delete)
    ("required field missing", "/metadata/name", None),
    ("value not in the enum (typo)", "/metadata/phase", "betta"),
    ("wrong type", "/data/retention_months", "six"),
    ("pattern not matched", "/metadata/id", "LBX 2025 008"),
    ("misspelt key (additionalProperties: false)", "/metadata/departmnet", "lbx-revenues"),
    ("impossible date (format: date)", "/metadata/phase_since", "2026-02-30"),
)


def broken(base: Any, path: str, value: Any) -> Any:
    data = copy.deepcopy(base)
    *parents, last = path.strip("/").split("/")
    node = data
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return data


def part_errors(args: argparse.Namespace, engines: dict[str, str], cache: str) -> list[dict[str, Any]]:
    import yaml

    from govern.core.loader import load_file

    base = load_file(str(ROOT / "policies" / "examples" / "base.yaml")).documents[0].data
    initiative = document_schemas()["initiative.schema.json"]
    explainers = {name: errors_of(name, initiative) for name in engines}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for what, path, value in MISTAKES:
            data = broken(base, path, value)
            row: dict[str, Any] = {"mistake": what, "path": path, "engines": {}}
            for name, explain in explainers.items():
                row["engines"][name] = explain(data)
            manifest = Path(folder) / "manifest.yaml"
            manifest.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            done = subprocess.run(govern_with("govern", "check", str(manifest), "--format", "json", "--as-of",
                                              args.as_of), capture_output=True, text=True, env=environment(cache))
            report = json.loads(done.stdout)
            row["govern_check"] = [f"{f['line']}:{f['column']} {f['message']}" for f in report["findings"]
                                   if f["rule"] == "GOV-SCHEMA"]
            rows.append(row)
    return rows


# -- report -----------------------------------------------------------------------------------


def machine(engines: dict[str, str]) -> str:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
    except OSError:
        pass
    versions = ", ".join(f"{name} {version}" for name, version in engines.items())
    return (f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs ({cpu}), "
            f"Python {platform.python_version()}; {versions}")


def reason(detail: str) -> str:
    """Why the compiler declined, without the reference it was given."""
    for prefix in ("remote $ref", "percent-encoded $ref", "$ref to an anchor"):
        if detail.startswith(prefix):
            return prefix
    return detail


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else ""


def markdown(results: dict[str, Any]) -> str:
    lines = [f"Measured {results['machine']}.", ""]
    if "keywords" in results:
        k = results["keywords"]
        lines += [f"## Keywords used ({k['rules']} rules, {k['rule_schemas']} rule schemas)", "",
                  "| keyword | in schemas/*.json | in packs | govern's compiler |", "|---|---:|---:|---|"]
        lines += [f"| `{r['keyword']}` | {r['schemas']} | {r['packs']} | {r['govern']} |" for r in k["rows"]]
        lines += ["", "Formats named: " + ", ".join(f"{f} ({n})" for f, n in sorted(k["formats"].items())), ""]
    if results.get("suite"):
        s = results["suite"]
        names = s["engines"]
        lines += ["## JSON-Schema-Test-Suite, draft2020-12: tests passed / failed / errors (schema refused or crash)", "",
                  "govern's compiler declines a schema with a keyword it does not compile (govern then asks jsonschema):",
                  "those tests are counted apart, as declined.", "",
                  "| file | govern | declined | " + " | ".join(names[1:]) + " |", "|---|" + "---:|" * (len(names) + 1)]
        totals = {name: Counter() for name in names}
        for file, per in s["files"].items():
            for name in names:
                totals[name].update(per[name])
            cells = [f"{c['pass']} / {c['fail']} / {c['error']}" for c in per.values()]
            lines.append(f"| {file} | {cells[0]} | {per['govern']['declined']} | " + " | ".join(cells[1:]) + " |")
        cells = [f"**{t['pass']} / {t['fail']} / {t['error']}**" for t in totals.values()]
        lines.append(f"| **total** | {cells[0]} | **{totals['govern']['declined']}** | " + " | ".join(cells[1:]) + " |")
        declined = Counter(reason(m["detail"]) for m in s["govern_mismatches"] if m["outcome"] == "declined")
        lines += ["", "govern's compiler declined, by reason (tests): "
                  + "; ".join(f"{why} ({n})" for why, n in sorted(declined.items(), key=lambda kv: -kv[1])), "",
                  "govern's compiler, every test failed or in error:", ""]
        lines += [f"- {m['file']}: {m['case']} / {m['test']}: {m['outcome']} ({m['detail']})"
                  for m in s["govern_mismatches"] if m["outcome"] != "declined"]
        lines.append("")
    if "speed" in results:
        sp = results["speed"]
        lines += [f"## The validation step alone ({sp['schemas']} schemas: the initiative schema and every rule's)", "",
                  ("| manifests | engine | yes/no (s) | us / call | x govern | as check (s) | ms / manifest | x govern "
                   "| errors found | disagreements |"), "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for size, row in sp["sizes"].items():
            base = row["govern"]
            for name, r in row.items():
                if not isinstance(r, dict):
                    continue
                lines.append(f"| {r['manifests']:,} | {name} | {r['yes_no_s']:.3f} | {r['us_per_call']:.2f} | "
                             f"{ratio(r['yes_no_s'], base['yes_no_s'])} | {r['as_check_s']:.3f} | "
                             f"{r['ms_per_manifest']:.3f} | {ratio(r['as_check_s'], base['as_check_s'])} | "
                             f"{r['errors']:,} | {r['disagreements']} |")
        lines.append("")
    if "cold" in results:
        c = results["cold"]
        lines += [f"## Cold start: import, then compile {c['schemas']} schemas (fresh interpreter, median)", "",
                  "| engine | import (ms) | compile (ms) | total (ms) |", "|---|---:|---:|---:|"]
        for name, p in c["probe"].items():
            lines.append(f"| {name} | {p['import_ms']:.1f} | {p['compile_ms']:.1f} | "
                         f"{p['import_ms'] + p['compile_ms']:.1f} |")
        for label, per in c["one_file"].items():
            base = per["govern"]["wall_ms"]
            lines += ["", f"`govern check ONE-FILE` ({label}), median wall:", "",
                      "| engine | wall (ms) | x govern | peak RSS (MiB) |", "|---|---:|---:|---:|"]
            lines += [f"| {name} | {v['wall_ms']:.0f} | {ratio(v['wall_ms'], base)} | {v['maxrss_mib']:.0f} |"
                      for name, v in per.items()]
        lines.append("")
    if "check" in results:
        lines += ["## Whole `govern check DIR --format json --jobs 1`, engine swapped in (median)", "",
                  "| manifests | engine | wall (s) | x govern | CPU (s) | peak RSS (MiB) | report identical |",
                  "|---:|---|---:|---:|---:|---:|:---:|"]
        for size, per in results["check"].items():
            base = per["govern"]["wall_s"]
            lines += [f"| {int(size):,} | {name} | {v['wall_s']:.2f} | {ratio(v['wall_s'], base)} | {v['cpu_s']:.2f} | "
                      f"{v['maxrss_mib']:.0f} | {'yes' if v['same_report'] else 'NO'} |" for name, v in per.items()]
        lines.append("")
    if "errors" in results:
        lines += ["## What each engine says (policies/examples/base.yaml, one field broken)", ""]
        for row in results["errors"]:
            lines += [f"### {row['mistake']} (`{row['path']}`)", "",
                      f"- govern check: {'; '.join(row['govern_check']) or '(no GOV-SCHEMA finding)'}"]
            for name, errors in row["engines"].items():
                said = "; ".join(f"`{where or '/'}`: {message}" for where, message in errors) or "(no error)"
                lines.append(f"- {name}: {said}")
            lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of: {', '.join(PARTS)}")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for speed and check")
    parser.add_argument("--corpus", default="/tmp/govern-bench", help="where corpora live (ROOT/SIZE), as bench/run.py")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", default=generate.AS_OF.isoformat())
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE, help="a JSON-Schema-Test-Suite checkout")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each in-process timing (the best counts)")
    parser.add_argument("--reference-max", type=int, default=1000, help="manifests jsonschema is timed on")
    parser.add_argument("--cold-repeat", type=int, default=11, help="runs of each cold start (the median counts)")
    parser.add_argument("--check-repeat", type=int, default=3, help="timed whole runs per engine (one fewer at 10,000)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    parts = [p for p in args.parts.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    os.makedirs(args.corpus, exist_ok=True)
    engines = available()
    results: dict[str, Any] = {"machine": machine(engines), "options": {k: str(v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="govern-schema-compare-") as cache:
        for part in PARTS:
            if part not in parts:
                continue
            print(f"schema_compare: {part} ...", file=sys.stderr)
            if part == "keywords":
                results["keywords"] = part_keywords()
            elif part == "suite":
                results["suite"] = part_suite(args.suite, engines)
            elif part == "speed":
                results["speed"] = part_speed(args, engines)
            elif part == "cold":
                results["cold"] = part_cold(args, engines, cache)
            elif part == "check":
                results["check"] = part_check(args, engines, cache)
            elif part == "errors":
                results["errors"] = part_errors(args, engines, cache)
    text = markdown(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "schema_compare.md").write_text(text, encoding="utf-8")
    (args.out / "schema_compare.json").write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n",
                                                  encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
