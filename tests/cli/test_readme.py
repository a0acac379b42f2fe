"""README.md is the user's manual: its commands and its rule table must match the product."""

from __future__ import annotations

import re
from pathlib import Path

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```(?:sh|console)\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def test_readme_opens_with_the_two_commands():
    first, second = code_blocks(README)[:2]
    assert README.index(first) < 1500
    assert "pip install ." in first and "govern portfolio examples/portfolio" in first
    assert "pip install '.[test]'" in second and "python -m pytest" in second


def test_rule_table_is_generated_from_the_packs():
    table = README.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    generated = run_cli("rules", "--no-plugins", "--format", "markdown", cwd=ROOT).stdout
    assert table.strip() == generated.strip(), "README rule table drifted: regenerate with `govern rules --no-plugins --format markdown`"


def test_every_command_is_documented():
    help_text = run_cli("--help", cwd=ROOT).stdout
    commands = re.findall(r"^    (\w+)\s", help_text, re.MULTILINE)
    assert len(commands) >= 10
    docs = README + "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))
    for command in commands:  # the README is being cut to a summary: a command may be documented in docs/ instead
        assert f"govern {command}" in docs, f"`govern {command}` is not documented in README.md or docs/"


def test_every_check_option_is_documented():
    help_text = run_cli("check", "--help", cwd=ROOT).stdout
    options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}
    missing = sorted(option for option in options if option not in README)
    assert missing == []
