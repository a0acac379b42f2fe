"""README.md is the front door: short, its two commands work as written, its example is real.

The manual itself is the documentation site (docs/); tests/test_docs.py keeps its reference
true to the code. Here: the README stays short, opens with the two commands that CI runs
exactly as written, shows output `govern check` really gives, lists every command, and every
link it makes lands on a file of the repository.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
FINDING = re.compile(r"^(\S+:\d+:\d+)  ([A-Z]+)  ([A-Z]+-[A-Z0-9-]+)  (.*)$", re.MULTILINE)


def code_blocks(text: str, kinds: str = "sh|console") -> list[str]:
    return re.findall(rf"^```(?:{kinds})\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def test_readme_is_short():
    assert len(README.splitlines()) <= 200


def test_readme_opens_with_the_two_commands():
    first, second = code_blocks(README)[:2]
    assert README.index(first) < 1500
    assert "pip install ." in first and "govern portfolio examples/portfolio" in first
    assert "pip install '.[test]'" in second and "python -m pytest" in second


def test_ci_installs_and_tests_exactly_as_the_readme_says():
    first, second = (block.strip() for block in code_blocks(README)[:2])
    install_test = second.split("&& ")[2].strip()  # pip install '.[test]'
    assert f"\n{install_test}\n" in CI
    assert "python -m coverage run -m pytest" in CI  # the README's `python -m pytest`, measured
    assert "python3 -m venv" in CI
    board_view = first.split("&& ")[-1].strip()
    assert f"\n{board_view} |" in CI  # CI runs the first command's job too


def test_the_first_command_runs_the_board_view():
    command = code_blocks(README)[0].strip().split("&& ")[-1]
    result = run_cli(*shlex.split(command)[1:], cwd=ROOT)
    assert result.returncode == 0, result.stderr  # a report: only --fail-on makes portfolio fail
    assert "Compliance" in result.stdout and "Accountability" in result.stdout and "12 initiatives" in result.stdout


def test_the_example_output_is_what_govern_check_gives():
    example = next(block for block in code_blocks(README, "console") if block.startswith("$ govern check"))
    command, _, rest = example.partition("\n")
    shown, _, exit_part = rest.partition("$ echo $?\n")
    result = run_cli(*shlex.split(command[2:])[1:], cwd=ROOT)
    assert result.stdout.strip() == shown.strip(), "the README's example output drifted: paste the new output"
    assert str(result.returncode) == exit_part.strip()


def test_every_command_is_listed():
    help_text = run_cli("--help", cwd=ROOT).stdout
    commands = re.findall(r"^    (\w+)\s", help_text, re.MULTILINE)
    assert len(commands) >= 10
    for command in commands:
        assert f"| `govern {command}" in README, f"`govern {command}` is not in the README's command table"


def test_every_link_lands_on_a_file_of_the_repository():
    links = [target for target in re.findall(r"\]\(([^)\s]+)\)", README) if not re.match(r"^[a-z]+:|^#", target)]
    assert len(links) > 20
    missing = [target for target in links if not (ROOT / target.split("#")[0]).exists()]
    assert missing == []
