"""docs/guides/risk-appetite-v2.md shows real output: each `$ govern ...` block still prints what the page shows.

The worked example (examples/appetite-v2) judged under its version-1 and version-2 statements: the page
pastes both runs; this test runs every command of the page's console blocks and compares the whole
output, then the key counts in the page's prose.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "guides" / "risk-appetite-v2.md"
BLOCKS = re.findall(r"```console\n\$ (govern [^\n]+)\n(.*?)\n```", PAGE.read_text(encoding="utf-8"), re.DOTALL)


def test_the_page_has_both_runs() -> None:
    commands = [command for command, _ in BLOCKS]
    assert len(commands) == 2
    assert "appetite-v1.yaml" in commands[0] and "appetite-v2.yaml" in commands[1]


@pytest.mark.parametrize(("command", "shown"), BLOCKS, ids=["version 1", "version 2"])
def test_each_command_still_prints_what_the_page_shows(command: str, shown: str) -> None:
    args = shlex.split(command)[1:]
    result = run_cli(*args, "--no-plugins", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert result.stdout.rstrip("\n") == shown, f"rerun `{command}` and paste its output into {PAGE.name}"


def test_the_key_counts() -> None:
    (_, v1), (_, v2) = BLOCKS
    assert v1.endswith("Checked 3 manifests: 7 errors, 2 warnings, 0 info (as of 2026-11-22).")
    assert v2.endswith("Checked 3 manifests: 2 errors, 5 warnings, 2 info (as of 2026-11-22).")
    assert "From 7 errors, 2 warnings and 0 info to 2 errors, 5 warnings and 2 info" in PAGE.read_text(encoding="utf-8")
    assert " INFO  RISK-002 " in v2 and " INFO  RISK-002 " not in v1
    assert v2.count(" ERROR  ") == 2 and v1.count(" ERROR  ") == 7
