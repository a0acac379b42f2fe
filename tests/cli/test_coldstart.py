"""Cold start (issue 8): what a one-file check imports and caches, and that the shortcuts change nothing.

Each shortcut is checked against the thing it stands in for: the lazy command table against
the modules' own parsers, the deferred formats against their modules, the hook list against
the hook specifications, the pack cache against a run without it, the entry-point pre-scan
against what ``importlib.metadata`` finds.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from govern.plugins import builtin
from govern.cli import app as cli
from govern.plugins import hookspecs
from govern.policy import packcache
from govern.plugins import manager as plugins
from govern.core.resources import policies_dir
from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = policies_dir() / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


# -- the command line -----------------------------------------------------------------------------


def test_the_command_table_names_what_each_module_registers():
    assert sorted(cli.MODULE_COMMANDS) == sorted(cli.COMMAND_MODULES)
    for name in cli.COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(name).register(sub, cli.common_options())
        assert tuple(_subparsers(parser)) == cli.MODULE_COMMANDS[name], name


def test_a_command_line_builds_only_its_command_with_the_same_help():
    full = _subparsers(cli.build_parser())
    assert list(full) == ["check", "rules", "explain", "test", "init", "plugins", "waivers", "config", "appetite",
                          "verify", "portfolio", "history", "migrate", "schema"]
    for name, parser in full.items():
        only = _subparsers(cli.build_parser([name, "x"]))
        assert list(only) == [name]
        assert only[name].format_help() == parser.format_help(), name
    for argv in ([], ["--help"], ["-h", "check"], ["bogus"], ["--", "check"]):
        assert list(_subparsers(cli.build_parser(argv))) == list(full), argv


def test_top_level_help_still_lists_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for name in _subparsers(cli.build_parser()):
        assert f"    {name}" in result.stdout
    again = run_cli("-h", "check")
    assert again.stdout == result.stdout
    bogus = run_cli("bogus")
    assert bogus.returncode == 2 and "'portfolio'" in bogus.stderr and "'check'" in bogus.stderr


@pytest.mark.parametrize("columns", [None, "40", "200", "0", "junk"])
def test_help_is_as_wide_as_argparse_would_make_it(monkeypatch, columns):
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert cli._columns() == shutil.get_terminal_size().columns
    ours = _subparsers(cli.build_parser(["check"]))["check"]
    theirs = _subparsers(cli.build_parser(["check"]))["check"]
    theirs.formatter_class = argparse.HelpFormatter
    assert ours.format_help() == theirs.format_help()


# -- what a cold one-file check imports ----------------------------------------------------------

PROBE = """
import sys
from govern.cli.app import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("\\nMODULES " + " ".join(sorted(sys.modules)))
"""

HEAVY = ("pluggy", "importlib.metadata", "email", "xml.etree.ElementTree", "html", "csv", "tabulate", "jsonschema",
         "hashlib", "subprocess", "shutil", "difflib", "pkg_resources", "govern.report.portfolio", "govern.cli.appetite",
         "govern.cli.portfolio", "govern.run.waivers", "govern.reporters.junit", "govern.reporters.html",
         "govern.reporters.sarif",
         # imported only by the real inspect, which govern.cli.app defers (dataclasses imports it for nothing)
         "dis", "tokenize", "linecache", "pkgutil")


def _modules_after(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    full = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), **(env or {})}
    for _ in range(3):  # the first two fill the cache; the third is the cold start it serves
        result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=tmp_path, env=full, capture_output=True,
                                text=True, timeout=120)
    assert "MODULES " in result.stdout, result.stderr
    loaded = set(result.stdout.rsplit("MODULES ", 1)[1].split())
    # What a bare interpreter already has here (under `coverage run`, coverage's own modules in
    # every subprocess) is not govern's doing.
    bare = subprocess.run([sys.executable, "-c", 'import sys; print("MODULES " + " ".join(sorted(sys.modules)))'],
                          cwd=tmp_path, env=full, capture_output=True, text=True, timeout=120)
    return loaded - set(bare.stdout.rsplit("MODULES ", 1)[1].split())


def test_a_one_file_check_imports_nothing_it_does_not_use(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    installed = plugins._may_declare_entry_points()  # a plugin installed here brings pluggy and importlib.metadata
    more = ["--no-plugins"] if installed else []
    loaded = _modules_after(tmp_path, "check", "m.yaml", *AS_OF, "--format", "json", *more)
    assert "govern.reporters.json_" in loaded and "govern.run.runner" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_every_govern_dataclass_has_a_docstring():
    """dataclasses reads inspect.signature for a class without one: the cold path would import inspect."""
    import ast

    missing = []
    for path in sorted((ROOT / "govern").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any("dataclass" in ast.unparse(d) for d in node.decorator_list):
                if ast.get_docstring(node) is None:
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert missing == []


def test_a_deferred_module_is_the_real_one_when_used():
    """govern.cli.app defers inspect this way (a tool measuring coverage may have imported it first,
    so the stand-in is tried on a module nothing imports at start-up)."""
    code = ("import sys\nfrom govern.cli import app as cli\n"
            "assert 'colorsys' not in sys.modules\n"
            "cli._defer('colorsys')\n"
            "import colorsys\n"
            "print(type(colorsys).__name__, 'colorsys' in sys.modules)\n"
            "print(colorsys.rgb_to_hsv(1.0, 0.0, 0.0), type(sys.modules['colorsys']).__name__)\n"
            "from colorsys import hsv_to_rgb\nprint(hsv_to_rgb(0.0, 1.0, 1.0))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["_Deferred True", "(0.0, 1.0, 1.0) module", "(1.0, 0.0, 0.0)"]


def test_the_named_function_modules_are_the_packages_files():
    from govern.plugins.builtin import DOMAIN_FUNCTION_MODULES

    files = sorted(f"govern.policy.functions.{p.stem}" for p in (ROOT / "govern" / "policy" / "functions").glob("*.py")
                   if p.stem not in ("__init__", "general"))
    assert list(DOMAIN_FUNCTION_MODULES) == [*files, "govern.risk.functions"]


def test_a_plugin_still_brings_pluggy(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    (tmp_path / "govern_tiny.py").write_text("def govern_rules():\n    return []\n", encoding="utf-8")
    loaded = _modules_after(tmp_path, "check", "m.yaml", *AS_OF, "--plugin", "govern_tiny.py")
    assert "pluggy" in loaded and "govern.plugins.hookspecs" in loaded


# -- the built-in plugin without pluggy ----------------------------------------------------------


def test_the_hook_list_is_the_hook_specifications():
    specs = sorted(name for name, value in vars(hookspecs).items() if name.startswith("govern_") and callable(value))
    assert list(plugins.HOOKS) == specs
    assert sorted(name for name in vars(builtin) if name.startswith("govern_")) == specs


def _summary(registry):
    return {
        "policy_paths": registry.policy_paths,
        "rules": [r.id for r in registry.rules],
        "functions": {name: (f.fn, f.options_schema) for name, f in registry.functions.items()},
        "reporters": {name: (r.name, r.commands, r.description) for name, r in registry.reporters.items()},
        "extensions": sorted(registry.extensions),
        "errors": [e.located() for e in registry.errors],
        "builtin": registry.plugins[0].to_dict(),
    }


def test_builtins_alone_contribute_what_they_do_through_pluggy(tmp_path):
    alone = plugins.load_plugins(no_plugins=True)
    empty = tmp_path / "govern_empty.py"
    empty.write_text("", encoding="utf-8")
    managed = plugins.load_plugins([str(empty)], no_plugins=True)  # a second plugin: the pluggy path
    assert [p.name for p in managed.plugins] == ["builtin", "empty"]
    assert _summary(alone) == _summary(managed)


def test_govern_hookimpl_is_pluggys_marker():
    import govern
    import pluggy

    assert isinstance(govern.hookimpl, pluggy.HookimplMarker)
    assert govern.hookimpl is govern.hookimpl
    assert govern.hookimpl.project_name == "govern"
    with pytest.raises(AttributeError):
        govern.no_such_thing  # noqa: B018


# -- deferred formats -----------------------------------------------------------------------------


def test_builtin_formats_say_what_their_modules_say():
    registry = plugins.load_plugins(no_plugins=True)
    for module, name, commands, description in builtin.BUILTIN_FORMATS:
        own = importlib.import_module(f"govern.reporters.{module}").REPORTER
        assert (own.name, own.commands, own.description) == (name, commands, description)
        listed = registry.reporters[name]
        assert (listed.name, listed.commands, listed.description) == (name, commands, description)


def test_a_deferred_format_renders_what_its_module_renders(tmp_path):
    from govern.run.runner import Options, run_check

    shutil.copy(BASE, tmp_path / "m.yaml")
    doc = (tmp_path / "m.yaml").read_text(encoding="utf-8").replace("senior_responsible_owner:", "x_sro:", 1)
    (tmp_path / "bad.yaml").write_text(doc, encoding="utf-8")
    report = run_check(Options(paths=[str(tmp_path)], as_of=dt.date(2026, 11, 22), no_plugins=True))
    assert report.findings
    for module, name, commands, _ in builtin.BUILTIN_FORMATS:
        if "check" not in commands:
            continue
        own = importlib.import_module(f"govern.reporters.{module}").REPORTER
        assert report.registry.reporters[name].render(report) == own.render(report), name


# -- entry points ---------------------------------------------------------------------------------


def _dist(root: Path, name: str, entry_points: str | None) -> None:
    dist = root / f"{name}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    if entry_points is not None:
        (dist / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_the_entry_point_prescan_finds_what_importlib_metadata_would(tmp_path, monkeypatch):
    import importlib.metadata

    monkeypatch.setattr(sys, "path", [str(tmp_path / "site"), str(tmp_path / "missing")])
    (tmp_path / "site").mkdir()
    _dist(tmp_path / "site", "plain", None)
    _dist(tmp_path / "site", "tool", "[console_scripts]\ntool = tool:main\n")
    assert plugins._may_declare_entry_points() is False
    assert not importlib.metadata.entry_points(group="govern")
    _dist(tmp_path / "site", "govern_extra", "[console_scripts]\nx = y:z\n\n[govern]\nextra = govern_extra\n")
    importlib.invalidate_caches()
    assert plugins._may_declare_entry_points() is True
    assert [ep.name for ep in importlib.metadata.entry_points(group="govern")] == ["extra"]


def test_the_prescan_leaves_what_it_cannot_judge_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip file on the path
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert plugins._may_declare_entry_points() is True
    monkeypatch.setattr(sys, "path", [])
    from importlib.machinery import PathFinder

    others = [f for f in sys.meta_path if f is not PathFinder and hasattr(f, "find_distributions")]
    assert plugins._may_declare_entry_points() is bool(others)

    class Finder:
        @staticmethod
        def find_distributions(context=None):
            return []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    assert plugins._may_declare_entry_points() is True


def test_an_installed_entry_point_plugin_still_loads(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "govern_cold.py").write_text(textwrap.dedent("""
        from govern import hookimpl
        from govern.core.model import Rule, Violation

        def _fires(data, ctx):
            yield Violation("/metadata/name", "cold plugin ran")

        @hookimpl
        def govern_rules():
            return [Rule(id="COLD-001", title="Cold", domain="governance", severity="warning", accountable=None,
                         check=_fires)]
    """), encoding="utf-8")
    _dist(site, "govern_cold", "[govern]\ncold = govern_cold\n")
    shutil.copy(BASE, tmp_path / "m.yaml")
    result = run_cli("check", "m.yaml", *AS_OF, "--format", "json", cwd=tmp_path, env={"PYTHONPATH": str(site)})
    assert "COLD-001" in {f["rule"] for f in json.loads(result.stdout)["findings"]}, result.stderr


# -- the pack cache -------------------------------------------------------------------------------


def _check(cwd: Path, cache: Path | None, *args: str, **env: str) -> subprocess.CompletedProcess:
    more = {"XDG_CACHE_HOME": str(cache)} if cache is not None else {"GOVERN_NO_CACHE": "1"}
    return run_cli("check", *args, *AS_OF, "--format", "json", cwd=cwd, env={**more, **env})


def test_a_cached_run_reports_byte_for_byte_what_an_uncached_one_does(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    doc = (tmp_path / "m.yaml").read_text(encoding="utf-8").replace("personal_data: true", "personal_data: yes", 1)
    (tmp_path / "other.yaml").write_text(doc, encoding="utf-8")
    cache = tmp_path / "cache"
    plain = _check(tmp_path, None, ".")
    assert not cache.exists()
    first = _check(tmp_path, cache, ".")
    assert (cache / "govern" / "packs.json").is_file()
    assert sorted(p.name for p in (cache / "govern").iterdir()) == ["packs.json"]  # nothing else, no temp files
    second = _check(tmp_path, cache, ".")
    assert plain.returncode == first.returncode == second.returncode
    assert plain.stdout == first.stdout == second.stdout
    assert plain.stderr == first.stderr == second.stderr
    saved = json.loads((cache / "govern" / "packs.json").read_text(encoding="utf-8"))
    assert len(saved["files"]) >= 6 and saved["schemas"] and saved["patterns"]


def test_govern_no_cache_writes_nothing(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    result = _check(tmp_path, None, "m.yaml", XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("content", [b"not json", b'{"fingerprint": 1}', b"[]", b'{"files": {"x": 1}}', b"\xff\xfe"])
def test_a_corrupt_cache_is_ignored(tmp_path, content):
    shutil.copy(BASE, tmp_path / "m.yaml")
    expected = _check(tmp_path, None, "m.yaml")
    (tmp_path / "cache" / "govern").mkdir(parents=True)
    (tmp_path / "cache" / "govern" / "packs.json").write_bytes(content)
    result = _check(tmp_path, tmp_path / "cache", "m.yaml")
    assert (result.returncode, result.stdout, result.stderr) == (expected.returncode, expected.stdout, expected.stderr)


def test_a_cache_holding_wrong_data_for_a_pack_falls_back_to_reading_it(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    cache = tmp_path / "cache"
    expected = _check(tmp_path, None, "m.yaml")
    _check(tmp_path, cache, "m.yaml")
    path = cache / "govern" / "packs.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    for entry in saved["files"].values():
        for doc in entry:
            doc["data"] = {"rules": doc["data"]["rules"]}  # no metadata: compiling it fails
    path.write_text(json.dumps(saved), encoding="utf-8")
    result = _check(tmp_path, cache, "m.yaml")
    assert (result.returncode, result.stdout) == (expected.returncode, expected.stdout)


def test_an_unusable_cache_folder_is_ignored(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    (tmp_path / "cache").write_text("a file where the folder would be", encoding="utf-8")
    expected = _check(tmp_path, None, "m.yaml")
    result = _check(tmp_path, tmp_path / "cache", "m.yaml")
    assert (result.returncode, result.stdout, result.stderr) == (expected.returncode, expected.stdout, expected.stderr)


PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: local, version: 1.0.0, domain: governance}
rules:
  - id: LOCAL-001
    title: A name is given
    severity: warning
    rationale: A test rule.
    remediation: Give a name.
    require: {required: [metadata], properties: {metadata: {required: [name]}}}
    examples: {pass: [{manifest: {metadata: {name: x}}}], fail: [{manifest: {metadata: {}}}]}
"""


def test_an_edited_pack_is_read_again_and_its_errors_located(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "local.yaml"
    pack.write_text(PACK, encoding="utf-8")
    cache = tmp_path / "cache"
    first = _check(tmp_path, cache, "m.yaml", "--policies", "packs")
    assert first.returncode == 0, first.stderr
    pack.write_text(PACK.replace("required: [name]}", "required: [nickname]}"), encoding="utf-8")
    fired = _check(tmp_path, cache, "m.yaml", "--policies", "packs")
    assert [f["rule"] for f in json.loads(fired.stdout)["findings"]] == ["LOCAL-001"]
    pack.write_text(PACK.replace("severity: warning", "severity: loud"), encoding="utf-8")
    broken = _check(tmp_path, cache, "m.yaml", "--policies", "packs")
    assert broken.returncode == 2
    finding = json.loads(broken.stdout)["findings"][0]
    assert (finding["file"], finding["line"]) == ("packs/local.yaml", 7)
    assert broken.stdout == _check(tmp_path, None, "m.yaml", "--policies", "packs").stdout


FUNCTION_PLUGIN = """\
from govern.core.checks import CheckFunction

def _never(data, options, ctx):
    return iter(())

def govern_check_functions():
    return [CheckFunction("limit_check", _never, {OPTIONS})]
"""

FUNCTION_PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: limits, version: 1.0.0, domain: governance}
rules:
  - id: LIMIT-001
    title: Within the limit
    severity: warning
    rationale: A test rule.
    remediation: Stay within it.
    function: limit_check
    with: {limit: 3}
    examples: {pass: [{manifest: {}}], fail: [{manifest: {}}]}
"""


def test_a_changed_options_schema_checks_cached_options_again(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "limits.yaml").write_text(FUNCTION_PACK, encoding="utf-8")
    plugin = tmp_path / "govern_limits.py"
    allows = '{"type": "object", "properties": {"limit": {"type": "integer"}}, "additionalProperties": False}'
    plugin.write_text(FUNCTION_PLUGIN.replace("{OPTIONS}", allows), encoding="utf-8")
    cache = tmp_path / "cache"
    args = ("m.yaml", "--policies", "packs", "--plugin", "govern_limits.py")
    assert _check(tmp_path, cache, *args).returncode == 0
    assert _check(tmp_path, cache, *args).returncode == 0
    plugin.write_text(FUNCTION_PLUGIN.replace("{OPTIONS}", allows.replace('"integer"', '"string"')), encoding="utf-8")
    refused = _check(tmp_path, cache, *args)
    assert refused.returncode == 2
    finding = json.loads(refused.stdout)["findings"][0]
    assert "options for limit_check" in finding["message"]
    assert (finding["file"], finding["line"]) == ("packs/limits.yaml", 11)
    assert refused.stdout == _check(tmp_path, None, *args).stdout


def test_the_cache_key_is_the_content_and_the_code(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert packcache.cache_dir() == tmp_path / "govern"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    assert packcache.cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "govern"
    names = [name for name, _, _ in packcache.fingerprint()[3]]
    assert names == [*packcache._CODE, "policy-pack.schema.json"]


def test_the_cache_key_covers_every_part_of_the_loader():
    """A cached pack is trusted only under the code that judged it: the modules the loader was split
    into (issue 19) decide what a pack's data and positions are, so editing one must empty the cache."""
    import grimp

    graph = grimp.build_graph("govern", include_external_packages=False)
    parts = graph.find_modules_directly_imported_by("govern.core.loader")
    parts -= {"govern.core.errors", "govern.core.yamlsniff"}  # messages, and headers of files that do not load
    files = {module.removeprefix("govern.").replace(".", "/") + ".py" for module in parts}
    assert files and files <= set(packcache._CODE), sorted(files - set(packcache._CODE))


def test_cached_pattern_verdicts_never_admit_an_unsafe_pattern(monkeypatch):
    from govern.core import fastschema

    monkeypatch.setitem(packcache._state, "files", {})
    monkeypatch.setitem(packcache._state, "schemas", set())
    monkeypatch.setitem(packcache._state, "patterns", {})
    monkeypatch.setitem(packcache._state, "atexit", True)  # never write from a test process
    monkeypatch.setattr(fastschema, "_PATTERNS", {})
    packcache.note_pattern_degree("(a+)+b", 3)  # only degrees 0-2 are remembered
    assert packcache.pattern_degree("(a+)+b") is None
    with pytest.raises(fastschema.UnsafePattern):
        fastschema.compile_pattern("(a*)*b")
    assert packcache.pattern_degree("(a*)*b") is None
    assert fastschema.compile_pattern("^[a-z]+$").limit is None
    assert packcache.pattern_degree("^[a-z]+$") == fastschema._Analysis("^[a-z]+$").degree()
    packcache._state.pop("dirty", None)


# -- stand-ins for stdlib modules ---------------------------------------------------------------------


def test_sha256_is_hashlibs_below_and_above_the_switch():
    from govern.core import loader

    for data in (b"", b"govern", os.urandom(3 << 20), b"x" * 100):
        assert loader.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    streamed = loader.sha256(size=10)
    streamed.update(b"abc")
    streamed.update(b"def")
    assert streamed.hexdigest() == hashlib.sha256(b"abcdef").hexdigest()


def test_add_months_agrees_with_calendar():
    from govern.core.checks import add_months

    for year in (1, 4, 100, 1900, 2000, 2023, 2024, 2100, 9998, 9999):
        for month in range(1, 13):
            for day in (1, 28, 29, 30, 31):
                if day > calendar.monthrange(year, month)[1]:
                    continue
                start = dt.date(year, month, day)
                for months in (-13, -1, 1, 2, 12, 14):
                    total = year * 12 + month - 1 + months
                    y, m = divmod(total, 12)
                    if not 1 <= y <= 9999:
                        continue
                    expected = dt.date(y, m + 1, min(day, calendar.monthrange(y, m + 1)[1]))
                    assert add_months(start, months) == expected


def test_a_pack_changed_behind_its_recorded_identity_is_read_again(tmp_path):
    shutil.copy(BASE, tmp_path / "m.yaml")
    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "local.yaml"
    pack.write_text(PACK, encoding="utf-8")
    old = pack.stat().st_mtime_ns - 60 * 10**9
    os.utime(pack, ns=(old, old))
    time.sleep(2.1)  # settled (changed more than 2 s ago): its identity is recorded once it has been hashed
    cache = tmp_path / "cache"
    for _ in range(3):
        assert _check(tmp_path, cache, "m.yaml", "--policies", "packs").returncode == 0
    saved = json.loads((cache / "govern" / "packs.json").read_text(encoding="utf-8"))
    assert str(pack.resolve()) in saved["stats"]
    pack.write_text(PACK.replace("required: [name]}", "required: [nume]}"), encoding="utf-8")  # same size
    os.utime(pack, ns=(old, old))  # and the same times: only the change time tells
    fired = _check(tmp_path, cache, "m.yaml", "--policies", "packs")
    assert [f["rule"] for f in json.loads(fired.stdout)["findings"]] == ["LOCAL-001"]
