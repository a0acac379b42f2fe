"""From libyaml's events to JSON data and a positions table: the YAML 1.2 core schema, bounded.

Split from ``govern.core.loader``, which reads files and reports errors around this and re-exports
its public names (the limits). Here: the parser (events only, nothing composed or constructed),
the core-schema scalar rules, the budget a file and a document may spend, cutting a stream into
documents, and ``_Builder``, which turns one document's events into data, honouring anchors,
aliases and merge keys within the bounds the loader's docstring describes.

Over 400 lines on purpose: ``_Builder`` (about 330 of them) is one state machine whose methods share
its frames, anchors and counters on every event of the hot path; cut in two, each half would need
the other's state.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
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
from govern.core.pointers import escape_pointer, unescape_pointer

MAX_DEPTH = 100  # nesting levels
MAX_ALIAS_NODES = 10_000  # values that aliases may expand to, per document
MAX_ALIAS_CHARS = 1_000_000  # characters of text that aliases may expand to, per document
MAX_DOCUMENT_NODES = 20_000  # values (keys included) in one document: ~50x a full manifest
MAX_FILE_NODES = 500_000  # values in one file: more than 5 MiB of real manifests hold

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


@dataclass(slots=True)
class _Budget:
    """What one file may still hold; shared by its documents."""

    file_nodes: int
    document_nodes: int
    exhausted: bool = False


_NO_KEY = object()
_MERGE = object()  # the key of a mapping whose `<<` value is being read
_MERGE_TOKEN = "/~m"  # where a merge value is built: "~m" is no escaped key, so it names nothing real


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("value", "pointer", "depth", "is_map", "key", "child", "anchor", "mark", "first", "nodes", "chars",
                 "merged", "merge_into")

    def __init__(self, value: Any, pointer: str, depth: int, is_map: bool, anchor: Any, mark: Any, first: int, nodes: int,
                 chars: int):
        self.value = value
        self.pointer = pointer
        self.depth = depth
        self.is_map = is_map
        self.key: Any = _NO_KEY
        self.child = ""  # the pointer of the value of ``key`` (made by _Builder.key)
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
                pointer = parent.pointer + _MERGE_TOKEN if parent.key is _MERGE else parent.child
                depth = parent.depth + 1
            else:
                pointer, depth = f"{parent.pointer}/{len(parent.value)}", parent.depth + 1
                self.record(pointer, event.start_mark)
            if depth > MAX_DEPTH:
                raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
            if depth > self.height:
                self.height = depth
            if cls is ScalarEvent:
                self.nodes += 1  # count(1, ...) inline: once per value, the hot path
                self.budget.file_nodes -= 1
                if self.budget.file_nodes < 0 or self.nodes > self.budget.document_nodes:
                    self.count(0, event.start_mark)  # raises the located error
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
                self.nodes += 1  # count(1, ...) inline: once per value, the hot path
                self.budget.file_nodes -= 1
                if self.budget.file_nodes < 0 or self.nodes > self.budget.document_nodes:
                    self.count(0, event.start_mark)  # raises the located error
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
        self.nodes += 1  # count(1, ...) inline: once per value, the hot path
        self.budget.file_nodes -= 1
        if self.budget.file_nodes < 0 or self.nodes > self.budget.document_nodes:
            self.count(0, mark)  # raises the located error
        self.chars += len(key)
        # most keys hold neither "~" nor "/": escaping them would only copy them twice
        child = frame.pointer + "/" + (escape_pointer(key) if "~" in key or "/" in key else key)
        frame.child = child
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
        self.positions[child] = (mark.line + 1 + self.offset, mark.column + 1)  # record(), inline
        self.order.append(child)
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
