"""Writing a report's JSON piece by piece: shared by the check and portfolio JSON formats."""

from __future__ import annotations

import json
from typing import Any

from govern.core.rows import Rows

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
        for i, item in enumerate(value):
            text = json.dumps(item, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
            yield f"{inner}{text}{',' if i < final else ''}\n"
        yield indent + "]"
    else:
        yield json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).replace("\n", "\n" + indent)
