"""The JSON report (docs/reference/formats.md), validated by ``schemas/report.schema.json``.

UTF-8, not ASCII-escaped, so names read as written; but DEL, the C1 controls,
U+2028/U+2029 and the bidi controls are written as ``\\u`` escapes, as are C0
controls by JSON itself (``sanitize.json_safe``): the bytes drive no terminal
and forge no log line, and the parsed report holds every name exactly.
"""

from __future__ import annotations

import json
from typing import Any

from govern.reporters import Reporter
from govern.core.text import json_safe
from govern.reporters.jsonwrite import ROW as _ROW, finding_row, iter_json


def report_dict(report: Any) -> dict[str, Any]:
    out = {
        "govern_version": report.version,
        "command": report.command,
        "as_of": report.as_of.isoformat(),
        "summary": report.summary(),
        **({"overrides": overrides} if (overrides := getattr(report, "overrides", None)) else {}),
        "findings": [finding.to_dict() for finding in report.findings],
        "manifests": [
            {**{k: v for k, v in m.items() if k != "outcomes"}, "outcomes": dict(sorted(m.get("outcomes", {}).items()))}
            for m in report.manifests
        ],
        **({"notices": notices} if (notices := getattr(report, "notices", None)) else {}),
        **report.extra,
    }
    provenance = getattr(report, "provenance", None)
    if provenance is not None:  # gathered at the I/O edge (govern.run.provenance); rendered as is
        out["provenance"] = provenance
    return out


ROWS = ("findings", "manifests")  # long lists written one element per line


def rows(rules: Any):  # noqa: ARG001 - a JSON row does not depend on the rules
    """For ``Options.rows``: how one finding is written, so forked workers write their files' rows."""
    return finding_row


def _row(item: Any) -> str:
    """A finding's row: written already by a worker as (sort key, row), else written now."""
    return item[1] if type(item) is tuple else finding_row(item)


def _manifest(m: dict[str, Any]) -> dict[str, Any]:
    return {**{k: v for k, v in m.items() if k != "outcomes"}, "outcomes": dict(sorted(m.get("outcomes", {}).items()))}


def iter_dumps(entries: list[tuple[str, Any, Any]]):
    """Indented JSON, piece by piece, from (key, value, convert) entries.

    An entry with ``convert`` is a long list written one compact element per
    line: ``json.dumps(indent=...)`` runs the pure-Python encoder, while each
    element alone goes through the C encoder, several times faster, and a
    report with one finding per line still reads and diffs well. Yielding
    pieces means a 10,000-manifest report is never held whole in memory.
    """
    yield "{\n"
    last = len(entries) - 1
    for position, (key, value, convert) in enumerate(entries):
        name = json.dumps(key, ensure_ascii=False)
        end = ",\n" if position < last else "\n"
        if convert is None:
            yield f"  {name}: "
            yield from iter_json(value, "  ")
            yield end
        elif not value:
            yield f"  {name}: []{end}"
        else:
            yield f"  {name}: [\n"
            final = len(value) - 1
            encode = _ROW.encode
            for i, item in enumerate(value):
                text = convert(item)
                if type(text) is not str:
                    text = encode(text)
                yield f"    {text}{',' if i < final else ''}\n"
            yield f"  ]{end}"
    yield "}\n"




def _entries(report: Any) -> list[tuple[str, Any, Any]]:
    entries = [
        ("govern_version", report.version, None),
        ("command", report.command, None),
        ("as_of", report.as_of.isoformat(), None),
        ("summary", report.summary(), None),
    ]
    if getattr(report, "overrides", None):  # severities the configuration changed, never silent
        entries.append(("overrides", report.overrides, None))
    if getattr(report, "notices", None):  # said once per run, e.g. the bundled example statement was used
        entries.append(("notices", report.notices, None))
    entries += [
        ("findings", report.findings, _row),
        ("manifests", report.manifests, _manifest),
    ]
    entries += [(key, value, None) for key, value in report.extra.items()]
    provenance = getattr(report, "provenance", None)
    if provenance is not None:  # gathered at the I/O edge (govern.run.provenance); rendered as is
        entries.append(("provenance", provenance, None))
    return entries


def iter_render(report: Any):
    """The check report as pieces of text, to be written as they are made."""
    return map(json_safe, iter_dumps(_entries(report)))  # each piece holds whole strings only


def dumps(data: dict[str, Any]) -> str:
    """Any report-shaped dict in the same layout."""
    identity = lambda item: item  # noqa: E731
    entries = [(k, v, identity if k in ROWS and isinstance(v, list) else None) for k, v in data.items()]
    return "".join(map(json_safe, iter_dumps(entries)))


def render(report: Any) -> str:
    """The check report (``govern portfolio --format json`` is ``govern.reporters.portfolio_json``)."""
    return "".join(iter_render(report))


def stream(report: Any):
    yield from iter_render(report)


REPORTER = Reporter("json", render, ("check", "portfolio"), "the JSON report (schemas/report.schema.json)", stream)
