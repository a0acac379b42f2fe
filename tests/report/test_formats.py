"""The CI formats of `govern check`: SARIF, JUnit, GitHub annotations and Markdown.

SARIF is validated against the official OASIS 2.1.0 schema and GitHub's code-scanning
constraints, JUnit against the Jenkins XSD, both byte-for-byte copies in tests/vendor (with their licences).
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
VENDOR = Path(__file__).resolve().parents[1] / "vendor"  # the official schemas, vendored: tests/vendor/README.md
SARIF_SCHEMA = VENDOR / "sarif" / "sarif-schema-2.1.0.json"
JUNIT_XSD = VENDOR / "junit" / "junit-10.xsd"
BASE = ROOT / "policies" / "examples" / "base.yaml"
PORTFOLIO = ROOT / "examples" / "portfolio"
AS_OF = ["--as-of", "2026-11-22"]
ONLY = ["--only", "FMT-001", "--only", "FMT-002", "--only", "FMT-003", "--only", "FMT-004"]
ODD_FILE = "odd%name,v1:x.yaml"

PLUGIN = '''
from govern import hookimpl
from govern.core.model import Rule, Violation


def _name(data, ctx):
    yield Violation("/metadata/name", "the name is " + str(data.get("metadata", {}).get("name", "")))


def _mfa(data, ctx):
    yield Violation("/security/mfa", "multi-factor authentication is not enforced for admins")


def _info(data, ctx):
    yield Violation("/service/channels", "channels noted")


@hookimpl
def govern_rules():
    return [
        Rule(id="FMT-001", title="Name: odd, 100%", domain="formats", severity="warning", accountable="service_owner",
             check=_name, rationale="Names are shown to people.", remediation="Rename it."),
        Rule(id="FMT-002", title="Admins use MFA", domain="security", severity="error", accountable="security_lead",
             check=_mfa, rationale="Admin accounts are what attackers want.", remediation="Enforce MFA.",
             help_uri="https://www.ncsc.gov.uk/collection/cyber-assessment-framework"),
        Rule(id="FMT-003", title="Channels noted", domain="formats", severity="info", accountable=None,
             check=_info, rationale="For information.", remediation="Nothing to do."),
        Rule(id="FMT-004", title="Never applies", domain="formats", severity="error", accountable=None,
             check=_info, applies=lambda data, ctx: False, rationale="Not applicable here.", remediation="None."),
    ]
'''

ODD_NAME = r'"Tell \e[31mus\e[0m | <script>x</script> & 100%, ok: *yes* [link](http://x)\r\nline two"'

REGISTER = """\
apiVersion: govern/v1
kind: WaiverRegister
waivers:
  - initiative: LBX-2025-009
    rule: FMT-002
    justification: MFA rollout booked for December
    approved_by: {name: Digital Investment Board}
    approved_on: 2026-10-01
    expires: 2027-01-31
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two manifests (one with a hostile name, one with an awkward file name), a plugin and a register."""
    (tmp_path / "fmtplugin.py").write_text(PLUGIN, encoding="utf-8")
    text = BASE.read_text(encoding="utf-8")
    odd = text.replace("  name: Tell us you're moving (council tax)\n", f"  name: {ODD_NAME}\n")
    assert odd != text
    (tmp_path / "m.yaml").write_text(odd, encoding="utf-8")
    (tmp_path / ODD_FILE).write_text(text.replace("LBX-2025-008", "LBX-2025-009"), encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(REGISTER, encoding="utf-8")
    return tmp_path


def run_format(project: Path, fmt: str, *extra: str):
    result = run_cli(
        "check", "m.yaml", ODD_FILE, "--plugin", "fmtplugin.py", "--waivers", "waivers.yaml", *ONLY, *AS_OF,
        "--format", fmt, *extra, cwd=project,
    )
    assert result.returncode == 1, result.stdout + result.stderr  # FMT-002 fails on m.yaml, waived on the other
    return result


# -- SARIF ------------------------------------------------------------------------


@functools.cache
def sarif_validator():
    from jsonschema import Draft4Validator

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def assert_github_sarif(log: dict, help_for_every_rule: bool = False) -> None:
    """GitHub code scanning's documented constraints on top of the schema."""
    assert log["$schema"].startswith("https://") and log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "govern" and driver["version"]
    assert driver.get("informationUri", "https://").startswith("https://")  # from [project.urls] when it names one
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(set(ids))
    assert set(ids) == {result["ruleId"] for result in run["results"]}  # every rule that produced a result, and only those
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["help"]["text"] and rule["help"]["markdown"]
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024 and len(rule["shortDescription"]["text"]) <= 1024
        if help_for_every_rule and not rule["id"].startswith(("GOV-", "WAIVER-")):
            assert rule["helpUri"].startswith("https://")  # the rule's help_uri, else its first reference's url
        assert rule.get("helpUri", "https://").startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert isinstance(rule["properties"]["tags"], list)
        if "security" in rule["properties"]["tags"]:
            assert 0.0 < float(rule["properties"]["security-severity"]) <= 10.0
            assert isinstance(rule["properties"]["security-severity"], str)
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        assert 1 <= len(result["locations"]) <= 10
        physical = result["locations"][0].get("physicalLocation")
        if physical:
            uri = physical["artifactLocation"]["uri"]
            assert "\\" not in uri
            if uri.startswith("file:///"):  # a file outside the working folder (the bundled appetite statement)
                assert "uriBaseId" not in physical["artifactLocation"]
            else:
                assert not uri.startswith("/") and physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
        assert result["partialFingerprints"]
    text = json.dumps(log)
    assert not re.search(r'"(startTimeUtc|endTimeUtc|timeUtc|machine|account)"', text)


def test_sarif_is_valid_and_meets_github_constraints(project):
    result = run_format(project, "sarif")
    log = json.loads(result.stdout)
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert_github_sarif(log)
    results = log["runs"][0]["results"]
    by_file = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r for r in results}
    waived = by_file[("FMT-002", "odd%25name%2Cv1%3Ax.yaml")]  # percent-encoded as a URI
    assert waived["suppressions"] == [{
        "kind": "external", "status": "accepted",
        "justification": "MFA rollout booked for December (approved by Digital Investment Board, until 2027-01-31)",
    }]
    assert "suppressions" not in by_file[("FMT-002", "m.yaml")]
    security = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "FMT-002")
    assert security["properties"]["security-severity"] == "8.0" and "security" in security["properties"]["tags"]
    assert security["helpUri"] == "https://www.ncsc.gov.uk/collection/cyber-assessment-framework"
    assert "\x1b" not in result.stdout and "\\u001b" not in result.stdout  # the ANSI escape is made visible text


def test_sarif_of_the_bundled_portfolio_is_valid(tmp_path):
    shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    result = run_cli("check", "portfolio", *AS_OF, "--format", "sarif", cwd=tmp_path)
    log = json.loads(result.stdout)
    assert not list(sarif_validator().iter_errors(log))
    assert_github_sarif(log, help_for_every_rule=True)  # every baseline rule cites a reference with a URL
    assert log["runs"][0]["results"], "the bundled portfolio has findings"


def test_sarif_fingerprints_survive_a_line_move_and_output_is_deterministic(project):
    first = run_format(project, "sarif").stdout
    assert first == run_format(project, "sarif").stdout
    manifest = project / "m.yaml"
    manifest.write_text("# a comment pushes every line down\n" + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    second = run_format(project, "sarif").stdout

    def prints(text):
        return {
            (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]):
            (r["partialFingerprints"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in json.loads(text)["runs"][0]["results"]
        }

    before, after = prints(first), prints(second)
    key = ("FMT-001", "m.yaml")
    assert before[key][0] == after[key][0] and after[key][1] == before[key][1] + 1


# -- JUnit ------------------------------------------------------------------------


@functools.cache
def junit_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(JUNIT_XSD))


def junit(text: str):
    import xml.etree.ElementTree as ET

    return ET.fromstring(text.encode("utf-8"))


def test_junit_is_valid_against_the_jenkins_schema(project):
    import xmlschema

    result = run_format(project, "junit")
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(result.stdout)
    root = junit(result.stdout)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"m.yaml", ODD_FILE, "waivers.yaml"} or set(suites) == {"m.yaml", ODD_FILE}
    cases = {(s, c.get("name")): c for s, suite in suites.items() for c in suite.iter("testcase")}
    # one test case per manifest and rule considered (plus the schema check)
    names = sorted(name for (s, name) in cases if s == "m.yaml")
    assert names == ["FMT-001 Name: odd, 100%", "FMT-002 Admins use MFA", "FMT-003 Channels noted",
                     "FMT-004 Never applies", "GOV-SCHEMA Manifest matches the initiative schema"]
    assert cases[("m.yaml", "FMT-002 Admins use MFA")].find("failure").get("type") == "error"
    assert cases[("m.yaml", "FMT-004 Never applies")].find("skipped") is not None
    assert len(cases[("m.yaml", "GOV-SCHEMA Manifest matches the initiative schema")]) == 0  # passed: empty
    waived = cases[(ODD_FILE, "FMT-002 Admins use MFA")]
    assert waived.find("failure") is None and "waived until 2027-01-31" in waived.find("skipped").get("message")
    m = suites["m.yaml"]
    assert (m.get("tests"), m.get("failures"), m.get("errors"), m.get("skipped")) == ("5", "3", "0", "1")
    for element in root.iter():
        assert not {"timestamp", "hostname", "time"} & set(element.attrib)
    assert "\x1b" not in result.stdout and "\r" not in result.stdout


def test_junit_reports_an_unreadable_file_as_an_error(project):
    import xmlschema

    (project / "broken.yaml").write_text("apiVersion: govern/v1\nkind: Initiative\nmetadata: [\n", encoding="utf-8")
    result = run_cli("check", "m.yaml", "broken.yaml", "--plugin", "fmtplugin.py", *ONLY, *AS_OF, "--format", "junit", cwd=project)
    assert result.returncode == 2
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(result.stdout)
    suite = next(s for s in junit(result.stdout).iter("testsuite") if s.get("name") == "broken.yaml")
    assert suite.get("errors") == "1" and suite.find("testcase/error").get("message").startswith("YAML syntax error")


# -- GitHub annotations -----------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) (?:file=([^,]*),line=(\d+),col=(\d+),)?title=([^:]*)::(.*)$")


def test_github_annotations_are_escaped_as_the_runner_requires(project):
    result = run_format(project, "github")
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(lines) - 1 and lines[-1].startswith("Checked 2 manifests")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.stdout)  # no raw control character, no CR
    parsed = [COMMAND.match(line) for line in commands]
    assert all(parsed), commands
    name = next(m for m in parsed if m.group(5).startswith("FMT-001") and m.group(2) == "m.yaml")
    assert name.group(1) == "warning"
    assert name.group(5) == "FMT-001 Name%3A odd%2C 100%25"  # ':' ',' '%' escaped in a property
    message = name.group(6)
    assert "100%25, ok: *yes*" in message  # '%' escaped in the data, ':' and ',' left alone
    assert "%0D%0Aline two" in message  # CR and LF
    assert "\\x1b[31m" in message  # the ANSI escape shown, not executed
    odd = [m for m in parsed if m.group(2) == "odd%25name%2Cv1%3Ax.yaml"]
    assert odd and all(m.group(3).isdigit() and int(m.group(3)) >= 1 for m in odd)
    waived = next(m for m in odd if m.group(5).startswith("FMT-002"))
    assert waived.group(1) == "notice" and "waived until 2027-01-31" in waived.group(6)
    error = next(m for m in parsed if m.group(5).startswith("FMT-002") and m.group(2) == "m.yaml")
    assert error.group(1) == "error" and error.group(3) == "70" and error.group(4) == "3"


def test_github_escaping_functions():
    from govern.reporters.github import escape_data, escape_property

    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert escape_data("\x1b[2J") == "\\x1b[2J"


# -- Markdown ---------------------------------------------------------------------


def test_markdown_comment_has_a_summary_and_a_table_per_file(project):
    result = run_format(project, "markdown")
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "## govern check"
    assert re.search(r"checked 2 manifests as of 2026-11-22: 1 error, 2 warnings, 2 info, 1 waived", text), lines[2]
    headings = [line for line in lines if line.startswith("### ")]
    assert [h.split(" ")[1] for h in headings] == ["m.yaml", "odd%name,v1:x.yaml"]
    # every row has its header's number of cells: nothing from the manifest broke a table
    tables, current = [], []
    for line in lines + [""]:
        if line.startswith("|"):
            current.append(len(re.split(r"(?<!\\)\|", line.strip())) - 2)
        elif current:
            tables.append(current)
            current = []
    assert [t[0] for t in tables] == [6, 4, 4]  # the summary, then m.yaml and the odd file
    assert all(len(set(t)) == 1 for t in tables), tables
    assert "<script>" not in text and "&lt;script&gt;x&lt;/script&gt; &amp; 100%" in text
    assert r"\| &lt;script" in text and r"\*yes\*" in text and r"\[link\]" in text
    assert "\x1b" not in text and "\r" not in text and "line two" in text
    rows = [line for line in lines if line.startswith("| m.yaml:")]
    assert [row.split("|")[3].strip() for row in rows] == ["FMT-001", "FMT-003", "FMT-002"]
    assert any("waived (until 2027-01-31)" in line for line in lines if line.startswith(f"| {ODD_FILE}:"))


def test_markdown_cell_escaping():
    from govern.reporters.mdtext import cell

    assert cell("a|b") == r"a\|b"
    assert cell("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert cell("x\ny\r\nz\tw") == r"x\\ny\\r\\nz\\tw"  # shown escaped (rendered `x\ny`), never a new row
    assert cell("`code` _em_ ~del~") == r"\`code\` \_em\_ \~del\~"


# -- several formats in one run ------------------------------------------------------


def test_several_formats_from_one_run(project):
    import xmlschema

    (project / "reports").mkdir()
    result = run_format(project, "text", "--format", "sarif:out.sarif", "--format", "junit:reports/junit.xml")
    assert re.search(r"^m\.yaml:\d+:\d+  ERROR  FMT-002  ", result.stdout, re.M)
    log = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    assert not list(sarif_validator().iter_errors(log))
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(project / "reports" / "junit.xml"))
    alone = run_format(project, "sarif").stdout
    assert (project / "out.sarif").read_text(encoding="utf-8") == alone


def test_unknown_format_writes_nothing_and_exits_2(project):
    result = run_cli("check", "m.yaml", "--plugin", "fmtplugin.py", *ONLY, *AS_OF,
                     "--format", "sarif:out.sarif", "--format", "nope", cwd=project)
    assert result.returncode == 2 and "unknown format 'nope'" in result.stderr
    assert not (project / "out.sarif").exists()


# -- any report renders to valid SARIF and JUnit ---------------------------------------------

def _findings():
    from govern.core.model import Accountable, Finding

    text = st.text(max_size=40)
    finding = st.builds(
        Finding,
        rule=st.sampled_from(["FMT-001", "SEC-002", "GOV-INPUT", "WAIVER-STALE"]),
        title=text, domain=st.sampled_from(["security", "formats", "governance"]),
        severity=st.sampled_from(["error", "warning", "info"]), message=text,
        file=st.one_of(st.sampled_from(["m.yaml", "dir/odd name%.yaml", "<plugin x>"]), st.text(min_size=1, max_size=20).map(lambda s: s.replace("\\", "/").lstrip("/<") or "f")),
        line=st.integers(1, 10_000), column=st.integers(1, 500), path=st.sampled_from(["", "/metadata/name", "/risks/0"]),
        initiative=st.one_of(st.none(), text), accountable=st.builds(Accountable, st.one_of(st.none(), text), st.one_of(st.none(), text)),
        waived=st.booleans(),
    )
    return st.lists(finding, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(findings=_findings())
def test_any_report_renders_to_valid_sarif_and_junit(findings):
    import datetime as dt

    from govern.reporters import github, junit, markdown, sarif
    from govern.run.runner import Report

    for finding in findings:
        if finding.waived:
            finding.waiver = {"status": "live", "file": "w.yaml", "line": 4, "approved_by": {"name": "Board"}, "expires": "2027-01-01"}
    findings.sort(key=lambda f: f.sort_key())
    manifests = [{"file": "m.yaml", "document": 0, "line": 1, "initiative": None, "outcomes": {"FMT-001": "pass", "FMT-004": "not-applicable"}}]
    report = Report(command="check", as_of=dt.date(2026, 11, 22), findings=findings, manifests=manifests, rules=[])
    log = json.loads(sarif.render(report))
    assert not list(sarif_validator().iter_errors(log))
    junit_schema().validate(junit.render(report))
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", github.render(report))
    assert "\x1b" not in markdown.render(report)

