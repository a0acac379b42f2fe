"""``--format childrens-csv``: one row per initiative for the department's Children's code tracker.

Columns: the initiative, whether the code applies, the outcome of every
CHILD rule (pass, fail, waived, not-applicable, or not-run when the rule
was skipped), the number of open CHILD findings and who owns them. The
output depends only on the report, so the same run gives the same bytes.
Cells that a spreadsheet would read as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from govern.reporters import Reporter

PREFIX = "CHILD-"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def render(report: Any) -> str:
    rule_ids = sorted({r.id for r in report.rules if r.id.startswith(PREFIX)})
    open_findings: dict[tuple[str, str | None], list[Any]] = {}
    for finding in report.findings:
        if finding.rule.startswith(PREFIX) and not finding.waived:
            open_findings.setdefault((finding.file, finding.initiative), []).append(finding)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["initiative", "name", "department", "phase", "file", "code_applies", *rule_ids, "open_findings", "owners"]
    )
    for manifest in sorted(report.manifests, key=lambda m: (m["file"], m.get("document", 0))):
        outcomes = manifest.get("outcomes", {})
        row_outcomes = [outcomes.get(rule_id, "not-run") for rule_id in rule_ids]
        applies = any(o not in ("not-applicable", "not-run") for o in row_outcomes)
        findings = open_findings.get((manifest["file"], manifest.get("initiative")), [])
        owners = sorted(
            {
                f"{f.accountable.role}: {f.accountable.name}"
                if f.accountable.name
                else f"{f.accountable.role}: (not named)"
                for f in findings
                if f.accountable.role
            }
        )
        writer.writerow(
            [
                cell(v)
                for v in (
                    manifest.get("initiative"),
                    manifest.get("name"),
                    manifest.get("department"),
                    manifest.get("phase"),
                    manifest["file"],
                    "yes" if applies else "no",
                    *row_outcomes,
                    len(findings),
                    "; ".join(owners),
                )
            ]
        )
    return out.getvalue()


REPORTER = Reporter(
    "childrens-csv", render, ("check",), "CSV for the Children's code tracker: CHILD rule outcomes per initiative"
)
