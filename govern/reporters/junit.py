"""JUnit XML for CI test dashboards, valid against Jenkins' ``junit-10.xsd``.

One ``<testsuite>`` per file, one ``<testcase>`` per manifest and rule
considered: a pass is an empty test case, a rule that fired a
``<failure>`` (``type`` is the severity), a rule that does not apply, or
whose findings are all waived or already in the baseline, ``<skipped>``; a
file that could not be read is an ``<error>``. Names are stable and there
are no timestamps, times or host names, so the same report gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from govern.reporters import Reporter
from govern.core.text import clean, one_line

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SEVERITY_ORDER = ("error", "warning", "info")


def xml_text(text: str, single_line: bool = True) -> str:
    """Visible escapes for control characters; nothing XML 1.0 forbids."""
    text = one_line(text) if single_line else "\n".join(clean(line) for line in text.split("\n"))
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def xml_lines(lines: list[str]) -> str:
    """One line of text per finding: a newline in a file name or a message forges no extra line."""
    return xml_text("\n".join(one_line(line) for line in lines), single_line=False)


def _owners(manifests: list[dict[str, Any]]) -> dict[str, tuple[list[dict[str, Any]], list[int]]]:
    """Each file's manifests in line order, with their lines (so finding an owner is a bisection)."""
    by_file: dict[str, list[dict[str, Any]]] = {}
    for manifest in manifests:
        by_file.setdefault(manifest["file"], []).append(manifest)
    index = {}
    for file, found in by_file.items():
        ordered = sorted(found, key=lambda m: m.get("line", 1))
        index[file] = (ordered, [m.get("line", 1) for m in ordered])
    return index


def _owner(index: dict[str, tuple[list[dict[str, Any]], list[int]]], finding: Any) -> dict[str, Any] | None:
    """The manifest (document) a finding sits in: the last one starting at or before its line."""
    import bisect

    entry = index.get(finding.file)
    if entry is None:
        return None
    ordered, lines = entry
    at = bisect.bisect_right(lines, finding.line)
    return ordered[at - 1] if at else ordered[0]


CASE_TITLES = {"GOV-SCHEMA": "Manifest matches the initiative schema"}  # notices are named by id, except this check


def _case_name(rule_id: str, titles: dict[str, str]) -> str:
    title = titles.get(rule_id) or CASE_TITLES.get(rule_id)
    return f"{rule_id} {title}" if title else rule_id


def _line(finding: Any) -> str:
    status = " (waived)" if finding.waived else f" ({finding.baseline})" if finding.baseline else ""
    return f"{finding.file}:{finding.line}:{finding.column}: {finding.severity}{status}: {finding.message}"


def _fill_case(case: ET.Element, findings: list[Any], outcome: str) -> str:
    """Add the verdict to a test case; return it (pass, failure, error, skipped)."""
    from govern.core.engine import INPUT_RULES

    blocking = [f for f in findings if f.blocking]
    if blocking:
        worst = min(blocking, key=lambda f: SEVERITY_ORDER.index(f.severity) if f.severity in SEVERITY_ORDER else 0)
        tag = "error" if any(f.rule in INPUT_RULES for f in blocking) else "failure"
        element = ET.SubElement(case, tag, {"message": xml_text(worst.message), "type": worst.severity})
        element.text = xml_lines([_line(f) for f in findings])
        return tag
    if findings:
        waived = [f for f in findings if f.waived]
        if waived:
            until = sorted({str((f.waiver or {}).get("expires")) for f in waived})
            message = f"waived until {', '.join(until)}"
        elif all(f.baseline == "resolved" for f in findings):
            message = "resolved since the baseline"
        else:
            message = "existing finding (in the baseline)"
        element = ET.SubElement(case, "skipped", {"message": xml_text(message)})
        element.text = xml_lines([_line(f) for f in findings])
        return "skipped"
    if outcome == "fail":  # e.g. the rule raised: its GOV-ENGINE notice is a case of its own
        ET.SubElement(case, "error", {"message": "the rule failed without a located finding (see GOV-ENGINE)", "type": "error"})
        return "error"
    if outcome == "not-applicable":
        ET.SubElement(case, "skipped", {"message": "not applicable to this manifest"})
        return "skipped"
    return "pass"


def junit_tree(report: Any) -> ET.Element:
    titles = {rule.id: rule.title for rule in report.rules}
    manifests = sorted(report.manifests, key=lambda m: (m["file"], m.get("document", 0)))
    # (file, classname, rule) -> findings; every manifest's considered rules get a case even when they pass
    cases: dict[tuple[str, str, str], list[Any]] = {}
    outcomes: dict[tuple[str, str, str], str] = {}
    labels: dict[int, str] = {}
    for manifest in manifests:
        label = manifest.get("initiative") or f"{manifest['file']} document {manifest.get('document', 0) + 1}"
        labels[id(manifest)] = label
        for rule_id, outcome in manifest.get("outcomes", {}).items():
            key = (manifest["file"], label, rule_id)
            cases.setdefault(key, [])
            outcomes[key] = outcome
        schema_key = (manifest["file"], label, "GOV-SCHEMA")
        cases.setdefault(schema_key, [])
        outcomes.setdefault(schema_key, "pass")
    owners = _owners(manifests)
    for finding in report.findings:
        owner = _owner(owners, finding)
        label = labels[id(owner)] if owner is not None else (finding.initiative or finding.file)
        cases.setdefault((finding.file, label, finding.rule), []).append(finding)
    root = ET.Element("testsuites", {"name": "govern"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    keys_by_file: dict[str, list[tuple[str, str, str]]] = {}  # grouped once: many files stay linear
    for key in cases:
        keys_by_file.setdefault(key[0], []).append(key)
    for file in sorted(keys_by_file):
        suite = ET.SubElement(root, "testsuite", {"name": xml_text(file)})
        counts = {"pass": 0, "failure": 0, "error": 0, "skipped": 0}
        for key in sorted(keys_by_file[file]):
            _, label, rule_id = key
            case = ET.SubElement(suite, "testcase", {"classname": xml_text(label), "name": xml_text(_case_name(rule_id, titles))})
            counts[_fill_case(case, cases[key], outcomes.get(key, "fail"))] += 1
        tests = sum(counts.values())
        suite.attrib.update({
            "tests": str(tests), "failures": str(counts["failure"]), "errors": str(counts["error"]),
            "skipped": str(counts["skipped"]), "file": xml_text(file),
        })
        totals["tests"] += tests
        totals["failures"] += counts["failure"]
        totals["errors"] += counts["error"]
    root.attrib.update({key: str(value) for key, value in totals.items()})
    return root


def render(report: Any) -> str:
    root = junit_tree(report)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


REPORTER = Reporter("junit", render, ("check",), "JUnit XML for CI test dashboards (one test case per manifest and rule)")
