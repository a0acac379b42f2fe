"""``govern plugins``: the loaded plugins, versions, origin and contributions, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
CHILDREN = ROOT / "plugins" / "govern-childrens-services" / "govern_childrens_services" / "__init__.py"
HEALTH = ROOT / "plugins" / "govern-health" / "src" / "govern_health" / "__init__.py"
ARGS = ("--no-plugins", "--plugin", str(CHILDREN), "--plugin", str(HEALTH))


def test_json_lists_each_plugin_with_everything_it_contributes():
    result = run_cli("plugins", *ARGS, "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["errors"] == []
    plugins = {p["name"]: p for p in body["plugins"]}
    assert [p["name"] for p in body["plugins"]] == ["builtin", "childrens_services", "health"]
    children = plugins["childrens_services"]
    assert children["version"] == "0.1.0"
    assert children["origin"] == "file plugins/govern-childrens-services/govern_childrens_services/__init__.py"
    assert [p["name"] for p in children["packs"]] == ["childrens-services"]
    assert children["rules"] == ["CHILD-001", "CHILD-002", "CHILD-003", "CHILD-004"]  # the Python rule and the pack's
    assert children["functions"] == ["childrens_services.defaults_off"]
    assert children["formats"] == ["childrens-csv"]
    assert children["extensions"] == ["childrens_services"]
    assert plugins["health"]["functions"] == [] and plugins["health"]["extensions"] == ["health"]
    builtin = plugins["builtin"]
    assert builtin["origin"] == "builtin" and {"json", "text"} <= set(builtin["formats"])
    assert builtin["packs"] and builtin["rules"] and builtin["functions"]


def test_table_is_deterministic_and_names_what_each_plugin_adds(tmp_path):
    first = run_cli("plugins", *ARGS, cwd=ROOT)
    second = run_cli("plugins", *ARGS, cwd=ROOT)
    assert first.returncode == 0 and first.stdout == second.stdout
    lines = first.stdout.splitlines()
    assert lines[0].split() == ["Plugin", "Version", "Origin", "Contributes"]
    health = next(line for line in lines if line.startswith("health "))
    assert "0.1.0" in health and "file plugins/govern-health/src/govern_health/__init__.py" in health
    assert "functions (1): childrens_services.defaults_off" in first.stdout
    assert "formats (1): childrens-csv" in first.stdout
    assert lines[-1] == "3 plugins loaded"
    out = tmp_path / "plugins.json"
    written = run_cli("plugins", *ARGS, "--format", f"json:{out}", cwd=ROOT)
    assert written.returncode == 0 and written.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["plugins"][0]["name"] == "builtin"


def test_unknown_format_is_a_usage_error():
    result = run_cli("plugins", "--no-plugins", "--format", "csv")
    assert result.returncode == 2
    assert "unknown format 'csv' for plugins (choose from table, json)" in result.stderr


def test_errors_are_listed_in_json_and_exit_2(tmp_path):
    (tmp_path / "broken.py").write_text("raise RuntimeError('no')\n", encoding="utf-8")
    result = run_cli("plugins", "--no-plugins", "--plugin", "broken.py", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    (error,) = json.loads(result.stdout)["errors"]
    assert error == {
        "rule": "GOV-PLUGIN",
        "file": "broken.py",
        "line": 1,
        "column": 1,
        "message": "plugin broken: failed to import: RuntimeError: no",
    }
    assert "govern: broken.py:1:1: plugin broken: failed to import" in result.stderr


def test_a_plugin_format_may_stream_and_a_failing_stream_is_the_plugins_error(tmp_path):
    import shutil

    base = Path(__file__).resolve().parents[2] / "policies" / "examples" / "base.yaml"
    shutil.copy(base, tmp_path / "m.yaml")
    (tmp_path / "govern_pieces.py").write_text(
        "from govern.reporters import Reporter\n"
        "def _stream(report):\n"
        "    yield 'manifests='\n"
        "    yield str(len(report.manifests)) + '\\n'\n"
        "def _broken(report):\n"
        "    yield 'partial'\n"
        "    raise RuntimeError('boom')\n"
        "def govern_reporters():\n"
        "    return [Reporter('pieces', lambda r: 'unused', ('check',), 'test', _stream),\n"
        "            Reporter('broken', lambda r: 'unused', ('check',), 'test', _broken)]\n",
        encoding="utf-8",
    )
    common = ("check", "m.yaml", "--as-of", "2026-11-22", "--plugin", "govern_pieces.py", "--format")
    ok = run_cli(*common, "pieces:out.txt", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "out.txt").read_text() == "manifests=1\n"  # the stream, not render, was written
    (tmp_path / "keep.txt").write_text("previous report")
    bad = run_cli(*common, "broken:keep.txt", cwd=tmp_path)
    assert bad.returncode == 2 and "format 'broken' failed: RuntimeError: boom" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert (tmp_path / "keep.txt").read_text() == "previous report"  # atomic: nothing half-written
