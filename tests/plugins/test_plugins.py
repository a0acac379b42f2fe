"""Plugins: every hook through a real plugin, discovery, isolation of broken plugins, the example plugins.

Each ``test_govern_*`` test exercises one hook with a real plugin module
written to disk and loaded the way users load it (``--plugin`` or an entry
point); ``tests/plugins/test_hookdocs.py`` requires one per hook specification.
"""

from __future__ import annotations

import importlib.metadata
import json
import textwrap
from pathlib import Path

import pytest

from govern.plugins.hookdocs import hooks
from govern.plugins.manager import BUILTIN, HOOKS, load_for, load_plugins
from govern.core.resources import policies_dir
from govern.run.runner import Options
from govern.testing import assert_examples, load_manifest, run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = policies_dir() / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")
HEALTH = ROOT / "plugins" / "govern-health" / "src" / "govern_health" / "__init__.py"
CHILDREN = ROOT / "plugins" / "govern-childrens-services" / "govern_childrens_services" / "__init__.py"

GOOD = """
from govern import hookimpl
from govern.core.model import Rule, Violation

__version__ = "1.2.3"


def _always(data, ctx):
    yield Violation("/metadata/name", "good plugin ran")


@hookimpl
def govern_rules():
    return [Rule(id="GOOD-001", title="Good plugin ran", domain="governance", severity="warning",
                 accountable="service_owner", check=_always, rationale="r", remediation="r")]
"""

PACK = """apiVersion: govern/v1
kind: PolicyPack
metadata: {name: packed, version: 2.0.0, domain: governance}
rules:
  - id: PACKED-001
    title: Tags are recorded
    severity: error
    accountable: service_owner
    rationale: r
    remediation: r
    require: {required: [metadata], properties: {metadata: {required: [tags]}}}
    examples: {pass: [{manifest: {metadata: {tags: [a]}}}], fail: [{manifest: {metadata: {}}}]}
"""


def write(folder: Path, name: str, source: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return str(path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with a compliant manifest (no core finding) and the good plugin."""
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    write(tmp_path, "good.py", GOOD)
    return tmp_path


def check(project: Path, *args: str, manifest: str = "m.yaml") -> tuple[int, list[dict], str]:
    result = run_cli("check", manifest, *AS_OF, "--no-plugins", "--format", "json", *args, cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    findings = json.loads(result.stdout)["findings"] if result.stdout else []
    return result.returncode, findings, result.stderr


def rules_json(project: Path, *args: str) -> tuple[int, list[dict], str]:
    result = run_cli("rules", "--no-plugins", "--format", "json", *args, cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


# -- every hook, through a real plugin ---------------------------------------------------------------


def test_govern_policy_paths(project):
    write(project, "packplug/policies/packed.yaml", PACK)
    write(
        project,
        "packplug/__init__.py",
        """
        from pathlib import Path
        from govern import hookimpl

        @hookimpl
        def govern_policy_paths():
            return [Path(__file__).parent / "policies"]
    """,
    )
    manifest = load_manifest(project / "m.yaml")
    del manifest["metadata"]["tags"]
    (project / "untagged.yaml").write_text(json.dumps(manifest), encoding="utf-8")
    code, rules, _ = rules_json(project, "--plugin", "packplug")
    assert code == 0
    packed = next(r for r in rules if r["id"] == "PACKED-001")
    assert (packed["source"], packed["pack"]) == ("packplug", "packed")
    code, findings, _ = check(project, "--plugin", "packplug/__init__.py", manifest="untagged.yaml")
    assert code == 1 and [f["rule"] for f in findings] == ["PACKED-001"]
    assert findings[0]["path"] == "/metadata/tags"


def test_govern_rules(project):
    code, findings, _ = check(project, "--plugin", "good.py")
    assert code == 0  # a warning
    (finding,) = findings
    assert (finding["rule"], finding["severity"], finding["path"]) == ("GOOD-001", "warning", "/metadata/name")
    assert finding["message"] == "Good plugin ran: good plugin ran"
    assert finding["accountable"] == {"role": "service_owner", "name": "Daniel Reyes"}
    code, rules, _ = rules_json(project, "--plugin", "good.py")
    assert next(r for r in rules if r["id"] == "GOOD-001")["source"] == "good"
    explained = run_cli("explain", "GOOD-001", "--plugin", "good.py", "--no-plugins", cwd=project)
    assert explained.returncode == 0 and "source: good" in explained.stdout


def test_govern_check_functions(project):
    write(
        project,
        "fn.py",
        """
        from govern import hookimpl
        from govern.core.checks import CheckFunction
        from govern.core.model import Violation

        def longer_than(data, options, ctx):
            name = data.get("metadata", {}).get("name", "")
            if len(name) <= options["chars"]:
                yield Violation("/metadata/name", f"name has {len(name)} characters, not more than {options['chars']}")

        @hookimpl
        def govern_check_functions():
            return [CheckFunction("fn.longer_than", longer_than,
                                  {"type": "object", "required": ["chars"], "additionalProperties": False,
                                   "properties": {"chars": {"type": "integer"}}})]
    """,
    )
    pack = PACK.replace(
        "    require: {required: [metadata], properties: {metadata: {required: [tags]}}}\n",
        "    function: fn.longer_than\n    with: {chars: 100}\n",
    )
    write(project, "local/pack.yaml", pack)
    code, findings, _ = check(project, "--plugin", "fn.py", "--policies", "local")
    assert code == 1 and [f["message"] for f in findings] == [
        "Tags are recorded: name has 35 characters, not more than 100"
    ]
    write(project, "local/pack.yaml", pack.replace("{chars: 100}", "{chars: many}"))
    code, _, stderr = rules_json(project, "--plugin", "fn.py", "--policies", "local")
    assert code == 2 and "pack.yaml:12:" in stderr and "options for fn.longer_than" in stderr


def test_govern_reporters(project):
    write(
        project,
        "rep.py",
        """
        from govern import hookimpl
        from govern.reporters import Reporter

        def render(report):
            return "".join(f"{f.rule} {f.file}\\n" for f in report.findings) + f"{len(report.manifests)} manifests\\n"

        @hookimpl
        def govern_reporters():
            return {"count": Reporter("count", render, ("check",), "finding ids, one a line")}
    """,
    )
    result = run_cli(
        "check",
        "m.yaml",
        *AS_OF,
        "--no-plugins",
        "--plugin",
        "rep.py",
        "--plugin",
        "good.py",
        "--format",
        "count",
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "GOOD-001 m.yaml\n1 manifests\n"
    result = run_cli("check", "m.yaml", *AS_OF, "--no-plugins", "--format", "count", cwd=project)
    assert result.returncode == 2 and "unknown format 'count'" in result.stderr
    write(project, "boom.py", """
        from govern import hookimpl
        from govern.reporters import Reporter

        @hookimpl
        def govern_reporters():
            return [Reporter("boom", lambda report: 1 / 0)]
    """)
    result = run_cli("check", "m.yaml", *AS_OF, "--no-plugins", "--plugin", "boom.py",
                     "--format", "text", "--format", "boom", cwd=project)
    assert result.returncode == 2 and result.stdout == ""  # nothing half-written
    assert "format 'boom' failed: ZeroDivisionError" in result.stderr and "Traceback" not in result.stderr


def test_govern_schema_extensions(project):
    write(
        project,
        "ext.py",
        """
        from govern import hookimpl

        @hookimpl
        def govern_schema_extensions():
            return {"ext": {"type": "object", "required": ["level"], "additionalProperties": False,
                            "properties": {"level": {"enum": ["low", "high"]}}}}
    """,
    )
    manifest = load_manifest(project / "m.yaml")
    manifest["extensions"] = {"ext": {"level": "medium"}, "stray": {"a": 1}}
    (project / "x.yaml").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    code, findings, _ = check(project, "--plugin", "ext.py", manifest="x.yaml")
    got = sorted((f["rule"], f["severity"], f["path"]) for f in findings)
    assert got == [("GOV-EXTENSION", "warning", "/extensions/stray"), ("GOV-SCHEMA", "error", "/extensions/ext/level")]
    level = next(f for f in findings if f["rule"] == "GOV-SCHEMA")
    assert '"medium"' in (project / "x.yaml").read_text(encoding="utf-8").splitlines()[level["line"] - 1]
    assert level["message"].startswith("extensions.ext: ")
    code, findings, _ = check(project, manifest="x.yaml")  # nobody owns either block now
    assert sorted((f["rule"], f["path"]) for f in findings) == [
        ("GOV-EXTENSION", "/extensions/ext"),
        ("GOV-EXTENSION", "/extensions/stray"),
    ]
    assert code == 0


def test_the_builtins_are_a_plugin_implementing_every_hook():
    registry = load_plugins(no_plugins=True)
    assert [p.name for p in registry.plugins] == [BUILTIN]
    assert set(HOOKS) == {fn.__name__ for fn in hooks()}
    from govern.plugins import builtin

    assert all(callable(getattr(builtin, hook)) for hook in HOOKS)
    contributes = registry.plugins[0].contributes
    assert contributes["policy_paths"] and {"json", "text"} <= set(contributes["formats"])
    assert "date_recent" in contributes["functions"]
    assert {r.source for r in registry.rules} <= {BUILTIN}
    assert registry.errors == []


# -- isolation: a broken plugin is a GOV-PLUGIN error, the others still run -----------------------------

BROKEN = {
    "import fails": ("import nonexistent_module_xyz\n", "failed to import: ModuleNotFoundError"),
    "syntax error": ("def govern_rules(:\n", "failed to import: SyntaxError"),
    "exits at import": ("import sys\nsys.exit(3)\n", "failed to import: SystemExit"),
    "hook raises": (
        "from govern import hookimpl\n@hookimpl\ndef govern_rules():\n    raise KeyError('x')\n",
        "govern_rules() raised KeyError",
    ),
    "misspelt hook": (
        "from govern import hookimpl\n@hookimpl\ndef govern_rule():\n    return []\n",
        "unknown hook govern_rule (did you mean govern_rules?)",
    ),
    "misspelt unmarked hook": ("def govern_reporter():\n    return []\n", "unknown hook govern_reporter"),
    "hook with arguments": (
        "from govern import hookimpl\n@hookimpl\ndef govern_rules(config):\n    return []\n",
        "has an invalid hook",
    ),
    "wrong type": (
        "from govern import hookimpl\n@hookimpl\ndef govern_rules():\n    return 'PRIV-001'\n",
        "govern_rules() returned a str, expected a list",
    ),
    "not a rule": (
        "from govern import hookimpl\n@hookimpl\ndef govern_rules():\n    return [{'id': 'X-001'}]\n",
        "govern_rules() returned a dict, expected a govern.core.model.Rule",
    ),
    "bad severity": (
        "from govern import hookimpl\nfrom govern.core.model import Rule\n@hookimpl\ndef govern_rules():\n"
        "    return [Rule('BAD-001', 't', 'governance', 'fatal', None, lambda d, c: [])]\n",
        "severity 'fatal' is not one of error, warning, info",
    ),
    "bad rule id": (
        "from govern import hookimpl\nfrom govern.core.model import Rule\n@hookimpl\ndef govern_rules():\n"
        "    return [Rule('bad id', 't', 'governance', 'error', None, lambda d, c: [])]\n",
        "the id must look like ABC-001",
    ),
    "duplicate rule id": (
        "from govern import hookimpl\nfrom govern.core.model import Rule\n@hookimpl\ndef govern_rules():\n"
        "    return [Rule('PRIV-008', 't', 'privacy', 'error', None, lambda d, c: [])]\n",
        "rule PRIV-008 is already defined by builtin",
    ),
    "function without options schema": (
        "from govern import hookimpl\nfrom govern.core.checks import CheckFunction\n@hookimpl\n"
        "def govern_check_functions():\n    return [CheckFunction('b.f', lambda d, o, c: [], None)]\n",
        "check function 'b.f' without an options schema",
    ),
    "duplicate function": (
        "from govern import hookimpl\nfrom govern.core.checks import CheckFunction\n@hookimpl\n"
        "def govern_check_functions():\n    return [CheckFunction('date_recent', lambda d, o, c: [])]\n",
        "check function 'date_recent' is already defined",
    ),
    "duplicate format": (
        "from govern import hookimpl\nfrom govern.reporters import Reporter\n@hookimpl\n"
        "def govern_reporters():\n    return [Reporter('json', lambda r: '')]\n",
        "format 'json' is already defined",
    ),
    "format with a colon": (
        "from govern import hookimpl\nfrom govern.reporters import Reporter\n@hookimpl\n"
        "def govern_reporters():\n    return [Reporter('a:b', lambda r: '')]\n",
        "format names are lower-case",
    ),
    "invalid extension schema": (
        "from govern import hookimpl\n@hookimpl\ndef govern_schema_extensions():\n"
        "    return {'b': {'type': 'nonsense'}}\n",
        "the schema for extensions.b is not a valid JSON Schema",
    ),
    "extension list": (
        "from govern import hookimpl\n@hookimpl\ndef govern_schema_extensions():\n    return ['b']\n",
        "govern_schema_extensions() returned a list, expected a dict",
    ),
    "missing policy folder": (
        "from govern import hookimpl\n@hookimpl\ndef govern_policy_paths():\n    return ['/nonexistent/x']\n",
        "is not an existing folder",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN), ids=lambda c: c.replace(" ", "-"))
def test_a_broken_plugin_is_reported_by_name_and_the_others_still_run(tmp_path, case):
    source, expected = BROKEN[case]
    plugin = write(tmp_path, "broken.py", source)
    good = write(tmp_path, "good.py", GOOD)
    registry = load_plugins([plugin, good], no_plugins=True)
    from govern.run.runner import build_rules

    rules, errors, _ = build_rules(Options(), registry)
    messages = [e.message for e in errors]
    assert any(m.startswith("plugin broken: ") and expected in m for m in messages), messages
    assert all(e.rule == "GOV-PLUGIN" for e in errors)
    assert "GOOD-001" in {r.id for r in rules}
    assert "good" in {p.name for p in registry.plugins}


@pytest.mark.parametrize("case", ["hook raises", "misspelt hook", "import fails", "duplicate rule id"])
def test_every_command_reports_a_broken_plugin_cleanly(project, case):
    write(project, "broken.py", BROKEN[case][0])
    plugins = ("--plugin", "broken.py", "--plugin", "good.py")
    code, findings, stderr = check(project, *plugins)
    assert code == 2
    errors = [f for f in findings if f["rule"] == "GOV-PLUGIN"]
    assert errors and all(f["message"].startswith("plugin broken: ") for f in errors)
    assert "GOOD-001" in {f["rule"] for f in findings}
    code, rules, stderr = rules_json(project, *plugins)
    assert code == 2 and "GOV-PLUGIN" not in stderr and "plugin broken: " in stderr
    assert "GOOD-001" in {r["id"] for r in rules}
    listed = run_cli("plugins", "--no-plugins", *plugins, cwd=project)
    assert listed.returncode == 2 and "plugin broken: " in listed.stderr and "Traceback" not in listed.stderr
    assert "good" in listed.stdout
    text = run_cli("check", "m.yaml", *AS_OF, "--no-plugins", *plugins, cwd=project)
    assert text.returncode == 2 and "GOV-PLUGIN" in text.stdout and "Traceback" not in text.stdout + text.stderr


def test_plugin_errors_point_at_the_plugins_own_line(tmp_path):
    plugin = write(tmp_path, "broken.py", BROKEN["hook raises"][0])
    (error,) = load_plugins([plugin], no_plugins=True).errors
    assert error.file.endswith("broken.py") and error.line == 4  # the `raise`
    plugin = write(tmp_path, "typo.py", BROKEN["misspelt hook"][0])
    (error,) = load_plugins([plugin], no_plugins=True).errors
    assert error.file.endswith("typo.py") and error.line == 3  # the misspelt function
    missing = load_plugins([str(tmp_path / "nope.py")], no_plugins=True).errors
    assert [e.message for e in missing] == ["plugin nope: no such plugin file"]


def test_a_check_returning_malformed_data_is_an_engine_error_and_other_rules_still_run(project):
    write(
        project,
        "odd.py",
        """
        from govern import hookimpl
        from govern.core.model import Rule

        @hookimpl
        def govern_rules():
            return [Rule("ODD-001", "odd", "governance", "error", None, lambda d, c: ["not a violation"])]
    """,
    )
    code, findings, _ = check(project, "--plugin", "odd.py", "--plugin", "good.py")
    assert code == 2
    engine = [f for f in findings if f["rule"] == "GOV-ENGINE"]
    assert len(engine) == 1 and "rule ODD-001 (odd)" in engine[0]["message"] and "malformed" in engine[0]["message"]
    assert "GOOD-001" in {f["rule"] for f in findings}


def test_unmarked_hooks_are_still_hooks(project):
    write(project, "plain.py", GOOD.replace("@hookimpl\n", ""))
    code, findings, _ = check(project, "--plugin", "plain.py")
    assert [f["rule"] for f in findings] == ["GOOD-001"]


def test_reserved_and_repeated_names(tmp_path):
    builtin = write(tmp_path, "builtin.py", GOOD)
    good = write(tmp_path, "good.py", GOOD)
    registry = load_plugins([builtin, good, good], no_plugins=True)
    messages = sorted(e.message for e in registry.errors)
    assert messages == [
        "plugin builtin: the name 'builtin' is reserved by govern; rename the file",
        "plugin good: is loaded twice (two plugins with one name); the second is ignored",
    ]
    assert [p.name for p in registry.plugins] == ["builtin", "good"]


# -- entry points ---------------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder on PYTHONPATH holding an installed distribution with a `govern` entry point."""
    root = tmp_path / "site"
    write(root, "govern_epdemo.py", GOOD.replace("GOOD-001", "EPDEMO-001"))
    dist = root / "govern_epdemo-4.5.6.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: govern-epdemo\nVersion: 4.5.6\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[govern]\nepdemo = govern_epdemo\n", encoding="utf-8")
    return root


def test_entry_points_are_autoloaded_and_switched_off(project, site):
    env = {"PYTHONPATH": str(site)}

    def plugins(*args: str, **extra: str) -> dict:
        result = run_cli("plugins", "--format", "json", *args, cwd=project, env={**env, **extra})
        assert result.returncode == 0, result.stderr
        return {p["name"]: p for p in json.loads(result.stdout)["plugins"]}

    found = plugins()["epdemo"]
    assert (found["version"], found["origin"], found["rules"]) == ("4.5.6", "entry point govern-epdemo", ["EPDEMO-001"])
    assert "epdemo" not in plugins("--no-plugins")
    assert "epdemo" not in plugins(GOVERN_DISABLE_PLUGIN_AUTOLOAD="1")
    assert "epdemo" in plugins(GOVERN_DISABLE_PLUGIN_AUTOLOAD="0")
    result = run_cli("check", "m.yaml", *AS_OF, "--format", "json", cwd=project, env=env)
    assert "EPDEMO-001" in {f["rule"] for f in json.loads(result.stdout)["findings"]}
    # a --plugin file with the same name replaces the installed plugin: one plugin, no duplicate rules
    write(project, "dev/govern_epdemo.py", GOOD.replace("GOOD-001", "EPDEMO-001"))
    replaced = plugins("--plugin", "dev/govern_epdemo.py")["epdemo"]
    assert replaced["origin"] == "file dev/govern_epdemo.py"


def test_configuration_disables_or_enables_entry_points(site, monkeypatch):
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()

    def names(plugins: dict) -> list[str]:
        registry = load_for(Options(config={"plugins": plugins}))
        return [p.name for p in registry.plugins if p.name == "epdemo"] + [e.message for e in registry.errors]

    assert names({}) == ["epdemo"]
    assert names({"disable": ["epdemo"]}) == []
    assert names({"autoload": False}) == []
    assert names({"autoload": False, "enable": ["epdemo"]}) == ["epdemo"]
    assert names({"autoload": False, "enable": ["nothere"]}) == [
        "plugin nothere: is enabled in the configuration but no installed package has "
        "a 'govern' entry point of that name"
    ]


# -- the example plugins in plugins/ ------------------------------------------------------------------


@pytest.mark.parametrize(
    "plugin, name, rules",
    [
        (HEALTH, "health", {f"HEALTH-00{i}" for i in range(1, 9)}),
        (CHILDREN, "childrens_services", {"CHILD-001", "CHILD-002", "CHILD-003", "CHILD-004"}),
    ],
)
def test_example_plugins_load_from_their_module_files(plugin, name, rules):
    results = assert_examples(plugins=[str(plugin)], source=name, exact=True, no_plugins=True)
    assert {r.rule for r in results} == rules
    listed = run_cli("rules", "--no-plugins", "--plugin", str(plugin), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert {r["id"] for r in json.loads(listed.stdout) if r["source"] == name} == rules


def test_example_plugins_fire_in_a_real_check(tmp_path):
    base = load_manifest(HEALTH.parent / "policies" / "examples" / "base.yaml")
    base["extensions"]["health"]["dspt"]["status"] = "standards-not-met"
    base["extensions"]["childrens_services"] = {
        "likely_accessed_by_children": True,
        "high_privacy_by_default": False,
        "geolocation_default_off": True,
        "profiling_default_off": True,
        "dpia_covers_children": True,
    }
    (tmp_path / "both.yaml").write_text(json.dumps(base, indent=1), encoding="utf-8")
    both = ("--no-plugins", "--plugin", str(HEALTH), "--plugin", str(CHILDREN))
    result = run_cli("check", "both.yaml", *AS_OF, *both, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    fired = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert fired == {"HEALTH-008", "CHILD-001"}
    csv = run_cli("check", "both.yaml", *AS_OF, *both, "--format", "childrens-csv", cwd=tmp_path)
    assert csv.stdout.splitlines()[1].startswith("NVH-2025-031,Digital outpatient letters,")
    bare = run_cli("check", "both.yaml", *AS_OF, "--no-plugins", "--format", "json", cwd=tmp_path)
    assert {f["rule"] for f in json.loads(bare.stdout)["findings"]} == {"GOV-EXTENSION"}


def _installed(name: str) -> bool:
    return bool(importlib.metadata.entry_points(group="govern", name=name))


@pytest.mark.parametrize(
    "name, dist", [("health", "govern-health"), ("childrens_services", "govern-childrens-services")]
)
def test_example_plugins_load_from_their_installed_entry_points(name, dist):
    if not _installed(name):
        pytest.skip(f"{dist} is not installed (pip install plugins/{dist})")
    result = run_cli("plugins", "--format", "json")
    assert result.returncode == 0, result.stderr
    plugin = {p["name"]: p for p in json.loads(result.stdout)["plugins"]}[name]
    assert plugin["origin"] == f"entry point {dist}"
    assert plugin["rules"]
    rules = run_cli("rules", "--format", "json")
    assert set(plugin["rules"]) <= {r["id"] for r in json.loads(rules.stdout)}
    gone = run_cli("rules", "--format", "json", "--no-plugins")
    assert not set(plugin["rules"]) & {r["id"] for r in json.loads(gone.stdout)}
