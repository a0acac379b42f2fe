"""Markdown table cells that are inert: shared by the check and portfolio Markdown formats.

A value from a manifest becomes one line, HTML-escaped, with Markdown punctuation
backslash-escaped, and with a zero-width space after whatever GitHub would turn into
a mention, a cross-reference or a link (see ``govern.reporters.markdown``).
"""

from __future__ import annotations

import re
from typing import Any

from govern.core.text import one_line

_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")  # what is special inside a table cell
# what GitHub turns into a notification, a cross-reference or a link (after the HTML escaping above,
# no `&#` comes from the input, so the one pass below never touches its own entities)
_ACTIVE = re.compile(r"@(?=[A-Za-z0-9])|#(?=[0-9])|(?<![A-Za-z0-9])GH-(?=[0-9])|:(?=//)|(?<![A-Za-z0-9])www(?=\.)|"
                     r"(?<![A-Za-z0-9])(?:mailto|xmpp):", re.IGNORECASE)
ZERO_WIDTH = "&#8203;"

def cell(text: Any) -> str:
    """One table cell: a single line, HTML-escaped, Markdown punctuation backslash-escaped, inert."""
    text = one_line(str(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return inert(_MARKDOWN.sub(r"\\\1", text))


def inert(text: str) -> str:
    """Markdown that pings, cross-links or links nothing: ``@team`` reads the same but is no mention."""
    return _ACTIVE.sub(lambda m: m.group() + ZERO_WIDTH, text)
