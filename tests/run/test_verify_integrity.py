"""Verdicts that cannot be falsely clean (issue 13, items 1-4 and 16): `govern verify` and provenance.

`govern verify` must never run code a report names unless told to trust it, must fail on any edit
of a report, must say what is missing when its inputs moved, and provenance must neither depend on
where govern is installed nor let a repository's git configuration run a program. Real files in
tmp_path, real `python -m govern` subprocesses, real git and real virtual environments throughout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]

BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (Debian: apt-get install git)")


def failing_manifest(ident: str = "LBX-2025-009") -> str:
    """base.yaml with another id, a stale penetration test (SEC-004) and no logging (an error)."""
    text = BASE.read_text().replace("LBX-2025-008", ident)
    text = text.replace("completed_on: 2026-03-09, tester", "completed_on: 2025-01-09, tester")
    text = text.replace("logging_monitoring: true", "logging_monitoring: false")
    assert text != BASE.read_text()
    return text


# -- item 16: git never runs a repository's configuration -------------------------------------------

HOOKS = ("post-index-change", "pre-commit", "post-checkout", "post-commit", "reference-transaction",
         "pre-auto-gc", "fsmonitor-watchman", "post-rewrite", "pre-push")


def _marker_script(folder: Path, marker: Path) -> Path:
    """A program that records it ran (and passes stdin through, as a filter must)."""
    script = folder / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "ran: $0 $*" >> "{marker}"\ncat\n')
    script.chmod(0o755)
    return script


@pytest.fixture
def hostile_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A committed manifest in a repository whose configuration runs a marker script wherever git lets it."""
    repo, marker = tmp_path / "repo", tmp_path / "marker"
    repo.mkdir()
    script = _marker_script(tmp_path, marker)

    def git(*argv: str) -> str:
        identity = ["-c", "user.name=Audit Test", "-c", "user.email=audit@example.gov", "-c", "commit.gpgsign=false"]
        done = subprocess.run(["git", *identity, *argv], cwd=repo, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    git("init", "-q")
    (repo / "base.yaml").write_text(BASE.read_text())
    git("add", "base.yaml")
    git("commit", "-q", "-m", "manifest")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in HOOKS:
        for folder in (repo / ".git" / "hooks", hooks):
            shutil.copy(script, folder / name)
    settings = {
        "core.fsmonitor": str(script), "core.hooksPath": str(hooks), "core.pager": str(script),
        "filter.evil.clean": str(script), "filter.evil.smudge": str(script), "filter.evil.process": str(script),
        "diff.external": str(script), "core.sshCommand": str(script), "core.askPass": str(script),
        "alias.status": f"!{script}", "alias.rev-parse": f"!{script}", "alias.ls-tree": f"!{script}",
        "alias.ls-files": f"!{script}", "alias.diff": f"!{script}", "alias.log": f"!{script}",
    }
    for key, value in settings.items():
        git("config", key, value)
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n")
    later = time.time() + 60  # the index's stat data no longer matches: `git status` would re-read (and filter) it
    os.utime(repo / "base.yaml", (later, later))
    assert not marker.exists()
    return repo, marker


@needs_git
@pytest.mark.parametrize("formats", [(), ("--format", "json"), ("--format", "text", "--format", "sarif:out.sarif")])
def test_git_configuration_never_runs_with_or_without_provenance(hostile_repo, formats) -> None:
    repo, marker = hostile_repo
    result = run_cli("check", "base.yaml", *AS_OF, *formats, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), marker.read_text()
    if formats == ("--format", "json"):
        state = json.loads(result.stdout)["provenance"]["manifests"][0]["git"]
        assert state["dirty"] is False and state["tracked"] is True and len(state["commit"]) == 40


@needs_git
def test_verify_in_a_hostile_repository_runs_none_of_its_configuration(hostile_repo) -> None:
    repo, marker = hostile_repo
    made = run_cli("check", "base.yaml", *AS_OF, "--format", "json:../report.json", cwd=repo)
    assert made.returncode == 0, made.stderr
    result = run_cli("verify", "../report.json", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not marker.exists(), marker.read_text()


@needs_git
def test_git_state_is_still_right_without_git_status(tmp_path: Path) -> None:
    """dirty/tracked now come from the commit's tree and the bytes: modified, staged, new, ignored, nested."""
    def git(*argv: str) -> None:
        identity = ["-c", "user.name=Audit Test", "-c", "user.email=audit@example.gov", "-c", "commit.gpgsign=false"]
        subprocess.run(["git", *identity, *argv], cwd=tmp_path, capture_output=True, check=True)

    git("init", "-q")
    (tmp_path / "sub").mkdir()
    for name in ("clean.yaml", "modified.yaml", "staged.yaml", "sub/*.yaml"):
        (tmp_path / name).write_text(BASE.read_text().replace("LBX-2025-008", f"LBX-2025-{len(name):03d}"))
    git("add", ".")
    git("commit", "-q", "-m", "manifests")
    with open(tmp_path / "modified.yaml", "a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    with open(tmp_path / "staged.yaml", "a", encoding="utf-8") as handle:
        handle.write("# staged\n")
    git("add", "staged.yaml")
    (tmp_path / ".gitignore").write_text("ignored.yaml\n")
    (tmp_path / "ignored.yaml").write_text(BASE.read_text().replace("LBX-2025-008", "LBX-2025-100"))
    (tmp_path / "new.yaml").write_text(BASE.read_text().replace("LBX-2025-008", "LBX-2025-101"))
    result = run_cli("check", ".", *AS_OF, "--format", "json", cwd=tmp_path)
    states = {m["file"]: m["git"] for m in json.loads(result.stdout)["provenance"]["manifests"]}
    flags = {file: (state["dirty"], state["tracked"]) for file, state in states.items()}
    assert flags == {
        "clean.yaml": (False, True), "modified.yaml": (True, True), "staged.yaml": (True, True),
        "sub/*.yaml": (False, True), "ignored.yaml": (True, False), "new.yaml": (True, False),
    }


# -- item 4: provenance holds no path of the installation ---------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """govern built as a wheel from this checkout, as CI and users install it."""
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (found,) = out.glob("govern-*.whl")
    return found


def fresh_install(folder: Path, wheel: Path) -> Path:
    """A new virtual environment at ``folder`` with the wheel installed in it; its python.

    govern's dependencies are taken from this interpreter's environment (a .pth file), so no
    package index is needed; govern itself is the wheel's copy in the new environment.
    """
    import venv

    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
               str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    import jsonschema
    import pluggy
    import tabulate
    import yaml

    where = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           cwd=folder, capture_output=True, text=True, check=True).stdout.strip()
    dependencies = sorted({str(Path(m.__file__).resolve().parents[1 if m.__file__.endswith("__init__.py") else 0])
                           for m in (yaml, jsonschema, pluggy, tabulate)})
    (Path(where) / "govern_test_dependencies.pth").write_text("\n".join(dependencies) + "\n")
    origin = subprocess.run([str(python), "-c", "import govern; print(govern.__file__)"],
                            cwd=folder, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(origin).resolve().is_relative_to(folder.resolve()), origin
    return python


def test_two_installations_write_the_same_bytes(tmp_path: Path, wheel: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "m").mkdir()
    shutil.copy(BASE, work / "m" / "a.yaml")
    (work / "m" / "b.yaml").write_text(failing_manifest())
    outputs = []
    for name in ("first-venv", "second-env"):
        python = fresh_install(tmp_path / name, wheel)
        # the dependencies' folder (see fresh_install) may hold installed plugins too (CI installs the examples)
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"{name}-cache"), "PYTHONPATH": "",
               "GOVERN_DISABLE_PLUGIN_AUTOLOAD": "1"}
        done = subprocess.run([str(python), "-m", "govern", "check", "m", *AS_OF, "--format", "json"],
                              cwd=work, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
        assert name not in done.stdout and str(tmp_path) not in done.stdout
        assert "site-packages" not in done.stdout and "_data" not in done.stdout
    assert outputs[0] == outputs[1]
    provenance = json.loads(outputs[0])["provenance"]
    assert {p["file"] for p in provenance["packs"]} == {
        f"builtin:{p.name}" for p in (ROOT / "policies").glob("*.yaml") if p.stem != "default-appetite"
    }
    assert provenance["appetite"]["file"] == "builtin:default-appetite.yaml"


def installed_plugin(site: Path) -> Path:
    """The health plugin installed into ``site`` (a folder for PYTHONPATH) as a distribution with an entry point."""
    shutil.copytree(ROOT / "plugins" / "govern-health" / "src" / "govern_health", site / "govern_health")
    dist = site / "govern_health-1.0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: govern-health\nVersion: 1.0.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[govern]\nhealth = govern_health\n", encoding="utf-8")
    return site


def test_an_installed_plugins_packs_are_named_by_plugin_not_by_path(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(ROOT / "plugins" / "govern-health" / "src" / "govern_health" / "policies" / "examples" / "base.yaml",
                work / "m.yaml")
    outputs = []
    for name in ("one-site", "other-site"):
        site = installed_plugin(tmp_path / name)
        result = run_cli("check", "m.yaml", *AS_OF, "--format", "json", cwd=work, env={"PYTHONPATH": str(site)})
        assert result.returncode in (0, 1), result.stderr
        assert name not in result.stdout
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    packs = {p["name"]: p for p in json.loads(outputs[0])["provenance"]["packs"]}
    assert packs["health"]["file"] == "health:health.yaml" and packs["health"]["source"] == "health"


# -- item 1: verify never runs code a report names unless told to trust it ----------------------------

PLUGIN = """
import os
from govern import hookimpl
from govern.core.model import Rule, Violation

with open(os.environ["MARKER"], "a", encoding="utf-8") as handle:
    handle.write("imported\\n")


def _always(data, ctx):
    yield Violation("/metadata/name", "the department plugin ran")


@hookimpl
def govern_rules():
    return [Rule(id="DEPT-001", title="Department rule", domain="governance", severity="warning",
                 accountable="service_owner", check=_always, rationale="r", remediation="r")]
"""


@pytest.fixture
def plugin_report(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A report made with `--plugin plugins/govern_dept.py`, a plugin that records each import in $MARKER."""
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "govern_dept.py").write_text(PLUGIN)
    shutil.copy(BASE, tmp_path / "m.yaml")
    env = {"MARKER": str(tmp_path / "marker")}
    made = run_cli("check", "m.yaml", *AS_OF, "--plugin", "plugins/govern_dept.py", "--format", "json:report.json",
                   cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    assert "DEPT-001" in (tmp_path / "report.json").read_text()
    (tmp_path / "marker").unlink()
    return tmp_path, env


def test_verify_does_not_import_a_reports_plugin_without_allow_plugins(plugin_report) -> None:
    folder, env = plugin_report
    result = run_cli("verify", "report.json", cwd=folder, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert not (folder / "marker").exists()
    assert result.stderr.startswith("govern: report.json:")
    assert "plugins/govern_dept.py" in result.stderr and "--allow-plugins" in result.stderr
    assert "Traceback" not in result.stderr


def test_installed_plugins_packs_are_found_when_verify_does_not_rerun(plugin_report) -> None:
    """A report whose check loaded an installed plugin's pack (``health:health.yaml``) and a --plugin file:
    verify only hashes, and finds the installed pack in the plugin's folder, not "missing"."""
    folder, env = plugin_report
    env = {**env, "PYTHONPATH": str(installed_plugin(folder / "site"))}
    made = run_cli("check", "m.yaml", *AS_OF, "--plugin", "plugins/govern_dept.py", "--format", "json:report.json",
                   cwd=folder, env=env)
    assert made.returncode in (0, 1), made.stderr
    assert "health:health.yaml" in (folder / "report.json").read_text()
    result = run_cli("verify", "report.json", cwd=folder, env=env)
    assert "is missing" not in result.stdout and result.returncode == 2, result.stdout + result.stderr
    assert "--allow-plugins" in result.stderr


def test_allow_plugins_runs_the_plugin_once_its_hash_matches(plugin_report) -> None:
    folder, env = plugin_report
    result = run_cli("verify", "report.json", "--allow-plugins", cwd=folder, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "marker").read_text() == "imported\n"


@pytest.mark.parametrize("allow", [(), ("--allow-plugins",)])
def test_a_changed_plugin_file_is_a_difference_and_never_run(plugin_report, allow) -> None:
    folder, env = plugin_report
    plugin = folder / "plugins" / "govern_dept.py"
    plugin.write_text(PLUGIN.replace("the department plugin ran", "all is well"))
    result = run_cli("verify", "report.json", *allow, cwd=folder, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert not (folder / "marker").exists()
    assert "  plugin file plugins/govern_dept.py changed (sha256 " in result.stdout
    assert "the check was not re-run: the report's plugin files are not the ones it was made with" in result.stdout
    plugin.unlink()
    gone = run_cli("verify", "report.json", *allow, cwd=folder, env=env)
    assert gone.returncode == 1 and "plugin file plugins/govern_dept.py is missing" in gone.stdout


def test_a_plugin_smuggled_into_a_reports_arguments_is_never_run(tmp_path: Path) -> None:
    """An attacker adds `--plugin evil.py` to a clean report's arguments: verify hashes it, never imports it."""
    shutil.copy(BASE, tmp_path / "m.yaml")
    run_cli("check", "m.yaml", *AS_OF, "--format", "json:report.json", cwd=tmp_path)
    (tmp_path / "evil.py").write_text(PLUGIN)
    report = json.loads((tmp_path / "report.json").read_text())
    report["provenance"]["arguments"]["plugins"] = ["evil.py"]
    report["provenance"]["plugins"].append({"name": "evil", "version": None, "origin": "file evil.py",
                                            "sha256": "0" * 64})
    (tmp_path / "report.json").write_text(json.dumps(report))
    env = {"MARKER": str(tmp_path / "marker")}
    for allow in ((), ("--allow-plugins",)):
        result = run_cli("verify", "report.json", *allow, cwd=tmp_path, env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "plugin file evil.py changed" in result.stdout
        assert not (tmp_path / "marker").exists()


def test_a_plugin_package_folder_is_hashed_whole(tmp_path: Path) -> None:
    package = tmp_path / "govern_dept"
    package.mkdir()
    (package / "__init__.py").write_text(PLUGIN.replace("def _always", "from .helpers import MESSAGE\n\ndef _always")
                                         .replace('"the department plugin ran"', "MESSAGE"))
    (package / "helpers.py").write_text('MESSAGE = "the department plugin ran"\n')
    shutil.copy(BASE, tmp_path / "m.yaml")
    env = {"MARKER": str(tmp_path / "marker")}
    made = run_cli("check", "m.yaml", *AS_OF, "--plugin", "govern_dept", "--format", "json:report.json",
                   cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    (tmp_path / "marker").unlink()
    assert run_cli("verify", "report.json", "--allow-plugins", cwd=tmp_path, env=env).returncode == 0
    (tmp_path / "marker").unlink()
    (package / "helpers.py").write_text('MESSAGE = "nothing to see"\n')  # __init__.py is unchanged
    result = run_cli("verify", "report.json", "--allow-plugins", cwd=tmp_path, env=env)
    assert result.returncode == 1 and "plugin file govern_dept changed" in result.stdout
    assert not (tmp_path / "marker").exists()


# -- item 2: any edit of a report is a difference ---------------------------------------------------------

LOCAL_PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: local, version: 1.0.0, domain: governance}
rules:
  - id: LOC-001
    title: Tagged
    severity: warning
    accountable: service_owner
    rationale: Tags help a portfolio office find initiatives.
    remediation: Add metadata.tags.
    references: [{framework: Local handbook, clause: "4.2", url: "https://example.gov/handbook"}]
    require: {required: [metadata], properties: {metadata: {required: [tags], properties: {tags: {minItems: 1}}}}}
    examples:
      pass: [{manifest: {metadata: {tags: [a]}}}]
      fail: [{manifest: {metadata: {}}}]
"""

WAIVERS = """\
apiVersion: govern/v1
kind: WaiverRegister
waivers:
  - initiative: LBX-2025-009
    rule: SEC-004
    justification: Pen test booked for December; compensating monitoring in place
    approved_by: {name: Chief Information Security Officer}
    approved_on: 2026-10-01
    expires: 2026-12-31
"""


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real report with every kind of value: a waived and an open finding with references, passes, a local
    pack, a waiver register and a configuration file."""
    folder = tmp_path_factory.mktemp("evidence")
    (folder / "m").mkdir()
    (folder / "packs").mkdir()
    shutil.copy(BASE, folder / "m" / "a.yaml")
    (folder / "m" / "b.yaml").write_text(failing_manifest().replace("tags: [council-tax, change-of-circumstances]",
                                                                     "tags: []"))
    (folder / "packs" / "local.yaml").write_text(LOCAL_PACK)
    (folder / "waivers.yaml").write_text(WAIVERS)
    (folder / "govern.yaml").write_text("home_country: GB\n")
    made = run_cli("check", "m", "--policies", "packs", "--waivers", "waivers.yaml", *AS_OF,
                   "--format", "json:report.json", cwd=folder)
    assert made.returncode == 1, made.stderr
    report = json.loads((folder / "report.json").read_text())
    assert report["summary"]["errors"] and report["summary"]["waived"] and report["provenance"]["waivers"]
    assert any(f["references"] for f in report["findings"]) and report["provenance"]["config"]
    assert run_cli("verify", "report.json", cwd=folder).returncode == 0
    return folder


def leaves(value: object, pointer: tuple = ()) -> list[tuple]:
    """The path to every scalar in a JSON document."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, (*pointer, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in leaves(item, (*pointer, index))]
    return [pointer]


OTHER = {"error": "warning", "warning": "info", "info": "error", "open": "waived", "waived": "open",
         "pass": "fail", "fail": "pass", "not-applicable": "pass", "retired": "pass", "check": "portfolio"}


def edited(value: object) -> object:
    """A plausible other value of the same type (a schema-valid one where the schema constrains it)."""
    import datetime as dt
    import re

    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return "edited"
    assert isinstance(value, str)
    if value in OTHER:
        return OTHER[value]
    if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", value):
        return value[:-1] + ("0" if value[-1] != "0" else "1")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return (dt.date.fromisoformat(value) - dt.timedelta(days=1)).isoformat()
    return value + " (edited)"


def set_at(document: dict, pointer: tuple, value: object) -> dict:
    import copy

    out = copy.deepcopy(document)
    node = out
    for key in pointer[:-1]:
        node = node[key]
    node[pointer[-1]] = value
    return out


def verify_in_process(folder: Path, document: dict | str, monkeypatch) -> tuple[int, str]:
    """`govern verify` through its real entry point, in this process (hundreds of runs would take minutes as
    subprocesses); what it prints, and its exit code. An internal error fails the test."""
    import contextlib
    import io

    from govern.cli import app as cli

    monkeypatch.chdir(folder)
    (folder / "edited.json").write_text(document if isinstance(document, str) else json.dumps(document, indent=1))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["verify", "edited.json"])
    assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue(), err.getvalue()
    return code, out.getvalue() + err.getvalue()


def retyped(value: object) -> object:
    """The same value as another JSON type, where Python's == would call them equal (1 == 1.0 == True)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return float(value)
    return None if value is not None else 0


@pytest.mark.parametrize("mutate", [edited, retyped])
def test_every_single_value_of_a_report_is_verified(evidence: Path, monkeypatch, mutate) -> None:
    """Each scalar of a real report edited, one at a time: verify exits 1 for every one (never 0, never 2)."""
    original = json.loads((evidence / "report.json").read_text())
    assert verify_in_process(evidence, original, monkeypatch)[0] == 0
    clean = []
    paths = leaves(original)
    assert len(paths) > 250
    for pointer in paths:
        value = original
        for key in pointer:
            value = value[key]
        code, said = verify_in_process(evidence, set_at(original, pointer, mutate(value)), monkeypatch)
        if code != 1:
            clean.append(("/".join(map(str, pointer)), code, said))
    assert clean == []


@pytest.mark.parametrize("change", [
    "title", "accountable", "references", "domain", "severity", "message", "line", "waiver", "summary",
    "as_of", "govern_version", "pack_version", "manifest_name", "waiver_entry", "outcome", "git", "type",
])
def test_each_edit_is_named_by_what_changed(evidence: Path, monkeypatch, change: str) -> None:
    report = json.loads((evidence / "report.json").read_text())
    findings = report["findings"]
    waived = next(f for f in findings if f["waiver"])
    cited = next(f for f in findings if f["references"])
    expected = {
        "title": (lambda: findings[0].__setitem__("title", "A minor matter"), "title was "),
        "accountable": (lambda: findings[0]["accountable"].__setitem__("name", "Nobody"), '"Nobody"'),
        "references": (lambda: cited["references"].clear(), "references was "),
        "domain": (lambda: findings[0].__setitem__("domain", "accessibility"), "domain was "),
        "severity": (lambda: findings[0].__setitem__("severity", "info"), " -> "),
        "message": (lambda: findings[0].__setitem__("message", "nothing to see here"), "nothing to see here"),
        "line": (lambda: findings[0].__setitem__("line", findings[0]["line"] + 3), "line "),
        "waiver": (lambda: waived["waiver"].__setitem__("expires", "2099-12-31"), "waiver was "),
        "summary": (lambda: report["summary"].__setitem__("errors", 0), "/summary/errors: the report says 0"),
        "as_of": (lambda: report.__setitem__("as_of", "2026-01-01"), "/as_of: the report says \"2026-01-01\""),
        "govern_version": (lambda: report.__setitem__("govern_version", "9.9.9"), "/govern_version"),
        "pack_version": (lambda: report["provenance"]["packs"][0].__setitem__("version", "9.0.0"), "version 9.0.0 -> "),
        "manifest_name": (lambda: report["manifests"][0].__setitem__("name", "Something else"), "/manifests/0/name"),
        "waiver_entry": (lambda: report["provenance"]["waivers"]["entries"][0].__setitem__("path", "/x"),
                         "/provenance/waivers/entries/0/path"),
        "outcome": (lambda: report["manifests"][0]["outcomes"].__setitem__("GOV-001", "not-applicable"),
                    "outcome of GOV-001 for "),
        "git": (lambda: report["provenance"]["manifests"][0].__setitem__("git", {"commit": "0" * 40, "dirty": False,
                                                                                "tracked": True}),
                "/provenance/manifests/0/git: the report says {"),
        "type": (lambda: report["summary"].__setitem__("manifests", float(report["summary"]["manifests"])),
                 "/summary/manifests: the report says 2.0, a fresh run writes 2"),
    }
    edit, named = expected[change]
    edit()
    code, said = verify_in_process(evidence, report, monkeypatch)
    assert code == 1 and named in said, said


def test_keys_added_removed_repeated_and_findings_moved_or_repeated(evidence: Path, monkeypatch) -> None:
    text = (evidence / "report.json").read_text()
    report = json.loads(text)

    def check(document: dict | str, *named: str) -> None:
        code, said = verify_in_process(evidence, document, monkeypatch)
        assert code == 1, said
        for words in named:
            assert words in said, said

    check({**report, "approved": True}, "/approved: not written by a fresh run (the report says true)")
    check({k: v for k, v in report.items() if k != "summary"}, "/summary: missing from the report")
    check({**report, "findings": report["findings"] + report["findings"][:1]},
          "is in the report 2 times, a fresh run has it 1")
    check({**report, "findings": report["findings"][::-1]}, "/findings/0/")
    check({**report, "manifests": report["manifests"] + report["manifests"][:1]},
          "/manifests/2: not written by a fresh run")
    provenance = {k: v for k, v in report["provenance"].items() if k != "baseline"}
    check({**report, "provenance": provenance}, "/provenance/baseline: missing from the report")
    check(text.replace('"summary": {', '"summary": {"errors": 0, ', 1),
          "/summary/errors: the key is written more than once")
    check(text.replace('\n  "findings"', '\n  "as_of": "2026-01-01",\n  "findings"', 1),
          "/as_of: the key is written more than once")


def test_an_edited_command_line_that_changes_nothing_else_is_still_a_difference(evidence: Path, monkeypatch) -> None:
    """No plugin is installed, so --no-plugins changes no result: the recorded arguments' checksum catches it."""
    report = json.loads((evidence / "report.json").read_text())
    report["provenance"]["arguments"]["no_plugins"] = True
    code, said = verify_in_process(evidence, report, monkeypatch)
    assert code == 1 and "/provenance/arguments does not match /provenance/arguments_sha256" in said


def test_an_edited_report_is_named_the_same_by_the_real_command_line(evidence: Path) -> None:
    report = json.loads((evidence / "report.json").read_text())
    report["findings"][0]["accountable"]["name"] = "Nobody"
    (evidence / "cli-edited.json").write_text(json.dumps(report))
    result = run_cli("verify", "cli-edited.json", "--format", "json", cwd=evidence)
    assert result.returncode == 1, result.stderr
    out = json.loads(result.stdout)
    assert out["verified"] is False and out["inputs"] == [] and len(out["findings"]) == 1
    assert '"Nobody"' in out["findings"][0]["message"]


# -- item 3: inputs that moved or vanished are named, never an internal error ------------------------------


@pytest.fixture
def every_input(tmp_path: Path) -> Path:
    """A report made from a manifest folder, a pack folder, a waiver register, an appetite statement, an
    explicit configuration file and a baseline, all relative to ``tmp_path``."""
    (tmp_path / "m").mkdir()
    (tmp_path / "packs").mkdir()
    shutil.copy(BASE, tmp_path / "m" / "a.yaml")
    (tmp_path / "m" / "b.yaml").write_text(failing_manifest())
    (tmp_path / "packs" / "local.yaml").write_text(LOCAL_PACK)
    (tmp_path / "waivers.yaml").write_text(WAIVERS)
    shutil.copy(ROOT / "tests" / "fixtures" / "contract" / "rules-default-appetite.yaml", tmp_path / "appetite.yaml")
    (tmp_path / "settings.yaml").write_text("home_country: GB\n")
    given = ("m", "--policies", "packs", "--waivers", "waivers.yaml", "--appetite", "appetite.yaml",
             "--config", "settings.yaml", *AS_OF)
    assert run_cli("check", *given, "--format", "json:baseline.json", cwd=tmp_path).returncode == 1
    made = run_cli("check", *given, "--baseline", "baseline.json", "--format", "json:report.json", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert run_cli("verify", "report.json", cwd=tmp_path).returncode == 0
    return tmp_path


def no_internal_error(result: subprocess.CompletedProcess) -> None:
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_verify_from_another_folder_says_to_run_it_where_the_check_ran(every_input: Path) -> None:
    elsewhere = every_input / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("verify", "../report.json", cwd=elsewhere)
    no_internal_error(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "none of the report's 2 manifest files is here (m/a.yaml is missing)" in result.stdout
    assert "run govern verify there" in result.stdout
    for missing in ("manifest m/a.yaml", "pack local 1.0.0 cannot be read (packs/local.yaml", "waiver register "
                    "waivers.yaml", "appetite statement appetite.yaml", "configuration settings.yaml", "baseline "
                    "baseline.json"):
        assert f"  {missing} is missing" in result.stdout, result.stdout
    simple = every_input / "simple"
    (simple / "m").mkdir(parents=True)
    shutil.copy(BASE, simple / "m" / "a.yaml")
    assert run_cli("check", "m", *AS_OF, "--format", "json:../simple.json", cwd=simple).returncode == 0
    moved = run_cli("verify", "../simple.json", cwd=elsewhere)
    no_internal_error(moved)
    assert moved.returncode == 1 and "  path m given to the check is missing\n" in moved.stdout


@pytest.mark.parametrize("gone, named", [
    ("m", ["path m given to the check is missing", "manifest m/a.yaml is missing", "manifest m/b.yaml is missing"]),
    ("m/b.yaml", ["manifest m/b.yaml is missing (was sha256 "]),
    ("packs", ["pack local 1.0.0 is no longer loaded (packs/local.yaml is missing)"]),
    ("waivers.yaml", ["waiver register waivers.yaml is missing"]),
    ("appetite.yaml", ["appetite statement appetite.yaml is missing"]),
    ("settings.yaml", ["configuration settings.yaml is missing", "the check cannot be re-run: "]),
    ("baseline.json", ["baseline baseline.json is missing"]),
])
def test_a_vanished_input_is_named_as_missing(every_input: Path, gone: str, named: list[str]) -> None:
    target = every_input / gone
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    for args in ((), ("--format", "json")):
        result = run_cli("verify", "report.json", *args, cwd=every_input)
        no_internal_error(result)
        assert result.returncode == 1, result.stdout + result.stderr
        for words in named:
            assert words in result.stdout, result.stdout
