"""Checking files one at a time, in this process or in a pool of forked workers.

Each file is read, classified and evaluated in one step, and what outlives
the step is small: the file's findings (sorted, counted and, in a worker,
pickled), one line of facts per manifest, and, only when portfolio rules or
waivers will read them, a slim copy of each manifest (metadata,
accountability, risks). ``govern.run`` files all of it in ``govern.spool``
spools as it arrives; whole documents and their position tables are dropped
as soon as their file is checked, so memory does not grow with the findings.

Workers are forked after the rules are compiled, so each inherits them and
nothing but file names and results crosses between processes; results come
back in file order, so the output is the same with any number of workers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from govern.engine import evaluate, initiative_id, notice
from govern.loader import Document, load_file
from govern.model import Finding
from govern.spool import Tally, pack, tally

MAX_FINDINGS_PER_FILE = 20_000  # beyond this a file's remaining documents are not checked (GOV-INPUT)
SLIM_KEYS = ("apiVersion", "kind", "metadata", "accountability", "risks")
PARALLEL_FROM = 48  # fewer files than this are checked in-process: forking would cost more than it saves
CHUNK = 8


@dataclass(slots=True)
class Job:
    """What every file's check needs; set before workers fork, so they inherit it."""

    rules: list[Any]
    ctx: Any
    command: str
    max_size: int
    skip_non_govern: bool
    keep_slim: bool = True  # portfolio rules or waivers will read the manifests again


@dataclass(slots=True)
class FileResult:
    """What outlives one file's check: its findings, manifest facts and the little portfolio rules need."""

    display: str
    sha256: str | None = None
    skipped: bool = False  # a named non-govern file under --skip-non-govern
    findings: list[Finding] = field(default_factory=list)  # a worker moves them into `packed`
    manifests: list[dict[str, Any]] = field(default_factory=list)
    slim: list[Document] = field(default_factory=list)
    ids: list[tuple[str, int, int]] = field(default_factory=list)  # (metadata.id, line, column) per manifest
    profiles: list[tuple[tuple[str, int], Any]] = field(default_factory=list)  # ((file, document), profile)
    packed: bytes = b""  # in a worker: the findings, sorted and pickled (govern.spool.pack)
    count: int = 0  # how many findings
    tally: Tally | None = None
    ordered: bool = True  # every finding is located in this file, so files' findings merge in file order

    def seal(self) -> FileResult:
        """Sort and count the findings where they were made, in a worker when there are workers."""
        findings = self.findings
        findings.sort(key=Finding.sort_key)
        self.tally = tally(findings)
        self.ordered = all(f.file == self.display for f in findings)
        self.count = len(findings)
        return self


def slim(doc: Document) -> Document:
    """The manifest reduced to what portfolio rules and waivers read; positions dropped."""
    data = doc.data
    kept = {key: data[key] for key in SLIM_KEYS if key in data}
    return Document(doc.file, doc.index, kept, {"": (doc.line, doc.column)}, doc.line, doc.column)


def check_file(path: str, explicit: bool, job: Job) -> FileResult:
    from govern.run import claims_govern, classify, display_path, manifest_info

    display = display_path(path)
    loaded = load_file(path, display, job.max_size)
    result = FileResult(display, loaded.sha256)
    if job.skip_non_govern:
        explicit = False
        if loaded.errors and loaded.sha256 is not None and not claims_govern(path, loaded.documents, job.max_size):
            result.skipped = True
            return result.seal()
    findings = result.findings
    for error in loaded.errors:
        findings.append(notice(error.rule, error.message, display, error.line, error.column, error.path))
    govern_docs = 0
    reasons = []
    checked = 0
    unchecked: list[Document] = []
    for doc in loaded.documents:
        kind, problem, reason = classify(doc)
        if reason is not None:
            reasons.append((doc, reason))
            continue
        govern_docs += 1
        if problem is not None:
            findings.append(problem)
            continue
        if kind != "Initiative":
            continue
        if checked >= MAX_FINDINGS_PER_FILE:  # a pathological file: stop before memory runs out
            unchecked.append(doc)
            continue
        ident = initiative_id(doc.data)
        if ident is not None:
            result.ids.append((ident, *doc.locate("/metadata/id")))
        else:
            result.ids.append((None, doc.line, doc.column))
        if job.command == "portfolio":
            from govern.portfolio import manifest_profile

            result.profiles.append(((doc.file, doc.index), manifest_profile(doc, job.ctx)))
        evaluation = evaluate(doc, job.rules, job.ctx)
        findings += evaluation.findings
        checked += len(evaluation.findings)
        info = manifest_info(doc, loaded.sha256)
        info["outcomes"] = evaluation.outcomes
        result.manifests.append(info)
        if job.keep_slim:
            result.slim.append(slim(doc))
    if unchecked:
        first = unchecked[0]
        more = len(unchecked)
        message = (f"stopped checking this file after {MAX_FINDINGS_PER_FILE} findings: {more} more "
                   f"document{'s' if more != 1 else ''} from document {first.index + 1} on not checked; "
                   "fix the findings reported or split the file")
        findings.append(notice("GOV-INPUT", message, display, first.line, first.column))
    if explicit and govern_docs == 0 and not loaded.errors:
        if reasons:
            doc, reason = reasons[0]
            message = f"not a govern document: {reason} (a govern document starts with `apiVersion: govern/v1`)"
            findings.append(notice("GOV-INPUT", message, display, doc.line, doc.column))
        else:
            findings.append(notice("GOV-INPUT", "file is empty: no govern document", display))
    return result.seal()


# -- in a pool ---------------------------------------------------------------------------

_JOB: Job | None = None


def _work(item: tuple[str, bool]) -> FileResult:
    result = check_file(item[0], item[1], _JOB)
    if result.findings:  # pickled here, in parallel; the main process files the bytes unopened
        result.packed, result.findings = pack(result.findings), []
    return result


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_files(files: list[tuple[str, bool]], job: Job, jobs: int | None = None, progress: Any = None):
    """Yield each file's result, in the order of ``files``, from ``jobs`` processes."""
    global _JOB
    jobs = jobs or available_cores()
    total = len(files)
    if jobs <= 1 or total < PARALLEL_FROM or not _can_fork():
        for number, (path, explicit) in enumerate(files, 1):
            if progress is not None:
                progress("checking", number, total)
            yield check_file(path, explicit, job)
        return
    import multiprocessing

    _JOB = job
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, total)) as pool:
            for number, result in enumerate(pool.imap(_work, files, chunksize=CHUNK), 1):
                if progress is not None:
                    progress("checking", number, total)
                yield result
    finally:
        _JOB = None


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
