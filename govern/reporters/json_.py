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


def render(report: Any) -> str:
    if getattr(report, "command", None) == "portfolio":  # the portfolio report has its own schema
        from govern.reporters import portfolio_json

        return portfolio_json.render(report)
    return json.dumps(report_dict(report), indent=2, sort_keys=False, ensure_ascii=False, allow_nan=False) + "\n"


REPORTER = Reporter("json", render, ("check", "portfolio"), "the JSON report (schemas/report.schema.json)")
