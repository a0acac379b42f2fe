"""The benchmark's corpus generator is deterministic and writes valid, realistic manifests."""

from __future__ import annotations

import collections
import importlib.util
import json
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
