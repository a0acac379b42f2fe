"""JSON Pointers (RFC 6901): how govern names a place in a document.

The loader's positions table, findings and waivers all name values by pointer; this small
module is the one place that escapes, unescapes and follows them, low enough for every layer.
"""

from __future__ import annotations

from typing import Any


def escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def unescape_pointer(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def resolve_pointer(data: Any, pointer: str) -> Any:
    """The value at a JSON Pointer; raises KeyError when it does not exist."""
    if not pointer:
        return data
    node = data
    for token in pointer[1:].split("/"):
        token = unescape_pointer(token)
        if isinstance(node, dict):
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node
