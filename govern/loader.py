"""The one place that reads YAML.

Safe by construction: libyaml's C parser composes a node graph with a
resolver that does nothing, and this module turns nodes into plain JSON data
itself, following the YAML 1.2 core schema (``NO``, ``on`` and ``yes`` stay
strings; dates stay ISO strings for the schema to check). Only the core tags
are accepted, duplicate keys are errors, aliases are bounded and never
recursive, and the position of every value is kept in a side table
``{json_pointer: (line, column)}`` that never touches the data.
"""

from __future__ import annotations

import codecs
import math
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:  # libyaml ships in PyYAML's wheels; the pure-Python parser is the fallback
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class CParser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

        def dispose(self):
            pass

from govern.errors import GovernError

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_DEPTH = 100
MAX_ALIAS_NODES = 10_000
API_PREFIX = "govern/"
API_VERSIONS = ("govern/v1",)
KINDS = ("Initiative", "RiskAppetite", "PolicyPack", "WaiverRegister")

_CORE = "tag:yaml.org,2002:"
_IMPLICIT = "?"
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


class _Parser(CParser):
    """libyaml's parser and composer with a resolver that resolves nothing.

    Plain scalars are typed here by YAML 1.2 rules, not PyYAML's 1.1 ones.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:  # noqa: ARG002
        return _IMPLICIT

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


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
    """Read and decode a file, refusing anything that is not a bounded text file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise GovernError("no such file or directory", path) from None
    except OSError as exc:
        raise GovernError(f"cannot read file: {exc.strerror or exc}", path) from None
    if not stat.S_ISREG(info.st_mode):
        raise GovernError("not a regular file", path)
    if info.st_size > max_size:
        raise GovernError(
            f"file is {info.st_size} bytes, over the {max_size}-byte limit (max_file_size)",
            path,
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_size + 1)
    except OSError as exc:
        raise GovernError(f"cannot read file: {exc.strerror or exc}", path) from None
    if len(raw) > max_size:
        raise GovernError(f"file is over the {max_size}-byte limit (max_file_size)", path)
    return decode(raw, path), raw


def decode(raw: bytes, path: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16/32 with a BOM, as YAML allows."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            break
    else:
        codec = "utf-8"
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        if codec != "utf-8":
            raise GovernError(f"invalid {codec.upper()} text", path) from None
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise GovernError(
            f"invalid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", path, line, column
        ) from None


def load_file(path: str, display: str | None = None, max_size: int = DEFAULT_MAX_FILE_SIZE) -> LoadedFile:
    """Load every document of a file; problems become located errors, never exceptions."""
    import hashlib

    display = display or path
    result = LoadedFile(display)
    try:
        text, raw = read_source(path, max_size)
    except GovernError as exc:
        exc.file = display
        result.errors.append(exc)
        return result
    result.sha256 = hashlib.sha256(raw).hexdigest()
    result.documents, result.errors = load_text(text, display)
    return result


def load_text(text: str, file: str) -> tuple[list[Document], list[GovernError]]:
    """Parse a YAML stream; on a syntax error, recover the documents around it."""
    try:
        return _load_stream(text, file, 0, 0), []
    except GovernError as first:
        chunks = _split_documents(text)
        if len(chunks) < 2:
            return [], [first]
    documents: list[Document] = []
    errors: list[GovernError] = []
    for offset, chunk in chunks:
        try:
            documents.extend(_load_stream(chunk, file, offset, len(documents)))
        except GovernError as exc:
            errors.append(exc)
    return documents, errors


_DOC_START = re.compile(r"^---(?=[ \t\r\n]|$)", re.MULTILINE)


def _split_documents(text: str) -> list[tuple[int, str]]:
    """Cut a stream at each column-0 ``---`` so one broken document hides no other."""
    starts = [m.start() for m in _DOC_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    chunks = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunks.append((text.count("\n", 0, start), text[start:end]))
    return chunks


def _load_stream(text: str, file: str, line_offset: int, index: int) -> list[Document]:
    parser = _Parser(text)
    documents = []
    try:
        while parser.check_node():
            node = parser.get_node()
            builder = _Builder(file, line_offset)
            data = builder.build(node)
            mark = node.start_mark
            documents.append(
                Document(file, index, data, builder.positions, mark.line + 1 + line_offset, mark.column + 1)
            )
            index += 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        line = mark.line + 1 + line_offset if mark else 1 + line_offset
        column = mark.column + 1 if mark else 1
        raise GovernError(f"YAML syntax error: {problem}", file, line, column) from None
    except yaml.YAMLError as exc:
        raise GovernError(f"YAML error: {exc}", file, 1 + line_offset, 1) from None
    finally:
        parser.dispose()
    return documents


class _Builder:
    """Turns a composed node graph into JSON data plus a positions table."""

    __slots__ = ("file", "offset", "positions", "alias_nodes", "seen", "active")

    def __init__(self, file: str, offset: int) -> None:
        self.file = file
        self.offset = offset
        self.positions: dict[str, tuple[int, int]] = {}
        self.alias_nodes = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()

    def fail(self, message: str, node: Any) -> GovernError:
        mark = node.start_mark
        return GovernError(message, self.file, mark.line + 1 + self.offset, mark.column + 1)

    def build(self, root: Any) -> Any:
        mark = root.start_mark
        self.positions[""] = (mark.line + 1 + self.offset, mark.column + 1)
        return self.node(root, "", 0, False)

    def node(self, node: Any, pointer: str, depth: int, aliased: bool) -> Any:
        ident = id(node)
        if ident in self.seen:
            # The composer hands an alias back as the very node it names.
            if ident in self.active:
                raise self.fail("recursive alias: an anchor refers to itself", node)
            aliased = True
        if aliased:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise self.fail(
                    f"aliases expand to more than {MAX_ALIAS_NODES} nodes (possible alias bomb)", node
                )
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node)
        cls = node.__class__
        if cls is ScalarNode:
            return self.scalar(node)
        self.seen.add(ident)
        self.active.add(ident)
        tag = node.tag
        if cls is MappingNode:
            if tag != _IMPLICIT and tag != _CORE + "map":
                raise self.fail(f"unsupported tag {tag!r} on a mapping", node)
            result = self.mapping(node, pointer, depth, aliased)
        else:
            if tag != _IMPLICIT and tag != _CORE + "seq":
                raise self.fail(f"unsupported tag {tag!r} on a sequence", node)
            result = []
            positions = self.positions
            offset = self.offset
            for i, item in enumerate(node.value):
                child = f"{pointer}/{i}"
                mark = item.start_mark
                positions[child] = (mark.line + 1 + offset, mark.column + 1)
                result.append(self.node(item, child, depth + 1, aliased))
        self.active.discard(ident)
        return result

    def mapping(self, node: Any, pointer: str, depth: int, aliased: bool) -> dict:
        result: dict[str, Any] = {}
        positions = self.positions
        offset = self.offset
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                raise self.fail("mapping keys must be plain strings, not collections", key_node)
            key = key_node.value
            if key == "<<" and not key_node.style:
                raise self.fail("merge keys ('<<') are not part of YAML 1.2; write the keys out", key_node)
            if key_node.tag not in (_IMPLICIT, _CORE + "str"):
                raise self.fail(f"unsupported tag {key_node.tag!r} on a mapping key", key_node)
            if key in result:
                first = positions.get(f"{pointer}/{escape_pointer(key)}")
                where = f" (first defined at line {first[0]})" if first else ""
                raise self.fail(f"duplicate key {key!r}{where}", key_node)
            child = f"{pointer}/{escape_pointer(key)}"
            mark = key_node.start_mark
            positions[child] = (mark.line + 1 + offset, mark.column + 1)
            result[key] = self.node(value_node, child, depth + 1, aliased)
        return result

    def scalar(self, node: Any) -> Any:
        value = node.value
        tag = node.tag
        if tag == _IMPLICIT:
            if node.style:
                return value
            if not value:
                return None
            if value[0] not in _MAYBE_TYPED:
                return value
            return self.plain(value, node)
        if tag == _CORE + "str":
            return value
        if tag == _CORE + "int":
            return self.integer(value, node)
        if tag == _CORE + "float":
            if value in _INF or value in _NINF or value in _NAN:
                return self.plain(value, node)
            try:
                return float(value)
            except ValueError:
                raise self.fail(f"!!float value {value!r} is not a number", node) from None
        if tag == _CORE + "bool":
            if value in _TRUE or value in _FALSE:
                return value in _TRUE
            raise self.fail(f"!!bool value {value!r} is not true or false", node)
        if tag == _CORE + "null":
            return None
        raise self.fail(f"unsupported tag {tag!r}: only YAML core tags are allowed", node)

    def plain(self, value: str, node: Any) -> Any:
        if value in _NULLS:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if _INT.match(value):
            return self.integer(value, node)
        if _OCT.match(value):
            return int(value[2:], 8)
        if _HEX.match(value):
            return int(value[2:], 16)
        if _FLOAT.match(value):
            return float(value)
        if value in _INF:
            return math.inf
        if value in _NINF:
            return -math.inf
        if value in _NAN:
            return math.nan
        return value

    def integer(self, value: str, node: Any) -> int:
        try:
            return int(value)
        except ValueError:
            if _INT.match(value):
                raise self.fail("integer has too many digits", node) from None
            raise self.fail(f"!!int value {value!r} is not an integer", node) from None
