"""Issue 13, items 17-19: outputs that cannot be forged, inputs that cannot block or be overwritten.

- 17: file names and manifest text with newlines, TABs, C0/C1 controls, line
  separators and GitHub workflow commands (``::stop-commands::``, ``##[error]``)
  go through every format of ``govern check`` and ``govern portfolio``: each
  finding stays one line, no raw control character comes out, no line starts a
  workflow command govern did not write, and JSON still holds the exact text.
- 18: markdown (a pull-request comment) pings no one, cross-links nothing and
  links nowhere from input text.
- 19: ``--baseline``, ``--compare`` and ``verify`` read only regular files within
  ``--max-file-size`` (a FIFO or ``/dev/zero`` is refused at once), and no
  ``--output`` or ``--format NAME:FILE`` may replace an input.

The formats are checked through the real CLI (``python -m govern``) in a
subprocess under a timeout; the properties run the sanitisers and the
reporters in-process over arbitrary text and file names.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.reporters.mdtext import cell, inert
from govern.core.text import clean, json_safe, one_line

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
APPETITE = ROOT / "policies" / "default-appetite.yaml"
AS_OF = "2026-11-22"
TIMEOUT = 60  # seconds; a run that blocks on a FIFO fails here instead of hanging the suite
CHECK_FORMATS = ("text", "github", "markdown", "junit", "sarif", "json")
PORTFOLIO_FORMATS = ("table", "markdown", "html", "json", "csv")

# raw characters no output may carry (newline is the line separator; CSV's CRLF is removed first)
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# what GitHub Actions runs: a line starting (after white space) with `::`, or holding `##[` anywhere
OWN_ANNOTATION = re.compile(r"::(error|warning|notice) (file=|title=)")

EVIL = ("x\n::stop-commands::tok\r\n##[error]forged\t\x1b[31mred\x85nel\u2028ls\u202eevil"
        " @org/team @someone #123 GH-45 https://evil.example/x www.evil.example a@b.example")
NAMES = [
    "new\nline.yaml", "tab\there.yaml", "esc\x1b[31m.yaml", "nel\x85.yaml", "sep\u2028.yaml",
    "::stop-commands::tok.yaml", "\n::error file=x::forged.yaml", "##[error]forged.yaml", " ::warning::indented.yaml",
    "@org-team #12 https:x.yaml",
]
PACK = f"""\
apiVersion: govern/v1
kind: PolicyPack
metadata: {{name: hostile-text, version: "1", domain: governance}}
rules:
  - id: HOST-101
    title: {json.dumps("Title " + EVIL)}
    severity: warning
    accountable: service_owner
    rationale: Every manifest gets this finding, so its message reaches every format.
    remediation: Nothing to fix; the rule exists to carry hostile text.
    message: {json.dumps("Message " + EVIL)}
    require: {{required: [nothere]}}
    examples: {{pass: [{{manifest: {{nothere: 1}}}}], fail: [{{manifest: {{}}}}]}}
"""


def govern(*args: str, cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUTF8": "1", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "govern", *args], cwd=cwd, env=env, capture_output=True, timeout=timeout)
    out = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr, out.stderr
    return out


def manifest(ident: str, name: str = "Tell us you're moving (council tax)", department: str = "lbx-revenues") -> str:
    text = BASE.read_text(encoding="utf-8").replace("mfa: {admins: true, staff: true, users: true}",
                                                    "mfa: {admins: false, staff: true, users: true}")
    text = text.replace("id: LBX-2025-008", f"id: {ident}")  # JSON strings are YAML double-quoted strings
    return text.replace("name: Tell us you're moving (council tax)", f"name: {json.dumps(name)}", 1).replace(
        "department: lbx-revenues", f"department: {json.dumps(department)}")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Manifests whose file names, names and departments carry every trick, plus a pack whose text does."""
    folder = tmp_path_factory.mktemp("hostile")
    for i, name in enumerate(NAMES):
        (folder / name).write_text(manifest(f"LBX-2025-{100 + i}"), encoding="utf-8")
    (folder / "evil.yaml").write_text(manifest("LBX-2025-200", EVIL, EVIL), encoding="utf-8")
    (folder / "again\n::stop-commands::dup.yaml").write_text(manifest("LBX-2025-200"), encoding="utf-8")  # message names a file
    pack = folder / "pack"
    pack.mkdir()
    (pack / "hostile.yaml").write_text(PACK, encoding="utf-8")
    statement = APPETITE.read_text(encoding="utf-8").replace("metadata: {name: lbx-2026,", f"metadata: {{name: {json.dumps(EVIL)},")
    (folder / "appetite.yml").write_text(statement, encoding="utf-8")
    return folder


def run_format(folder: Path, command: str, fmt: str, *extra: str) -> str:
    args = [command, "."] if command == "check" else [command, ".", "--appetite", "appetite.yml"]
    run = govern(*args, "--policies", "pack", "--as-of", AS_OF, "--no-plugins", "--format", fmt, *extra, cwd=folder)
    assert run.returncode in ((1, 2) if command == "check" else (0, 2)), run.stderr  # 2: the repeated id
    assert run.stdout
    return run.stdout


@pytest.fixture(scope="module")
def check_outputs(hostile: Path) -> dict[str, str]:
    return {fmt: run_format(hostile, "check", fmt) for fmt in CHECK_FORMATS}


@pytest.fixture(scope="module")
def portfolio_outputs(hostile: Path) -> dict[str, str]:
    return {fmt: run_format(hostile, "portfolio", fmt) for fmt in PORTFOLIO_FORMATS}


def assert_inert(fmt: str, text: str) -> None:
    """No raw control character, and no line the Actions runner would run as a command govern did not write."""
    if fmt == "csv":
        text = text.replace("\r\n", "\n")
    found = sorted({repr(c) for c in RAW.findall(text)})
    assert not found, (fmt, found)
    for line in text.split("\n"):
        assert "##[" not in line, (fmt, line)
        if line.lstrip().startswith("::"):
            assert fmt == "github" and OWN_ANNOTATION.match(line), (fmt, line)


# -- 17: every format, from the real CLI ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_check_outputs_carry_no_raw_control_and_start_no_workflow_command(check_outputs: dict[str, str], fmt: str) -> None:
    assert_inert(fmt, check_outputs[fmt])


@pytest.mark.parametrize("fmt", PORTFOLIO_FORMATS)
def test_portfolio_outputs_carry_no_raw_control_and_start_no_workflow_command(portfolio_outputs: dict[str, str], fmt: str) -> None:
    assert_inert(fmt, portfolio_outputs[fmt])


def test_each_finding_is_one_line_in_text_and_github(check_outputs: dict[str, str]) -> None:
    findings = json.loads(check_outputs["json"])["findings"]
    assert len(findings) > 2 * len(NAMES)  # SEC-002 and HOST-101 for every file, and the repeated id
    text = [line for line in check_outputs["text"].split("\n") if line]
    finding = re.compile(r"^.+:\d+:\d+  (ERROR|WARNING|INFO|WAIVED)  [A-Z][A-Z0-9-]+  .+$")
    assert [bool(finding.match(line)) for line in text[:-1]] == [True] * len(findings), text
    assert text[-1].startswith("Checked ")
    github = check_outputs["github"].rstrip("\n").split("\n")
    assert len(github) == len(findings) + 1
    assert all(OWN_ANNOTATION.match(line) for line in github[:-1]) and github[-1].startswith("Checked ")


def test_file_names_are_shown_escaped_and_json_keeps_them_exactly(hostile: Path, check_outputs: dict[str, str]) -> None:
    text = check_outputs["text"]
    assert "new\\nline.yaml:70:9  ERROR  SEC-002" in text
    assert "tab\\there.yaml:" in text and "esc\\x1b[31m.yaml:" in text and "nel\\x85.yaml:" in text and "sep\\u2028.yaml:" in text
    assert "\\x3a:stop-commands::tok.yaml:70:9" in text and "##\\x5berror]forged.yaml:" in text
    report = json.loads(check_outputs["json"])
    files = {f["file"] for f in report["findings"] if f["rule"] == "SEC-002"}
    assert set(NAMES) <= files  # the parsed JSON holds the real names, byte for byte
    [evil] = [m for m in report["manifests"] if m["file"] == "evil.yaml"]
    assert evil["name"] == EVIL
    assert any(f["message"].startswith("Message " + EVIL) for f in report["findings"])
    raw = check_outputs["json"]
    assert "\\u0085" in raw and "\\u2028" in raw and "\\u202e" in raw and "##\\u005b" in raw  # escaped, not raw
    again = run_format(hostile, "check", "json")
    assert again == raw  # deterministic
    sarif = json.loads(check_outputs["sarif"])
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "new%0Aline.yaml" in uris and "nel%C2%85.yaml" in uris


def test_junit_keeps_one_line_per_finding(check_outputs: dict[str, str]) -> None:
    root = ET.fromstring(check_outputs["junit"])
    for element in root.iter():
        for line in (element.text or "").split("\n"):
            assert not line.lstrip().startswith("::"), line
    bodies = [e.text for e in root.iter("failure") if e.text]
    assert any(body.startswith("new\\nline.yaml:70:9: error:") for body in bodies)


def test_portfolio_formats_parse_and_show_the_text_escaped(portfolio_outputs: dict[str, str]) -> None:
    data = json.loads(portfolio_outputs["json"])
    assert data["appetite"]["name"] == EVIL
    assert any(row["name"] == EVIL and row["department"] == EVIL for row in data["compliance"]["rows"])
    rows = list(csv.reader(io.StringIO(portfolio_outputs["csv"], newline="")))
    assert len({len(row) for row in rows}) == 1  # rectangular: no value broke a row
    assert any(row[3].startswith("x\\n::stop-commands::tok\\r\\n##\\x5berror]forged\\t\\x1b") for row in rows)

    class Texts(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.texts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.texts.append(data)

    page = Texts()
    page.feed(portfolio_outputs["html"])
    assert any("x\\n::stop-commands::tok\\r\\n##\\x5berror]forged\\t\\x1b[31mred\\x85nel\\u2028ls\\u202eevil" in t for t in page.texts)
    table = portfolio_outputs["table"]
    summary = table[table.index("\nSummary\n=======\n\n") + 18:].split("\n\n")[0]  # the headline, wrapped to 120 columns
    assert "appetite statement x\\n::stop-commands::tok" in summary.replace("\n", " ")  # the name is never a raw break


def test_a_previous_report_with_hostile_text_is_shown_escaped(hostile: Path, tmp_path: Path) -> None:
    previous = json.loads(run_format(hostile, "portfolio", "json"))
    previous["as_of"] = EVIL
    previous["findings"][0]["domain"] = EVIL  # a domain that no longer exists: it shows as a changed domain
    path = tmp_path / "previous.json"
    path.write_text(json.dumps(previous), encoding="utf-8")
    for fmt in PORTFOLIO_FORMATS:
        out = run_format(hostile, "portfolio", fmt, "--compare", str(path))
        assert_inert(fmt, out)
        if fmt == "table":
            assert "Since x\\n::stop-commands::tok" in out


# -- 17: a property over arbitrary text ---------------------------------------------------------------

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXTS = st.text(alphabet=st.characters(exclude_categories=()), max_size=40) | st.sampled_from(
    ["::stop-commands::x", " \t::x", "\x85::x", "a##[error]b", "#\n::x", "\u00a0::warning::y", "##[##["])


@PROPERTY
@given(TEXTS)
def test_one_line_escapes_every_control_and_every_workflow_command(text: str) -> None:
    shown = one_line(text)
    assert "\n" not in shown and not RAW.search(shown)
    assert "##[" not in shown and not shown.lstrip().startswith("::")
    assert one_line(shown) == shown  # idempotent
    if not RAW.search(text) and "\n" not in text and "##[" not in text and "::" not in text:
        assert shown == text  # ordinary text is left alone


@PROPERTY
@given(st.lists(TEXTS, max_size=4).map("\n".join))
def test_clean_keeps_lines_but_no_control_and_no_command_line(text: str) -> None:
    shown = clean(text)
    assert shown.count("\n") == text.count("\n")
    assert not RAW.search(shown.replace("\t", ""))  # TABs stay in a multi-line text govern lays out
    for line in shown.split("\n"):
        assert "##[" not in line and not line.lstrip().startswith("::"), line


@PROPERTY
@given(TEXTS)
def test_json_safe_is_the_same_json_value_with_safe_bytes(text: str) -> None:
    dumped = json_safe(json.dumps({"file": text, "list": [text]}, ensure_ascii=False))
    assert json.loads(dumped) == {"file": text, "list": [text]}
    assert not RAW.search(dumped) and "##[" not in dumped


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=20).filter(
    lambda name: name not in (".", "..")))
def test_any_file_name_reaches_no_check_format_raw(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    from govern.run.runner import Options, run_check

    folder = tmp_path_factory.mktemp("names")
    try:
        (folder / (name + ".yaml")).write_text(manifest("LBX-2025-300"), encoding="utf-8")
    except OSError:  # a name the file system refuses (too long in bytes)
        return
    (folder / "twin.yaml").write_text(manifest("LBX-2025-300"), encoding="utf-8")  # the repeated id names the file
    report = run_check(Options(paths=[str(folder)], as_of=dt.date(2026, 11, 22), no_plugins=True))
    reporters = report.registry.reporters
    for fmt in CHECK_FORMATS:
        assert_inert(fmt, reporters[fmt].render(report))
    text = [line for line in reporters["text"].render(report).split("\n") if line]
    assert len(text) == len(report.findings) + 1


# -- 18: markdown pings no one and links nowhere ---------------------------------------------------------

ACTIVE = re.compile(r"@[A-Za-z0-9]|#[0-9]|(?<![A-Za-z0-9])GH-[0-9]|https?://|(?<![A-Za-z0-9])www\.", re.I)


def rendered(markdown: str) -> str:
    """What GitHub's text filters see: entities decoded (the zero-width space stays between the characters)."""
    return markdown.replace("&#8203;", "\u200b")


@pytest.mark.parametrize("command", ("check", "portfolio"))
def test_markdown_neutralises_mentions_references_and_urls_from_input(
        check_outputs: dict[str, str], portfolio_outputs: dict[str, str], command: str) -> None:
    markdown = (check_outputs if command == "check" else portfolio_outputs)["markdown"]
    assert "@&#8203;org/team" in markdown and "#&#8203;123" in markdown and "https:&#8203;//evil.example/x" in markdown
    assert not ACTIVE.search(rendered(markdown)), ACTIVE.search(rendered(markdown))
    shown = markdown.replace("&#8203;", "")
    assert "@org/team" in shown and "#123" in shown and "https://evil.example/x" in shown  # reads the same


@PROPERTY
@given(TEXTS)
def test_markdown_cells_are_one_line_and_inert(text: str) -> None:
    shown = cell(text)
    assert "\n" not in shown and not RAW.search(shown) and "|" not in shown.replace("\\|", "")
    rendered = shown.replace("&#8203;", "\u200b")
    assert not re.search(r"@[A-Za-z0-9]|#[0-9]|://|(?<![A-Za-z0-9])www\.|(?<![A-Za-z0-9])GH-[0-9]", rendered, re.I), shown


def test_inert_marks_only_what_github_would_act_on() -> None:
    assert inert("ask @team or @org/sec-team about #12, GH-3 and https://x.example or www.y.example") == (
        "ask @&#8203;team or @&#8203;org/sec-team about #&#8203;12, GH-&#8203;3 and https:&#8203;//x.example or "
        "www&#8203;.y.example")
    assert inert("LBX-2025-008 phase 2 of 3, 100% done, a # b, @ c") == "LBX-2025-008 phase 2 of 3, 100% done, a # b, @ c"
    assert cell("mail a@b.example") == "mail a@&#8203;b.example"  # no mailto: autolink either


# -- 19: inputs that are not regular files, or too large; outputs over inputs --------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "m.yaml").write_text(manifest("LBX-2025-400"), encoding="utf-8")
    assert govern("check", "m.yaml", "--as-of", AS_OF, "--no-plugins", "--format", "json:report.json",
                  cwd=tmp_path).returncode == 1
    assert govern("portfolio", "m.yaml", "--as-of", AS_OF, "--no-plugins", "--format", "json:board.json",
                  cwd=tmp_path).returncode == 0
    os.mkfifo(tmp_path / "fifo.json")
    return tmp_path


SPECIAL_INPUTS = {
    "baseline": ("check", "m.yaml", "--baseline"),
    "compare": ("portfolio", "m.yaml", "--compare"),
    "verify": ("verify",),
}


@pytest.mark.parametrize("special", ("fifo.json", "/dev/zero"))
@pytest.mark.parametrize("kind", sorted(SPECIAL_INPUTS))
def test_a_fifo_or_device_is_refused_at_once(project: Path, kind: str, special: str) -> None:
    dated = () if kind == "verify" else ("--as-of", AS_OF, "--no-plugins")
    run = govern(*SPECIAL_INPUTS[kind], special, *dated, cwd=project, timeout=20)  # a blocked open would time out
    assert run.returncode == 2
    assert f"{special}:1:1: " in run.stderr and "not a regular file (a FIFO, socket or device is never read)" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("kind", sorted(SPECIAL_INPUTS))
def test_a_report_over_max_file_size_is_refused(project: Path, kind: str) -> None:
    report = "report.json" if kind != "compare" else "board.json"
    size = (project / report).stat().st_size
    dated = () if kind == "verify" else ("--as-of", AS_OF, "--no-plugins")
    run = govern(*SPECIAL_INPUTS[kind], report, *dated, "--max-file-size", "2000", cwd=project)
    assert run.returncode == 2
    assert f"{report}:1:1: " in run.stderr and f"file is {size} bytes, over the 2000-byte limit" in run.stderr
    limit = max(size, (project / "m.yaml").stat().st_size)  # the manifest is read within the same limit
    accepted = govern(*SPECIAL_INPUTS[kind], report, *dated, "--max-file-size", str(limit), cwd=project)
    assert accepted.returncode in (0, 1), accepted.stderr


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


OVERWRITES = {
    "--output onto --baseline": ("check", "m.yaml", "--baseline", "report.json", "--format", "json", "--output", "report.json"),
    "--format FILE onto --baseline": ("check", "m.yaml", "--baseline", "report.json", "--format", "text:new.txt",
                                      "--format", "json:./report.json"),
    "--output onto --compare": ("portfolio", "m.yaml", "--compare", "board.json", "--format", "json", "--output", "board.json"),
    "--format FILE onto --compare": ("portfolio", "m.yaml", "--compare", "board.json", "--format", "csv:new.csv",
                                     "--format", "html:board.json"),
    "--format FILE onto --compare by a link": ("portfolio", "m.yaml", "--compare", "board.json", "--format", "json:link.json"),
    "--output onto --waivers": ("check", "m.yaml", "--waivers", "waivers.yaml", "--format", "sarif", "--output", "waivers.yaml"),
    "--format FILE onto --appetite": ("portfolio", "m.yaml", "--appetite", "appetite.yaml", "--format", "table:new.txt",
                                      "--format", "markdown:appetite.yaml"),
}


@pytest.mark.parametrize("case", sorted(OVERWRITES))
def test_no_output_may_replace_an_input(project: Path, case: str) -> None:
    (project / "waivers.yaml").write_text("apiVersion: govern/v1\nkind: WaiverRegister\nwaivers: []\n", encoding="utf-8")
    (project / "appetite.yaml").write_text(APPETITE.read_text(encoding="utf-8"), encoding="utf-8")
    (project / "link.json").symlink_to("board.json")
    before = hashes(project)
    args = OVERWRITES[case]
    run = govern(*args, "--as-of", AS_OF, "--no-plugins", cwd=project)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "is an input of this run; govern never overwrites its inputs" in run.stderr
    assert hashes(project) == before  # the input untouched, and no other output written first
    assert not (project / "new.txt").exists() and not (project / "new.csv").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".govern-")]
