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
"""

from __future__ import annotations

import codecs
import math
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

try:  # libyaml ships in PyYAML's wheels; the pure-Python parser is the fallback
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class CParser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

        def dispose(self):
            pass

from govern.core.errors import GovernError

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_DEPTH = 100  # nesting levels
MAX_ALIAS_NODES = 10_000  # values that aliases may expand to, per document
MAX_ALIAS_CHARS = 1_000_000  # characters of text that aliases may expand to, per document
MAX_DOCUMENT_NODES = 20_000  # values (keys included) in one document: ~50x a full manifest
MAX_FILE_NODES = 500_000  # values in one file: more than 5 MiB of real manifests hold
API_PREFIX = "govern/"
API_VERSIONS = ("govern/v1",)
KINDS = ("Initiative", "RiskAppetite", "PolicyPack", "WaiverRegister")

_CORE = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INF = frozenset((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"))
_NINF = frozenset(("-.inf", "-.Inf", "-.INF"))
_NAN = frozenset((".nan", ".NaN", ".NAN"))
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfF")
# YAML 1.2 section 5.1: the printable characters; anything else cannot appear raw in a YAML file
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# YAML 1.1 (and so libyaml) ends a line at these; YAML 1.2, editors and CI annotations do not, so
# raw they would shift every line number after them: they must be written as escapes
_LINE_BREAKS_11 = re.compile("[\x85\u2028\u2029]")
_CHAR_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "ESC", 0x7F: "DEL"}


class _Parser(CParser):
    """libyaml's parser, used for its events only: nothing is composed or constructed."""


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


def read_source(path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> tuple[str, bytes]:
    """Read and decode a file, refusing anything that is not a bounded text file.

    Never blocks: a FIFO, socket or device is refused before it is opened.
    """
    max_size = max(0, min(int(max_size), sys.maxsize - 1))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise GovernError(f"broken symbolic link: it points to {_target(path)!r}, which does not exist", path) from None
        raise GovernError("no such file or directory", path) from None
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", 40 if sys.platform.startswith("linux") else 62):
            raise GovernError("symbolic link loop: the link leads back to itself", path) from None
        raise GovernError(f"cannot read file: {exc.strerror or exc}", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise GovernError("not a regular file: it is a directory", path)
    if not stat.S_ISREG(info.st_mode):
        raise GovernError("not a regular file (a FIFO, socket or device is never read)", path)
    if info.st_size > max_size:
        raise GovernError(
            f"file is {info.st_size} bytes, over the {max_size}-byte limit (max_file_size)",
            path,
        )
    try:
        with open(path, "rb") as handle:
            raw = _read_bounded(handle, max_size)
    except OSError as exc:
        raise GovernError(f"cannot read file: {exc.strerror or exc}", path) from None
    if len(raw) > max_size:  # pragma: no cover - the file grew between stat and read
        raise GovernError(f"file is over the {max_size}-byte limit (max_file_size)", path)
    return decode(raw, path), raw


def _read_bounded(handle: Any, max_size: int) -> bytes:
    """At most ``max_size + 1`` bytes, read in blocks (``read(n)`` would allocate ``n`` bytes first)."""
    chunks = []
    total = 0
    while total <= max_size:
        block = handle.read(min(1 << 20, max_size + 1 - total))
        if not block:
            break
        chunks.append(block)
        total += len(block)
    return b"".join(chunks)


def _target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:  # pragma: no cover - raced away
        return "?"


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _detect(raw: bytes) -> tuple[int, str, str]:
    """(BOM length, codec, name) by YAML 1.2 section 5.2: a BOM, else the pattern of NULs in the first bytes."""
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            return len(bom), codec, name
    head = raw[:4]
    if len(head) == 4 and head[:3] == b"\0\0\0" and head[3]:
        return 0, "utf-32-be", "UTF-32"
    if len(head) == 4 and head[0] and head[1:] == b"\0\0\0":
        return 0, "utf-32-le", "UTF-32"
    if len(head) >= 2 and head[0] == 0 and head[1]:
        return 0, "utf-16-be", "UTF-16"
    if len(head) >= 2 and head[0] and head[1] == 0:
        return 0, "utf-16-le", "UTF-16"
    return 0, "utf-8", "UTF-8"


def decode(raw: bytes, path: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16/32 (with a BOM, or detected as YAML 1.2 says).

    Undecodable bytes are a located error: line and column in characters.
    """
    skip, codec, name = _detect(raw)
    body = raw[skip:]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        before = body[: exc.start].decode(codec, errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        bad = " ".join(f"0x{b:02x}" for b in body[exc.start : min(exc.end, exc.start + 4)])
        raise GovernError(f"invalid {name}: bytes {bad} cannot be decoded ({exc.reason})" if exc.end - exc.start > 1
                          else f"invalid {name}: byte {bad} cannot be decoded", path, line, column) from None


_HASHED = [0]  # bytes hashed so far by sha256()


def sha256(data: bytes = b"", size: int = 0) -> Any:
    """A SHA-256 hash object, as ``hashlib.sha256(data)``; ``size``: the bytes it will be fed in all.

    A run's first megabyte is hashed by the interpreter's own ``_sha256`` module: importing
    hashlib loads OpenSSL, ~2 ms of a one-file check. Beyond that, OpenSSL's faster code.
    """
    _HASHED[0] += max(len(data), size)
    if _HASHED[0] <= 1 << 20:
        try:
            from _sha256 import sha256 as builtin_sha256
        except ImportError:  # pragma: no cover - a Python built without its own hashes
            pass
        else:
            return builtin_sha256(data)
    import hashlib

    return hashlib.sha256(data)


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


_DOC_MARK = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|$)", re.MULTILINE)


def _split_documents(text: str) -> list[tuple[int, str]]:
    """Cut a stream at each column-0 ``---``, and after each ``...``, so one broken document hides no other."""
    cuts = {0}
    for mark in _DOC_MARK.finditer(text):
        if mark.group() == "---":
            cuts.add(mark.start())
        else:  # a document end: the next document starts on the next line
            end = text.find("\n", mark.end())
            if end >= 0 and end + 1 < len(text):
                cuts.add(end + 1)
    starts = sorted(cuts)
    chunks = []
    line = 0
    previous = 0
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        line += text.count("\n", previous, start)
        previous = start
        chunks.append((line, text[start:end]))
    return chunks


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


@dataclass(slots=True)
class _Budget:
    """What one file may still hold; shared by its documents."""

    file_nodes: int
    document_nodes: int
    exhausted: bool = False


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


_NO_KEY = object()
_MERGE = object()  # the key of a mapping whose `<<` value is being read
_MERGE_TOKEN = "/~m"  # where a merge value is built: "~m" is no escaped key, so it names nothing real


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("value", "pointer", "depth", "is_map", "key", "anchor", "mark", "first", "nodes", "chars", "merged",
                 "merge_into")

    def __init__(self, value: Any, pointer: str, depth: int, is_map: bool, anchor: Any, mark: Any, first: int, nodes: int,
                 chars: int):
        self.value = value
        self.pointer = pointer
        self.depth = depth
        self.is_map = is_map
        self.key: Any = _NO_KEY
        self.anchor = anchor
        self.mark = mark
        self.first = first  # index in _Builder.order of the first position inside this collection
        self.nodes = nodes  # _Builder.nodes when it opened
        self.chars = chars  # _Builder.chars when it opened
        self.merged: dict[str, list[str]] | None = None  # after a `<<`: each merged key's pointers in the positions table
        self.merge_into: _Frame | None = None  # this collection is the `<<` value of that mapping


class _Anchor:
    __slots__ = ("value", "prefix", "first", "last", "nodes", "height", "scalar", "line", "chars")

    def __init__(self, value, prefix, first, last, nodes, height, scalar, line, chars):
        self.value = value
        self.prefix = prefix  # length of the anchored node's pointer
        self.first, self.last = first, last  # its descendants' positions: _Builder.order[first:last]
        self.nodes = nodes
        self.height = height
        self.scalar = scalar  # the raw text when the anchored node is a scalar (usable as a key)
        self.line = line
        self.chars = chars  # characters of text in it


class _Builder:
    """Turns one document's events into JSON data plus a positions table."""

    __slots__ = ("file", "offset", "positions", "order", "nodes", "alias_nodes", "anchors", "open", "budget", "height",
                 "chars", "alias_chars")

    def __init__(self, file: str, offset: int, budget: _Budget) -> None:
        self.file = file
        self.offset = offset
        self.positions: dict[str, tuple[int, int]] = {}
        self.order: list[str] = []  # positions' keys in the order they were added
        self.nodes = 0
        self.alias_nodes = 0
        self.chars = 0
        self.alias_chars = 0
        self.anchors: dict[str, _Anchor] = {}
        self.open: set[str] = set()  # anchors whose collection is still being built
        self.budget = budget
        self.height = 0

    def fail(self, message: str, mark: Any) -> GovernError:
        return GovernError(message, self.file, mark.line + 1 + self.offset, mark.column + 1)

    def count(self, n: int, mark: Any) -> None:
        self.nodes += n
        budget = self.budget
        budget.file_nodes -= n
        if budget.file_nodes < 0:
            budget.exhausted = True
            raise self.fail(
                f"file holds more than {MAX_FILE_NODES} values (limit); split it into several files", mark
            )
        if self.nodes > budget.document_nodes:
            raise self.fail(
                f"document holds more than {budget.document_nodes} values (limit); split it into several documents",
                mark,
            )

    def record(self, pointer: str, mark: Any) -> None:
        self.positions[pointer] = (mark.line + 1 + self.offset, mark.column + 1)
        self.order.append(pointer)

    def build(self, parser: Any) -> Any:
        stack: list[_Frame] = []
        root: Any = None
        while True:
            event = parser.get_event()
            cls = event.__class__
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor is not None:
                    self.open.discard(frame.anchor)
                    self.anchors[frame.anchor] = _Anchor(
                        frame.value, len(frame.pointer), frame.first, len(self.order), self.nodes - frame.nodes,
                        self.height - frame.depth, None, frame.mark.line + 1 + self.offset, self.chars - frame.chars,
                    )
                if frame.merge_into is not None:
                    self.merge(frame.merge_into, frame.value, frame.pointer, frame.mark, frame.first)
                if not stack:
                    return root
                continue
            parent = stack[-1] if stack else None
            if parent is not None and parent.is_map and parent.key is _NO_KEY:
                parent.key = self.key(event, parent)
                continue
            # a value: where it goes
            if parent is None:
                pointer, depth = "", 0
                self.record("", event.start_mark)
            elif parent.is_map:
                token = _MERGE_TOKEN if parent.key is _MERGE else f"/{escape_pointer(parent.key)}"
                pointer, depth = parent.pointer + token, parent.depth + 1
            else:
                pointer, depth = f"{parent.pointer}/{len(parent.value)}", parent.depth + 1
                self.record(pointer, event.start_mark)
            if depth > MAX_DEPTH:
                raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
            if depth > self.height:
                self.height = depth
            if cls is ScalarEvent:
                self.count(1, event.start_mark)
                self.chars += len(event.value)
                value = self.scalar(event)
                if event.anchor is not None:
                    self.define(event.anchor, event.start_mark)
                    raw = event.value if event.tag in (None, "!", _CORE + "str") else None
                    self.anchors[event.anchor] = _Anchor(
                        value, len(pointer), 0, 0, 1, 0, raw, event.start_mark.line + 1 + self.offset, len(event.value)
                    )
            elif cls is AliasEvent:
                start = len(self.order)
                value = self.alias(event, pointer, depth)
            else:
                self.count(1, event.start_mark)
                is_map = cls is MappingStartEvent
                tag = event.tag
                if tag is not None and tag != "!" and tag != _CORE + ("map" if is_map else "seq"):
                    kind = "mapping" if is_map else "sequence"
                    raise self.fail(f"unsupported tag {tag!r} on a {kind}", event.start_mark)
                value = {} if is_map else []
                frame = _Frame(value, pointer, depth, is_map, event.anchor, event.start_mark, len(self.order), self.nodes,
                               self.chars)
                if event.anchor is not None:
                    self.define(event.anchor, event.start_mark)
                    self.open.add(event.anchor)
            if parent is None:
                root = value
            elif parent.key is _MERGE:
                parent.key = _NO_KEY
                if cls is ScalarEvent:
                    what = "empty" if value is None else "a single value"
                    raise self.fail(f"a merge key ('<<') takes a mapping or a list of mappings; this is {what}",
                                    event.start_mark)
                if cls is AliasEvent:
                    self.merge(parent, value, pointer, event.start_mark, start, aliased=True)
                else:
                    frame.merge_into = parent  # merged once its last event has arrived
            elif parent.is_map:
                parent.value[parent.key] = value
                parent.key = _NO_KEY
            else:
                parent.value.append(value)
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                stack.append(frame)
            elif parent is None:
                return root

    def define(self, anchor: str, mark: Any) -> None:
        if anchor in self.anchors or anchor in self.open:
            first = self.anchors.get(anchor)
            where = f" (first defined at line {first.line})" if first else ""
            raise self.fail(f"anchor &{anchor} is defined twice{where}; give each anchor its own name", mark)

    def key(self, event: Any, frame: _Frame) -> str:
        cls = event.__class__
        mark = event.start_mark
        if cls is AliasEvent:
            anchor = self.anchors.get(event.anchor)
            if anchor is None or anchor.scalar is None:
                raise self.fail("mapping keys must be plain strings, not aliases of collections", mark)
            key = anchor.scalar
            if key == "<<":  # PyYAML would merge here, a YAML 1.2 reader would not: no reading is safe
                raise self.fail("an alias of '<<' used as a key is ambiguous; write the merge key '<<' itself", mark)
        elif cls is not ScalarEvent:
            raise self.fail("mapping keys must be plain strings, not collections", mark)
        else:
            key = event.value
            if (key == "<<" and not event.style and event.tag is None) or event.tag == _CORE + "merge":
                return self.merge_key(frame, mark)
            if event.tag not in (None, "!", _CORE + "str"):
                raise self.fail(f"unsupported tag {event.tag!r} on a mapping key", mark)
            if event.anchor is not None:
                self.define(event.anchor, mark)
                self.anchors[event.anchor] = _Anchor(self.scalar(event), 0, 0, 0, 1, 0, key, mark.line + 1 + self.offset, len(key))
        self.count(1, mark)
        self.chars += len(key)
        child = f"{frame.pointer}/{escape_pointer(key)}"
        if key in frame.value:
            merged = frame.merged
            if merged is not None and key in merged:  # written here: it overrides the merged value
                positions = self.positions
                for pointer in merged.pop(key):
                    positions.pop(pointer, None)
            else:
                first = self.positions.get(child)
                where = f" (first defined at line {first[0]})" if first else ""
                raise self.fail(f"duplicate key {key!r}{where}", mark)
        self.record(child, mark)
        return key

    def merge_key(self, frame: _Frame, mark: Any) -> Any:
        """A ``<<`` key: its value is merged into ``frame`` when read (``merge``)."""
        if frame.merged is not None:
            raise self.fail("merge key '<<' appears twice in one mapping; merge several with `<<: [*a, *b]`", mark)
        frame.merged = {}
        self.count(1, mark)
        return _MERGE

    def merge(self, frame: _Frame, value: Any, pointer: str, mark: Any, first: int, aliased: bool = False) -> None:
        """Merge the ``<<`` value built at ``pointer`` into ``frame``; its positions are ``order[first:]``.

        Keys already written in the mapping win, then the earlier mappings of a list; each
        merged key's positions (where its anchor wrote it) move to their place in ``frame``.
        A value that is not a mapping is an error at the alias, else at the item written.
        """
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                what = "a list" if isinstance(item, list) else "empty" if item is None else "a single value"
                if item is value:
                    raise self.fail(f"a merge key ('<<') takes a mapping or a list of mappings; this is {what}", mark)
                where = (mark.line + 1 + self.offset, mark.column + 1)
                line, column = where if aliased else self.positions.get(f"{pointer}/{i}", where)
                raise GovernError(f"a merge key ('<<') list may hold only mappings; item {i + 1} is {what}",
                                  self.file, line, column)
        target = frame.value
        chosen: dict[str, int] = {}  # merged key -> the item it comes from
        for i, item in enumerate(items):
            for key in item:
                if key not in target and key not in chosen:
                    chosen[key] = i
        merged = frame.merged
        for key, i in chosen.items():
            target[key] = items[i][key]
            merged[key] = []
        positions = self.positions
        order = self.order
        cut = len(pointer)
        listed = items is value
        for inner in order[first:]:
            rest = inner[cut:]
            if listed:  # "/<item>/<key>..."
                slash = rest.find("/", 1)
                if slash < 0:
                    continue
                i, rest = int(rest[1:slash]), rest[slash:]
            else:
                i = 0
            slash = rest.find("/", 1)
            token = rest[1:] if slash < 0 else rest[1:slash]
            if token == _MERGE_TOKEN[1:] or chosen.get(unescape_pointer(token)) != i or inner not in positions:
                continue  # a nested merge's own value, a key written in the mapping, or a later list item's key
            moved = frame.pointer + rest
            positions[moved] = positions[inner]
            order.append(moved)
            merged[key].append(moved)

    def alias(self, event: Any, pointer: str, depth: int) -> Any:
        name = event.anchor
        mark = event.start_mark
        if name in self.open:
            raise self.fail("recursive alias: an anchor refers to itself", mark)
        anchor = self.anchors.get(name)
        if anchor is None:
            raise self.fail(f"alias *{name} refers to no anchor defined before it", mark)
        self.alias_nodes += anchor.nodes
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise self.fail(f"aliases expand to more than {MAX_ALIAS_NODES} nodes (possible alias bomb)", mark)
        self.alias_chars += anchor.chars
        self.chars += anchor.chars
        if self.alias_chars > MAX_ALIAS_CHARS:
            raise self.fail(f"aliases expand to more than {MAX_ALIAS_CHARS} characters of text (possible alias bomb)", mark)
        if depth + anchor.height > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", mark)
        self.height = max(self.height, depth + anchor.height)
        self.count(anchor.nodes, mark)
        positions = self.positions
        order = self.order
        cut = anchor.prefix
        for inner in order[anchor.first : anchor.last]:
            found = positions.get(inner)
            if found is None:  # a merged value that a key written after it overrode
                continue
            moved = pointer + inner[cut:]
            positions[moved] = found
            order.append(moved)
        return _copy(anchor.value)

    def scalar(self, event: Any) -> Any:
        value = event.value
        tag = event.tag
        mark = event.start_mark
        if tag is None:
            if event.style:
                return value
            if not value:
                return None
            if value[0] not in _MAYBE_TYPED:
                return value
            return self.plain(value, mark)
        if tag == "!" or tag == _CORE + "str":
            return value
        if tag == _CORE + "int":
            return self.integer(value.strip(), mark)
        if tag == _CORE + "float":
            value = value.strip()
            if value in _INF or value in _NINF or value in _NAN:
                return self.plain(value, mark)
            if not _FLOAT.match(value) and not _INT.match(value):
                raise self.fail(f"!!float value {value!r} is not a number", mark)
            return float(value)
        if tag == _CORE + "bool":
            if value in _TRUE or value in _FALSE:
                return value in _TRUE
            raise self.fail(f"!!bool value {value!r} is not true or false", mark)
        if tag == _CORE + "null":
            if value in _NULLS:
                return None
            raise self.fail(f"!!null value {value!r} is not null", mark)
        raise self.fail(f"unsupported tag {tag!r}: only YAML core tags are allowed", mark)

    def plain(self, value: str, mark: Any) -> Any:
        if value in _NULLS:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if _INT.match(value):
            return self.integer(value, mark)
        if _OCT.match(value):
            return self.integer(value, mark, 8)
        if _HEX.match(value):
            return self.integer(value, mark, 16)
        if _FLOAT.match(value):
            return float(value)
        if value in _INF:
            return math.inf
        if value in _NINF:
            return -math.inf
        if value in _NAN:
            return math.nan
        return value

    def integer(self, value: str, mark: Any, base: int = 10) -> int:
        digits = value[2:] if base != 10 else value
        if len(digits) > 4000:  # Python refuses longer decimal conversions; no real value needs them
            raise self.fail("integer has too many digits", mark)
        try:
            return int(digits, base)
        except ValueError:
            raise self.fail(f"!!int value {value!r} is not an integer", mark) from None


def _copy(value: Any) -> Any:
    """A fresh copy of JSON data (an alias's value is never shared with its anchor)."""
    if type(value) is dict:
        return {key: _copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_copy(item) for item in value]
    return value
