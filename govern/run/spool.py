"""A run's findings and manifests kept on disk while the files are checked.

A check of 10,000 manifests makes about 100,000 findings; held as objects
they would take hundreds of MiB before a single line is written. Instead each
file's results go, as one pickled batch, into an anonymous temporary file
(deleted by the OS however the process ends), and reporters read them back
one batch at a time, as often as they need. Memory then holds one file's
results at a time, whatever the size of the portfolio.

Workers pickle a file's findings themselves (``pack``), so the main process
writes the bytes it receives without ever rebuilding those objects unless a
reporter asks for them. Each batch comes with its ``Tally``, so the summary
and the exit code never need a pass over the findings.

The temporary file holds only what the run made from the user's files; it is
private to this process (``tempfile.TemporaryFile``) and never named.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from govern.core.rows import Rows  # noqa: F401 - re-exported: where Rows was
from govern.core.model import SEVERITY_RANK, Counts, Finding

IN_MEMORY = 256  # items kept as they are before a spool starts writing to disk


def pack(items: list[Any]) -> bytes:
    import pickle

    return pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)


class Spool:
    """An append-only sequence of items, in batches: the first few hundred items in
    memory, the rest pickled into a temporary file.

    Iterating reads the batches back in order; several iterations may run at once
    (each keeps its own position) and more items may be added between them. A
    small run (the pre-commit case) never touches the disk, nor imports pickle.
    Once a batch is on disk every later one goes there too, so the batches in
    memory always come first; the file's batches are known by where each ends
    (8 bytes apiece), so a spool of 100,000 files stays small.
    """

    def __init__(self) -> None:
        self._file: Any = None
        self._memory: list[list[Any]] = []  # the first batches, as they were given
        self._ends: Any = None  # array("q"): the byte offset where each batch in the file ends
        self._count = 0
        self._in_memory = 0

    def add(self, items: list[Any]) -> None:
        if not items:
            return
        if self._file is None and self._in_memory + len(items) <= IN_MEMORY:
            self._memory.append(items)
            self._in_memory += len(items)
            self._count += len(items)
        else:
            self.add_packed(pack(items), len(items))

    def add_packed(self, blob: bytes, count: int) -> None:
        """A batch already pickled by ``pack`` (in a worker), with the number of items in it."""
        if not count:
            return
        if self._file is None:
            import tempfile
            from array import array

            self._file = tempfile.TemporaryFile(prefix="govern-")
            self._ends = array("q")
        handle = self._file
        handle.seek(0, io.SEEK_END)
        handle.write(blob)
        self._ends.append(handle.tell())
        self._count += count

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[Any]:
        for batch in list(self._memory):
            yield from batch
        if self._file is None:
            return
        import pickle

        start = 0
        for end in self._ends[:]:  # a copy: batches added while reading are read next time
            self._file.seek(start)
            yield from pickle.loads(self._file.read(end - start))
            start = end

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._memory, self._ends, self._count, self._in_memory = [], None, 0, 0

    def __del__(self) -> None:  # the file goes with the spool (the OS removes it at exit in any case)
        self.close()


@dataclass(slots=True)
class Tally(Counts):
    """What the summary and the exit code need to know of a set of findings."""

    input_errors: int = 0  # findings of govern.core.engine.INPUT_RULES: a bad input, exit 2
    blocking: int = 0  # the highest severity rank of a finding that is neither waived nor in a baseline

    def add(self, finding: Finding, input_rules: Iterable[str] = ()) -> None:
        Counts.add(self, finding)
        if finding.rule in input_rules:
            self.input_errors += 1
        if finding.blocking:
            self.blocking = max(self.blocking, SEVERITY_RANK[finding.severity])

    def merge(self, other: Counts) -> None:
        Counts.merge(self, other)
        if isinstance(other, Tally):
            self.input_errors += other.input_errors
            self.blocking = max(self.blocking, other.blocking)


def tally(findings: Iterable[Finding]) -> Tally:
    from govern.core.engine import INPUT_RULES

    out = Tally()
    for finding in findings:
        out.add(finding, INPUT_RULES)
    return out


class FindingStream:
    """A run's findings in report order, without holding them.

    Files' findings arrive in file order, each file's already sorted, and go to
    a ``Spool``; the few findings about the run as a whole (duplicate ids, the
    portfolio rules, notices about the statement or the packs) are kept in a
    list. Iterating merges the two by ``Finding.sort_key``, exactly the order a
    sort of everything would give. Should a file's findings ever arrive out of
    order (two spellings of one path, say), iteration falls back to sorting
    them all in memory: slower, never wrong.
    """

    def __init__(self) -> None:
        self.spool = Spool()
        self.extra: list[Finding] = []
        self.tally = Tally()
        self._last_file: str | None = None
        self._ordered = True

    def add_file(self, display: str, findings: list[Finding] | bytes, count: int, file_tally: Tally, ordered: bool) -> None:
        """One file's findings, sorted, each located in ``display``: a list, or pickled by ``pack``."""
        if not count:
            return
        if not ordered or (self._last_file is not None and display <= self._last_file):
            self._ordered = False
        self._last_file = display
        if isinstance(findings, bytes):
            self.spool.add_packed(findings, count)
        else:
            self.spool.add(findings)
        self.tally.merge(file_tally)

    def extend(self, findings: Iterable[Finding]) -> None:
        from govern.core.engine import INPUT_RULES

        for finding in findings:
            self.extra.append(finding)
            self.tally.add(finding, INPUT_RULES)

    def __iadd__(self, findings: Iterable[Finding]) -> FindingStream:
        self.extend(findings)
        return self

    def __len__(self) -> int:
        return len(self.spool) + len(self.extra)

    def __bool__(self) -> bool:
        return bool(self.spool) or bool(self.extra)

    def __iter__(self) -> Iterator[Finding | tuple[tuple, str]]:
        """Findings in report order; a finding a worker already wrote as a row (``Options.rows``) comes as
        (sort key, row)."""
        extra = sorted(self.extra, key=Finding.sort_key)
        if not self._ordered:
            yield from sorted([*self.spool, *extra], key=_sort_key)
        elif not extra:
            yield from self.spool
        else:
            yield from _merged(self.spool, extra)

    def close(self) -> None:
        self.spool.close()


def _merged(items: Iterable[Any], extra: list[Finding]) -> Iterator[Any]:
    """``heapq.merge(items, extra, key=_sort_key)`` for a few ``extra`` findings among many: each item's key
    is made only while an extra finding is still to place, and nothing else is done per item (an extra
    comes after the items whose key equals its own, as heapq.merge places it)."""
    pending = iter(extra)
    following = next(pending, None)
    if following is None:
        yield from items
        return
    key = following.sort_key()
    for item in items:
        if following is not None:
            mine = _sort_key(item)
            while following is not None and key < mine:
                yield following
                following = next(pending, None)
                key = following.sort_key() if following is not None else key
        yield item
    if following is not None:
        yield following
        yield from pending


def _sort_key(item: Finding | tuple[tuple, str]) -> tuple:
    return item[0] if type(item) is tuple else item.sort_key()
