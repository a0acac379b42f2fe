"""Reading a file's bytes within bounds, decoding them as YAML 1.2 says, and hashing them.

Split from ``govern.core.loader`` (which re-exports these names): what happens before any YAML is
parsed. Never blocks and never reads more than ``max_size + 1`` bytes; every problem is a located
``GovernError``.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from typing import Any

from govern.core.errors import GovernError

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024


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
