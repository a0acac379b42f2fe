"""SARIF 2.1.0 for GitHub code scanning and other SARIF readers.

Valid against the OASIS schema and within GitHub's documented constraints
(``content/code-security/reference/code-scanning/sarif-files/sarif-support.md``):
rule metadata with help text and a help URI for every rule that produced a
result, stable ``ruleId``s, artifact URIs relative to the repository root
(``%SRCROOT%``), ``startLine`` >= 1, ``partialFingerprints`` that survive
line moves, and waived findings kept as results with an accepted
``suppressions`` entry. No timestamps: same report, same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from govern.reporters import Reporter
from govern.core.text import clean, json_safe, one_line

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
VERSION = "2.1.0"
FINGERPRINT = "governFinding/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}  # GitHub: high, medium, low
MAX_DESCRIPTION = 1024

NOTICE_HELP = {
    "GOV-INPUT": "A file could not be read as a govern document: fix the file at the location given (YAML syntax, encoding, apiVersion or kind).",
    "GOV-SCHEMA": "The manifest does not match schemas/initiative.schema.json: fix the field at the location given.",
    "GOV-PLUGIN": "A plugin failed to load or returned malformed data: fix or disable the plugin named.",
    "GOV-ENGINE": "A rule raised an error while checking this manifest: report it to the rule's author.",
    "GOV-CONFIG": "The configuration file is invalid: fix the setting at the location given.",
    "GOV-EXTENSION": "An extensions block is not owned by any loaded plugin, so nothing checks it: install the plugin or remove the block.",
    "WAIVER-EXPIRED": "The waiver has expired, so the finding it covered is active again: renew the waiver through the board or fix the finding.",
    "WAIVER-STALE": "The waiver matches no finding: the problem is fixed, or the waiver names the wrong initiative, rule or path. Remove or correct it.",
    "WAIVER-CONFLICT": "The waiver was approved by the initiative's senior responsible owner or by the person accountable for the rule, so it does not waive: have someone independent approve it.",
    "WAIVER-REFUSED": "The rule's error-level finding is not waivable (a statutory duty, or reserved to the board), so the finding stays active: meet the duty or take it to the board.",
    "BASELINE-REFUSED": "The rule's error-level finding is not waivable, so a baseline cannot absorb it: it stays failing until it is resolved.",
}


@cache
def information_uri() -> str | None:
    """The project's home page from ``[project.urls]`` in the installed metadata, if it names one.

    Never guessed: a package index page under the same name may be someone else's project.
    """
    try:
        from importlib.metadata import metadata

        meta = metadata("govern")
    except Exception:  # not installed: running from a plain checkout
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation", "source", "repository") and url.strip().startswith("https://"):
            return url.strip()
    home = meta.get("Home-page")
    return home if home and home.startswith("https://") else None


def rule_name(title: str, rule_id: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title)
    return "".join(w[:1].upper() + w[1:] for w in words) or rule_id.replace("-", "")


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def describe_rule(rule_id: str, rule: Any, notices: dict[str, tuple[str, str, str]]) -> dict[str, Any]:
    """``reportingDescriptor`` for a rule of a pack or one of govern's own notices."""
    if rule is not None:
        title, domain, severity = rule.title, rule.domain, rule.severity
        rationale = rule.rationale or rule.title
        remediation = rule.remediation
        references = list(rule.references)
        help_uri = rule.help_uri or next((ref.url for ref in references if ref.url), None)
        waivable = rule.waivable
    else:
        title, domain, severity = notices.get(rule_id, (rule_id, "governance", "error"))
        rationale = NOTICE_HELP.get(rule_id, title)
        remediation, references, help_uri, waivable = "", [], None, False
    text = [rationale]
    markdown = [f"**{title}** ({rule_id}, {domain}; default severity {severity})", "", rationale]
    if remediation:
        text.append(f"How to fix: {remediation}")
        markdown += ["", f"**How to fix:** {remediation}"]
    if references:
        text.append("References: " + "; ".join(str(ref) for ref in references))
        markdown += ["", "**References:**", ""]
        markdown += [f"- [{ref}]({ref.url})" if ref.url else f"- {ref}" for ref in references]
    if rule is not None and not waivable:
        from govern.core.scope import refusal_reason

        line = f"Not waivable: {refusal_reason(rule)}."
        text.append(line)
        markdown += ["", f"_{line}_"]
    tags = sorted({domain, "govern", *(["security"] if domain == "security" else [])})
    properties: dict[str, Any] = {"tags": tags}
    if domain == "security":
        properties["security-severity"] = SECURITY_SEVERITY.get(severity, "5.0")
    descriptor = {
        "id": rule_id,
        "name": rule_name(title, rule_id),
        "shortDescription": {"text": _clip(title)},
        "fullDescription": {"text": _clip(rationale)},
        "help": {"text": "\n\n".join(text), "markdown": "\n".join(markdown)},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": properties,
    }
    if help_uri := help_uri or information_uri():
        descriptor["helpUri"] = help_uri
    return descriptor


def fingerprint(finding: Any) -> str:
    """Stable across line moves: rule, initiative, JSON Pointer and file, not the line."""
    key = "\0".join((finding.rule, finding.initiative or "", finding.path, finding.file))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def location(finding: Any) -> dict[str, Any]:
    if finding.file.startswith("<"):  # a pseudo-file such as <plugin x>: nothing to point at
        return {"logicalLocations": [{"name": one_line(finding.file), "kind": "module"}]}
    path = PurePosixPath(finding.file.replace("\\", "/"))
    if path.is_absolute():
        artifact = {"uri": "file://" + quote(str(path), safe="/")}
    else:
        artifact = {"uri": quote(str(path), safe="/"), "uriBaseId": "%SRCROOT%"}
    return {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)},
        }
    }


def justifications(report: Any) -> dict[tuple[str, int], str]:
    out = {}
    for outcome in getattr(report, "waivers", None) or []:
        waiver = outcome.waiver
        out[(waiver.file, waiver.line)] = waiver.justification
    return out


def result(finding: Any, index: int, why: dict[tuple[str, int], str]) -> dict[str, Any]:
    properties: dict[str, Any] = {"domain": finding.domain, "path": finding.path}
    if finding.initiative:
        properties["initiative"] = finding.initiative
    if finding.accountable.role or finding.accountable.name:
        properties["accountable"] = finding.accountable.to_dict()
    if finding.waiver:
        properties["waiver"] = finding.waiver
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": clean(finding.message)},
        "locations": [location(finding)],
        "partialFingerprints": {FINGERPRINT: fingerprint(finding)},
        "properties": properties,
    }
    if finding.waived and finding.waiver:
        waiver = finding.waiver
        text = why.get((waiver.get("file"), waiver.get("line"))) or f"waived until {waiver.get('expires')}"
        approver = (waiver.get("approved_by") or {}).get("name")
        justification = f"{text} (approved by {approver}, until {waiver.get('expires')})" if approver else text
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": clean(justification)}]
    if finding.baseline:
        out["baselineState"] = "absent" if finding.baseline == "resolved" else "unchanged"
    return out


def sarif_log(report: Any) -> dict[str, Any]:
    from govern import __version__
    from govern.core.engine import NOTICES

    by_id = {rule.id: rule for rule in report.rules}
    used = sorted({finding.rule for finding in report.findings})
    rules = [describe_rule(rule_id, by_id.get(rule_id), NOTICES) for rule_id in used]
    index = {rule_id: i for i, rule_id in enumerate(used)}
    why = justifications(report)
    driver: dict[str, Any] = {
        "name": "govern",
        "version": getattr(report, "version", __version__),
        "semanticVersion": getattr(report, "version", __version__),
    }
    if home := information_uri():
        driver["informationUri"] = home
    driver["rules"] = rules
    run = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": not report.has_input_errors()}],
        "columnKind": "unicodeCodePoints",
        "results": [result(finding, index[finding.rule], why) for finding in report.findings],
        "properties": {"asOf": report.as_of.isoformat(), "summary": report.summary()},
    }
    return {"$schema": SCHEMA_URI, "version": VERSION, "runs": [run]}


def render(report: Any) -> str:
    return json_safe(json.dumps(sarif_log(report), indent=2, ensure_ascii=False)) + "\n"


REPORTER = Reporter("sarif", render, ("check",), "SARIF 2.1.0 for GitHub code scanning")
