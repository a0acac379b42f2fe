"""``govern init`` (issue 18, items 6 and 7): a skeleton that is never a passing manifest.

Its placeholders are findings until replaced (not a pass of GOV-001 to GOV-004 on
"Full Name"), its risk fields are explained, ``--phase`` and ``--organisation`` fill it
in, a terminal is asked for the organisation type, and its first line points editors
at the schema (``govern schema``).
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from govern.core.resources import schemas_dir
from govern.testing import run_cli

AS_OF = ["--as-of", "2026-11-22"]
SCHEMA = json.loads((schemas_dir() / "initiative.schema.json").read_text(encoding="utf-8"))


def check(tmp_path: Path, text: str) -> dict:
    (tmp_path / "initiative.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "initiative.yaml", *AS_OF, "--format", "json", "--no-plugins", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def test_the_skeleton_is_valid_but_every_placeholder_is_a_finding(tmp_path):
    text = run_cli("init", cwd=tmp_path).stdout
    report = check(tmp_path, text)
    findings = report["findings"]
    assert [f for f in findings if f["rule"] in ("GOV-SCHEMA", "GOV-INPUT")] == []
    outcomes = report["manifests"][0]["outcomes"]
    assert outcomes["GOV-001"] == "fail"  # never a pass on "Full Name"
    assert all(outcomes.get(rule) != "pass" for rule in ("GOV-001", "GOV-002", "GOV-003", "GOV-004"))
    said = {f["path"]: f for f in findings if "govern init` placeholder" in f["message"]}
    for pointer in ("/metadata/id", "/metadata/name", "/metadata/department", "/accountability/service_owner",
                    "/accountability/security_lead"):
        assert said[pointer]["rule"] == "GOV-PLACEHOLDER", said.get(pointer)
    sro = [f for f in findings if f["path"].startswith("/accountability/senior_responsible_owner")]
    assert [f["rule"] for f in sro] == ["GOV-001"]  # one finding for one unfilled person, from the rule
    assert "still holds the `govern init` placeholders: name 'Full Name', email 'sro@example.gov'" in sro[0]["message"]


def test_a_filled_in_skeleton_has_no_placeholder_finding(tmp_path):
    text = run_cli("init", "--phase", "alpha", "--organisation", "nhs", cwd=tmp_path).stdout
    text = text.replace("DEPT-2026-001", "NHS-2026-004").replace("Name of the service", "Book a blood test")
    text = text.replace("Name of the department", "NHS Northvale")
    lines = text.splitlines(keepends=True)
    for i, role in enumerate(("sro", "service.owner", "iao", "security.lead")):
        at = next(n for n, line in enumerate(lines) if f"email: {role}@example.gov" in line and line[0] != "#")
        lines[at] = lines[at].replace("Full Name", f"Person {i}").replace(f"{role}@example.gov", f"p{i}@northvale.nhs.uk")
    text = "".join(lines)
    findings = check(tmp_path, text)["findings"]
    assert not any("placeholder" in f["message"] or f["rule"] == "GOV-PLACEHOLDER" for f in findings), findings
    assert {"GOV-001", "GOV-002", "GOV-003", "GOV-004"}.isdisjoint(f["rule"] for f in findings), findings


def test_phase_and_organisation_fill_the_skeleton(tmp_path):
    text = run_cli("init", "--phase", "beta", "--organisation", "local-authority", "--nation", "wales",
                   cwd=tmp_path).stdout
    data = yaml.safe_load(text)
    assert data["metadata"]["phase"] == "beta"
    assert data["metadata"]["organisation"] == {"type": "local-authority", "nation": "wales"}
    assert "phase: beta}" in text  # the approval GOV-005 will look for, to fill in
    assert not [f for f in check(tmp_path, text)["findings"] if f["rule"] == "GOV-SCHEMA"]
    bad = run_cli("init", "--organisation", "parish", cwd=tmp_path)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr


def test_the_choices_are_the_schemas():
    from govern.cli.init import NATIONS, ORGANISATION_TYPES, PHASES
    from govern.cli.schema import SCHEMAS

    organisation = SCHEMA["properties"]["metadata"]["properties"]["organisation"]["properties"]
    assert tuple(organisation["type"]["enum"]) == ORGANISATION_TYPES
    assert tuple(organisation["nation"]["enum"]) == NATIONS
    assert tuple(SCHEMA["$defs"]["phase"]["enum"]) == PHASES
    assert {p.name.removesuffix(".schema.json") for p in schemas_dir().glob("*.schema.json")} == set(SCHEMAS)


def test_the_risk_fields_are_explained(tmp_path):
    text = run_cli("init", cwd=tmp_path).stdout
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    for field in ("likelihood:", "impact:", "review_by:"):
        assert f"#   {field}" in comments, field
    commented_risk = "\n".join(line[1:] for line in text.splitlines() if line.startswith(("#  -", "#    ")))
    risk = yaml.safe_load(commented_risk)[0]  # uncommented, the example risk is a valid entry
    assert set(risk) <= set(SCHEMA["properties"]["risks"]["items"]["properties"])


def test_a_terminal_is_asked_for_the_organisation_type(tmp_path):
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "govern", "init", "--output", "asked.yaml"], stdin=follower,
                               stdout=follower, stderr=follower, cwd=tmp_path, env={**os.environ, "TERM": "xterm"})
    os.close(follower)
    asked = b""
    while b"Organisation type?" not in asked:
        asked += os.read(leader, 4096)
    os.write(leader, b"3\n")
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        asked += chunk
    assert process.wait(timeout=60) == 0, asked
    os.close(leader)
    assert yaml.safe_load((tmp_path / "asked.yaml").read_text(encoding="utf-8"))["metadata"]["organisation"] == {
        "type": "local-authority"
    }


def test_without_a_terminal_nothing_is_asked(tmp_path):
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0 and "Organisation type?" not in result.stderr + result.stdout
    assert "organisation" not in yaml.safe_load(result.stdout)["metadata"]
    assert "#   type: central-government | arms-length-body" in result.stdout


@pytest.mark.parametrize("schema", [None, "https://schemas.example.gov.uk/govern/initiative.schema.json"])
def test_the_first_line_points_editors_at_the_schema(tmp_path, schema):
    args = ("init",) if schema is None else ("init", "--schema", schema)
    first = run_cli(*args, cwd=tmp_path).stdout.splitlines()[0]
    expected = schema or run_cli("schema", "--path", cwd=tmp_path).stdout.strip()
    assert first == f"# yaml-language-server: $schema={expected}"
    if schema is None:
        assert json.loads(Path(expected).read_text(encoding="utf-8")) == SCHEMA


def test_govern_schema_prints_the_schema_an_editor_needs(tmp_path):
    printed = run_cli("schema", cwd=tmp_path)
    assert printed.returncode == 0 and json.loads(printed.stdout) == SCHEMA
    pack = json.loads(run_cli("schema", "policy-pack", cwd=tmp_path).stdout)
    assert pack["title"]
    assert run_cli("schema", "nonsense", cwd=tmp_path).returncode == 2


def test_the_editor_guide_covers_three_editors_and_the_schema_line():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "editors.md").read_text(encoding="utf-8")
    for words in ("VS Code", "JetBrains", "Neovim", "# yaml-language-server: $schema=", "govern schema"):
        assert words in guide, words
