"""A cache of policy-pack files already read and validated, so a cold start need not do it again.

Reading the built-in packs through the position-tracking loader and checking every
rule's schemas is most of what a one-file ``govern check`` would otherwise spend. A pack
file that loaded with no error and compiled cleanly is remembered here: its PolicyPack
documents as plain JSON data, with the line and column of each rule. A later run that
finds a file with the same SHA-256, under the same govern code, compiles its rules from
that data without reparsing or revalidating it (``govern.policy.packs.compile_pack`` with
``trusted=True``; ``govern test`` and ``govern explain``, which build the rules' examples,
always load packs in full). The checks that depend on the run, such as whether each named
check function exists and accepts its ``with`` options, still run every time, and any
problem sends the file back through the full load, which reports it with its location.

A pack file whose size, times, inode and device are those it had when it was last hashed
is not read again to be hashed (as git's index does). Two pure verdicts are remembered
too: which schemas (by their canonical JSON) were found valid, so that a check function's
options schema is not compiled only to be judged, and the backtracking degree of each
regular expression ``fastschema._Analysis`` accepted.

The cache is one JSON file, ``$XDG_CACHE_HOME/govern/packs.json`` (``~/.cache/govern``
when that is unset), never pickle. It is keyed by each file's content, and the whole file
by a fingerprint of the govern code that reads and validates packs, so editing a pack
or upgrading govern can never serve a stale pack. It is written atomically, holds at most
``MAX_FILES`` pack files, is read once per process, and any problem reading or writing it is
ignored: govern then just loads the packs itself. ``GOVERN_NO_CACHE=1`` turns it off.

Trust model: what the cache says is a verdict (this pack is valid, its rules are these,
this schema is sound), so a cache that anyone else can write (a shared ``XDG_CACHE_HOME``,
a CI cache restored from another branch, a file edited by hand) must not be able to change
a run's result. The file therefore carries an HMAC-SHA256 of everything in it, made with a
key of 32 random bytes kept *outside* the cache, ``$XDG_STATE_HOME/govern/cache.key``
(``~/.local/state/govern``), readable by its owner only. The HMAC is checked over the
file's bytes before they are parsed; a file that fails it (an entry edited, two entries
swapped, a truncated file, entries from another govern version or another key) is
ignored as a whole and rebuilt by the run. A key file that is not a private regular file
of this user, or that cannot be made, turns the cache off. Whoever can read the key can
forge the cache: it is as private as the rest of the user's home. The cache's contents
are JSON data only, so even a forged cache runs no code.

Over 400 lines (about 410) on purpose: this docstring's trust model is a fifth of it, and the
rest is one cache file's state (read once, HMAC-checked, written atomically); split, the check
and the write of the one file would live apart.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

from govern.core.loader import Document

FORMAT = 3  # 3: signed with an HMAC
DISABLE_ENV = "GOVERN_NO_CACHE"
FILE_NAME = "packs.json"
KEY_NAME = "cache.key"
KEY_BYTES = 32
_MAC_HEAD = '{"mac":"'  # a cache file starts with its HMAC: {"mac":"<64 hex>",<the signed JSON without its "{">
_MAC_LEN = 64
MAX_FILES = 32  # pack files remembered (the built-in packs are 7)
MAX_ENTRY = 1 << 20  # characters of JSON one pack file may take (the built-in packs take 90,000 in all)
MAX_SCHEMAS = 4096  # schemas remembered as valid (the built-in check functions' options schemas are 30)
MAX_BYTES = 32 * 1024 * 1024  # a larger cache file is not read
_CODE = ("core/loader.py", "core/yamlsource.py", "core/yamlbuild.py", "core/pointers.py",  # in govern/: what decides
         "policy/packs.py", "core/schemas.py", "core/fastschema.py", "policy/packcache.py")  # a pack is valid

_state: dict[str, Any] = {}  # this process's view of the cache file: {"files": {...}, "dirty": bool}


def _dirty() -> None:
    """Something new to remember: written by ``save()`` (at the latest when the process exits)."""
    if not _state.get("dirty"):
        if not _state.get("atexit"):
            import atexit

            atexit.register(save)
            _state["atexit"] = True
        _state["dirty"] = True


def disabled() -> bool:
    return os.environ.get(DISABLE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "govern"


def key_dir() -> Path | None:
    """Where the cache's HMAC key lives: the state folder, which no cache restore or cache share brings along."""
    base = os.environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".local", "state")
    return Path(base) / "govern"


def _key() -> bytes | None:
    """This user's cache key, made on first use; None when it is not private to this user or cannot be had."""
    folder = key_dir()
    if folder is None:
        return None
    path = folder / KEY_NAME
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return _new_key(folder, path)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _private(info):
            return None
        key = os.read(fd, KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _private(info: os.stat_result) -> bool:
    """Owned by this user and neither readable nor writable by anyone else (where the system says so)."""
    if os.name == "nt":  # pragma: no cover - no POSIX owner or mode bits
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o077


def _new_key(folder: Path, path: Path) -> bytes | None:
    """Make the key: exclusively, so two first runs at once agree on one (the loser reads the winner's)."""
    key = os.urandom(KEY_BYTES)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        return _key()
    except OSError:
        return None
    try:
        written = os.write(fd, key)
    except OSError:
        written = 0
    finally:
        os.close(fd)
    if written != KEY_BYTES:  # a short key would turn the cache off for good: leave none
        try:
            os.unlink(path)
        except OSError:
            pass
        return None
    return key


def _mac(key: bytes, data: bytes) -> str:
    """HMAC-SHA256 (RFC 2104) of ``data``; hashlib's own would load OpenSSL on the cold path (``loader.sha256``)."""
    try:
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - Python 3.12 renamed it; a build without it falls back to hashlib
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256
    block = key.ljust(64, b"\0")
    inner = sha256(bytes(b ^ 0x36 for b in block) + b"govern pack cache\0" + data).digest()
    return sha256(bytes(b ^ 0x5C for b in block) + inner).hexdigest()


def _verified(raw: bytes, key: bytes) -> bytes | None:
    """The signed JSON of a cache file whose HMAC is right, else None (nothing of it is parsed before)."""
    head = len(_MAC_HEAD)
    if raw[:head] != _MAC_HEAD.encode() or raw[head + _MAC_LEN : head + _MAC_LEN + 2] != b'",':
        return None
    body = b"{" + raw[head + _MAC_LEN + 2 :]
    try:  # hmac.compare_digest, without importing hmac (and so hashlib)
        from _operator import _compare_digest
    except ImportError:  # pragma: no cover - another implementation of Python
        from hmac import compare_digest as _compare_digest
    return body if _compare_digest(raw[head : head + _MAC_LEN], _mac(key, body).encode()) else None


def fingerprint() -> list[Any]:
    """What a cached pack depends on besides its own bytes: govern's version, Python's, the code and the pack schema."""
    from govern import __version__
    from govern.core.resources import schemas_dir

    here = Path(__file__).resolve().parent.parent  # govern/
    stats = []
    for path in [*(here / name for name in _CODE), schemas_dir() / "policy-pack.schema.json"]:
        info = os.stat(path)
        stats.append([path.relative_to(here).as_posix() if path.is_relative_to(here) else path.name, info.st_size, info.st_mtime_ns])
    return [FORMAT, __version__, sys.version, stats]


def _files() -> dict[str, Any] | None:
    """The cached pack files by SHA-256 (read once per process), or None when the cache is off or unusable."""
    if "files" in _state:
        return _state["files"]
    files = None
    schemas: set[str] = set()
    patterns: dict[str, int] = {}
    stats: dict[str, list[Any]] = {}
    try:
        if not disabled() and (folder := cache_dir()) is not None and (key := _key()) is not None:
            files = {}
            _state["key"] = key
            _state["fingerprint"] = fingerprint()
            path = folder / FILE_NAME
            if path.is_file() and path.stat().st_size <= MAX_BYTES:
                with open(path, "rb") as handle:
                    body = _verified(handle.read(MAX_BYTES + 1), key)
                data = json.loads(body) if body is not None else None
                if isinstance(data, dict) and data.get("fingerprint") == _state["fingerprint"]:
                    found = data.get("files")
                    files = found if isinstance(found, dict) else {}
                    valid = data.get("schemas")
                    schemas = {key for key in valid if isinstance(key, str)} if isinstance(valid, list) else set()
                    found = data.get("patterns")
                    if isinstance(found, dict):
                        patterns = {k: v for k, v in found.items()
                                    if isinstance(k, str) and type(v) is int and 0 <= v <= 2}
                    found = data.get("stats")
                    if isinstance(found, dict):
                        stats = {k: v for k, v in found.items() if isinstance(v, list) and len(v) == 6}
    except Exception:  # an unreadable, corrupt or foreign cache is the same as none
        files = {} if "fingerprint" in _state else None
        schemas, patterns, stats = set(), {}, {}
    _state["files"] = files
    _state["schemas"] = schemas
    _state["patterns"] = patterns
    _state["stats"] = stats
    return files


def _identity(path: Path) -> list[int] | None:
    """What says a file is unchanged without reading it, as git's index does: size, times, inode, device."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _content_sha(path: Path, files: dict[str, Any], max_size: int) -> str | None:
    """The SHA-256 of a pack file's bytes; read and hashed unless its identity is the one recorded with it.

    A file is remembered by identity only when it was last changed more than two seconds
    before it was hashed (and did not change while it was), so that a change made within
    the same clock tick as the hashing cannot go unseen.
    """
    ident = _identity(path)
    if ident is None or ident[0] > max_size:
        return None
    real = os.path.realpath(path)
    known = _state["stats"].get(real)
    if known is not None and known[:5] == ident and known[5] in files:
        return known[5]
    from govern.core.loader import read_source, sha256

    _, raw = read_source(str(path), max_size)
    sha = sha256(raw).hexdigest()
    settled = time.time_ns() - max(ident[1], ident[2]) > 2_000_000_000
    if sha in files and settled and _identity(path) == ident and len(_state["stats"]) < 4 * MAX_FILES:
        _state["stats"][real] = [*ident, sha]
        _dirty()
    return sha


def pattern_degree(source: str) -> int | None:
    """How an earlier run judged a regular expression (``fastschema._Analysis``): 0-2, or None when unknown."""
    return _state["patterns"].get(source) if _files() is not None else None


def note_pattern_degree(source: str, degree: int) -> None:
    """Remember a pattern's backtracking degree; only a usable one (0-2: linear or bounded quadratic)."""
    known = _state["patterns"] if _files() is not None else None
    if known is not None and 0 <= degree <= 2 and source not in known and len(known) < MAX_SCHEMAS:
        known[source] = degree
        _dirty()


def valid_schema(key: str) -> bool:
    """Whether an earlier run found the schema whose canonical JSON is ``key`` valid (``schemas.schema_problem``)."""
    return _files() is not None and key in _state["schemas"]


def note_valid_schema(key: str) -> None:
    if _files() is not None and key not in _state["schemas"] and len(_state["schemas"]) < MAX_SCHEMAS:
        _state["schemas"].add(key)
        _dirty()


def lookup(path: Path, display: str, max_size: int) -> tuple[str, list[tuple[Document, list[Any]]]] | None:
    """(SHA-256, [(PolicyPack document, each rule's validated options)]) of a pack file validated before, or None.

    A rule's validated options is the canonical JSON of the options schema its ``with`` was found
    to satisfy (``schemas.plain_key``), or None; None is returned when the file must be loaded in full.
    """
    files = _files()
    if not files:
        return None
    try:
        sha = _content_sha(path, files, max_size)
        entry = files.get(sha) if sha is not None else None
        if entry is None:
            return None
        used = _state.setdefault("used", set())
        if sha in used:  # asked again in this process (govern verify): no two runs share one pack's data
            entry = json.loads(json.dumps(entry))
        used.add(sha)
        documents = []
        for item in entry:
            data, rules, options = item["data"], item["rules"], item["options"]
            if not (isinstance(data, dict) and isinstance(data.get("rules"), list)
                    and len(rules) == len(data["rules"]) == len(options)):
                return None
            positions = {"": (int(item["line"]), int(item["column"]))}
            for i, (line, column) in enumerate(rules):
                positions[f"/rules/{i}"] = (int(line), int(column))
            documents.append((Document(display, int(item["index"]), data, positions, *positions[""]), options))
        return sha, documents
    except Exception:
        return None


def remember(sha: str | None, documents: list[Document], functions: dict[str, Any]) -> None:
    """Note a pack file that loaded and compiled without any error (its PolicyPack documents).

    ``functions``: the check functions its rules' ``with`` options were validated against.
    """
    files = _files()
    if files is None or not sha or sha in files:
        return
    try:
        from govern.core.schemas import plain_key

        entry = []
        for doc in documents:
            line, column = doc.positions.get("", (doc.line, doc.column))
            specs = doc.data["rules"]
            rules = [list(doc.locate(f"/rules/{i}")) for i in range(len(specs))]
            options = [plain_key(functions[spec["function"]].options_schema) if "function" in spec else None
                       for spec in specs]
            # what compiling a rule for a check reads: not the examples (govern test and explain load in
            # full) nor the anchors of `definitions` (already expanded where they are used)
            data = {key: value for key, value in doc.data.items() if key != "definitions"}
            data["rules"] = [{key: value for key, value in spec.items() if key != "examples"} for spec in specs]
            entry.append({"index": doc.index, "line": line, "column": column, "rules": rules, "options": options,
                          "data": data})
        text = json.dumps(entry)  # only JSON data is remembered, and a copy of it
        if len(text) > MAX_ENTRY:
            return
        entry = json.loads(text)
    except Exception:
        return
    while len(files) >= MAX_FILES:
        files.pop(next(iter(files)))
    files[sha] = entry
    _dirty()


def save() -> None:
    """Write the cache back if this run added to it; atomically, and only inside the cache folder."""
    if not _state.pop("dirty", False) or _state.get("files") is None:
        return
    try:
        import tempfile

        folder = cache_dir()
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        body = json.dumps({"fingerprint": _state["fingerprint"], "files": _state["files"],
                           "schemas": sorted(_state["schemas"]), "patterns": _state["patterns"],
                           "stats": _state["stats"]}, separators=(",", ":")).encode("utf-8")
        signed = f'{_MAC_HEAD}{_mac(_state["key"], body)}",'.encode() + body[1:]
        fd, tmp = tempfile.mkstemp(prefix=".packs-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(signed)
            os.replace(tmp, folder / FILE_NAME)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except Exception:
        pass


def _install() -> None:
    """Answer the core's questions about patterns and schemas from this cache (``govern.core.verdicts``)."""
    from govern.core import verdicts

    verdicts.use(sys.modules[__name__])


_install()
