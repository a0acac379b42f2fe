"""Every reference of govern's built-in packs says where to read it and how sure the citation is.

A built-in reference has a `url` (https, a well-formed public address) and a `confidence`:
`verified` where the address and the clause were checked against the source, `secondary`
otherwise. The frozen packs (policies/v1) and example files are history and samples, not checked.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
PACKS = sorted(p for p in (ROOT / "policies").glob("*.yaml")
               if (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("kind") == "PolicyPack")
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def problems(pack: Path) -> list[str]:
    """What is wrong with the references of one pack file, one line per reference."""
    data = yaml.safe_load(pack.read_text(encoding="utf-8"))
    found = []
    for rule in data.get("rules", []):
        for i, ref in enumerate(rule.get("references", [])):
            where = f"{pack.name} {rule['id']} reference {i + 1} ({ref.get('framework')})"
            url = ref.get("url")
            if not url:
                found.append(f"{where}: no url")
            else:
                parts = urlsplit(url)
                if parts.scheme != "https":
                    found.append(f"{where}: url is not https: {url}")
                if not HOST.match(parts.hostname or "") or any(c.isspace() for c in url) or parts.username:
                    found.append(f"{where}: url is not a well-formed public address: {url}")
            if ref.get("confidence") not in ("verified", "secondary"):
                found.append(f"{where}: confidence is {ref.get('confidence')!r}, not verified or secondary")
    return found


def test_there_are_built_in_packs_with_references():
    assert len(PACKS) >= 10
    assert sum(len(r.get("references", [])) for p in PACKS for r in yaml.safe_load(p.read_text())["rules"]) > 100


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_every_built_in_reference_has_an_https_url_and_a_confidence(pack):
    assert problems(pack) == []


def test_the_check_finds_a_reference_without_url_or_confidence(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: govern/v1\nkind: PolicyPack\nmetadata: {name: bad, version: 1.0.0}\nrules:\n"
        "  - id: BAD-001\n    references:\n"
        "      - {framework: A}\n"
        "      - {framework: B, url: 'http://example.org/x', confidence: verified}\n"
        "      - {framework: C, url: 'https://no host/x', confidence: sure}\n",
        encoding="utf-8")
    found = problems(bad)
    assert any("reference 1 (A): no url" in p for p in found)
    assert any("reference 1 (A): confidence is None" in p for p in found)
    assert any("reference 2 (B): url is not https" in p for p in found)
    assert any("reference 3 (C): url is not a well-formed" in p for p in found)
    assert any("reference 3 (C): confidence is 'sure'" in p for p in found)


def test_explain_shows_each_reference_with_its_confidence():
    result = run_cli("explain", "ACC-001", "--no-plugins", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("References:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert lines and all(re.search(r" <https://\S+> \(confidence: (verified|secondary)\)$", line) for line in lines), lines


def test_a_confidence_outside_the_enum_is_a_located_pack_error(tmp_path):
    pack = tmp_path / "packs"
    pack.mkdir()
    (pack / "p.yaml").write_text(
        "apiVersion: govern/v1\nkind: PolicyPack\nmetadata: {name: p, version: 1.0.0}\nrules:\n"
        "  - id: PCK-001\n    title: T\n    severity: info\n    rationale: R.\n    remediation: F.\n"
        "    require: true\n"
        "    references:\n      - {framework: F, url: 'https://www.gov.uk/', confidence: probably}\n"
        "    examples: {pass: [{manifest: {}}], fail: [{manifest: {}}]}\n",
        encoding="utf-8")
    manifest = tmp_path / "m.yaml"
    manifest.write_text("apiVersion: govern/v1\nkind: Initiative\nmetadata: {id: M-1, name: M}\n", encoding="utf-8")
    result = run_cli("check", str(manifest), "--policies", str(pack), "--no-plugins", cwd=tmp_path)
    assert result.returncode == 2
    assert re.search(r"p\.yaml:12:\d+  ERROR  GOV-INPUT  invalid PolicyPack: rules\[0\]\.references\[0\]\.confidence must be one of", result.stdout), result.stdout
