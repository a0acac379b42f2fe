"""The one place that reads YAML.

Safe by construction: libyaml's C parser produces events and this module
turns them into plain JSON data itself, following the YAML 1.2 core schema
(``NO``, ``on`` and ``yes`` stay strings; dates stay ISO strings for the
schema to check). No node graph is composed and no constructor runs, so no
tag can execute code. Only the core tags are accepted, duplicate keys are
errors, aliases are bounded and never recursive, and the position of every
value is kept in a side table ``{json_pointer: (line, column)}`` that never
touches the data.

Merge keys (``<<: *anchor``, ``<<: [*a, *b]``) are honoured as PyYAML,
yamllint and check-jsonschema honour them, because real files use them to
share a block: keys written in the mapping win over merged ones (and are not
duplicates), an earlier mapping in a merge list wins over a later one, and a
merged value keeps the position where its anchor wrote it. A merge counts
against the alias bounds like any alias; merging anything but mappings, or
writing ``<<`` twice in one mapping, is a located error.

Every input is bounded before it can cost much: the file size
(``max_file_size``, default 5 MiB), the nesting depth, the values a
document and a file may hold, and what aliases may expand to. A file over a
limit is a located ``GovernError``, never a ``MemoryError`` or a hang.

The work is in small modules this one puts together (their names stay importable from here):
``govern.core.yamlsource`` reads, bounds, decodes and hashes a file; ``govern.core.yamlbuild`` turns
parser events into data and positions; ``govern.core.yamlsniff`` reads the headers of a file that
does not load; ``govern.core.pointers`` names places in a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import StreamEndEvent

from govern.core.errors import GovernError
from govern.core.pointers import escape_pointer, resolve_pointer, unescape_pointer  # noqa: F401 - old import path
from govern.core.yamlbuild import (  # noqa: F401 - the limits keep their old import path
    _CHAR_NAMES,
    _LINE_BREAKS_11,
    _UNPRINTABLE,
    MAX_ALIAS_CHARS,
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_DOCUMENT_NODES,
    MAX_FILE_NODES,
    _Budget,
    _Builder,
    _Parser,
    _split_documents,
)
from govern.core.yamlsource import DEFAULT_MAX_FILE_SIZE, decode, read_source, sha256  # noqa: F401 - old import path

API_PREFIX = "govern/"
API_VERSIONS = ("govern/v1",)
KINDS = ("Initiative", "RiskAppetite", "PolicyPack", "WaiverRegister")


@dataclass(slots=True)
class Document:
    """One YAML document of a file, with its positions side table."""

    file: str
    index: int
    data: Any
    positions: dict[str, tuple[int, int]]
    line: int = 1
    column: int = 1

    @property
    def kind(self) -> str | None:
        return self.data.get("kind") if isinstance(self.data, dict) else None

    @property
    def api_version(self) -> Any:
        return self.data.get("apiVersion") if isinstance(self.data, dict) else None

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column of ``pointer``, or of its nearest existing parent."""
        positions = self.positions
        while True:
            found = positions.get(pointer)
            if found is not None:
                return found
            if not pointer:
                return (self.line, self.column)
            pointer = pointer[: pointer.rfind("/")]


@dataclass(slots=True)
class LoadedFile:
    """A file's documents and located errors, and the SHA-256 of its bytes (None when unreadable)."""

    path: str
    documents: list[Document] = field(default_factory=list)
    errors: list[GovernError] = field(default_factory=list)
    sha256: str | None = None


def load_file(
    path: str, display: str | None = None, max_size: int = DEFAULT_MAX_FILE_SIZE, max_document_nodes: int = MAX_DOCUMENT_NODES
) -> LoadedFile:
    """Load every document of a file; problems become located errors, never exceptions.

    ``max_document_nodes`` bounds one document (default: a manifest's limit); a register
    of many entries may pass more, up to the file's own limit.
    """
    display = display or path
    result = LoadedFile(display)
    try:
        text, raw = read_source(path, max_size)
    except GovernError as exc:
        exc.file = display
        result.errors.append(exc)
        return result
    result.sha256 = sha256(raw).hexdigest()
    result.documents, result.errors = load_text(text, display, max_document_nodes=max_document_nodes)
    return result


def load_text(
    text: str, file: str, max_nodes: int = MAX_FILE_NODES, max_document_nodes: int = MAX_DOCUMENT_NODES
) -> tuple[list[Document], list[GovernError]]:
    """Parse a YAML stream; on a syntax error, recover the documents around it.

    Never raises for any text: every problem is a located ``GovernError`` in the
    returned list, and each broken document hides none of its neighbours.
    """
    budget = _Budget(max_nodes, max_document_nodes)
    try:
        return _load_stream(text, file, 0, 0, budget), []
    except GovernError as first:
        if budget.exhausted:
            return [], [first]
        chunks = _split_documents(text)
        if len(chunks) < 2:
            return [], [first]
    documents: list[Document] = []
    errors: list[GovernError] = []
    budget = _Budget(max_nodes, max_document_nodes)
    for offset, chunk in chunks:
        try:
            documents.extend(_load_stream(chunk, file, offset, len(documents), budget))
        except GovernError as exc:
            errors.append(exc)
            if budget.exhausted:  # the file as a whole is too big: nothing more is read
                break
    return documents, errors


def _location(text: str, index: int, line_offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, index)
    return line + 1 + line_offset, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_characters(text: str, file: str, line_offset: int) -> None:
    """YAML forbids raw control characters (ESC, NUL, BEL...): say which, and where."""
    found = _UNPRINTABLE.search(text)
    if found is None:
        odd = _LINE_BREAKS_11.search(text)
        if odd is not None:
            code = ord(odd.group())
            line, column = _location(text, odd.start(), line_offset)
            escape = {0x85: r"\N", 0x2028: r"\L", 0x2029: r"\P"}[code]
            raise GovernError(
                f"line separator U+{code:04X} is not allowed raw in a YAML file (tools disagree on whether it ends "
                f"a line); write it as {escape} in a double-quoted string", file, line, column,
            )
        return
    code = ord(found.group())
    name = _CHAR_NAMES.get(code)
    what = f"U+{code:04X}" + (f" ({name})" if name else "")
    hint = r"; to include one, write it as an escape in a double-quoted string, e.g. \x1b" if code < 0xA0 else ""
    line, column = _location(text, found.start(), line_offset)
    raise GovernError(f"control character {what} is not allowed in a YAML file{hint}", file, line, column)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str, line_offset: int) -> GovernError:
    mark = exc.problem_mark or exc.context_mark
    context = exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        where = ""
        moved = context is not None and mark is not None and (context.line, context.column) != (mark.line, mark.column)
        if moved and mark.line >= text.count("\n"):
            mark = context  # it ran off the end (an unclosed quote or bracket): point at where that began
            where = " that starts here"
        elif moved:
            where = f" that starts at line {context.line + 1 + line_offset}, column {context.column + 1}"
        problem = f"{problem} ({exc.context}{where})"
    line = mark.line + 1 + line_offset if mark else 1 + line_offset
    column = mark.column + 1 if mark else 1
    if mark is not None and "tab" not in problem and _char_at(text, mark.line, mark.column) == "\t":
        problem += "; it is a tab: YAML indents with spaces"
    return GovernError(f"YAML syntax error: {problem}", file, line, column)


def _char_at(text: str, line: int, column: int) -> str:
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    return text[start + column : start + column + 1]


def _load_stream(text: str, file: str, line_offset: int, index: int, budget: _Budget) -> list[Document]:
    _check_characters(text, file, line_offset)
    parser = _Parser(text)
    documents = []
    try:
        parser.get_event()  # StreamStartEvent
        while not parser.check_event(StreamEndEvent):
            parser.get_event()  # DocumentStartEvent
            builder = _Builder(file, line_offset, budget)
            data = builder.build(parser)
            parser.get_event()  # DocumentEndEvent
            line, column = builder.positions[""]
            documents.append(Document(file, index, data, builder.positions, line, column))
            index += 1
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, file, line_offset) from None
    except yaml.reader.ReaderError as exc:  # pragma: no cover - _check_characters finds these first
        raise GovernError(f"YAML error: {exc.reason}", file, 1 + line_offset, 1) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error is marked
        raise GovernError(f"YAML error: {exc}", file, 1 + line_offset, 1) from None
    finally:
        parser.dispose()
    return documents


def __getattr__(name: str) -> Any:
    """``sniff_headers`` and its bounds, from where they moved, imported only when asked for."""
    if name in ("sniff_headers", "SNIFF_EVENTS", "SNIFF_LINES"):
        from govern.core import yamlsniff

        return getattr(yamlsniff, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
