"""The CLI as users run it: real subprocesses, real files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = ROOT / "examples" / "portfolio"
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ["--as-of", "2026-11-22"]
LINE = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+)  (?P<sev>ERROR|WARNING|INFO|WAIVED)  (?P<rule>[A-Z]+(-[A-Z]+)*-\d{3}|GOV-[A-Z]+|WAIVER-[A-Z]+)  \S")


def report_validator():
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_portfolio_check_text_lines_and_exit_code():
    result = run_cli("check", str(PORTFOLIO), *AS_OF, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith("Checked")]
    assert lines and all(LINE.match(line) for line in lines), lines[:5]
    assert re.search(r"^Checked \d+ manifests: \d+ errors?, \d+ warnings?, \d+ info", result.stdout, re.M)
    assert "\x1b[" not in result.stdout  # no colour without a terminal
    assert "notes/mkdocs.yml" not in result.stdout  # non-govern YAML in a folder is skipped


def test_json_report_validates_and_points_at_real_positions():
    result = run_cli("check", str(PORTFOLIO.relative_to(ROOT)), *AS_OF, "--format", "json", cwd=ROOT)
    report = json.loads(result.stdout)
    report_validator().validate(report)
    assert report["summary"]["manifests"] >= 8
    from govern.core.loader import load_file

    cache = {}
    for finding in report["findings"]:
        if finding["rule"].startswith("GOV-INPUT"):
            continue
        loaded = cache.setdefault(finding["file"], load_file(str(ROOT / finding["file"]), finding["file"]))
        doc = next(d for d in loaded.documents if d.data.get("metadata", {}).get("id") == finding["initiative"]) if finding["initiative"] else loaded.documents[0]
        assert doc.locate(finding["path"]) == (finding["line"], finding["column"]), finding
    keys = [(f["file"], f["line"], f["rule"]) for f in report["findings"]]
    assert keys == sorted(keys)


def test_two_runs_are_byte_identical():
    first = run_cli("check", str(PORTFOLIO), *AS_OF, "--format", "json", cwd=ROOT)
    second = run_cli("check", str(PORTFOLIO), *AS_OF, "--format", "json", cwd=ROOT)
    assert first.stdout == second.stdout and first.stdout


def test_compliant_manifest_quiet_prints_nothing(tmp_path):
    shutil.copy(BASE, tmp_path / "ok.yaml")
    result = run_cli("check", "ok.yaml", *AS_OF, "--quiet", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    loud = run_cli("check", "ok.yaml", *AS_OF, cwd=tmp_path)
    assert loud.stdout.startswith("Checked 1 manifest: 0 errors, 0 warnings, 0 info")


def test_bad_file_is_reported_and_others_still_checked(tmp_path):
    shutil.copy(BASE, tmp_path / "good.yaml")
    bad = (tmp_path / "good.yaml").read_text().replace("privacy_notice_url:", "privacy_notice_url_typo:")
    (tmp_path / "schema.yaml").write_text(bad.replace("LBX-", "LBY-"))
    (tmp_path / "broken.yaml").write_text("apiVersion: govern/v1\nkind: Initiative\nmetadata: {id: X, name: [\n")
    result = run_cli("check", ".", *AS_OF, "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    rules = {(f["file"], f["rule"]) for f in report["findings"]}
    assert ("broken.yaml", "GOV-INPUT") in rules
    assert ("schema.yaml", "GOV-SCHEMA") in rules  # the other file was still checked
    broken = next(f for f in report["findings"] if f["file"] == "broken.yaml")
    assert broken["line"] >= 3 and broken["column"] >= 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("apiVersion: govern/v9\nkind: Initiative\n", "unknown apiVersion"),
        ("apiVersion: govern/v1\nkind: Initiativ\n", "unknown kind"),
        ("apiVersion: govern/v1\nmetadata: {id: X}\n", "missing kind"),
        ("kind: Initiative\nmetadata: {id: X, name: Y}\n", "missing apiVersion"),
        ("- a\n- b\n", "not a govern document"),
        ("just a string\n", "not a govern document"),
        ("", "empty"),
        ("name: mkdocs site\n", "not a govern document"),
    ],
)
def test_not_a_manifest_named_explicitly_is_gov_input(tmp_path, text, words):
    (tmp_path / "m.yaml").write_text(text)
    result = run_cli("check", "m.yaml", "--format", "json", *AS_OF, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["rule"] == "GOV-INPUT" and words in finding["message"]
    assert finding["file"] == "m.yaml" and finding["line"] >= 1


def test_missing_path_and_usage_errors(tmp_path):
    result = run_cli("check", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "nope.yaml:1:1" in result.stdout and "no such file" in result.stdout
    assert run_cli("check", "--bogus", cwd=tmp_path).returncode == 2
    bad_date = run_cli("check", "x.yaml", "--as-of", "2026-02-30", cwd=tmp_path)
    assert bad_date.returncode == 2 and "not a date" in bad_date.stderr
    assert run_cli("check", cwd=tmp_path).returncode == 2
    assert "Traceback" not in result.stderr + bad_date.stderr


@pytest.mark.parametrize("argv, typo, meant", [
    (["check", "m.yaml", "--formt", "json"], "--formt", "--format"),
    (["portfolio", ".", "--as-off", "2026-01-01"], "--as-off", "--as-of"),
    (["rules", "--formats=json"], "--formats=json", "--format"),
])
def test_a_mistyped_option_gets_did_you_mean(tmp_path, argv, typo, meant):
    result = run_cli(*argv, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"unrecognized arguments: {typo} (did you mean {meant}?)" in result.stderr


def test_an_unknown_argument_far_from_any_option_gets_no_guess(tmp_path):
    result = run_cli("rules", "--zzzzzz", cwd=tmp_path)
    assert result.returncode == 2 and "unrecognized arguments: --zzzzzz" in result.stderr and "did you mean" not in result.stderr


def test_schema_error_for_yaml11_boolean(tmp_path):
    text = BASE.read_text().replace("public_facing: true", "public_facing: yes")
    (tmp_path / "m.yaml").write_text(text)
    result = run_cli("check", "m.yaml", *AS_OF, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["rule"] == "GOV-SCHEMA")
    assert finding["path"] == "/service/public_facing"
    line = text.splitlines()[finding["line"] - 1]
    assert line[finding["column"] - 1 :].startswith("public_facing")


def test_fail_on_thresholds(tmp_path):
    text = BASE.read_text()
    assert "open_high: 0," in text
    (tmp_path / "m.yaml").write_text(text.replace("open_high: 0,", "open_high: 2,"))  # a SEC-005 warning only
    assert run_cli("check", "m.yaml", *AS_OF, cwd=tmp_path).returncode == 0
    assert run_cli("check", "m.yaml", *AS_OF, "--fail-on", "warning", cwd=tmp_path).returncode == 1
    assert run_cli("check", "m.yaml", *AS_OF, "--fail-on", "info", cwd=tmp_path).returncode == 1
    (tmp_path / "m.yaml").write_text(text.replace("logging_monitoring: true", "logging_monitoring: false"))
    assert run_cli("check", "m.yaml", *AS_OF, cwd=tmp_path).returncode == 1
    assert run_cli("check", "m.yaml", *AS_OF, "--fail-on", "never", cwd=tmp_path).returncode == 0


def test_output_is_atomic_and_kept_on_failure(tmp_path):
    shutil.copy(BASE, tmp_path / "ok.yaml")
    out = tmp_path / "report.json"
    assert run_cli("check", "ok.yaml", *AS_OF, "--format", "json", "--output", str(out), cwd=tmp_path).returncode == 0
    before = out.read_text()
    assert json.loads(before)["summary"]["manifests"] == 1
    failed = run_cli("check", "ok.yaml", *AS_OF, "--format", "nonsense", "--output", str(out), cwd=tmp_path)
    assert failed.returncode == 2 and "unknown format" in failed.stderr
    assert out.read_text() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".govern-")] == []


def test_duplicate_initiative_ids(tmp_path):
    shutil.copy(BASE, tmp_path / "a.yaml")
    shutil.copy(BASE, tmp_path / "b.yaml")
    report = json.loads(run_cli("check", ".", *AS_OF, "--format", "json", cwd=tmp_path).stdout)
    dupes = [f for f in report["findings"] if f["rule"] == "GOV-SCHEMA" and "also used" in f["message"]]
    assert [(f["file"], f["path"]) for f in dupes] == [("b.yaml", "/metadata/id")]


def test_init_skeleton_validates(tmp_path):
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0
    (tmp_path / "new.yaml").write_text(result.stdout)
    report = json.loads(run_cli("check", "new.yaml", *AS_OF, "--format", "json", cwd=tmp_path).stdout)
    assert [f for f in report["findings"] if f["rule"] in ("GOV-SCHEMA", "GOV-INPUT")] == []
    assert run_cli("init", "--output", "new.yaml", cwd=tmp_path).returncode == 2  # never overwrites


def test_rules_explain_and_version():
    rules = run_cli("rules", "--format", "json", cwd=ROOT)
    listed = json.loads(rules.stdout)
    assert rules.returncode == 0 and {"id", "severity", "domain", "source"} <= set(listed[0])
    table = run_cli("rules", cwd=ROOT).stdout
    assert all(rule["id"] in table for rule in listed)
    explain = run_cli("explain", "priv-008", cwd=ROOT)
    assert explain.returncode == 0 and "Privacy notice published" in explain.stdout and "References:" in explain.stdout
    assert run_cli("explain", "NOPE-999", cwd=ROOT).returncode == 2
    assert run_cli("--version").stdout.startswith("govern ")


def test_explain_a_check_function_gives_its_options_and_the_rules_using_it():
    result = run_cli("explain", "date_recent", "--no-plugins", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("date_recent: a check function")
    assert "path (required): string" in result.stdout and "missing: one of \"fire\", \"ignore\"" in result.stdout
    used_by = re.search(r"^Used by: (.*)$", result.stdout, re.MULTILINE).group(1).split(", ")
    assert "SEC-004" in used_by and "GOV-012" in used_by and "PRIV-001" not in used_by
    assert "``" not in result.stdout  # docstring markup is not shown raw


def test_explain_a_plugins_check_function(tmp_path):
    (tmp_path / "fn.py").write_text(
        "from govern import hookimpl\nfrom govern.core.checks import CheckFunction\n\n\n"
        "def _never(data, options, ctx):\n    \"\"\"Never fires: a \x1b[31mtest\x1b[0m function.\"\"\"\n    return []\n\n\n"
        "@hookimpl\ndef govern_check_functions():\n"
        "    return [CheckFunction('never_fires', _never, {'type': 'object', 'properties': {'level': {'enum': ['a', 'b']}}})]\n",
        encoding="utf-8",
    )
    result = run_cli("explain", "never_fires", "--plugin", "fn.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "level: one of \"a\", \"b\"" in result.stdout and "Used by: no loaded rule" in result.stdout
    assert "\x1b" not in result.stdout  # a plugin's docstring never drives the terminal
    missing = run_cli("explain", "no_such_function", "--no-plugins", cwd=tmp_path)
    assert missing.returncode == 2 and "no rule or check function" in missing.stderr and "Traceback" not in missing.stderr


def test_python_dash_m_and_no_traceback_on_internal_paths(tmp_path):
    (tmp_path / "m.yaml").write_bytes(b"\xff\xfe\x00garbage")
    result = run_cli("check", "m.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_output_files_get_normal_permissions(tmp_path):
    import os
    import stat

    shutil.copy(BASE, tmp_path / "ok.yaml")
    out = tmp_path / "report.json"
    run_cli("check", "ok.yaml", *AS_OF, "--format", "json", "--output", str(out), cwd=tmp_path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    out.chmod(0o640)
    run_cli("check", "ok.yaml", *AS_OF, "--format", "json", "--output", str(out), cwd=tmp_path)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_jobs_never_change_the_output(tmp_path):
    """Enough files to use the process pool: any number of workers gives the same bytes."""
    from govern.run.checking import PARALLEL_FROM

    text = BASE.read_text()
    for n in range(PARALLEL_FROM + 5):
        body = text.replace("LBX-2025-008", f"JOB-2026-{n:03}")
        if n % 3 == 0:
            body = body.replace("logging_monitoring: true", "logging_monitoring: false")
        (tmp_path / f"m{n:03}.yaml").write_text(body)
    runs = [run_cli("check", ".", *AS_OF, "--format", "json", "--jobs", jobs, cwd=tmp_path) for jobs in ("1", "2", "3")]
    assert {r.returncode for r in runs} == {1}
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    report = json.loads(runs[0].stdout)
    assert report["summary"]["manifests"] == PARALLEL_FROM + 5
    assert run_cli("check", ".", "--jobs", "0", cwd=tmp_path).returncode == 2
