"""govern.run.spool: a run's findings kept on disk come back complete, in report order, every time."""

from __future__ import annotations

import json
import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from govern.run import spool
from govern.core.model import Accountable, Finding, Reference
from govern.run.spool import FindingStream, Spool, pack, tally
from govern.reporters.jsonwrite import ROW as _ROW, finding_row
from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"  # a manifest that passes; the tests vary it
AS_OF = ["--as-of", "2026-11-22"]


def finding(file: str, line: int, rule: str = "GOV-001", message: str = "m", **extra) -> Finding:
    return Finding(rule=rule, title="t", domain="governance", severity=extra.pop("severity", "error"), message=message,
                   file=file, line=line, column=1, path="/metadata", initiative="X-1",
                   accountable=Accountable("senior_responsible_owner", "Ada"),
                   references=(Reference("GDS Service Standard", "point 5", None, "https://example.org/5"),), **extra)


def test_a_spool_gives_back_what_went_in_in_order_from_memory_and_disk():
    items = Spool()
    batches = [[("a", i, j) for j in range(50)] for i in range(20)]  # 1,000 items: past IN_MEMORY, so on disk too
    assert not items and len(items) == 0
    for batch in batches[:10]:
        items.add(batch)
    for batch in batches[10:]:
        items.add_packed(pack(batch), len(batch))
    expected = [item for batch in batches for item in batch]
    assert len(items) == 1000 and items._file is not None
    assert list(items) == expected
    assert list(items) == expected  # read again: nothing consumed
    # two readers at once, each at its own place, and a batch added between reads
    first, second = iter(items), iter(items)
    assert [next(first) for _ in range(600)] == expected[:600]
    assert [next(second) for _ in range(3)] == expected[:3]
    assert list(first) == expected[600:]
    items.add([("z", 0, 0)])
    assert list(items)[-1] == ("z", 0, 0) and len(items) == 1001
    items.close()
    assert list(items) == [] and items._file is None


def test_a_small_spool_never_touches_the_disk():
    items = Spool()
    items.add(list(range(spool.IN_MEMORY)))
    assert items._file is None and list(items) == list(range(spool.IN_MEMORY))
    items.add([1])
    assert items._file is not None


def test_findings_come_back_equal_after_the_round_trip():
    original = [finding("a.yaml", 3, waiver={"file": "w.yaml", "line": 2}, waived=True), finding("a.yaml", 4, baseline="existing")]
    stream = FindingStream()
    stream.add_file("a.yaml", pack(original), 2, tally(original), True)
    back = list(stream)
    assert [f.to_dict() for f in back] == [f.to_dict() for f in original]
    assert [f.waived for f in back] == [True, False] and back[1].baseline == "existing"


files = st.lists(st.text(string.ascii_lowercase, min_size=1, max_size=3), min_size=1, max_size=8, unique=True)


@settings(max_examples=60, deadline=None)
@given(files, st.data())
def test_the_stream_is_in_exactly_the_order_a_sort_of_everything_gives(names, data):
    """Files arrive in sorted order with their findings sorted; run-level findings land where they sort."""
    stream = FindingStream()
    everything = []
    for name in sorted(names):
        lines = data.draw(st.lists(st.integers(1, 30), max_size=12))
        batch = sorted((finding(name, n, message=f"f{i}") for i, n in enumerate(lines)), key=Finding.sort_key)
        everything += batch
        how = data.draw(st.sampled_from(["objects", "pickled", "rows"]))  # rows: as workers write them for JSON
        sent = [(f.sort_key(), finding_row(f)) for f in batch] if how == "rows" else batch
        stream.add_file(name, batch if how == "objects" else pack(sent), len(batch), tally(batch), True)
    extra = [finding(data.draw(st.sampled_from(sorted(names) + ["<input>", "zzz"])), data.draw(st.integers(1, 30)),
                     rule="GOV-SCHEMA", severity="warning") for _ in range(data.draw(st.integers(0, 5)))]
    stream.extend(extra)
    everything += extra
    got = [item[0] if type(item) is tuple else item.sort_key() for item in stream]
    assert got == sorted(f.sort_key() for f in everything)
    assert len(stream) == len(everything) and bool(stream) == bool(everything)
    counts = stream.tally
    assert (counts.errors, counts.warnings) == (len(everything) - len(extra), len(extra))


def test_a_file_out_of_order_falls_back_to_a_full_sort():
    stream = FindingStream()
    later = [finding("b.yaml", 1)]
    stream.add_file("b.yaml", later, 1, tally(later), True)
    earlier = [finding("a.yaml", 5), finding("a.yaml", 9)]
    stream.add_file("a.yaml", earlier, 2, tally(earlier), True)  # arrives after b.yaml
    elsewhere = [finding("c.yaml", 1), finding("a.yaml", 7)]  # a file's finding located in another file
    stream.add_file("c.yaml", elsewhere, 2, tally(elsewhere), False)
    assert [(f.file, f.line) for f in stream] == [("a.yaml", 5), ("a.yaml", 7), ("a.yaml", 9), ("b.yaml", 1), ("c.yaml", 1)]


def test_portfolio_and_check_reports_stream_the_same_bytes_with_any_number_of_workers(tmp_path):
    """Enough files for the pool and for the spool to go to disk; a duplicate id (a run-level
    finding) must land in the middle of the files' findings, where it sorts."""
    from govern.run.checking import PARALLEL_FROM

    text = BASE.read_text().replace("logging_monitoring: true", "logging_monitoring: false")
    for n in range(PARALLEL_FROM + 2):
        ident = "JOB-2026-007" if n in (7, 30) else f"JOB-2026-{n:03}"
        (tmp_path / f"m{n:03}.yaml").write_text(text.replace("LBX-2025-008", ident))
    for command in ("check", "portfolio"):
        runs = [run_cli(command, ".", *AS_OF, "--format", "json", "--jobs", jobs, cwd=tmp_path) for jobs in ("1", "2")]
        assert runs[0].stdout == runs[1].stdout, command
        report = json.loads(runs[0].stdout)
        keys = [(f["file"], f["line"], f["rule"], f["column"], f["path"], f["message"]) for f in report["findings"]]
        assert keys == sorted(keys)
        duplicate = [f for f in report["findings"] if "is also used by" in f["message"]]
        assert [(d["file"], d["rule"]) for d in duplicate] == [("m030.yaml", "GOV-SCHEMA")]
        assert len({k[0] for k in keys}) == PARALLEL_FROM + 2  # every file has findings
        assert keys[0][0] == "m000.yaml" and keys[-1][0] == f"m{PARALLEL_FROM + 1:03}.yaml"


def test_rows_written_by_workers_read_exactly_as_the_report_made_in_one_process(tmp_path):
    """JSON rows and text lines (piped, and on a terminal with colour and the who-and-how line) written by
    forked workers give the bytes one process gives; a format beside them, or a baseline, uses findings."""
    import os
    import pty
    import subprocess
    import sys

    from govern.run.checking import PARALLEL_FROM

    text = BASE.read_text().replace("logging_monitoring: true", "logging_monitoring: false")
    for n in range(PARALLEL_FROM + 3):
        ident = "JOB-2026-004" if n in (4, 40) else f"JOB-2026-{n:03}"  # a run-level finding among the rows
        (tmp_path / f"m{n:03}.yaml").write_text(text.replace("LBX-2025-008", ident))

    def tty(jobs: str) -> bytes:
        leader, follower = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"}
        process = subprocess.Popen([sys.executable, "-m", "govern", "check", ".", *AS_OF, "--jobs", jobs],
                                   stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=tmp_path,
                                   env=env)
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        process.wait(timeout=120)
        os.close(leader)
        return out

    printed = {}
    for fmt in ("json", "text"):
        runs = [run_cli("check", ".", *AS_OF, "--format", fmt, "--jobs", jobs, cwd=tmp_path) for jobs in ("1", "2")]
        assert runs[0].returncode == runs[1].returncode == 1
        assert runs[0].stdout == runs[1].stdout, fmt
        assert "is also used by" in runs[0].stdout
        printed[fmt] = runs[1].stdout
    single, pooled = tty("1"), tty("2")
    assert single == pooled
    assert b"\x1b[31mERROR\x1b[0m" in pooled and b"    owner: " in pooled  # colour and the who-and-how line
    both = run_cli("check", ".", *AS_OF, "--format", "text", "--format", "json:out.json", "--jobs", "2", cwd=tmp_path)
    assert both.stdout == printed["text"]
    assert (tmp_path / "out.json").read_text() == printed["json"]


def test_one_file_named_twice_still_reports_in_order(tmp_path):
    """Two spellings of one path give two files with one display name: the full-sort fallback."""
    (tmp_path / "a.yaml").write_text(BASE.read_text().replace("logging_monitoring: true", "logging_monitoring: false"))
    (tmp_path / "b.yaml").write_text(BASE.read_text().replace("LBX-2025-008", "LBX-2025-009"))
    result = run_cli("check", "a.yaml", "./a.yaml", "b.yaml", *AS_OF, "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    keys = [(f["file"], f["line"], f["rule"], f["column"]) for f in report["findings"]]
    assert keys == sorted(keys) and {k[0] for k in keys} >= {"a.yaml"}


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(text, text, st.sampled_from(["governance", "risk"]), st.sampled_from(["error", "warning", "info"]), text, text,
       st.integers(1, 10**6), st.one_of(st.none(), text), st.one_of(st.none(), text), st.booleans(),
       st.sampled_from([None, "existing"]), st.sampled_from(["binding", "assumed", "adopted"]),
       st.lists(st.tuples(text, text, st.one_of(st.none(), text)), max_size=3))
def test_a_row_written_by_a_worker_is_exactly_the_row_of_the_finding(rule, title, domain, severity, message, path, line,
                                                                     initiative, name, waived, baseline, basis, refs):
    """``finding_row`` encodes a rule's title, domain and references once; the bytes must not differ."""
    item = Finding(rule=rule, title=title, domain=domain, severity=severity, message=message, file=path, line=line,
                   column=line % 7 + 1, path="/" + path, initiative=initiative,
                   accountable=Accountable("senior_responsible_owner", name, None if name is None else f"{name}@x"),
                   references=tuple(Reference(f, c, v, None) for f, c, v in refs),
                   waiver={"file": "w.yaml", "line": line} if waived else None, waived=waived, baseline=baseline,
                   scope_basis=basis)
    assert finding_row(item) == _ROW.encode(item.to_dict())
    assert finding_row(item) == finding_row(item)  # from the caches the second time
