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

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


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
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"{name}-cache"), "PYTHONPATH": ""}
        done = subprocess.run([str(python), "-m", "govern", "check", "m", *AS_OF, "--format", "json"],
                              cwd=work, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
        assert name not in done.stdout and str(tmp_path) not in done.stdout
        assert "site-packages" not in done.stdout and "_data" not in done.stdout
    assert outputs[0] == outputs[1]
    provenance = json.loads(outputs[0])["provenance"]
    assert {p["file"] for p in provenance["packs"]} == {
        f"builtin:{n}.yaml" for n in ("accessibility", "data", "governance", "privacy", "risk-appetite", "security")
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
