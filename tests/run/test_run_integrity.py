"""Runs that cannot end falsely clean (issue 13, items 5-8 and 11).

Every test runs the real command line in a real subprocess: a file named twice is
checked once, a path that yields no manifest fails, a plugin check that exits or
interrupts is a GOV-PLUGIN error, a worker process that dies fails the run within
seconds, and real signals leave previous reports intact and no temporary file behind.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")


def report(result) -> dict:
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def duplicates(data: dict) -> list[dict]:
    return [f for f in data["findings"] if "is also used by" in f["message"]]


# -- item 11: one file named twice is checked once ------------------------------------------------


@pytest.mark.parametrize("spelling", [
    ("d", "./d/c.yaml"),
    ("d/c.yaml", "d//c.yaml"),
    ("d/c.yaml", "ABS"),
    ("d", "d/./c.yaml", "./d"),
])
def test_one_file_under_several_names_is_checked_once(tmp_path, spelling):
    (tmp_path / "d").mkdir()
    shutil.copy(BASE, tmp_path / "d" / "c.yaml")
    paths = [str(tmp_path / "d" / "c.yaml") if p == "ABS" else p for p in spelling]
    result = run_cli("check", *paths, *AS_OF, "--format", "json", cwd=tmp_path)
    data = report(result)
    assert result.returncode == 0, data["findings"]
    assert duplicates(data) == []
    assert data["summary"]["manifests"] == 1
    assert [m["file"] for m in data["provenance"]["manifests"]] == ["d/c.yaml"]


def test_symlinks_and_hard_links_to_one_file_are_checked_once_under_the_first_name(tmp_path):
    (tmp_path / "d").mkdir()
    shutil.copy(BASE, tmp_path / "d" / "c.yaml")
    (tmp_path / "d" / "link.yaml").symlink_to("c.yaml")
    os.link(tmp_path / "d" / "c.yaml", tmp_path / "hard.yaml")
    reports = []
    for order in (("d", "hard.yaml"), ("hard.yaml", "d/link.yaml", "d")):
        result = run_cli("check", *order, *AS_OF, "--format", "json", cwd=tmp_path)
        data = report(result)
        assert result.returncode == 0 and duplicates(data) == [], data["findings"]
        assert [m["file"] for m in data["manifests"]] == ["d/c.yaml"]
        del data["provenance"]["arguments"], data["provenance"]["arguments_sha256"]  # the paths as given
        reports.append(data)
    assert reports[0] == reports[1]  # which name is kept never depends on the order paths were given


def test_two_different_files_with_one_id_are_still_duplicates(tmp_path):
    (tmp_path / "d").mkdir()
    shutil.copy(BASE, tmp_path / "d" / "a.yaml")
    shutil.copy(BASE, tmp_path / "d" / "b.yaml")
    result = run_cli("check", "d", "./d/b.yaml", *AS_OF, "--format", "json", cwd=tmp_path)
    data = report(result)
    assert [(f["file"], f["rule"]) for f in duplicates(data)] == [("d/b.yaml", "GOV-SCHEMA")]
    assert data["summary"]["manifests"] == 2


# -- item 8: a path that yields no manifest fails -------------------------------------------------

UNRELATED = "name: CI\non: [push]\njobs: {build: {runs-on: ubuntu-latest}}\n"


def no_manifests(data: dict) -> list[tuple[str, str]]:
    return [(f["file"], f["rule"]) for f in data["findings"] if f["message"].startswith("no manifests found")]


@pytest.mark.parametrize("command", ["check", "portfolio"])
@pytest.mark.parametrize("contents", [{}, {"ci.yml": UNRELATED, "sub/mkdocs.yaml": "site_name: x\n"}])
def test_a_folder_without_manifests_exits_2_unless_allowed(tmp_path, command, contents):
    folder = tmp_path / "initiatives"
    folder.mkdir()
    for name, text in contents.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    result = run_cli(command, "initiatives", *AS_OF, "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert no_manifests(report(result)) == [("initiatives", "GOV-INPUT")]
    text = run_cli(command, "initiatives", *AS_OF, cwd=tmp_path)  # the default format says so too
    said = text.stdout if command == "check" else text.stderr  # the board tables only count input errors
    assert text.returncode == 2 and "initiatives:1:1: no manifests found" in said.replace("  ERROR  GOV-INPUT  ", ": ")
    allowed = run_cli(command, "initiatives", *AS_OF, "--format", "json", "--allow-empty", cwd=tmp_path)
    assert allowed.returncode == 0 and no_manifests(report(allowed)) == []
    if command == "check":
        assert report(allowed)["provenance"]["arguments"]["allow_empty"] is True


def test_each_path_must_yield_a_manifest(tmp_path):
    """A wrong path beside a good one still fails; a path whose files have findings is not empty."""
    (tmp_path / "good").mkdir()
    shutil.copy(BASE, tmp_path / "good" / "m.yaml")
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "b.yaml").write_text("apiVersion: govern/v1\nkind: Initiative\nmetadata: [\n")
    (tmp_path / "appetite.yaml").write_text("apiVersion: govern/v1\nkind: RiskAppetite\n")
    result = run_cli("check", "good", "empty", "broken", "appetite.yaml", *AS_OF, "--format", "json", cwd=tmp_path)
    data = report(result)
    assert result.returncode == 2
    assert no_manifests(data) == [("appetite.yaml", "GOV-INPUT"), ("empty", "GOV-INPUT")]
    assert data["summary"]["manifests"] == 1
    assert run_cli("check", "good", *AS_OF, cwd=tmp_path).returncode == 0


def test_skip_non_govern_passes_a_file_list_without_manifests_but_not_an_empty_folder(tmp_path):
    """pre-commit names the YAML files of a commit: a commit that touches no manifest still passes."""
    (tmp_path / "ci.yml").write_text(UNRELATED)
    (tmp_path / "appetite.yaml").write_text("apiVersion: govern/v1\nkind: RiskAppetite\n")
    (tmp_path / "empty").mkdir()
    quiet = run_cli("check", "--quiet", "--skip-non-govern", "ci.yml", "appetite.yaml", *AS_OF, cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    folder = run_cli("check", "--skip-non-govern", "empty", *AS_OF, "--format", "json", cwd=tmp_path)
    assert folder.returncode == 2 and no_manifests(report(folder)) == [("empty", "GOV-INPUT")]


def test_a_report_made_with_allow_empty_verifies(tmp_path):
    (tmp_path / "empty").mkdir()
    out = tmp_path / "report.json"
    made = run_cli("check", "empty", *AS_OF, "--allow-empty", "--format", f"json:{out}", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    verified = run_cli("verify", str(out), cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr


# -- item 6: a plugin check that exits or interrupts is a GOV-PLUGIN error ---------------------------

RAISING = """
from govern import hookimpl
from govern.core.model import Rule


def _check(data, ctx):
    raise {exc}
    yield


@hookimpl
def govern_rules():
    return [Rule(id="ESCAPE-001", title="Check escapes", domain="governance", severity="warning",
                 accountable="service_owner", check=_check, rationale="r", remediation="r")]
"""


def manifests(folder: Path, count: int) -> list[str]:
    """``count`` compliant manifests with distinct ids."""
    folder.mkdir(parents=True, exist_ok=True)
    text = BASE.read_text(encoding="utf-8")
    names = []
    for n in range(count):
        (folder / f"m{n:03}.yaml").write_text(text.replace("LBX-2025-008", f"ESC-2026-{n:03}"), encoding="utf-8")
        names.append(f"m{n:03}.yaml")
    return names


@pytest.mark.parametrize("exc", ["SystemExit(0)", "SystemExit('bye')", "KeyboardInterrupt()", "GeneratorExit()",
                                 "type('Escape', (BaseException,), {})('out')"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_check_that_exits_or_interrupts_is_a_plugin_error_never_a_pass(tmp_path, exc, jobs):
    from govern.run.checking import PARALLEL_FROM

    count = PARALLEL_FROM + 4 if jobs == "2" else 2  # --jobs 2 over enough files to use the pool
    manifests(tmp_path / "d", count)
    (tmp_path / "escape.py").write_text(RAISING.format(exc=exc), encoding="utf-8")
    result = run_cli("check", "d", *AS_OF, "--no-plugins", "--plugin", "escape.py", "--jobs", jobs, "--format", "json",
                     cwd=tmp_path, timeout=90)
    assert result.returncode == 2, (result.stdout[-2000:], result.stderr)
    data = report(result)
    plugin = [f for f in data["findings"] if f["rule"] == "GOV-PLUGIN"]
    assert len(plugin) == count and data["summary"]["manifests"] == count
    name = exc.split("(")[0] if not exc.startswith("type") else "Escape"
    assert f"rule ESCAPE-001 (escape) raised {name}" in plugin[0]["message"]
    assert all(m["outcomes"]["ESCAPE-001"] == "fail" for m in data["manifests"])
    assert all(m["outcomes"]["GOV-001"] == "pass" for m in data["manifests"])  # the other rules still ran


@pytest.mark.parametrize("where", ["import", "hook", "format"])
def test_a_plugin_that_exits_elsewhere_is_a_plugin_error(tmp_path, where):
    manifests(tmp_path / "d", 1)
    source = {
        "import": "raise SystemExit(0)\n",
        "hook": "from govern import hookimpl\n@hookimpl\ndef govern_rules():\n    raise KeyboardInterrupt\n",
        "format": ("from govern import hookimpl\nfrom govern.reporters import Reporter\n"
                   "def _render(report):\n    raise SystemExit(0)\n"
                   "@hookimpl\ndef govern_reporters():\n    return [Reporter('bye', _render, commands=('check',))]\n"),
    }[where]
    (tmp_path / "bye.py").write_text(source, encoding="utf-8")
    fmt = ["--format", "bye"] if where == "format" else []
    result = run_cli("check", "d", *AS_OF, "--no-plugins", "--plugin", "bye.py", *fmt, cwd=tmp_path, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "GOV-PLUGIN" in result.stdout or "format 'bye' failed: SystemExit" in result.stderr
    assert "Traceback" not in result.stderr


# -- item 5: a worker that dies fails the run within seconds ---------------------------------------

DYING = """
import os
import signal

from govern import hookimpl
from govern.core.model import Rule


def _check(data, ctx):
    if data["metadata"]["id"] == "ESC-2026-030":
        {how}
    return []


@hookimpl
def govern_rules():
    return [Rule(id="DIE-001", title="Dies", domain="governance", severity="warning",
                 accountable="service_owner", check=_check, rationale="r", remediation="r")]
"""


def run_grouped(args: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None):
    """``python -m govern ARGS`` in a process group of its own; (process, stdout, stderr)."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "govern", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, **(env or {})})
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        raise
    return process, out, err


def group_is_gone(pgid: int) -> bool:
    """No process (a worker left behind) is still in the run's process group."""
    import time

    for _ in range(50):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("how", ["os._exit(0)", "os.kill(os.getpid(), signal.SIGKILL)", "os.abort()"])
def test_a_worker_that_dies_fails_the_run_within_seconds(tmp_path, how):
    import time

    from govern.run.checking import PARALLEL_FROM

    manifests(tmp_path / "d", PARALLEL_FROM + 16)
    (tmp_path / "die.py").write_text(DYING.format(how=how), encoding="utf-8")
    (tmp_path / "report.json").write_text("previous\n")
    started = time.monotonic()
    process, out, err = run_grouped(["check", "d", *AS_OF, "--no-plugins", "--plugin", "die.py", "--jobs", "2",
                                     "--format", "json:report.json"], tmp_path, timeout=60)
    assert time.monotonic() - started < 30
    assert process.returncode == 2, (out, err)
    assert out == "" and "Traceback" not in err and len(err.splitlines()) == 1, err
    assert err.startswith("govern: a worker process ") and "the run is incomplete" in err
    assert "while checking one of d/m024.yaml ... d/m031.yaml (" in err, err  # the chunk it was on
    assert (tmp_path / "report.json").read_text() == "previous\n"
    assert group_is_gone(process.pid)


# -- item 7: signals stop a run cleanly; several outputs are replaced together -----------------------

SLEEPING = """
import pathlib
import time

from govern import hookimpl
from govern.core.model import Rule
from govern.reporters import Reporter


def _check(data, ctx):
    if data["metadata"]["id"] == "ESC-2026-030":
        pathlib.Path("started").write_text("checking")
        time.sleep(60)
    return []


def _render(report):
    return "".join(_stream(report))


def _stream(report):
    yield "slow report, part 1\\n"
    pathlib.Path("started").write_text("writing")
    time.sleep(60)
    yield "part 2\\n"


def _failing(report):
    yield "half a report\\n"
    raise RuntimeError("format broke")


@hookimpl
def govern_rules():
    return [Rule(id="SLOW-001", title="Slow", domain="governance", severity="warning",
                 accountable="service_owner", check=_check, rationale="r", remediation="r")]


@hookimpl
def govern_reporters():
    return [Reporter("slow", _render, stream=_stream, commands=("check", "portfolio")),
            Reporter("failing", lambda report: "".join(_failing(report)), stream=_failing, commands=("check",))]
"""

PREVIOUS = {"a.json": '{"previous": "json"}\n', "b.sarif": "previous sarif\n", "c.txt": "previous text\n"}


def signalled_run(tmp_path: Path, signum: int, args: list[str], when: str):
    """Start a real run in its own process group, send ``signum`` to the group once the plugin reports
    ``when`` (checking / writing); (process, stdout, stderr)."""
    import subprocess
    import sys
    import time

    (tmp_path / "tmp").mkdir()
    process = subprocess.Popen([sys.executable, "-m", "govern", *args], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(tmp_path / "tmp")})
    try:
        marker = tmp_path / "started"
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text() == when):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the run never got going"
            time.sleep(0.05)
        time.sleep(0.2)
        os.killpg(process.pid, signum)
        out, err = process.communicate(timeout=30)
    except BaseException:
        os.killpg(process.pid, 9)
        process.communicate()
        raise
    return process, out, err


def assert_left_as_it_was(tmp_path: Path, out_dir: Path) -> None:
    assert {p.name: p.read_text() for p in out_dir.iterdir()} == PREVIOUS  # byte-identical, no temporary file
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_signal_while_checking_exits_cleanly_and_leaves_previous_reports(tmp_path, signame, jobs):
    import signal

    from govern.run.checking import PARALLEL_FROM

    signum = getattr(signal, signame)
    manifests(tmp_path / "d", PARALLEL_FROM + 16)
    (tmp_path / "slow.py").write_text(SLEEPING, encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for name, text in PREVIOUS.items():
        (out_dir / name).write_text(text)
    args = ["check", "d", *AS_OF, "--no-plugins", "--plugin", "slow.py", "--jobs", jobs, "--format", "json:out/a.json",
            "--format", "sarif:out/b.sarif", "--format", "text:out/c.txt"]
    process, out, err = signalled_run(tmp_path, signum, args, "checking")
    assert process.returncode == 128 + signum, (out, err)
    assert err == f"govern: stopped by {signame}\n" and out == ""
    assert_left_as_it_was(tmp_path, out_dir)
    assert group_is_gone(process.pid)  # no worker left behind


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_a_signal_while_writing_replaces_no_output(tmp_path, signame):
    import signal

    signum = getattr(signal, signame)
    manifests(tmp_path / "d", 2)
    (tmp_path / "slow.py").write_text(SLEEPING, encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for name, text in PREVIOUS.items():
        (out_dir / name).write_text(text)
    args = ["check", "d", *AS_OF, "--no-plugins", "--plugin", "slow.py", "--format", "json:out/a.json",
            "--format", "slow:out/c.txt", "--format", "sarif:out/b.sarif"]
    process, out, err = signalled_run(tmp_path, signum, args, "writing")
    assert process.returncode == 128 + signum and err == f"govern: stopped by {signame}\n", (out, err)
    assert_left_as_it_was(tmp_path, out_dir)


def test_several_outputs_are_replaced_together_or_not_at_all(tmp_path):
    manifests(tmp_path / "d", 2)
    (tmp_path / "slow.py").write_text(SLEEPING, encoding="utf-8")
    (tmp_path / "out").mkdir()
    for name, text in PREVIOUS.items():
        (tmp_path / "out" / name).write_text(text)
    common = ["check", "d", *AS_OF, "--no-plugins", "--plugin", "slow.py", "--format", "json:out/a.json"]
    failed = run_cli(*common, "--format", "failing:out/c.txt", "--format", "sarif:out/b.sarif", cwd=tmp_path)
    assert failed.returncode == 2 and "format 'failing' failed: RuntimeError: format broke" in failed.stderr
    assert {p.name: p.read_text() for p in (tmp_path / "out").iterdir()} == PREVIOUS
    done = run_cli(*common, "--format", "sarif:out/b.sarif", "--format", "text", cwd=tmp_path)
    assert done.returncode == 0 and "Checked 2 manifests" in done.stdout
    assert json.loads((tmp_path / "out" / "a.json").read_text())["summary"]["manifests"] == 2
    assert json.loads((tmp_path / "out" / "b.sarif").read_text())["version"] == "2.1.0"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(PREVIOUS)  # no temporary file
