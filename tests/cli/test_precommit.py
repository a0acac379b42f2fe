"""The real pre-commit, running this checkout's `.pre-commit-hooks.yaml` on real `git commit`s.

The hook repository is a snapshot of the working tree (so uncommitted work is what
is tested), committed to a temporary git repository; a second repository points its
`.pre-commit-config.yaml` at that snapshot's commit and installs the git hook.
pre-commit builds the hook's virtualenv from PyPI the first time (network needed).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
SNAPSHOT = ("pyproject.toml", "README.md", "govern", "policies", "schemas", ".pre-commit-hooks.yaml")
AS_OF = "2026-11-22"

PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: dept-pack, version: "1", domain: depttest}
rules:
  - id: DEPT-001
    title: Tags recorded
    severity: error
    rationale: Departments tag their initiatives.
    remediation: Add metadata.tags.
    require: {required: [metadata], properties: {metadata: {required: [tags]}}}
    examples:
      pass: [{manifest: {metadata: {tags: [a]}}}]
      fail: [{manifest: {metadata: {tags: [a]}}}]
"""


def git_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PRE_COMMIT_HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "govern tests", "GIT_AUTHOR_EMAIL": "tests@example.gov",
        "GIT_COMMITTER_NAME": "govern tests", "GIT_COMMITTER_EMAIL": "tests@example.gov",
        "NO_COLOR": "1",
    })
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = run(["git", *args], cwd, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(target: Path, env: dict[str, str]) -> str:
    """Copy the working tree's installable parts into a fresh git repository; return the commit."""
    target.mkdir()
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, target / name)
    if not (target / "README.md").exists():  # pyproject.toml names it as the readme
        (target / "README.md").write_text("# govern\n", encoding="utf-8")
    git(target, env, "init", "-q")
    git(target, env, "add", "-A")
    git(target, env, "commit", "-q", "-m", "snapshot of the working tree")
    return git(target, env, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A git repository with govern's hooks installed from the snapshot; returns (path, env)."""
    base = tmp_path_factory.mktemp("precommit")
    env = git_env(base / "pre-commit-home")
    sha = snapshot(base / "govern-hooks", env)
    work = base / "initiatives"
    work.mkdir()
    git(work, env, "init", "-q")
    config = {
        "repos": [{
            "repo": str(base / "govern-hooks"),
            "rev": sha,
            "hooks": [
                {"id": "govern-check", "args": ["--as-of", AS_OF]},
                {"id": "govern-test", "args": ["packs"], "files": r"^packs/"},
            ],
        }]
    }
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    result = run([*pre_commit, "install"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    result = run([*pre_commit, "install-hooks"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    git(work, env, "add", ".pre-commit-config.yaml")
    result = run(["git", "commit", "-q", "-m", "pre-commit configuration"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return work, env


def commit(repo, files: dict[str, str], message: str) -> subprocess.CompletedProcess:
    """Stage ``files`` and run a real `git commit` (which runs the installed pre-commit hook)."""
    work, env = repo
    for name, text in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        git(work, env, "add", name)
    result = run(["git", "commit", "-m", message], work, env)
    if result.returncode != 0:  # leave the index clean for the next test
        git(work, env, "reset", "-q", "--hard", "HEAD")
        git(work, env, "clean", "-qfd")
    return result


def head_subject(repo) -> str:
    work, env = repo
    return git(work, env, "log", "-1", "--format=%s").stdout.strip()


def test_compliant_manifest_commits(repo):
    result = commit(repo, {"initiatives/council-tax.yaml": BASE.read_text(encoding="utf-8")}, "compliant manifest")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^govern check\.+Passed$", result.stdout + result.stderr, re.M)
    assert head_subject(repo) == "compliant manifest"


def test_failing_manifest_is_blocked_and_located(repo):
    text = BASE.read_text(encoding="utf-8").replace("  privacy_notice_url: https://lbx.example.gov/council-tax/privacy\n", "")
    text = text.replace("LBX-2025-008", "LBX-2025-108")
    result = commit(repo, {"initiatives/no-privacy-notice.yaml": text}, "failing manifest")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"^govern check\.+Failed$", output, re.M)
    assert re.search(r"^initiatives/no-privacy-notice\.yaml:\d+:\d+  ERROR  PRIV-008  ", output, re.M), output
    assert head_subject(repo) != "failing manifest"


def test_unrelated_yaml_does_not_block(repo):
    files = {
        ".github/workflows/ci.yml": "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: pytest}]\n",
        "docs/mkdocs.yml": "site_name: notes\nnav:\n  - Home: index.md\n",
        ".gitlab-ci.yml": "include:\n  - local: common.yml\ntest:\n  script: !reference [.setup, script]\n",  # a tag govern refuses
        "empty.yaml": "",
    }
    result = commit(repo, files, "unrelated yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert head_subject(repo) == "unrelated yaml"


def test_govern_test_hook_runs_a_departments_pack(repo):
    good = PACK.replace("fail: [{manifest: {metadata: {tags: [a]}}}]", "fail: [{manifest: {metadata: {}}}]")
    result = commit(repo, {"packs/dept.yaml": good}, "department pack")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^govern test\.+Passed$", result.stdout + result.stderr, re.M)
    result = commit(repo, {"packs/dept.yaml": PACK}, "pack whose fail example passes")
    assert result.returncode != 0
    assert "FAIL DEPT-001 fail" in result.stdout + result.stderr
    assert head_subject(repo) == "department pack"


def test_check_hook_is_quiet_when_clean(tmp_path):
    shutil.copy(BASE, tmp_path / "ok.yaml")
    (tmp_path / "notes.yml").write_text("site_name: notes\n", encoding="utf-8")
    entry = shlex.split(hooks()["govern-check"]["entry"])[1:]
    result = run_cli(*entry, "--as-of", AS_OF, "ok.yaml", "notes.yml", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    # without the flag a named file that is not a govern document is an input error
    plain = run_cli("check", "--quiet", "--as-of", AS_OF, "ok.yaml", "notes.yml", cwd=tmp_path)
    assert plain.returncode == 2 and "notes.yml:1:1  ERROR  GOV-INPUT" in plain.stdout


def test_skip_non_govern_still_reports_broken_govern_files(tmp_path):
    (tmp_path / "broken.yaml").write_text("apiVersion: govern/v1\nkind: Initiative\nmetadata: [\n", encoding="utf-8")
    result = run_cli("check", "--quiet", "--skip-non-govern", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 2 and re.search(r"^broken\.yaml:\d+:\d+  ERROR  GOV-INPUT  YAML syntax error", result.stdout, re.M)


# -- --skip-non-govern decides from the parse (issue 13, item 12) ----------------------------

# A manifest that fails PRIV-008: seeing that finding proves the document was checked.
FAILING = BASE.read_text(encoding="utf-8").replace(
    "  privacy_notice_url: https://lbx.example.gov/council-tax/privacy\n", "")
BROKEN_DOC = "apiVersion: govern/v1\nkind: Initiative\nmetadata: [\n"


def skip_check(tmp_path: Path, name: str, text: str, *more: str) -> subprocess.CompletedProcess:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return run_cli("check", "--quiet", "--skip-non-govern", "--no-plugins", "--as-of", AS_OF, *more, name, cwd=tmp_path)


@pytest.mark.parametrize(("apiversion", "later"), [
    ("apiVersion: !!str govern/v1", "---\nmetadata: [\n"),  # a tag no text sniff reads
    ('apiVersion: "govern\\x2Fv1"', "---\nmetadata: [\n"),  # an escape
    ('"apiVersion" : "govern\\u002Fv1"', "---\n" + BROKEN_DOC),
    ("apiVersion: >-\n  govern/v1", "---\n{{ template }}\n"),  # a folded block; a later template
    ("? apiVersion\n: govern/v1", "...\nnot: [closed\n"),  # a complex key; a document after `...`
])
def test_a_parsed_govern_document_is_checked_whatever_breaks_after_it(tmp_path, apiversion, later):
    text = FAILING.replace("apiVersion: govern/v1", apiversion, 1) + later
    result = skip_check(tmp_path, "m.yaml", text)
    assert result.returncode == 2, result.stdout + result.stderr
    assert re.search(r"^m\.yaml:\d+:\d+  ERROR  PRIV-008  ", result.stdout, re.M), result.stdout  # document 1 checked
    assert re.search(r"^m\.yaml:\d+:\d+  ERROR  GOV-INPUT  ", result.stdout, re.M), result.stdout  # the broken one


@pytest.mark.parametrize("text", [
    'apiVersion: "govern\\x2Fv1"\nkind: Initiative\nmetadata: [\n',  # broken after an escaped apiVersion
    "kind: Initiative\nmetadata: {id: [}\n'apiVersion': !!str govern/v1\n",  # broken before it
    'metadata: [\napiVersion: "\\x67overn/v1"\n',
    'apiVersion: "govern/v1\nkind: Initiative\n',  # a quote never closed
    "apiVersion: Govern/v1\nkind: Initiative\nmetadata: [\n",  # a near miss, and broken
    "apiVersion: v1\nkind: ConfigMap\n---\n" + BROKEN_DOC,  # a broken govern document after another tool's
])
def test_a_broken_govern_document_is_never_skipped(tmp_path, text):
    result = skip_check(tmp_path, "m.yaml", text)
    assert result.returncode == 2, result.stdout + result.stderr
    assert re.search(r"^m\.yaml:\d+:\d+  ERROR  GOV-INPUT  ", result.stdout, re.M), result.stdout


@pytest.mark.parametrize(("line", "words"), [
    ("apiVersion: Govern/v1", "apiVersion 'Govern/v1' is not govern's"),
    ("apiVersion: GOVERN/V1", "apiVersion 'GOVERN/V1' is not govern's"),
    ("apiVersion: govern.v1", "apiVersion 'govern.v1' is not govern's"),
    ("apiVersion: govern", "apiVersion 'govern' is not govern's"),
    ("apiVersion: ' govern/v1'", "apiVersion ' govern/v1' is not govern's"),
    ("apiVersion: 'govern/v1 '", "unknown apiVersion 'govern/v1 '"),
    ("apiVersion: govern/v2", "unknown apiVersion 'govern/v2'"),
    ("apiVersion: v1", "apiVersion 'v1' is not govern's"),  # beside kind: Initiative
    ("apiVersion: 1", "apiVersion 1 is not govern's"),
    ("apiVersion: [govern/v1]", "apiVersion ['govern/v1'] is not govern's"),
])
def test_a_near_miss_apiversion_is_a_located_finding_not_a_skip(tmp_path, line, words):
    text = FAILING.replace("apiVersion: govern/v1", line, 1)
    row = text.splitlines().index(line) + 1
    for more in ((), ("--format", "json")):
        result = skip_check(tmp_path, "m.yaml", text, *more)
        assert result.returncode == 2, result.stdout + result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["file"], finding["line"], finding["column"]) == ("GOV-INPUT", "m.yaml", row, 1)
    assert words in finding["message"] and finding["path"] == "/apiVersion"
    (tmp_path / "walk").mkdir()  # a folder walk reports it too
    (tmp_path / "m.yaml").rename(tmp_path / "walk" / "m.yaml")
    walked = run_cli("check", "--no-plugins", "--as-of", AS_OF, "--format", "json", "walk", cwd=tmp_path)
    assert walked.returncode == 2 and [f["rule"] for f in json.loads(walked.stdout)["findings"]] == ["GOV-INPUT"]


def test_a_near_miss_kind_counts_too(tmp_path):
    text = FAILING.replace("apiVersion: govern/v1", "apiVersion: example.org/v1", 1).replace(
        "kind: Initiative", "kind: initiative", 1)
    result = skip_check(tmp_path, "m.yaml", text)
    assert result.returncode == 2 and "apiVersion 'example.org/v1' is not govern's" in result.stdout


@pytest.mark.parametrize(("name", "text"), [
    ("ci.yml", "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"),
    ("deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"),
    ("governance.yaml", "apiVersion: governance.example.org/v1\nkind: Policy\n"),
    ("chart.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n"),
    ("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: [\n"),
    (".gitlab-ci.yml", "test:\n  script: !reference [.setup, script]\n"),
    ("notes.yaml", "a: [\n"),
    ("list.yaml", "- govern\n- [\n"),
])
def test_other_tools_yaml_is_still_skipped_broken_or_not(tmp_path, name, text):
    result = skip_check(tmp_path, name, text)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# -- .pre-commit-hooks.yaml stays in step with the CLI ----------------------------------


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}


def test_hooks_file_declares_both_hooks():
    found = hooks()
    assert set(found) == {"govern-check", "govern-test"}
    check, test = found["govern-check"], found["govern-test"]
    assert check["language"] == test["language"] == "python"
    assert check["pass_filenames"] is True and test["pass_filenames"] is False
    pattern = re.compile(check["files"])
    assert pattern.search("a/b.yaml") and pattern.search("c.yml") and not pattern.search("d.json")
    assert not pattern.search("yaml.txt")


@pytest.mark.parametrize("hook_id", ["govern-check", "govern-test"])
def test_hook_entries_use_only_options_the_cli_has(hook_id):
    hook = hooks()[hook_id]
    words = shlex.split(hook["entry"]) + list(hook.get("args", []))
    assert words[0] == "govern" and words[1] in ("check", "test")
    result = run_cli(words[1], "--help")
    assert result.returncode == 0
    documented = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", result.stdout))
    used = {word.split("=")[0] for word in words[2:] if word.startswith("--")}
    assert used and used <= documented, used - documented


# -- the CI snippets in the documentation ------------------------------------------------


def ci_document() -> str:
    """The pre-commit and CI guide of the documentation site, which holds the snippets teams copy."""
    text = (ROOT / "docs" / "guides" / "ci.md").read_text(encoding="utf-8")
    assert "upload-sarif" in text, "docs/guides/ci.md no longer holds the GitHub Actions snippet"
    return text


def yaml_snippets() -> list:
    blocks = re.findall(r"^```yaml\n(.*?)^```", ci_document(), re.M | re.S)
    assert len(blocks) >= 3, "expected the pre-commit, GitHub Actions and JUnit snippets"
    return [yaml.safe_load(block) for block in blocks]  # a syntax error fails here


def govern_commands(node) -> list[list[str]]:
    """Every `govern ...` command line in a snippet's strings."""
    found = []
    if isinstance(node, dict):
        for value in node.values():
            found += govern_commands(value)
    elif isinstance(node, list):
        for value in node:
            found += govern_commands(value)
    elif isinstance(node, str):
        for line in node.splitlines():
            if line.strip().startswith("govern "):
                found.append(shlex.split(line.strip()))
    return found


def test_ci_snippets_are_valid_yaml_and_use_real_hooks_and_options():
    snippets = yaml_snippets()
    precommit = [s for s in snippets if isinstance(s, dict) and "repos" in s]
    assert precommit, "no .pre-commit-config.yaml snippet"
    for config in precommit:
        for entry in config["repos"]:
            assert entry["repo"] and entry["rev"]
            assert {hook["id"] for hook in entry["hooks"]} <= set(hooks())
    workflow = next(s for s in snippets if isinstance(s, dict) and "jobs" in s)
    assert workflow["permissions"]["security-events"] == "write"
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    commands = [c for s in snippets for c in govern_commands(s)]
    sarif_files = {word.split(":", 1)[1] for c in commands for word in c if word.startswith("sarif:")}
    assert upload["with"]["sarif_file"] in sarif_files
    gitlab = next(s for s in snippets if isinstance(s, dict) and "govern" in s and "artifacts" in s["govern"])
    junit_files = {word.split(":", 1)[1] for c in commands for word in c if word.startswith("junit:")}
    assert gitlab["govern"]["artifacts"]["reports"]["junit"] in junit_files
    helps = {}
    for command in commands:
        sub = command[1]
        helps.setdefault(sub, run_cli(sub, "--help").stdout)
        used = {word.split("=")[0] for word in command if word.startswith("--")}
        assert used <= set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", helps[sub])), command
        formats = [command[i + 1].split(":")[0] for i, word in enumerate(command) if word == "--format"]
        assert set(formats) <= {"text", "json", "sarif", "junit", "github", "markdown"}
