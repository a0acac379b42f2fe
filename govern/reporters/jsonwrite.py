"""Writing a report's JSON piece by piece: shared by the check and portfolio JSON formats."""

from __future__ import annotations

import json
from typing import Any

from govern.core.rows import Rows

# what json.dumps(..., ensure_ascii=False, allow_nan=False, separators=(", ", ": ")) uses, made once: json.dumps
# with options builds a new encoder for every call, and a report has one row per finding
ROW = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def finding_row(finding: Any) -> str:
    """One finding as its row of the report: exactly ``ROW.encode(finding.to_dict())``, but a rule's
    title and domain and its references (about half a row) are encoded once per rule, not once per
    finding. Forked workers write the rows of their files with it (``govern.run.checking``)."""
    key = (finding.rule, finding.title, finding.domain)
    head = _HEADS.get(key)
    if head is None:
        head = ROW.encode({"rule": finding.rule, "title": finding.title, "domain": finding.domain})[:-1] + ", "
        if len(_HEADS) < 4096:  # a long session of plugin rules made afresh: never grow without bound
            _HEADS[key] = head
    references = _REFERENCES.get(finding.references)
    if references is None:
        references = f'"references": {ROW.encode(finding.to_dict()["references"])}, '
        if len(_REFERENCES) < 4096:
            _REFERENCES[finding.references] = references
    accountable = finding.accountable
    middle = ROW.encode({
        "severity": finding.severity, "message": finding.message, "file": finding.file, "line": finding.line,
        "column": finding.column, "path": finding.path, "initiative": finding.initiative,
        "accountable": accountable.to_dict(),
    })
    status = "waived" if finding.waived else (finding.baseline or "open")
    tail = ROW.encode({"waiver": finding.waiver, "status": status, "scope_basis": finding.scope_basis})
    return f"{head}{middle[1:-1]}, {references}{tail[1:]}"


_HEADS: dict[tuple[str, str, str], str] = {}  # (rule, title, domain) -> '{"rule": ..., "domain": ..., '
_REFERENCES: dict[tuple, str] = {}  # a rule's references -> '"references": [...], '



def iter_json(value: Any, indent: str = ""):
    """``value`` as indented JSON, piece by piece; a list of objects is written one compact object per line.

    ``json.dumps(indent=...)`` runs the pure-Python encoder over everything; here each
    object of a long list goes through the C encoder alone, and a ``Rows`` list is read
    as it is written, so 100,000 findings are never held at once.
    """
    inner = indent + "  "
    if isinstance(value, dict) and value:
        yield "{\n"
        last = len(value) - 1
        for position, (key, item) in enumerate(value.items()):
            yield f"{inner}{json.dumps(key, ensure_ascii=False)}: "
            yield from iter_json(item, inner)
            yield ",\n" if position < last else "\n"
        yield indent + "}"
    elif isinstance(value, Rows) or (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
        if not len(value):
            yield "[]"
            return
        yield "[\n"
        final = len(value) - 1
        encode = ROW.encode
        for i, item in enumerate(value):
            text = item if type(item) is str else encode(item)  # a Rows convert may write the row itself
            yield f"{inner}{text}{',' if i < final else ''}\n"
        yield indent + "]"
    else:
        yield json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).replace("\n", "\n" + indent)
