"""The text report answers "who and how" (issue 18, item 5).

On a terminal, each finding has a second, indented line: the accountable role and
the person who holds it, and a one-line fix. ``--quiet``, a pipe and a file keep one
line per finding. The terminal is a real pseudo-terminal, the command the real one.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from govern.reporters.text import first_sentence
from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ["--as-of", "2026-11-22"]


def on_a_terminal(cwd: Path, *args: str) -> str:
    """What ``govern ARGS`` prints to a terminal (NO_COLOR: the words, not the colours)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "200"}
    process = subprocess.Popen([sys.executable, "-m", "govern", *args], stdout=follower, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, cwd=cwd, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed: the process is done writing
            break
        if not chunk:
            break
        out += chunk
    process.wait(timeout=60)
    os.close(leader)
    with process.stderr:
        assert b"Traceback" not in process.stderr.read()
    return out.decode("utf-8").replace("\r\n", "\n")


def manifest(tmp_path: Path) -> Path:
    text = BASE.read_text(encoding="utf-8")
    text = text.replace("  security_lead:                 {name: Tomasz Nowak, email: t.nowak@lbx.example.gov}\n", "")
    text = text.replace("  encryption: {at_rest: true, in_transit: true}", "  encryption: {at_rest: false, in_transit: true}")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "m.yaml"


def test_each_finding_on_a_terminal_names_the_owner_and_the_fix(tmp_path):
    manifest(tmp_path)
    out = on_a_terminal(tmp_path, "check", "m.yaml", *AS_OF, "--no-plugins")
    lines = out.splitlines()
    findings = [i for i, line in enumerate(lines) if line.startswith("m.yaml:")]
    assert len(findings) >= 2, out
    for i in findings:
        assert lines[i + 1].startswith("    owner: ") and "  fix: " in lines[i + 1], out
    gov004 = next(lines[i + 1] for i in findings if "GOV-004" in lines[i])  # the SRO answers for a missing lead
    assert gov004.startswith("    owner: SRO, Hannah Okoro (h.okoro@lbx.example.gov)  fix: Name the security lead"), gov004
    encryption = next(lines[i + 1] for i in findings if "encrypt" in lines[i].lower())
    assert encryption.startswith("    owner: Security lead, nobody named  fix: Encrypt stored data"), encryption


def test_quiet_a_pipe_and_a_file_keep_one_line_per_finding(tmp_path):
    manifest(tmp_path)
    quiet = on_a_terminal(tmp_path, "check", "m.yaml", *AS_OF, "--no-plugins", "--quiet")
    piped = run_cli("check", "m.yaml", *AS_OF, "--no-plugins", cwd=tmp_path).stdout
    run_cli("check", "m.yaml", *AS_OF, "--no-plugins", "--format", "text:out.txt", cwd=tmp_path)
    written = (tmp_path / "out.txt").read_text(encoding="utf-8")
    for out in (quiet, piped, written):
        assert "owner:" not in out and "fix:" not in out
        assert all(line.startswith("m.yaml:") for line in out.splitlines() if line and not line.startswith("Checked"))


def test_a_finding_of_a_rule_without_remediation_points_to_explain(tmp_path):
    plugin = tmp_path / "plug.py"
    plugin.write_text(
        "from govern.core.model import Rule, Violation\n"
        "import govern\n"
        "@govern.hookimpl\n"
        "def govern_rules():\n"
        "    return [Rule(id='PLUG-001', title='Always', domain='governance', severity='warning', accountable=None,\n"
        "                 check=lambda data, ctx: [Violation('/metadata', 'always found')])]\n",
        encoding="utf-8",
    )
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    out = on_a_terminal(tmp_path, "check", "m.yaml", *AS_OF, "--no-plugins", "--plugin", "plug.py")
    assert "    owner: no accountable role  fix: see `govern explain PLUG-001` for what the rule expects" in out, out


def test_the_fix_is_the_first_sentence_of_the_remediation():
    assert first_sentence("Set it to a tier (e.g. OFFICIAL). Then tell the board.") == "Set it to a tier (e.g. OFFICIAL)."
    assert first_sentence("Name\n  the owner in accountability.service_owner") == "Name the owner in accountability.service_owner"
    assert len(first_sentence("word " * 100)) == 240
