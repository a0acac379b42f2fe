"""``govern migrate``: real CLI runs on small manifests, with two small pack versions written here.

The packs are written by the tests (``--from-packs``/``--to-packs``), so the expectations follow
from them and the manifests, never from govern's bundled packs (which change between releases).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((ROOT / "policies" / "examples" / "base.yaml").read_text(encoding="utf-8"))
AS_OF = ["--as-of", "2026-11-22", "--no-plugins"]

EXAMPLES = """    examples:
      pass: [{manifest: {metadata: {id: P, tags: [a, b, c], name: Short}, governance: {gmpp: true}}}]
      fail: [{manifest: {metadata: {id: F, tags: [a], name: A rather long name}, governance: {gmpp: false}}}]
"""

# T-001: at least three tags; a warning in version 1, an error in version 2 (severity changed).
# T-002: a short name; only in alpha in version 1, in every phase in version 2 (gained by a live manifest).
# T-003: GMPP initiatives only; in version 1, removed in version 2 (lost).
V1 = """apiVersion: govern/v1
kind: PolicyPack
metadata: {name: tpack, version: 1.0.0, domain: governance}
rules:
  - id: TST-001
    title: At least three tags
    severity: warning
    rationale: Tags find the initiative.
    remediation: Add tags.
    require: {properties: {metadata: {properties: {tags: {minItems: 3}}}}}
""" + EXAMPLES + """  - id: TST-002
    title: A short name
    severity: warning
    rationale: Short names fit the board's table.
    remediation: Shorten the name.
    when: {properties: {metadata: {properties: {phase: {const: alpha}}}}}
    require: {properties: {metadata: {properties: {name: {maxLength: 10}}}}}
""" + EXAMPLES + """  - id: TST-003
    title: On the GMPP
    severity: error
    rationale: An old rule.
    remediation: Join the GMPP.
    require: {properties: {governance: {properties: {gmpp: {const: true}}}}}
""" + EXAMPLES

V2 = """apiVersion: govern/v1
kind: PolicyPack
metadata: {name: tpack, version: 2.0.0, domain: governance}
rules:
  - id: TST-001
    title: At least three tags
    severity: error
    rationale: Tags find the initiative.
    remediation: Add tags.
    changed: Too few tags is an error now, as the catalogue is searched by tag.
    require: {properties: {metadata: {properties: {tags: {minItems: 3}}}}}
""" + EXAMPLES + """  - id: TST-002
    title: A short name
    severity: warning
    rationale: Short names fit the board's table.
    remediation: Shorten the name.
    changed: Applies in every phase, not only alpha.
    require: {properties: {metadata: {properties: {name: {maxLength: 10}}}}}
""" + EXAMPLES


def write_manifest(folder: Path, file: str, ident: str, gmpp: bool = False, **metadata) -> Path:
    data = json.loads(json.dumps(BASE, default=str))
    data["metadata"].update(id=ident, **metadata)
    data["governance"]["gmpp"] = gmpp
    path = folder / file
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def setup(tmp_path: Path) -> tuple[Path, list[str]]:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "tpack.yaml").write_text(V1, encoding="utf-8")
    (tmp_path / "v2" / "tpack.yaml").write_text(V2, encoding="utf-8")
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    # Moves: one tag (TST-001 warning -> error), a long name in live (TST-002 gained), not GMPP (TST-003 lost).
    write_manifest(manifests, "a.yaml", "MOV-001", tags=["one"], name="A long name for a service")
    # Clean under both versions: three tags, a short name, on the GMPP.
    write_manifest(manifests, "b.yaml", "STAY-001", gmpp=True, tags=["a", "b", "c"], name="Short")
    # The same finding under both (a long name in alpha fails TST-002 in both): unchanged.
    write_manifest(manifests, "c.yaml", "SAME-001", gmpp=True, tags=["a", "b", "c"], name="A long alpha name",
                   phase="alpha")
    return manifests, ["--from-packs", str(tmp_path / "v1"), "--to-packs", str(tmp_path / "v2"), *AS_OF]


def test_json_lists_gained_lost_and_severity_changed_with_reasons(tmp_path):
    manifests, packs = setup(tmp_path)
    result = run_cli("migrate", str(manifests), *packs, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"command", "as_of", "limit", "from", "to", "summary", "manifests"}
    assert data["as_of"] == "2026-11-22"
    assert data["from"]["packs"] == [{"name": "tpack", "version": "1.0.0"}]
    assert data["to"]["packs"] == [{"name": "tpack", "version": "2.0.0"}]
    assert "check functions" in data["limit"]
    # Only the manifest that moved is listed; the clean one and the one with the same finding are not.
    assert [m["initiative"] for m in data["manifests"]] == ["MOV-001"]
    assert data["summary"] == {"manifests": 3, "manifests_changed": 1, "manifests_unchanged": 2,
                               "gained": 1, "lost": 1, "severity": 1}
    changes = {c["rule"]: c for c in data["manifests"][0]["changes"]}
    assert set(changes) == {"TST-001", "TST-002", "TST-003"}
    assert (changes["TST-001"]["change"], changes["TST-001"]["severity_before"], changes["TST-001"]["severity_after"]) \
        == ("severity", "warning", "error")
    assert changes["TST-001"]["reason"] == ("changed in pack version 2: Too few tags is an error now, as the "
                                            "catalogue is searched by tag.")
    assert (changes["TST-002"]["change"], changes["TST-002"]["severity_before"], changes["TST-002"]["severity_after"]) \
        == ("gained", None, "warning")
    assert changes["TST-002"]["reason"] == "changed in pack version 2: Applies in every phase, not only alpha."
    assert changes["TST-002"]["path"] == "/metadata/name"
    assert (changes["TST-003"]["change"], changes["TST-003"]["severity_before"], changes["TST-003"]["severity_after"]) \
        == ("lost", "error", None)
    assert "not in pack version 2" in changes["TST-003"]["reason"]
    # Totals: before, TST-001 warning + TST-003 error (a), TST-002 warning (c);
    # after, TST-001 error + TST-002 warning (a), TST-002 warning (c).
    assert data["from"]["totals"] == {"errors": 1, "warnings": 2, "info": 0}
    assert data["to"]["totals"] == {"errors": 1, "warnings": 2, "info": 0}


def test_text_names_each_change_its_reason_the_limit_and_the_totals(tmp_path):
    manifests, packs = setup(tmp_path)
    result = run_cli("migrate", str(manifests), *packs, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("govern migrate: pack version 1 -> 2, as of 2026-11-22\n")
    assert "Limit: Both runs use this installation's check functions" in out
    assert re.search(r"^  \+ gained   TST-002 warning at /metadata/name: ", out, re.M)
    assert re.search(r"^  - lost     TST-003 error at /governance/gmpp: ", out, re.M)
    assert re.search(r"^  ~ severity TST-001 warning -> error at /metadata/tags: ", out, re.M)
    assert "why: changed in pack version 2: Applies in every phase, not only alpha." in out
    assert "MOV-001" in out and "STAY-001" not in out and "SAME-001" not in out
    assert "3 manifests: 1 changed, 2 unchanged; findings gained 1, lost 1, severity changed 1" in out
    assert out.rstrip().endswith("Totals: errors 1 -> 1, warnings 2 -> 2 (info 0 -> 0)")


def test_markdown_has_the_totals_table_and_a_section_per_changed_manifest(tmp_path):
    manifests, packs = setup(tmp_path)
    result = run_cli("migrate", str(manifests), *packs, "--format", "markdown", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "| Errors | 1 | 1 |" in result.stdout
    assert "## MOV-001 (" in result.stdout and "## STAY-001" not in result.stdout
    assert "| severity | TST-001 | warning -> error | `/metadata/tags` |" in result.stdout


def test_same_packs_on_both_sides_move_nothing(tmp_path):
    manifests, _ = setup(tmp_path)
    both = ["--from-packs", str(tmp_path / "v2"), "--to-packs", str(tmp_path / "v2"), *AS_OF]
    result = run_cli("migrate", str(manifests), *both, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No finding moved between the two pack versions." in result.stdout
    assert "3 manifests: 0 changed, 3 unchanged" in result.stdout


def test_output_is_the_same_bytes_on_a_second_run(tmp_path):
    manifests, packs = setup(tmp_path)
    first = run_cli("migrate", str(manifests), *packs, "--format", "json", cwd=tmp_path)
    second = run_cli("migrate", str(manifests), *packs, "--format", "json", cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def test_a_broken_manifest_is_a_located_input_error_exit_2(tmp_path):
    manifests, packs = setup(tmp_path)
    (manifests / "broken.yaml").write_text("apiVersion: govern/v1\nkind: Initiative\nmetadata: {id: X, name: [\n",
                                           encoding="utf-8")
    result = run_cli("migrate", str(manifests), *packs, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert re.search(r"^govern: \S*broken\.yaml:\d+:\d+: ", result.stderr, re.M), result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_pack_folder_or_an_unknown_version_is_exit_2(tmp_path):
    manifests, _ = setup(tmp_path)
    missing = run_cli("migrate", str(manifests), "--from-packs", str(tmp_path / "nowhere"), *AS_OF, cwd=tmp_path)
    assert missing.returncode == 2
    assert "nowhere" in missing.stderr and "does not exist" in missing.stderr
    unknown = run_cli("migrate", str(manifests), "--from", "9", *AS_OF, cwd=tmp_path)
    assert unknown.returncode == 2
    assert "pack version 9 is not known" in unknown.stderr
    bad = run_cli("migrate", str(manifests), "--to", "two", *AS_OF, cwd=tmp_path)
    assert bad.returncode == 2 and "is not a pack version" in bad.stderr


def test_bundled_version_1_is_frozen_and_never_loaded_by_a_check(tmp_path):
    manifests, _ = setup(tmp_path)
    frozen = sorted(p.name for p in (ROOT / "policies" / "v1").glob("*.yaml"))
    assert "privacy.yaml" in frozen and "default-appetite.yaml" not in frozen
    for name in frozen:
        text = (ROOT / "policies" / "v1" / name).read_text(encoding="utf-8")
        assert re.search(r"^  version: 1\.", text, re.M), name
    check = run_cli("check", str(manifests / "b.yaml"), *AS_OF, "--format", "json", cwd=tmp_path)
    files = [p["file"] for p in json.loads(check.stdout)["provenance"]["packs"]]
    assert files and not [f for f in files if "v1/" in f]
    result = run_cli("migrate", str(manifests / "b.yaml"), *AS_OF, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["from"]["version"], data["to"]["version"]) == (1, 2)
    assert "policies/v1" in data["from"]["packs_from"] and "current" in data["to"]["packs_from"]
    assert all(p["version"].startswith("1.") for p in data["from"]["packs"])
