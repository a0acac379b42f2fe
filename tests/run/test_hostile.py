"""Hostile input, through the real CLI, under a timeout and a memory limit.

Every case runs ``python -m govern`` in a subprocess limited to 1 GiB of
address space (``RLIMIT_AS``) and a generous wall clock, beside a known-bad
but parseable manifest (``known.yaml``: SEC-002, admins without MFA). Each
asserts its outcome: accepted with the right findings, or ``GOV-INPUT`` at
file, line and column with exit 2; never a traceback; the neighbour's
finding still reported; and no input changed by a byte.

The small cases are files in ``tests/hostile/``; large ones are generated
here in ``tmp_path``.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = "2026-11-22"
TIMEOUT = 20  # seconds; the machine is shared, so generous
MEMORY = 1 << 30  # bytes of address space for each run
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _limits() -> None:  # runs in the child, before govern starts
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def tree_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every regular file under ``folder`` (links, FIFOs and folders are left alone)."""
    out = {}
    for root, dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if stat.S_ISREG(path.lstat().st_mode):
                out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    report: dict[str, Any] | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)

    def at(self, rule: str, file: str | None = None) -> list[tuple[str, int, int]]:
        return [(f["file"], f["line"], f["column"]) for f in self.findings if f["rule"] == rule and file in (None, f["file"])]

    def messages(self, rule: str) -> str:
        return "\n".join(f["message"] for f in self.findings if f["rule"] == rule)


def strict_json(text: str) -> Any:
    """JSON as RFC 8259 has it: NaN and Infinity are not JSON."""
    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def govern(*args: str, cwd: Path, outputs: tuple[str, ...] = (), timeout: float = TIMEOUT) -> Run:
    """``python -m govern ARGS`` bounded in time and memory; inputs must come out byte-identical."""
    before = tree_hashes(cwd)
    env = {**os.environ, "PYTHONUTF8": "1", "NO_COLOR": "1"}
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "govern", *args], cwd=cwd, env=env, capture_output=True, timeout=timeout,
        preexec_fn=_limits,
    )
    seconds = time.monotonic() - start
    stdout = proc.stdout.decode("utf-8", "surrogateescape")
    stderr = proc.stderr.decode("utf-8", "surrogateescape")
    assert "Traceback" not in stderr, stderr
    assert "internal error" not in stderr, stderr
    after = tree_hashes(cwd)
    for name in outputs:
        before.pop(name, None)
        after.pop(name, None)
    assert after == before, "govern changed an input"
    run = Run(proc.returncode, stdout, stderr, seconds)
    if "--format" in args and args[args.index("--format") + 1] == "json" and "--output" not in args:
        run.report = strict_json(stdout)
        run.findings = run.report["findings"]
    return run


def check(cwd: Path, *paths: str, extra: tuple[str, ...] = ()) -> Run:
    return govern("check", *paths, "--as-of", AS_OF, "--no-plugins", "--format", "json", *extra, cwd=cwd)


def base_text() -> str:
    return BASE.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


KNOWN = base_text().replace("mfa: {admins: true, staff: true, users: true}",
                            "mfa: {admins: false, staff: true, users: true}")
KNOWN_AT = ("known.yaml", line_of(KNOWN, "mfa: {admins: false, staff: true, users: true}"), 9)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder holding the known-bad neighbour."""
    (tmp_path / "known.yaml").write_text(KNOWN, encoding="utf-8")
    return tmp_path


def assert_neighbour_checked(run: Run) -> None:
    assert KNOWN_AT in run.at("SEC-002"), run.findings


def assert_input_error(run: Run, file: str, line: int, column: int, words: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stderr)
    located = [f for f in run.findings if f["rule"] == "GOV-INPUT" and f["file"] == file]
    assert [(f["line"], f["column"]) for f in located] == [(line, column)], located
    assert words in located[0]["message"], located[0]["message"]
    assert_neighbour_checked(run)


# -- 1. the corpus of small hostile files ----------------------------------------------------------

# file -> (line, column, words in the GOV-INPUT message)
CORPUS = {
    "alias-bomb.yaml": (9, 8, "possible alias bomb"),
    "alias-recursive.yaml": (4, 57, "recursive alias"),
    "alias-undefined.yaml": (4, 31, "alias *nowhere refers to no anchor"),
    "bad-core-tags.yaml": (5, 26, "!!int value 'twelve' is not an integer"),
    "control-raw-esc.yaml": (4, 33, "control character U+001B (ESC) is not allowed"),
    "control-raw-nul.yaml": (4, 34, "control character U+0000 (NUL) is not allowed"),
    "document-list.yaml": (2, 1, "not a govern document: document 1 is a list"),
    "document-scalar.yaml": (2, 1, "not a govern document: document 1 is a single value"),
    "duplicate-flow.yaml": (6, 49, "duplicate key 'at_rest' (first defined at line 6)"),
    "duplicate-list-item.yaml": (8, 5, "duplicate key 'id' (first defined at line 6)"),
    "duplicate-nested.yaml": (8, 3, "duplicate key 'phase' (first defined at line 7)"),
    "duplicate-top.yaml": (5, 1, "duplicate key 'kind' (first defined at line 3)"),
    "empty.yaml": (1, 1, "file is empty"),
    "invalid-utf8.yaml": (4, 32, "invalid UTF-8: byte 0xe9"),
    "mapping-key-collection.yaml": (4, 3, "mapping keys must be plain strings"),
    "merge-bomb.yaml": (8, 37, "possible alias bomb"),
    "merge-duplicate.yaml": (10, 5, "merge key '<<' appears twice in one mapping"),
    "merge-non-mapping.yaml": (8, 19, "a merge key ('<<') list may hold only mappings; item 2 is a single value"),
    "missing-apiversion.yaml": (2, 1, "missing apiVersion"),
    "missing-kind.yaml": (2, 1, "missing kind"),
    "only-comments.yaml": (1, 1, "file is empty"),
    "only-separators.yaml": (2, 1, "document 1 is empty"),
    "python-name.yaml": (6, 9, "unsupported tag 'tag:yaml.org,2002:python/name:os.system'"),
    "python-tag.yaml": (4, 11, "unsupported tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    "tab-indent.yaml": (5, 1, "it is a tab: YAML indents with spaces"),
    "unknown-apiversion.yaml": (2, 1, "unknown apiVersion 'govern/v9'"),
    "unknown-kind.yaml": (3, 1, "unknown kind 'Initiativ'"),
    "unknown-tag.yaml": (6, 9, "unsupported tag '!secret'"),
    "unterminated-double.yaml": (6, 9, "quoted scalar that starts here"),
    "unterminated-single.yaml": (4, 31, "quoted scalar that starts here"),
    "line-separator.yaml": (4, 32, "line separator U+2028 is not allowed raw"),
}


ACCEPTED = {"broken-between-good.yaml", "merge-key.yaml"}  # checked by tests of their own below


def test_the_corpus_table_covers_every_file() -> None:
    files = {p.name for p in HOSTILE.glob("*.yaml")}
    assert files == set(CORPUS) | ACCEPTED


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_is_a_located_input_error(work: Path, name: str) -> None:
    shutil.copy(HOSTILE / name, work / name)
    line, column, words = CORPUS[name]
    run = check(work, name, "known.yaml")
    assert_input_error(run, name, line, column, words)
    assert run.report["summary"]["manifests"] == 1  # only the neighbour
    assert not (work / "PWNED").exists()  # no tag ever ran code


def test_a_broken_document_between_two_good_ones_hides_neither(work: Path) -> None:
    shutil.copy(HOSTILE / "broken-between-good.yaml", work / "mixed.yaml")
    run = check(work, "mixed.yaml", "known.yaml")
    assert_input_error(run, "mixed.yaml", 8, 32, "did not find expected ',' or ']'")
    checked = {(m["file"], m["initiative"]) for m in run.report["manifests"]}
    assert checked == {("mixed.yaml", "GOOD-1"), ("mixed.yaml", "GOOD-3"), ("known.yaml", "LBX-2025-008")}
    assert {f["initiative"] for f in run.findings if f["file"] == "mixed.yaml" and f["rule"] == "GOV-001"} == {"GOOD-1", "GOOD-3"}


def test_merge_keys_are_honoured_and_merged_values_located_at_their_anchor(work: Path) -> None:
    shutil.copy(HOSTILE / "merge-key.yaml", work / "merge-key.yaml")
    text = (HOSTILE / "merge-key.yaml").read_text(encoding="utf-8")
    run = check(work, "merge-key.yaml", "known.yaml")
    assert run.returncode == 1, (run.stderr, run.findings)
    assert not run.at("GOV-INPUT") and not run.at("GOV-SCHEMA")  # overridden keys are no duplicates
    anchor = ("merge-key.yaml", line_of(text, "review_by: 2026-01-31"), 5)
    overdue = sorted((f["message"].split()[4], f["file"], f["line"], f["column"]) for f in run.findings if f["rule"] == "RISK-005")
    assert overdue == [("R1", *anchor), ("R2", *anchor)]  # R2's review_by is R1's, where the anchor wrote it
    assert {m["initiative"] for m in run.report["manifests"]} == {"MERGE-1", "LBX-2025-008"}
    assert_neighbour_checked(run)


def test_every_hostile_file_at_once_each_reported_and_the_neighbour_still_checked(work: Path) -> None:
    for name in [*CORPUS, *ACCEPTED]:
        shutil.copy(HOSTILE / name, work / name)
    run = check(work, ".")
    assert run.returncode == 2
    reported = {f["file"] for f in run.findings if f["rule"] == "GOV-INPUT"}
    # a folder walk skips documents that do not claim to be govern's; everything else is reported
    silent = {"document-list.yaml", "document-scalar.yaml", "empty.yaml", "only-comments.yaml", "only-separators.yaml"}
    assert reported == set(CORPUS) - silent | {"broken-between-good.yaml"}
    assert_neighbour_checked(run)


# -- generated: depth, size, width -----------------------------------------------------------------


def write(folder: Path, name: str, text: str | bytes) -> str:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return name


def test_deep_block_nesting(work: Path) -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "end\n"
    run = check(work, write(work, "deep.yaml", text), "known.yaml")
    assert_input_error(run, "deep.yaml", 102, 203, "nesting deeper than 100 levels")


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_flow_nesting(work: Path, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    text = "apiVersion: govern/v1\nkind: Initiative\nmetadata: " + opening * 100_000 + closing * 100_000 + "\n"
    run = check(work, write(work, "deep.yaml", text), "known.yaml")
    assert run.returncode == 2
    [finding] = [f for f in run.findings if f["file"] == "deep.yaml"]
    assert finding["rule"] == "GOV-INPUT" and finding["line"] == 3
    assert "nesting" in finding["message"]
    assert_neighbour_checked(run)


def test_a_file_over_the_size_limit_is_refused_unread(work: Path) -> None:
    name = write(work, "big.yaml", base_text() + "# " + "x" * (6 * 1024 * 1024) + "\n")
    run = check(work, name, "known.yaml")
    assert_input_error(run, "big.yaml", 1, 1, "over the 5242880-byte limit (max_file_size)")


def test_the_size_limit_is_configurable_on_the_command_line_and_in_the_configuration(work: Path) -> None:
    text = base_text().replace("id: LBX-2025-008", "id: LBX-2025-901")  # not the neighbour's id
    name = write(work, "big.yaml", text + "# " + "x" * (6 * 1024 * 1024) + "\n")
    run = check(work, name, "known.yaml", extra=("--max-file-size", str(7 * 1024 * 1024)))
    assert run.returncode == 1 and [f["rule"] for f in run.findings] == ["SEC-002"]
    write(work, "govern.yaml", "max_file_size: 1000\n")
    run = check(work, "known.yaml")
    assert_input_error_without_neighbour(run, "known.yaml", "over the 1000-byte limit")


def assert_input_error_without_neighbour(run: Run, file: str, words: str) -> None:
    assert run.returncode == 2
    assert any(f["rule"] == "GOV-INPUT" and f["file"] == file and words in f["message"] for f in run.findings), run.findings


@pytest.mark.parametrize("value", ["0", "-1", "ten", "1e6"])
def test_a_nonsense_size_limit_is_a_usage_error(work: Path, value: str) -> None:
    run = govern("check", "known.yaml", "--max-file-size", value, cwd=work)
    assert run.returncode == 2 and "--max-file-size" in run.stderr


def test_an_absurd_size_limit_is_harmless(work: Path) -> None:
    run = check(work, "known.yaml", extra=("--max-file-size", "9" * 30))
    assert run.returncode == 1 and run.at("SEC-002") == [KNOWN_AT]


def test_a_4_mib_value_is_accepted_and_never_copied_into_the_report(work: Path) -> None:
    huge = "Y" * (4 * 1024 * 1024)
    text = base_text().replace("LBX-2025-008", huge)
    text = text.replace("  security_lead:                 {name: Tomasz Nowak, email: t.nowak@lbx.example.gov}\n", "")
    name = write(work, "huge-id.yaml", text)
    for fmt in ("text", "json", "sarif", "junit", "github", "markdown"):
        run = govern("check", name, "--as-of", AS_OF, "--no-plugins", "--format", fmt, cwd=work)
        assert run.returncode == 0, (fmt, run.stderr)  # one warning: GOV-004, no security lead
        assert len(run.stdout) < 4 * 1024 * 1024 + 200_000, fmt  # the id at most once (the manifest list)
        assert run.seconds < TIMEOUT
    run = check(work, name)
    assert [f["rule"] for f in run.findings] == ["GOV-004"]
    assert len(run.findings[0]["initiative"]) == 200  # clipped, with an ellipsis


def test_a_list_at_the_value_limit_is_fine_and_one_past_it_is_refused(work: Path) -> None:
    risk = "  - {}\n"
    head, tail = base_text().split("risks:\n")[0], "budget:" + base_text().split("budget:")[1]
    ok = check(work, write(work, "wide.yaml", head + "risks:\n" + risk * 15_000 + tail))
    assert ok.returncode == 1 and len(ok.findings) > 15_000
    run = check(work, write(work, "wide.yaml", head + "risks:\n" + risk * 21_000 + tail), "known.yaml")
    assert run.returncode == 2
    [finding] = [f for f in run.findings if f["file"] == "wide.yaml"]
    assert finding["rule"] == "GOV-INPUT" and "holds more than 20000 values" in finding["message"]
    assert_neighbour_checked(run)


def test_a_file_over_the_value_limit_is_refused_whole(work: Path) -> None:
    doc = "apiVersion: govern/v1\nkind: Initiative\nmetadata: {id: W, name: w, tags: [" + ",".join(["t"] * 19_000) + "]}\n"
    run = check(work, write(work, "many.yaml", "---\n".join([doc] * 30)), "known.yaml")
    assert run.returncode == 2
    [finding] = [f for f in run.findings if f["file"] == "many.yaml"]
    assert "file holds more than 500000 values" in finding["message"]
    assert_neighbour_checked(run)


def test_a_file_with_thousands_of_failing_documents_stops_at_the_findings_limit(work: Path) -> None:
    text = "---\napiVersion: govern/v1\nkind: Initiative\n" * 8000
    run = check(work, write(work, "flood.yaml", text), "known.yaml")
    assert run.returncode == 2
    stopped = [f for f in run.findings if f["rule"] == "GOV-INPUT" and f["file"] == "flood.yaml"]
    assert len(stopped) == 1 and "stopped checking this file after 20000 findings" in stopped[0]["message"]
    assert 20_000 <= sum(f["file"] == "flood.yaml" for f in run.findings) < 20_100
    assert_neighbour_checked(run)


@pytest.mark.parametrize("size", [20, 500_000])
def test_huge_integers(work: Path, size: int) -> None:
    text = base_text().replace("retention_months: 72", "retention_months: " + "9" * size)
    run = check(work, write(work, "int.yaml", text), "known.yaml")
    if size > 4000:
        assert_input_error(run, "int.yaml", line_of(text, "retention_months"), 21, "integer has too many digits")
    else:
        assert run.returncode == 1 and not run.at("GOV-INPUT") and not [f for f in run.findings if f["file"] == "int.yaml"]


def test_two_to_the_64_months_of_retention_is_just_a_number(work: Path) -> None:
    text = base_text().replace("retention_months: 72", f"retention_months: {2**64}")
    run = check(work, write(work, "int.yaml", text))
    assert run.returncode == 0 and run.findings == []


# -- encodings and line endings --------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("utf-16-le"),  # no BOM: detected from the NULs, as YAML 1.2 section 5.2 says
        lambda t: t.encode("utf-16-be"),
        lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32le-bom", "crlf"],
)
def test_encodings_and_crlf_give_the_same_findings_at_the_same_places(work: Path, encode: Any) -> None:
    write(work, "other.yaml", encode(KNOWN))
    run = check(work, "other.yaml", "known.yaml")
    assert sorted(run.at("SEC-002")) == [("known.yaml", *KNOWN_AT[1:]), ("other.yaml", *KNOWN_AT[1:])]
    assert run.returncode == 1


def test_invalid_utf16_is_located(work: Path) -> None:
    raw = codecs.BOM_UTF16_LE + "apiVersion: govern/v1\nkind: ".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le")
    run = check(work, write(work, "bad16.yaml", raw), "known.yaml")
    assert_input_error(run, "bad16.yaml", 2, 7, "invalid UTF-16")


# -- YAML 1.1 traps and wrongly typed values -------------------------------------------------------

# (what to replace in base.yaml, with what) -> [(rule, JSON Pointer, words in the message)]
# A value the schema refuses is one GOV-SCHEMA error: a rule reading it adds no second finding (issue 18).
TRAPS = {
    "norway": (("residency: [GB]", "residency: [NO]"), [("DATA-005", "/data/residency/0", "data.residency[0] is NO")]),
    "off": (("gmpp: false", "gmpp: off"), [("GOV-SCHEMA", "/governance/gmpp", "'off' is not of type 'boolean'")]),
    "yes": (("public_facing: true", "public_facing: yes"), [("GOV-SCHEMA", "/service/public_facing", "'yes' is not of type 'boolean'")]),
    "octal-id": (("id: LBX-2025-008", "id: 0755"), [("GOV-SCHEMA", "/metadata/id", "755 is not of type 'string'")]),
    "inf": (("inherent: {likelihood: 4", "inherent: {likelihood: .inf"),
            [("GOV-SCHEMA", "/risks/0/inherent/likelihood", "inf is not of type 'integer'")]),
    "nan": (("inherent: {likelihood: 4", "inherent: {likelihood: .nan"),
            [("GOV-SCHEMA", "/risks/0/inherent/likelihood", "nan is not of type 'integer'")]),
    "february-30": (("phase_since: 2026-01-12", "phase_since: 2026-02-30"),
                    [("GOV-SCHEMA", "/metadata/phase_since", "\"2026-02-30\" is not a real date; write dates as YYYY-MM-DD")]),
    "month-13": (("phase_since: 2026-01-12", "phase_since: 2026-13-01"),
                 [("GOV-SCHEMA", "/metadata/phase_since", "\"2026-13-01\" is not a real date; write dates as YYYY-MM-DD")]),
    "likelihood-0": (("inherent: {likelihood: 4", "inherent: {likelihood: 0"),
                     [("GOV-SCHEMA", "/risks/0/inherent/likelihood", "0 is less than the minimum of 1")]),
    "likelihood-6": (("inherent: {likelihood: 4", "inherent: {likelihood: 6"),
                     [("RISK-003", "/risks/0/inherent/likelihood", "likelihood 6 is not on the statement's 1-5 scale")]),
    "likelihood-99": (("inherent: {likelihood: 4", "inherent: {likelihood: 99"),
                      [("GOV-SCHEMA", "/risks/0/inherent/likelihood", "99 is greater than the maximum of 10")]),
    "likelihood-high": (("inherent: {likelihood: 4", "inherent: {likelihood: high"),
                        [("GOV-SCHEMA", "/risks/0/inherent/likelihood", "'high' is not of type 'integer'")]),
    "likelihood-2.5": (("inherent: {likelihood: 4", "inherent: {likelihood: 2.5"),
                       [("GOV-SCHEMA", "/risks/0/inherent/likelihood", "2.5 is not of type 'integer'")]),
    "likelihood-true": (("inherent: {likelihood: 4", "inherent: {likelihood: true"),
                        [("GOV-SCHEMA", "/risks/0/inherent/likelihood", "True is not of type 'integer'")]),
    "impact-quoted": (("residual: {likelihood: 2, impact: 3}", 'residual: {likelihood: 2, impact: "3"}'),
                      [("GOV-SCHEMA", "/risks/0/residual/impact", "'3' is not of type 'integer'")]),
}


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_yaml_11_traps_and_wrong_types_are_findings_at_their_place(work: Path, trap: str) -> None:
    (old, new), expected = TRAPS[trap]
    text = base_text()
    assert old in text
    text = text.replace(old, new, 1).replace("id: LBX-2025-008", "id: LBX-2025-901")  # not the neighbour's id
    run = check(work, write(work, "trap.yaml", text), "known.yaml")
    mine = [f for f in run.findings if f["file"] == "trap.yaml"]
    assert sorted((f["rule"], f["path"]) for f in mine) == sorted((rule, path) for rule, path, _ in expected), mine
    for rule, path, words in expected:
        assert any(f["rule"] == rule and f["path"] == path and words in f["message"] for f in mine), (words, mine)
    line = line_of(text, new)
    assert all(f["line"] == line for f in mine)
    assert run.returncode == 1
    assert_neighbour_checked(run)


def test_escapes_in_names_are_data_and_reach_no_terminal(work: Path) -> None:
    evil = r"\e[31mRED\e]8;;https://evil.example\a link\e]8;;\a\b\r\u202Eesrever\x9b2J\0"
    text = base_text().replace("name: Tell us you're moving (council tax)", f'name: "{evil}"')
    text = text.replace("id: LBX-2025-008", f'id: "LBX-{evil}"')
    write(work, "evil.yaml", text)
    run = check(work, "evil.yaml", "known.yaml")
    [schema] = [f for f in run.findings if f["file"] == "evil.yaml"]
    assert (schema["rule"], schema["path"]) == ("GOV-SCHEMA", "/metadata/id")
    for fmt in ("text", "github", "markdown"):
        shown = govern("check", "evil.yaml", "known.yaml", "--as-of", AS_OF, "--no-plugins", "--format", fmt, "--show-passes"
                       if fmt == "text" else "--quiet", cwd=work)
        assert not RAW_CONTROL.search(shown.stdout + shown.stderr), fmt
        assert "\\x1b[31m" in shown.stdout or "\\\\x1b" in shown.stdout, fmt  # shown, escaped


# -- files that are not files ----------------------------------------------------------------------


def test_symlink_loop_and_dangling_link_in_a_folder_walk_and_named(work: Path) -> None:
    (work / "loop1.yaml").symlink_to("loop2.yaml")
    (work / "loop2.yaml").symlink_to("loop1.yaml")
    (work / "dangling.yaml").symlink_to("nowhere.yaml")
    run = check(work, ".")
    got = {(f["file"], f["line"], f["column"]): f["message"] for f in run.findings if f["rule"] == "GOV-INPUT"}
    assert "symbolic link loop" in got[("loop1.yaml", 1, 1)] and "symbolic link loop" in got[("loop2.yaml", 1, 1)]
    assert "broken symbolic link: it points to 'nowhere.yaml'" in got[("dangling.yaml", 1, 1)]
    assert run.returncode == 2
    assert_neighbour_checked(run)
    for name, words in (("loop1.yaml", "symbolic link loop"), ("dangling.yaml", "broken symbolic link")):
        assert_input_error(check(work, name, "known.yaml"), name, 1, 1, words)


def test_a_fifo_named_yaml_never_blocks_the_run(work: Path) -> None:
    os.mkfifo(work / "pipe.yaml")
    run = check(work, ".")
    assert run.returncode == 2
    assert [(f["file"], f["message"]) for f in run.findings if f["rule"] == "GOV-INPUT"] == [
        ("pipe.yaml", "not a regular file (a FIFO, socket or device is never read)")]
    assert_neighbour_checked(run)
    assert_input_error(check(work, "pipe.yaml", "known.yaml"), "pipe.yaml", 1, 1, "not a regular file")


@pytest.mark.parametrize("option", ["--waivers", "--appetite", "--policies", "--config", "--baseline"])
def test_a_fifo_or_device_as_any_input_never_blocks_the_run(work: Path, option: str) -> None:
    os.mkfifo(work / "pipe.yaml")
    for target in ("pipe.yaml", "/dev/zero"):
        run = govern("check", "known.yaml", option, target, "--as-of", AS_OF, "--no-plugins", cwd=work)
        assert run.returncode == 2, (option, target, run.stdout, run.stderr)
        assert "not a regular file" in run.stdout + run.stderr or "not found" in run.stderr, (option, run.stdout, run.stderr)


def test_a_folder_named_like_a_manifest_is_walked_not_read(work: Path) -> None:
    (work / "folder.yaml").mkdir()
    (work / "folder.yaml" / "inner.yaml").write_text(KNOWN.replace("LBX-2025-008", "LBX-2025-009"), encoding="utf-8")
    run = check(work, ".")
    assert run.returncode == 1 and not run.at("GOV-INPUT")
    assert ("folder.yaml/inner.yaml", *KNOWN_AT[1:]) in run.at("SEC-002")


def test_an_unreadable_file(work: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root reading a file (FIFO and folder cases cover it)")
    path = work / "locked.yaml"
    path.write_text(KNOWN, encoding="utf-8")
    path.chmod(0)
    try:
        assert_input_error(check(work, "locked.yaml", "known.yaml"), "locked.yaml", 1, 1, "cannot read file")
    finally:
        path.chmod(0o644)


def test_missing_paths_are_located_input_errors(work: Path) -> None:
    run = check(work, "missing.yaml", "no/such/folder", "known.yaml")
    assert run.returncode == 2
    assert sorted(run.at("GOV-INPUT")) == [("missing.yaml", 1, 1), ("no/such/folder", 1, 1)]
    assert "no such file or directory" in run.messages("GOV-INPUT")
    assert_neighbour_checked(run)


def test_a_folder_mixing_manifests_with_other_files_checks_only_the_manifests(work: Path) -> None:
    write(work, "README.md", "# Initiatives\n")
    write(work, "data.json", '{"apiVersion": "govern/v1"}\n')
    write(work, "workflow.yml", "name: CI\non: [push]\njobs: {build: {runs-on: ubuntu-latest}}\n")
    write(work, "docker-compose.yaml", "services:\n  web: {image: nginx, ports: ['80:80']}\n")
    write(work, "deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n")
    write(work, ".hidden.yaml", "apiVersion: govern/v1\nkind: Nonsense\n")
    (work / ".github").mkdir()
    write(work, ".github/broken.yml", "a: [\n")
    shutil.copy(ROOT / "policies" / "default-appetite.yaml", work / "appetite.yaml")
    run = check(work, ".")
    assert run.returncode == 1, run.findings
    assert [m["file"] for m in run.report["manifests"]] == ["known.yaml"]
    assert [f["rule"] for f in run.findings] == ["SEC-002"]
    named = check(work, "workflow.yml", "known.yaml")
    assert_input_error(named, "workflow.yml", 1, 1, "not a govern document: document 1 has no `apiVersion: govern/v1`")
    skipped = check(work, "workflow.yml", "docker-compose.yaml", "known.yaml", extra=("--skip-non-govern",))
    assert skipped.returncode == 1 and [f["rule"] for f in skipped.findings] == ["SEC-002"]


def test_control_characters_in_file_and_folder_names(work: Path) -> None:
    folder = work / "dir\x1b]8;;x\x07"
    folder.mkdir()
    (folder / "m\x1b[31m.yaml").write_text("a: [\n", encoding="utf-8")
    run = govern("check", ".", "--as-of", AS_OF, "--no-plugins", cwd=work)
    assert run.returncode == 2
    assert not RAW_CONTROL.search(run.stdout + run.stderr)
    assert "dir\\x1b]8;;x\\x07/m\\x1b[31m.yaml:2:1  ERROR  GOV-INPUT" in run.stdout
    github = govern("check", ".", "--as-of", AS_OF, "--no-plugins", "--format", "github", cwd=work)
    assert not RAW_CONTROL.search(github.stdout + github.stderr)


# -- 2. everything else users write ----------------------------------------------------------------

# pack file -> (line, column, words)
PACKS = {
    "redos-require.yaml": (13, 5, "pattern '^(a+)+$' has a nested quantifier"),
    "redos-jsonschema-path.yaml": (13, 5, "pattern '(x+x+)+y' has a nested quantifier"),
    "redos-pattern-properties.yaml": (13, 5, "pattern '^(a|aa)+$' has a nested quantifier"),
    "redos-when.yaml": (13, 5, "has a nested quantifier"),
    "redos-polynomial.yaml": (13, 5, "could take too long to match"),
    "invalid-pattern.yaml": (13, 5, "is not a regular expression"),
    "misspelt-keyword.yaml": (13, 5, "unknown keyword 'requird'"),
    "unknown-function.yaml": (13, 5, "unknown check function 'no_such_function'"),
    "bad-function-options.yaml": (14, 12, "options for date_recent: path: 7 is not of type 'string'"),
    "clashing-rule-id.yaml": (6, 5, "rule GOV-001 is defined twice (builtin and local)"),
    "broken-yaml.yaml": (13, 14, "did not find expected ',' or '}'"),
}


def test_the_pack_table_covers_every_hostile_pack() -> None:
    assert {p.name for p in (HOSTILE / "packs").glob("*.yaml")} == set(PACKS) | {"quadratic-pattern.yaml", "escapes-in-text.yaml"}


@pytest.mark.parametrize("name", sorted(PACKS))
def test_hostile_policy_pack_is_a_located_error_and_the_run_goes_on(work: Path, name: str) -> None:
    (work / "pack").mkdir()
    shutil.copy(HOSTILE / "packs" / name, work / "pack" / name)
    name_text = "a" * 60 + "b"  # what (a+)+ would take forever to refuse
    write(work, "redos.yaml", base_text().replace("name: Tell us you're moving (council tax)", f"name: {name_text}"))
    run = check(work, "known.yaml", "redos.yaml", extra=("--policies", "pack"))
    assert_input_error(run, f"pack/{name}", *PACKS[name])
    assert run.seconds < TIMEOUT
    for command in (("rules",), ("test", "pack")):
        listed = govern(*command, "--policies", "pack", "--no-plugins", cwd=work)
        assert listed.returncode == 2 and f"pack/{name}:{PACKS[name][0]}:{PACKS[name][1]}" in listed.stderr


def test_a_quadratic_pattern_is_matched_against_bounded_strings_only(work: Path) -> None:
    (work / "pack").mkdir()
    shutil.copy(HOSTILE / "packs" / "quadratic-pattern.yaml", work / "pack")
    text = base_text().replace("  tags: [council-tax", "  description: " + "a" * 2_000_000 + "\n  tags: [council-tax")
    write(work, "long.yaml", text)
    run = check(work, "long.yaml", "known.yaml", extra=("--policies", "pack"))
    [finding] = [f for f in run.findings if f["rule"] == "HOST-006"]
    assert finding["path"] == "/metadata/description" and "too long to check against the pattern" in finding["message"]
    ok = text.replace("a" * 2_000_000, "We are moving")
    assert check(work, write(work, "long.yaml", ok), extra=("--policies", "pack")).findings == []
    assert run.seconds < TIMEOUT


def test_a_pack_full_of_terminal_escapes_is_shown_escaped(work: Path) -> None:
    (work / "pack").mkdir()
    shutil.copy(HOSTILE / "packs" / "escapes-in-text.yaml", work / "pack")
    for args in (("check", "known.yaml", "--as-of", AS_OF), ("check", "known.yaml", "--as-of", AS_OF, "--format", "github"),
                 ("rules",), ("rules", "--format", "markdown"), ("explain", "HOST-011"), ("test", "pack")):
        run = govern(*args, "--policies", "pack", "--no-plugins", cwd=work)
        assert run.returncode in (0, 1), (args, run.stderr)
        assert not RAW_CONTROL.search(run.stdout + run.stderr), args
        assert "HOST-011" in run.stdout


APPETITES = {
    "huge-scale.yaml": (5, 9, "scale.likelihood: 1000000000 is greater than the maximum of 10"),
    "bad-levels.yaml": (6, 10, "levels.averse: 'low' is not of type 'integer'"),
    "duplicate-category.yaml": (9, 3, "duplicate key 'technology'"),
    "a-list.yaml": (1, 1, "holds no RiskAppetite document"),
    "wrong-kind.yaml": (1, 1, "holds no RiskAppetite document"),
}
WAIVERS = {
    "impossible-date.yaml": (5, 3, '"2027-02-30" is not a real date; write dates as YYYY-MM-DD'),
    "expires-before-approval.yaml": (5, 3, "expires 2025-01-01 is before approved_on 2026-03-01"),
    "not-a-list.yaml": (4, 10, "is not of type 'array'"),
    "string-entry.yaml": (5, 5, "'just a string' is not of type 'object'"),
    "wrong-kind.yaml": (3, 1, "expected a WaiverRegister"),
    "yes-as-date.yaml": (5, 3, 'expires: "yes" is not a date; write dates as YYYY-MM-DD'),
}


@pytest.mark.parametrize(("kind", "name"), [("appetite", n) for n in sorted(APPETITES)] + [("waivers", n) for n in sorted(WAIVERS)])
def test_hostile_statement_or_register_is_a_located_input_error(work: Path, kind: str, name: str) -> None:
    shutil.copy(HOSTILE / kind / name, work / name)
    line, _, words = (APPETITES if kind == "appetite" else WAIVERS)[name]
    run = check(work, "known.yaml", extra=(f"--{kind}", name))
    assert run.returncode == 2, run.findings
    located = [f for f in run.findings if f["rule"] == "GOV-INPUT" and f["file"] == name]
    assert located and located[0]["line"] == line, located
    assert words in located[0]["message"], located
    assert_neighbour_checked(run)  # SEC-002 is still reported, and never waived by a broken register
    assert not any(f["status"] == "waived" for f in run.findings)


CONFIGS = {
    "zero-size.yaml": "max_file_size: 0 is less than the minimum of 1",
    "format-writes-file.yaml": 'format: "json:victim.txt" is not in the form this field needs',
    "unknown-key.yaml": 'unknown top-level key "fail_onn" (did you mean "fail_on"?)',
    "a-list.yaml": "configuration must be a mapping of settings",
    "size-as-text.yaml": "max_file_size: '5MB' is not of type 'integer'",
    "on-as-boolean.yaml": "plugins.autoload: 'on' is not of type 'boolean'",
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_hostile_configuration_is_a_located_error(work: Path, name: str) -> None:
    shutil.copy(HOSTILE / "config" / name, work / "govern.yaml")
    write(work, "victim.txt", "precious\n")
    run = govern("check", "known.yaml", "--as-of", AS_OF, "--no-plugins", cwd=work)
    assert run.returncode == 2
    assert re.search(r"govern: govern\.yaml:\d+:\d+: ", run.stderr), run.stderr
    assert CONFIGS[name] in run.stderr, run.stderr
    assert (work / "victim.txt").read_text() == "precious\n"


def test_a_pyproject_nested_too_deeply_is_a_located_error(work: Path) -> None:
    write(work, "pyproject.toml", "[tool.govern]\nfail_on = " + "[" * 50_000 + "]" * 50_000 + "\n")
    run = govern("check", "known.yaml", "--as-of", AS_OF, "--no-plugins", cwd=work)
    assert run.returncode == 2 and "pyproject.toml:1:1: TOML is nested too deeply" in run.stderr


PLUGINS = {
    "raises-on-import.py": ("GOV-PLUGIN", "failed to import: RuntimeError"),
    "syntax-error.py": ("GOV-PLUGIN", "failed to import: SyntaxError"),
    "bad-returns.py": ("GOV-PLUGIN", "govern_rules() returned"),
    "check-raises.py": ("GOV-ENGINE", "rule HOSTILE-001 (check-raises) raised ZeroDivisionError"),
}


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_a_broken_plugin_is_reported_by_name_and_the_run_goes_on(work: Path, name: str) -> None:
    shutil.copy(HOSTILE / "plugins" / name, work / name)
    run = check(work, "known.yaml", extra=("--plugin", name))
    rule, words = PLUGINS[name]
    assert run.returncode == 2
    assert words in run.messages(rule), run.findings
    assert_neighbour_checked(run)
    if name == "check-raises.py":
        assert "HOSTILE-002 (check-raises) raised TypeError: its check returned malformed data" in run.messages("GOV-ENGINE")
    text = govern("check", "known.yaml", "--plugin", name, "--as-of", AS_OF, "--no-plugins", cwd=work)
    assert not RAW_CONTROL.search(text.stdout + text.stderr)
    listed = govern("plugins", "--plugin", name, "--no-plugins", cwd=work)
    assert not RAW_CONTROL.search(listed.stdout + listed.stderr)


# -- 3. terminal safety for every command -----------------------------------------------------------

EVIL = r"\e[31mRED\e]8;;https://evil.example\a link\e]8;;\a\b\r\u202Eesrever\x9b2J\0"


@pytest.fixture
def evil(work: Path) -> Path:
    """Manifests, a pack, a register, a statement and a configuration with escapes in every text field."""
    text = base_text().replace("name: Tell us you're moving (council tax)", f'name: "Tell {EVIL}"')
    text = text.replace("department: lbx-revenues", f'department: "dept {EVIL}"')
    text = text.replace("{name: Daniel Reyes, email: d.reyes@lbx.example.gov}", f'{{name: "Daniel {EVIL}", email: d.reyes@lbx.example.gov}}')
    text = text.replace("residency: [GB]", f'residency: ["F{EVIL}"]').replace("extensions: {}", f'extensions: {{"x{EVIL}": {{}}}}')
    write(work, "evil.yaml", text)
    (work / "pack").mkdir()
    shutil.copy(HOSTILE / "packs" / "escapes-in-text.yaml", work / "pack")
    write(work, "waivers.yaml", f"""apiVersion: govern/v1
kind: WaiverRegister
waivers:
  - {{initiative: LBX-2025-008, rule: HOST-011, justification: "Because {EVIL}", approved_by: {{name: "Boss {EVIL}"}}, approved_on: 2026-03-01, expires: 2027-03-01}}
  - {{initiative: "LBX{EVIL}", rule: SEC-002, justification: "Stale {EVIL}", approved_by: {{name: "Boss {EVIL}"}}, approved_on: 2026-03-01, expires: 2027-03-01}}
""")
    appetite = (ROOT / "policies" / "default-appetite.yaml").read_text(encoding="utf-8")
    write(work, "appetite.yaml", appetite.replace("name: lbx-2026", f'name: "lbx {EVIL}"').replace(
        "approved_by: Corporate Leadership Board", f'approved_by: "Board {EVIL}"'))
    write(work, "settings.yaml", f'classification: {{tiers: [OFFICIAL, SECRET, "TOP {EVIL}"]}}\nseverity: {{"X{EVIL}": warning}}\n')
    folder = work / "dir\x1b]8;;x\x07"
    folder.mkdir()
    (folder / "m\x1b[31m.yaml").write_text(text.replace("LBX-2025-008", "LBX-2025-009"), encoding="utf-8")
    return work


TERMINAL = {
    "check-text": ("check", "evil.yaml", "dir\x1b]8;;x\x07", "--policies", "pack", "--waivers", "waivers.yaml", "--appetite", "appetite.yaml", "--show-passes"),
    "check-github": ("check", "evil.yaml", "--policies", "pack", "--waivers", "waivers.yaml", "--format", "github"),
    "check-markdown": ("check", "evil.yaml", "--policies", "pack", "--format", "markdown"),
    "check-missing-path": ("check", "no\x1b[31m.yaml"),
    "check-bad-format": ("check", "evil.yaml", "--format", "x\x1b[31m"),
    "check-bad-config": ("check", "evil.yaml", "--config", "no\x1b[31m.yaml"),
    "check-bad-baseline": ("check", "evil.yaml", "--baseline", "no\x1b[31m.json"),
    "check-config": ("check", "evil.yaml", "--config", "settings.yaml"),
    "rules": ("rules", "--policies", "pack"),
    "explain": ("explain", "HOST-011", "--policies", "pack"),
    "explain-missing": ("explain", "NO\x1b[31m", "--policies", "pack"),
    "test": ("test", "pack"),
    "waivers": ("waivers", "--waivers", "waivers.yaml", "evil.yaml", "--policies", "pack"),
    "appetite": ("appetite", "--appetite", "appetite.yaml"),
    "config": ("config", "--config", "settings.yaml"),
    "portfolio": ("portfolio", "evil.yaml", "dir\x1b]8;;x\x07"),
    "portfolio-markdown": ("portfolio", "evil.yaml", "--format", "markdown"),
    "init-over-a-file": ("init", "--output", "evil.yaml"),
}


@pytest.mark.parametrize("name", sorted(TERMINAL))
def test_no_command_sends_a_control_character_from_input_to_the_terminal(evil: Path, name: str) -> None:
    args = TERMINAL[name]
    dated = () if args[0] in ("init", "config") else ("--as-of", AS_OF)
    plugins = () if args[0] == "init" else ("--no-plugins",)
    run = govern(*args, *dated, *plugins, cwd=evil)
    assert run.stdout or run.stderr
    found = sorted({repr(c) for c in RAW_CONTROL.findall(run.stdout + run.stderr)})
    assert not found, (found, run.stdout[-2000:], run.stderr[-2000:])


# -- 4. nothing lost: inputs untouched, reports written whole or not at all ---------------------------


def test_output_onto_an_input_is_refused_and_the_input_survives(work: Path) -> None:
    (work / "pack").mkdir()
    shutil.copy(HOSTILE / "packs" / "quadratic-pattern.yaml", work / "pack" / "p.yaml")
    write(work, "govern.yaml", "fail_on: error\n")
    for target in ("known.yaml", "pack/p.yaml", "govern.yaml", "./known.yaml"):
        for how in (("--output", target), ("--format", f"json:{target}")):
            run = govern("check", ".", "--policies", "pack", "--as-of", AS_OF, "--no-plugins", *how, cwd=work)
            assert run.returncode == 2 and "is an input of this run; govern never overwrites its inputs" in run.stderr
    assert not list(work.glob(".govern-*"))


def test_a_failed_run_leaves_the_previous_report_byte_identical(work: Path) -> None:
    first = govern("check", "known.yaml", "--as-of", AS_OF, "--no-plugins", "--format", "json", "--output", "report.json",
                   cwd=work, outputs=("report.json",))
    assert first.returncode == 1
    before = (work / "report.json").read_bytes()
    for args in (("--format", "nope"), ("--as-of", "2026-02-30"), ("--max-file-size", "0"), ("--fail-on", "sometimes")):
        run = govern("check", "known.yaml", "--no-plugins", "--output", "report.json", *args, cwd=work)
        assert run.returncode == 2
        assert (work / "report.json").read_bytes() == before
    assert sorted(p.name for p in work.iterdir()) == ["known.yaml", "report.json"]  # no temporary file left


def test_a_run_killed_midway_leaves_the_previous_report_intact(work: Path) -> None:
    (work / "report.json").write_text('{"previous": true}\n', encoding="utf-8")
    # long enough to read and check (~1.7 s) that the kill lands well before the report is written
    write(work, "flood.yaml", "---\napiVersion: govern/v1\nkind: Initiative\n" * 40000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "govern", "check", "flood.yaml", "--as-of", AS_OF, "--no-plugins", "--format", "json",
         "--output", "report.json"], cwd=work, preexec_fn=_limits, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=TIMEOUT)
    assert (work / "report.json").read_text(encoding="utf-8") == '{"previous": true}\n'
    assert not list(work.glob(".govern-*"))


def test_an_output_in_a_missing_folder_or_onto_a_folder_is_a_usage_error(work: Path) -> None:
    (work / "out").mkdir()
    for target, words in (("missing/report.json", "cannot write missing/report.json"), ("out", "out is a folder")):
        run = govern("check", "known.yaml", "--as-of", AS_OF, "--no-plugins", "--output", target, cwd=work)
        assert run.returncode == 2 and words in run.stderr
