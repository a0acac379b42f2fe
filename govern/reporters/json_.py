"""The JSON report (SPEC 3.2), validated by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from govern.reporters import Reporter


def report_dict(report: Any) -> dict[str, Any]:
    out = {
        "govern_version": report.version,
        "command": report.command,
        "as_of": report.as_of.isoformat(),
        "summary": report.summary(),
        "findings": [finding.to_dict() for finding in report.findings],
        "manifests": [
            {**{k: v for k, v in m.items() if k != "outcomes"}, "outcomes": dict(sorted(m.get("outcomes", {}).items()))}
            for m in report.manifests
        ],
        **report.extra,
    }
    provenance = getattr(report, "provenance", None)
    if provenance is not None:  # gathered at the I/O edge (govern.provenance); rendered as is
        out["provenance"] = provenance
    return out


ROWS = ("findings", "manifests")  # long lists written one element per line


def dumps(data: dict[str, Any], rows: tuple[str, ...] = ROWS) -> str:
    """Indented JSON with one line per element of the long lists.

    ``json.dumps(indent=...)`` runs the pure-Python encoder; encoding each
    finding compactly uses the C encoder and is several times faster, and a
    report with one finding per line still reads and diffs well.
    """
    parts = []
    for key, value in data.items():
        name = json.dumps(key, ensure_ascii=False)
        if key in rows and isinstance(value, list) and value:
            lines = ",\n    ".join(
                json.dumps(item, ensure_ascii=False, allow_nan=False, separators=(", ", ": ")) for item in value
            )
            parts.append(f"  {name}: [\n    {lines}\n  ]")
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).replace("\n", "\n  ")
            parts.append(f"  {name}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def render(report: Any) -> str:
    if getattr(report, "command", None) == "portfolio":  # the portfolio report has its own schema
        from govern.reporters import portfolio_json

        return portfolio_json.render(report)
    return dumps(report_dict(report))


REPORTER = Reporter("json", render, ("check", "portfolio"), "the JSON report (schemas/report.schema.json)")
