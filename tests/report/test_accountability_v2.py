"""Accountability that helps (issue 17, item 4): quiet people folded, vacancies by initiative, concentration.

Real CLI runs on the bundled portfolio and on manifests written for each case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ("--as-of", "2026-11-22")


def as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def manifest(folder: Path, name: str, change) -> None:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    change(data)
    (folder / name).write_text(yaml.safe_dump(as_text(data), sort_keys=False), encoding="utf-8")


def run(folder: Path, fmt: str = "json") -> Any:
    result = run_cli("portfolio", "manifests", *AS_OF, "--format", fmt, cwd=folder)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def test_people_with_nothing_to_answer_for_are_one_line_not_rows() -> None:
    data = json.loads(run_cli("portfolio", "examples/portfolio", *AS_OF, "--format", "json", cwd=ROOT).stdout)
    rows = data["accountability"]["rows"]
    quiet = {r["name"] for r in rows if r["person"] and not (r["errors"] or r["warnings"] or r["overdue_reviews"]
                                                             or r["expiring_items"])}
    assert quiet and set(data["accountability"]["nothing_to_answer"]) == quiet
    for fmt in ("table", "markdown", "html"):
        out = run_cli("portfolio", "examples/portfolio", *AS_OF, "--format", fmt, cwd=ROOT).stdout
        section = out[out.index("Accountability\n" if fmt != "html" else 'id="accountability-h"'):]
        section = section[:section.index("Vacant accountable roles")].replace("\n", " ")
        folded = section[section.index(f"{len(quiet)} other people named"):]
        assert "have nothing to answer for (" in folded, fmt
        for name in quiet:
            assert name in folded
            assert section.count(name) == 1, (fmt, name)  # no row of their own


def test_vacant_roles_are_listed_by_initiative(tmp_path: Path) -> None:
    (tmp_path / "manifests").mkdir()

    def beta_without_service_owner(data: dict[str, Any]) -> None:
        data["metadata"].update(id="VAC-2026-001", phase="beta")
        del data["accountability"]["service_owner"]

    manifest(tmp_path / "manifests", "vacant.yaml", beta_without_service_owner)
    data = run(tmp_path)
    assert data["accountability"]["vacant_roles"] == [{"initiative": "VAC-2026-001", "roles": ["Service owner"]}]
    assert "VAC-2026-001: Service owner" in run(tmp_path, "table")


def test_concentration_flags_an_sro_of_more_than_n_initiatives_and_n_is_configurable(tmp_path: Path) -> None:
    (tmp_path / "manifests").mkdir()
    for n in range(1, 4):
        manifest(tmp_path / "manifests", f"m{n}.yaml", lambda d, n=n: d["metadata"].update(id=f"CON-2026-00{n}"))
    data = run(tmp_path)
    sro = data["accountability"]["concentration"]
    assert data["accountability"]["sro_limit"] == 3 and not any("senior responsible owner of" in c["reason"] for c in sro)
    (tmp_path / "govern.yaml").write_text("board:\n  sro_limit: 2\n", encoding="utf-8")
    data = run(tmp_path)
    [flag] = [c for c in data["accountability"]["concentration"] if "senior responsible owner of" in c["reason"]]
    assert flag["reason"] == "senior responsible owner of 3 initiatives (more than 2)"
    assert flag["initiatives"] == ["CON-2026-001", "CON-2026-002", "CON-2026-003"]
    assert flag["person"] in run(tmp_path, "markdown")


def test_concentration_flags_three_different_roles(tmp_path: Path) -> None:
    (tmp_path / "manifests").mkdir()

    def one_person_three_hats(data: dict[str, Any]) -> None:
        who = data["accountability"]["senior_responsible_owner"]
        data["accountability"]["service_owner"] = dict(who)
        data["accountability"]["security_lead"] = dict(who)

    manifest(tmp_path / "manifests", "hats.yaml", one_person_three_hats)
    data = run(tmp_path)
    reasons = [c["reason"] for c in data["accountability"]["concentration"]]
    assert any(r.startswith("holds 3 different accountable roles") for r in reasons), reasons
