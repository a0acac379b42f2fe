"""Checking files one at a time, in this process or in a pool of forked workers.

Each file is read, classified and evaluated in one step, and what outlives
the step is small: the file's findings (sorted, counted and, in a worker,
pickled), one line of facts per manifest, and, only when portfolio rules or
waivers will read them, a slim copy of each manifest (metadata,
accountability, risks). ``govern.run.runner`` files all of it in ``govern.run.spool``
spools as it arrives; whole documents and their position tables are dropped
as soon as their file is checked, so memory does not grow with the findings.

Workers are forked after the rules are compiled, so each inherits them and
nothing but file names and results crosses between processes; results come
back in file order, so the output is the same with any number of workers.
Each worker has a pipe of its own and the main process watches its process
too, so a worker that dies (killed, out of memory, ``os._exit`` in a plugin's
check) fails the run at once (``multiprocessing.Pool`` would wait forever for
the files it took with it). Workers ignore Ctrl-C: the main process answers
it, and stops them.
"""

from __future__ import annotations

import _signal
import os
from dataclasses import dataclass, field
from typing import Any

from govern.core.engine import evaluate, initiative_id, notice
from govern.core.errors import STOP_SIGNALS, GovernError, hold_signals, release_signals
from govern.core.loader import Document, load_file
from govern.core.model import Finding
from govern.run.spool import Tally, pack, tally

MAX_FINDINGS_PER_FILE = 20_000  # beyond this a file's remaining documents are not checked (GOV-INPUT)
SLIM_KEYS = ("apiVersion", "kind", "metadata", "accountability", "risks")
PARALLEL_FROM = 48  # fewer files than this are checked in-process: forking would cost more than it saves
CHUNK = 8
AHEAD = 2  # chunks sent to each worker before it answers, so it never waits for the main process
WINDOW = 4  # chunks per worker that may be done ahead of the one awaited, so results held wait in memory stay few
STOP_SECONDS = 5.0  # how long a stopped worker may take to exit before it is killed


@dataclass(slots=True)
class Job:
    """What every file's check needs; set before workers fork, so they inherit it."""

    rules: list[Any]
    ctx: Any
    command: str
    max_size: int
    skip_non_govern: bool
    keep_slim: bool = True  # portfolio rules or waivers will read the manifests again
    row: Any = None  # Options.rows: a worker sends (sort key, row) pairs, not findings


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
    packed: bytes = b""  # in a worker: the findings, sorted and pickled (govern.run.spool.pack)
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
    from govern.core.paths import display_path
    from govern.run.files import claims_govern, classify, manifest_info

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
        ctx = job.ctx
        if getattr(ctx, "appetites", None) is not None:  # per-organisation statements (8.7)
            from govern.risk.appetite import context_for, unmatched

            ctx = context_for(ctx, doc.data)
            if ctx.appetite is None:
                findings.append(unmatched(doc, job.ctx.appetites))
        if job.command == "portfolio":
            from govern.report.portfolio import manifest_profile

            result.profiles.append(((doc.file, doc.index), manifest_profile(doc, ctx)))
        evaluation = evaluate(doc, job.rules, ctx)
        findings += evaluation.findings
        checked += len(evaluation.findings)
        info = manifest_info(doc, loaded.sha256)
        if getattr(job.ctx, "appetites", None) is not None:
            info["appetite"] = ctx.appetite.name if ctx.appetite is not None else None
        info["outcomes"] = evaluation.outcomes
        if evaluation.out_of_scope:
            info["not_applicable"] = dict(sorted(evaluation.out_of_scope.items()))
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
        row = _JOB.row
        findings = [(f.sort_key(), row(f)) for f in result.findings] if row is not None else result.findings
        result.packed, result.findings = pack(findings), []
    return result


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_files(files: list[tuple[str, bool]], job: Job, jobs: int | None = None, progress: Any = None):
    """Yield each file's result, in the order of ``files``, from ``jobs`` processes.

    Close the generator (or exhaust it) to stop the workers; a dead worker is a ``GovernError``.
    """
    global _JOB
    jobs = jobs or available_cores()
    total = len(files)
    if jobs <= 1 or total < PARALLEL_FROM or not _can_fork():
        for number, (path, explicit) in enumerate(files, 1):
            if progress is not None:
                progress("checking", number, total)
            yield check_file(path, explicit, job)
        return
    chunks = [files[start:start + CHUNK] for start in range(0, total, CHUNK)]
    _JOB = job
    pool = _Pool(chunks)
    finished = False
    try:
        pool.start(min(jobs, len(chunks)))
        number = 0
        for results in pool.results():
            for result in results:
                number += 1
                if progress is not None:
                    progress("checking", number, total)
                yield result
        finished = True
    finally:
        _JOB = None
        pool.stop(finished)


class _Worker:
    """One forked worker: its process, the main process's end of its pipe, the chunks it holds."""

    def __init__(self, process: Any, conn: Any) -> None:
        self.process = process
        self.conn = conn
        self.chunks: list[int] = []  # indexes of the chunks sent and not yet answered, oldest first


class _Pool:
    """Chunks of files checked by forked workers, answered in chunk order."""

    def __init__(self, chunks: list[list[tuple[str, bool]]]) -> None:
        self.chunks = chunks
        self.workers: list[_Worker] = []
        self.done: dict[int, list[FileResult]] = {}  # chunks answered before their turn
        self.sent = 0  # chunks sent so far
        self.next = 0  # the chunk to yield next

    def start(self, count: int) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        held = hold_signals()  # until a worker has its own handlers, a signal would run the main process's
        try:
            for _ in range(count):
                mine, theirs = context.Pipe()
                inherited = [worker.conn for worker in self.workers] + [mine]  # for the worker to close
                process = context.Process(target=_serve, args=(theirs, inherited), name="govern-worker", daemon=True)
                process.start()
                theirs.close()
                self.workers.append(_Worker(process, mine))
        finally:
            release_signals(held)

    def results(self):
        """Each chunk's results, in chunk order."""
        self._send()
        while self.next < len(self.chunks):
            while self.next not in self.done:
                self._receive()
            yield self.done.pop(self.next)
            self.next += 1
            self._send()

    def _send(self) -> None:
        """Keep every worker ``AHEAD`` chunks busy, never more than ``WINDOW`` per worker past the one awaited."""
        limit = min(len(self.chunks), self.next + WINDOW * len(self.workers))
        while self.sent < limit:
            worker = min(self.workers, key=lambda w: len(w.chunks))
            if len(worker.chunks) >= AHEAD:
                return
            try:
                worker.conn.send((self.sent, self.chunks[self.sent]))
            except OSError:
                self._died(worker)
            worker.chunks.append(self.sent)
            self.sent += 1

    def _receive(self) -> None:
        from multiprocessing.connection import wait  # imported by start(): a lookup

        ready = wait([w.conn for w in self.workers] + [w.process.sentinel for w in self.workers])
        for worker in self.workers:
            if worker.conn in ready:
                try:
                    index, results, error = worker.conn.recv()
                except (EOFError, OSError):
                    self._died(worker)
                if error is not None:
                    raise error
                worker.chunks.remove(index)
                self.done[index] = results
            elif worker.process.sentinel in ready:  # a worker exits only when told to: it died
                self._died(worker)

    def _died(self, worker: _Worker) -> None:
        worker.process.join(STOP_SECONDS)
        code = worker.process.exitcode
        if code is None:
            how = "stopped answering"
        elif code < 0:
            import signal

            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        doing = ""
        if worker.chunks:  # a worker answers in order: the oldest chunk it holds is the one it was on
            from govern.core.paths import display_path

            held = [path for path, _ in self.chunks[worker.chunks[0]]]
            doing = (f" while checking {display_path(held[0])}" if len(held) == 1 else
                     f" while checking one of {display_path(held[0])} ... {display_path(held[-1])}")
        raise GovernError(f"a worker process {how}{doing} (out of memory, killed, or a plugin's check ended its "
                          "process): the run is incomplete, so no report was written")

    def stop(self, finished: bool) -> None:
        """End every worker: told to (its pipe closes) after a complete run, at once otherwise."""
        for worker in self.workers:
            worker.conn.close()
            if not finished and worker.process.is_alive():
                worker.process.terminate()  # SIGTERM, which a worker leaves at its default: it exits at once
        for worker in self.workers:
            worker.process.join(STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self.workers = []


def _serve(conn: Any, inherited: list[Any]) -> None:
    """A worker: check each chunk the main process sends, answer with the results, until its pipe closes."""
    # Ctrl-C reaches the whole process group: the main process answers it, and stops the workers
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    for number in STOP_SIGNALS:
        if number != _signal.SIGINT:
            _signal.signal(number, _signal.SIG_DFL)
    release_signals(set())
    for other in inherited:  # the main process's ends of the pipes: its own, and earlier workers'
        other.close()
    while True:
        try:
            index, items = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (index, [_work(item) for item in items], None)
        except BaseException as exc:  # a check's failures are findings: this is govern's bug, raised in the main process
            answer = (index, None, _portable(exc))
        try:
            conn.send(answer)
        except (EOFError, OSError):  # the main process has gone
            return
        except Exception as exc:  # noqa: BLE001 - results that cannot be pickled: govern's bug too
            conn.send((index, None, _portable(exc)))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it can cross to the main process, else a RuntimeError that says what it was."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - anything that does not round-trip
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
