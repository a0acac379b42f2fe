"""The benchmark's corpus generator is deterministic and writes valid, realistic manifests."""

from __future__ import annotations

import collections
import importlib.util
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from govern.core.loader import load_file
from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

COUNT = 20


def corpus_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate.generate(COUNT, 3, str(out))
    return out


def test_same_seed_gives_byte_identical_files(corpus, tmp_path):
    again = tmp_path / "again"
    generate.generate(COUNT, 3, str(again))
    assert corpus_bytes(again) == corpus_bytes(corpus)


def test_another_seed_gives_another_corpus(corpus, tmp_path):
    other = tmp_path / "other"
    generate.generate(COUNT, 4, str(other))
    assert corpus_bytes(other) != corpus_bytes(corpus)


def test_smaller_corpus_is_a_prefix_of_a_larger_one(corpus, tmp_path):
    small = tmp_path / "small"
    generate.generate(5, 3, str(small))
    big = corpus_bytes(corpus)
    for rel, data in corpus_bytes(small).items():
        if rel.endswith((".yaml", ".yml")) and data.count(b"\n---\n") == big[rel].count(b"\n---\n"):
            assert big[rel] == data


def test_manifests_are_valid_sized_and_uniquely_identified(corpus):
    schema = json.loads((ROOT / "schemas" / "initiative.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".yaml", ".yml"))
    assert all(len(p.relative_to(corpus).parts) == 3 for p in files)  # department/team/file
    documents = []
    for path in files:
        loaded = load_file(str(path))
        assert loaded.errors == []
        documents += loaded.documents
        for text in path.read_text(encoding="utf-8").split("\n---\n"):
            assert 2048 <= len(text.encode("utf-8")) <= 8192
    assert len(documents) == COUNT
    for doc in documents:
        errors = [f"{doc.file}: {e.json_path}: {e.message}" for e in validator.iter_errors(doc.data)]
        assert errors == []
    ids = [doc.data["metadata"]["id"] for doc in documents]
    assert len(set(ids)) == COUNT


def test_govern_loads_every_manifest_and_finds_realistic_gaps(corpus):
    done = run_cli("check", str(corpus), "--format", "json", "--as-of", generate.AS_OF.isoformat())
    assert done.returncode == 1, done.stderr  # findings, not an input error
    report = json.loads(done.stdout)
    assert report["summary"]["manifests"] == COUNT
    rules = collections.Counter(f["rule"] for f in report["findings"])
    assert not any(rule.startswith(("GOV-INPUT", "GOV-SCHEMA")) for rule in rules), rules
    per = collections.Counter(f["initiative"] for f in report["findings"] if f.get("initiative"))
    assert 5 <= sum(per.values()) / COUNT <= 25  # the rule families (issue 16) add spend, benefits and equality gaps
    assert len(rules) >= 15  # gaps across many rules, not one rule firing everywhere


# -- the messy corpus (issue 20): --messy RATE injects schema errors of realistic kinds -------------------

MESSY_COUNT = 40
VALIDATOR = Draft202012Validator(json.loads((ROOT / "schemas" / "initiative.schema.json").read_text(encoding="utf-8")),
                                 format_checker=FormatChecker())


def messy_files(count: int, seed: int, rate: float) -> tuple[list[tuple[str, str, int]], list[dict]]:
    errors: list[dict] = []
    return list(generate.files(count, seed, messy=rate, errors=errors)), errors


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("messy")
    generate.generate(MESSY_COUNT, 3, str(out), messy=0.6)
    return out


def test_messy_rate_is_the_fraction_of_manifests_with_one_to_four_errors():
    _, errors = messy_files(500, 7, 0.6)
    per = collections.Counter((e["file"], e["document"]) for e in errors)
    assert 0.55 <= len(per) / 500 <= 0.65
    assert set(per.values()) <= {1, 2, 3, 4} and len(set(per.values())) == 4
    assert messy_files(60, 7, 0.0)[1] == []
    assert len({(e["file"], e["document"]) for e in messy_files(60, 7, 1.0)[1]}) == 60


def test_messy_errors_are_of_every_realistic_kind_and_really_break_the_schema(tmp_path):
    """Each kind as issue 20 lists it, checked in the YAML as written and read back by govern's loader."""
    files, errors = messy_files(300, 11, 0.6)
    by_kind = collections.Counter(e["kind"] for e in errors)
    assert set(by_kind) == set(generate.MESSY_KINDS) and min(by_kind.values()) >= 20, by_kind
    docs = {}
    for rel, text, _ in files:
        path = tmp_path / rel.replace("/", "_")
        path.write_text(text, encoding="utf-8")
        loaded = load_file(str(path))
        assert loaded.errors == []
        docs[rel] = [d.data for d in loaded.documents]
    for e in errors:
        doc = docs[e["file"]][e["document"]]
        parts = [int(p) if p.isdigit() else p for p in e["pointer"].strip("/").split("/")]
        parent = doc
        for part in parts[:-1]:
            parent = parent[part]
        if e["kind"] == "misspelt-key":  # the misspelling replaced the key, which is gone
            assert parts[-1] == e["text"] in parent and e["was"] not in parent and e["text"] != e["was"]
            continue
        value = parent[parts[-1]]
        assert isinstance(value, str) and value == e["text"], e
        if e["kind"] == "date-format":
            assert re.fullmatch(r"\d\d/\d\d/\d{4}", value)
        elif e["kind"] == "number-as-string":
            assert value.lstrip("£").replace(",", "") == e["was"]
        elif e["kind"] == "enum-wording":
            assert value != e["was"]  # and outside the vocabulary: the schema check below fails there
        else:
            assert re.fullmatch(r"/risks/\d+/description", e["pointer"])
    # every document with an injected error fails the schema exactly at the places injected
    for rel, _, _ in files:
        for index, doc in enumerate(docs[rel]):
            places = {"/" + "/".join(map(str, err.absolute_path)) for err in VALIDATOR.iter_errors(doc)}
            places = {p.rstrip("/") for p in places}
            wanted = {p.rsplit("/", 1)[0] if e["kind"] in ("misspelt-key", "risk-description") else p
                      for e in errors if e["file"] == rel and e["document"] == index for p in [e["pointer"]]}
            assert places == wanted, (rel, index, places)


def test_messy_corpus_is_deterministic_a_prefix_and_the_clean_corpus_elsewhere(messy, corpus, tmp_path):
    again = tmp_path / "again"
    generate.generate(MESSY_COUNT, 3, str(again), messy=0.6)
    assert corpus_bytes(again) == corpus_bytes(messy)
    small = tmp_path / "small"
    generate.generate(7, 3, str(small), messy=0.6)
    big = corpus_bytes(messy)
    for rel, data in corpus_bytes(small).items():
        if rel.endswith((".yaml", ".yml")) and data.count(b"\n---\n") == big[rel].count(b"\n---\n"):
            assert big[rel] == data
    clean = corpus_bytes(corpus)  # the same seed's clean corpus (20 manifests): untouched files are identical
    broken = {e["file"] for e in json.loads((messy / ".bench-errors.json").read_text(encoding="utf-8"))}
    same = [rel for rel in clean if rel.endswith((".yaml", ".yml")) and rel not in broken and rel in big]
    assert same and all(big[rel] == clean[rel] for rel in same)
    assert any(big[rel] != clean[rel] for rel in broken if rel in clean)


def test_clean_corpus_is_unchanged_by_the_messy_option(tmp_path):
    plain = list(generate.files(30, 9))
    assert list(generate.files(30, 9, messy=0.0, errors=[])) == plain
    generate.generate(5, 9, str(tmp_path / "c"))
    assert not (tmp_path / "c" / ".bench-errors.json").exists()
    assert "messy" not in json.loads((tmp_path / "c" / ".bench-corpus.json").read_text(encoding="utf-8"))


def test_govern_reports_each_injected_schema_error_and_no_other(messy):
    errors = json.loads((messy / ".bench-errors.json").read_text(encoding="utf-8"))
    summary = json.loads((messy / ".bench-corpus.json").read_text(encoding="utf-8"))
    assert summary["schema_errors"] == len(errors) > 0
    done = run_cli("check", str(messy), "--format", "json", "--as-of", generate.AS_OF.isoformat())
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["manifests"] == MESSY_COUNT  # every manifest still checked
    found = collections.defaultdict(list)
    for f in report["findings"]:
        if f["rule"] == "GOV-SCHEMA":
            found[(Path(f["file"]).resolve().relative_to(messy.resolve()).as_posix(), f["initiative"])].append(f)
    places = collections.defaultdict(set)
    for e in errors:
        key = (e["file"], e["initiative"])
        parent, name = e["pointer"].rsplit("/", 1)
        if e["kind"] in ("misspelt-key", "risk-description"):  # reported on the object or the key, naming the key
            hits = [f for f in found[key] if f["path"] == e["pointer"] or (f["path"] == parent and name in f["message"])]
            places[key] |= {parent, e["pointer"]}
        else:
            hits = [f for f in found[key] if f["path"] == e["pointer"]]
            places[key].add(e["pointer"])
        assert hits, (e, [(f["path"], f["message"]) for f in found[key]])
        assert all(f["line"] >= 1 and f["column"] >= 1 for f in hits)
    stray = [(key, f["path"]) for key, fs in found.items() for f in fs if f["path"] not in places[key]]
    assert stray == []
