"""What a YAML text that does not load says at its top level (``--skip-non-govern`` asks).

Split from ``govern.core.loader`` (which still answers ``sniff_headers`` for old imports): read
only when a file fails to load, so it stays off the path of a file that loads.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from govern.core.yamlbuild import _LINE_BREAKS_11, _NULLS, _UNPRINTABLE, _Parser, _split_documents

SNIFF_EVENTS = 100_000  # parser events one broken document is read for before sniff_headers gives up on it
SNIFF_LINES = 1_000  # lines after the break that are still looked at, one by one
_SNIFF_LINE = re.compile(r"""[^\s#\-?:\[{].*:""")


def sniff_headers(text: str) -> list[dict[str, Any]]:
    """What each document of a text that does not load says at its top level: its scalar keys and values.

    A broken document is read as far as it parses; from the line where it breaks on, each
    top-level line that may name ``apiVersion`` or ``kind`` is read on its own. So a file
    says what it is even when broken (``--skip-non-govern`` asks), however its
    apiVersion is quoted or escaped. Values are the scalars' text (null is None).
    """
    text = _LINE_BREAKS_11.sub(" ", _UNPRINTABLE.sub(" ", text))  # what is wrong is reported elsewhere
    headers: list[dict[str, Any]] = []
    for _, chunk in _split_documents(text):
        found, broken, line = _top_scalars(chunk)
        headers += found
        if line is None:
            continue
        if broken is None:
            broken = {}
            headers.append(broken)
        for text_line in chunk.splitlines()[line : line + SNIFF_LINES]:
            lower = text_line.casefold()
            if _SNIFF_LINE.match(text_line) and ("apiversion" in lower or "kind" in lower or "\\" in text_line):
                for one in _top_scalars(text_line)[0]:
                    for key, value in one.items():
                        broken.setdefault(key, value)
    return [header for header in headers if header]


def _top_scalars(text: str) -> tuple[list[dict[str, Any]], dict[str, Any] | None, int | None]:
    """Each document's top-level scalar keys and values; the one that broke, if its top level had begun; the line
    (0-based) where parsing broke, if it did."""
    documents: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None  # the top level of the document being read, when it is a mapping
    parser = _Parser(text)
    depth = 0
    key: Any = None
    expect_key = True
    try:
        for _ in range(SNIFF_EVENTS):
            event = parser.get_event()
            cls = event.__class__
            if cls is StreamEndEvent:
                break
            if cls is DocumentStartEvent or cls is DocumentEndEvent:
                depth, current = 0, None
                continue
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                depth -= 1
                continue
            if depth == 0 and cls is MappingStartEvent:
                current = {}
                documents.append(current)
                expect_key = True
            elif depth == 1 and current is not None:
                if expect_key:
                    key = event.value if cls is ScalarEvent else None
                elif key is not None and cls is ScalarEvent:
                    plain = not event.style and event.tag is None
                    current.setdefault(key, None if plain and event.value in _NULLS else event.value)
                expect_key = not expect_key
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                depth += 1
    except yaml.YAMLError as exc:
        marks = [mark.line for mark in (getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)) if mark]
        return documents, current, min(marks, default=0)  # where the broken construct began
    finally:
        parser.dispose()
    return documents, None, None
