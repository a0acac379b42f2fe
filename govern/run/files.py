"""Which files a run checks, and what each document in them is.

A path is walked into its ``*.yaml`` and ``*.yml`` files, each file kept once
(by device and inode) under its first display name; a path that yields no
manifest is a GOV-INPUT error unless ``--allow-empty`` says so. ``classify``
decides whether a document is govern's (a near miss is a finding, never
skipped), and ``manifest_info`` is what a report records of a manifest.
"""

from __future__ import annotations

import os
from typing import Any

from govern.core.engine import initiative_id, notice
from govern.core.errors import GovernError
from govern.core.loader import API_PREFIX, API_VERSIONS, KINDS, Document
from govern.core.model import Finding
from govern.core.paths import display_path


def files_of(path: str) -> list[tuple[str, bool]]:
    """(file, named explicitly) for one path: the path itself, or the *.yaml/*.yml found in a folder.

    A missing or unreadable path is kept: reading it reports the problem with its name.
    """
    if not os.path.isdir(path):
        return [(path, True)]
    files = []
    for root, dirs, names in os.walk(path, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                files.append((os.path.join(root, name), False))
    return files


def file_key(path: str) -> tuple[Any, ...]:
    """What makes two names one file: its device and inode, so ``d/c.yaml``, ``./d//c.yaml``, its
    absolute path, a symlink to it and a hard link are one file. A path that cannot be read is
    known by its normalised absolute name (reading it reports the problem once)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return ("path", os.path.abspath(path))
    return (info.st_dev, info.st_ino)


def unique_files(files: list[tuple[str, bool]]) -> tuple[list[tuple[str, bool]], dict[str, tuple[Any, ...]]]:
    """Each file once, in display order, under its first display name; and every name's ``file_key``.

    A file checked twice would be its own duplicate (``metadata.id`` used twice) and count its
    findings twice. ``files`` is already in display order, so which name is kept never depends on
    the order paths were given; a file named explicitly under any name counts as named.
    """
    kept: dict[tuple[Any, ...], int] = {}
    keys: dict[str, tuple[Any, ...]] = {}
    out: list[tuple[str, bool]] = []
    for path, explicit in files:
        key = keys[path] = file_key(path)
        index = kept.get(key)
        if index is None:
            kept[key] = len(out)
            out.append((path, explicit))
        elif explicit and not out[index][1]:
            out[index] = (out[index][0], True)
    return out, keys


def plan_files(paths: list[str]) -> tuple[list[tuple[str, bool]], list[tuple[str, list[tuple[str, bool]]]],
                                         dict[str, tuple[Any, ...]]]:
    """The files to check, each once and in display order (the order paths were given never changes
    the output); each path as given with the files it yields; and every file name's ``file_key``."""
    walked = [(path, files_of(path)) for path in dict.fromkeys(paths)]
    named: dict[str, bool] = {}
    for _, found in walked:
        for file, explicit in found:
            named[file] = named.get(file, False) or explicit
    files, keys = unique_files(sorted(named.items(), key=lambda item: display_path(item[0])))
    return files, walked, keys


def empty_paths(walked: list[tuple[str, list[tuple[str, bool]]]], keys: dict[str, tuple[Any, ...]],
                yielded: dict[tuple[Any, ...], int], skip_non_govern: bool) -> list[Finding]:
    """A GOV-INPUT error for each path that yielded no manifest and no finding (``--allow-empty`` off).

    An empty folder, a folder of unrelated YAML or a typo that still names a folder would
    otherwise give a clean run that checked nothing: a CI job with a wrong path must not go
    green. ``walked``: (path as given, its files); ``yielded``: manifests plus findings per file.
    Under ``--skip-non-govern`` (pre-commit's file lists) a named file may hold no manifest: a
    commit that touches no manifest still passes; a folder must still hold one.
    """
    findings = []
    for path, found in walked:
        folder = os.path.isdir(path)
        if (skip_non_govern and not folder) or any(yielded.get(keys[file], 0) for file, _ in found):
            continue
        if not folder:
            what = "the file holds no govern Initiative"
        elif not found:
            what = "the folder holds no *.yaml or *.yml file"
        else:
            count = len(found)
            what = (f"none of the {count} YAML file{'s' if count != 1 else ''} in this folder is a govern "
                    "Initiative (`apiVersion: govern/v1`, `kind: Initiative`)")
        message = f"no manifests found: {what}; check the path, or pass --allow-empty if an empty run is expected"
        findings.append(notice("GOV-INPUT", message, display_path(path)))
    return findings



def classify(doc: Document) -> tuple[str | None, Finding | None, str | None]:
    """(kind, GOV-INPUT finding, why it is not a govern document) for one document.

    A document without ``apiVersion: govern/...`` is not a govern document: a
    folder walk skips it silently; a file named explicitly must hold at least one.
    A near miss (``Govern/v1``, ``govern.v1``, or any other apiVersion beside a
    govern kind) is a finding at the apiVersion: skipped, it would pass unchecked.
    """
    data = doc.data
    if not isinstance(data, dict):
        what = "empty" if data is None else ("a list" if isinstance(data, list) else "a single value")
        return None, None, f"document {doc.index + 1} is {what}"
    api = data.get("apiVersion")
    kind = data.get("kind")
    if api is None:
        if kind in KINDS:
            line, column = doc.locate("")
            message = "missing apiVersion: a govern document starts with `apiVersion: govern/v1`"
            return None, notice("GOV-INPUT", message, doc.file, line, column), None
        return None, None, f"document {doc.index + 1} has no `apiVersion: govern/v1`"
    if not isinstance(api, str) or not api.startswith(API_PREFIX):
        if near_govern(api, kind):
            line, column = doc.locate("/apiVersion")
            written = repr(api)
            written = written if len(written) <= 80 else written[:76] + "..."
            message = (f"apiVersion {written} is not govern's, but this looks like a govern document; "
                       "write `apiVersion: govern/v1` exactly (lower case, no spaces)")
            return None, notice("GOV-INPUT", message, doc.file, line, column, "/apiVersion"), None
        return None, None, f"document {doc.index + 1} has apiVersion {api!r}, not govern/v1"
    if api not in API_VERSIONS:
        line, column = doc.locate("/apiVersion")
        message = f"unknown apiVersion {api!r} (this govern reads {', '.join(API_VERSIONS)})"
        return None, notice("GOV-INPUT", message, doc.file, line, column, "/apiVersion"), None
    if kind not in KINDS:
        line, column = doc.locate("/kind" if "kind" in data else "")
        what = f"unknown kind {kind!r}" if "kind" in data else "missing kind"
        message = f"{what} (expected one of {', '.join(KINDS)})"
        return None, notice("GOV-INPUT", message, doc.file, line, column, "/kind"), None
    return kind, None, None


_KINDS_FOLDED = frozenset(kind.casefold() for kind in KINDS)


def near_govern(api: Any, kind: Any) -> bool:
    """Whether an apiVersion that is not ``govern/...`` was still meant as govern's.

    ``Govern/v1``, `` govern/v1``, ``govern.v1``, ``GOVERN`` and the like are; so is
    any apiVersion beside a govern kind (``kind: Initiative``, in any case).
    """
    if isinstance(kind, str) and kind.strip().casefold() in _KINDS_FOLDED:
        return True
    if not isinstance(api, str):
        return False
    import re

    squeezed = re.sub(r"[\s\u200b-\u200f\u2060\ufeff]+", "", api).casefold()
    return squeezed.startswith(API_PREFIX) or re.fullmatch(r"govern\W*(v\d+\w*)?", squeezed) is not None


def claims_govern(path: str, documents: list[Document], max_size: int) -> bool:
    """Whether a file that did not load cleanly was meant as govern's (``--skip-non-govern``).

    Decided from its documents that parsed, then from what each broken document
    said at its top level before it broke (``loader.sniff_headers``): so a quoted
    or escaped apiVersion counts, and a later broken document hides nothing. Any
    doubt counts as govern's: a broken manifest skipped would pass unchecked.
    """
    if any(classify(doc)[2] is None for doc in documents):
        return True
    from govern.core.loader import read_source
    from govern.core.yamlsniff import sniff_headers

    try:
        text, _ = read_source(path, max_size)
    except GovernError:
        return True
    if any(classify(Document(path, 0, header, {}))[2] is None for header in sniff_headers(text)):
        return True
    import re  # what no parse can tell, e.g. an apiVersion whose quote is never closed

    return re.search(r"""apiVersion["']?\s*:\s*["']?\s*govern""", text, re.IGNORECASE) is not None


def manifest_info(doc: Document, sha: str | None) -> dict[str, Any]:
    meta = doc.data.get("metadata") if isinstance(doc.data.get("metadata"), dict) else {}

    def text(key: str) -> str | None:
        value = meta.get(key)
        return value if isinstance(value, str) else None

    return {
        "file": doc.file,
        "document": doc.index,
        "line": doc.line,
        "initiative": initiative_id(doc.data),
        "name": text("name"),
        "department": text("department"),
        "phase": text("phase"),
        "sha256": sha,
    }
