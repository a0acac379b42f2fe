"""The one-line summary of a check, shared by the text and GitHub formats."""

from __future__ import annotations

from typing import Any


def summary_line(report: Any) -> str:
    s = report.summary()
    plural = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")  # noqa: E731
    parts = [plural(s["errors"], "error"), plural(s["warnings"], "warning"), f"{s['info']} info"]
    if s["waived"]:
        parts.append(f"{s['waived']} waived")
    # Only a baseline marks findings, and a baseline run holds them in a list (govern.run.baseline): a
    # streamed run's findings (rows written by workers among them) are never read twice for nothing.
    findings = report.findings if isinstance(report.findings, list) else ()
    existing = sum(1 for f in findings if f.baseline == "existing")
    if existing:
        parts.append(f"{existing} existing (in the baseline, not failing)")
    refused = sum(1 for f in findings if f.rule == "BASELINE-REFUSED")
    if refused:
        parts.append(f"{refused} in the baseline but not waivable (still failing)")
    return f"Checked {plural(s['manifests'], 'manifest')}: " + ", ".join(parts) + f" (as of {report.as_of.isoformat()})."
