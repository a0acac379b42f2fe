"""Keep terminals safe: no control character from an input reaches the screen raw."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Replace control characters (ANSI escapes, bidi overrides, NUL...) with visible escapes."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    return clean(text.replace("\r\n", "\n").replace("\n", " ").replace("\t", " "))
