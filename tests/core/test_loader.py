"""The loader: YAML 1.2 typing, positions, and every way a file can be bad."""

from __future__ import annotations

import codecs

import pytest

import yaml

from govern.core.errors import GovernError
from govern.core.loader import load_file, load_text, resolve_pointer, sniff_headers


def one(text: str):
    docs, errors = load_text(text, "m.yaml")
    assert errors == []
    assert len(docs) == 1
    return docs[0]


def error_of(text: str) -> GovernError:
    docs, errors = load_text(text, "m.yaml")
    assert docs == [] and len(errors) == 1, (docs, errors)
    return errors[0]


def test_yaml_12_scalars_stay_what_they_are():
    data = one(
        "a: NO\nb: on\nc: yes\nd: 2026-01-02\ne: 0o17\nf: 0x1F\ng: 1.5\nh: ~\ni: true\nj: 'true'\n"
        "k: 012\nl: .inf\nm: -3\nn: 1e3\n"
    ).data
    assert data == {
        "a": "NO", "b": "on", "c": "yes", "d": "2026-01-02", "e": 15, "f": 31, "g": 1.5, "h": None,
        "i": True, "j": "true", "k": 12, "l": float("inf"), "m": -3, "n": 1000.0,
    }


def test_explicit_core_tags_are_honoured():
    assert one("a: !!str 12\nb: !!int '7'\nc: !!bool true\n").data == {"a": "12", "b": 7, "c": True}


def test_positions_side_table_points_at_keys_and_items():
    doc = one("metadata:\n  id: X-1\nrisks:\n  - id: R1\n    owner: {name: A}\n")
    assert doc.positions["/metadata/id"] == (2, 3)
    assert doc.positions["/risks/0"] == (4, 5)
    assert doc.positions["/risks/0/owner/name"] == (5, 13)
    assert "__line__" not in str(doc.data)  # positions never leak into the data


def test_missing_field_locates_nearest_existing_parent():
    doc = one("privacy:\n  dpia:\n    status: completed\n")
    assert doc.locate("/privacy/dpia/review_by") == (2, 3)
    assert doc.locate("/security/mfa") == (1, 1)


def test_pointer_escaping_round_trips():
    doc = one("'a/b': {'c~d': 1}\n")
    assert resolve_pointer(doc.data, "/a~1b/c~0d") == 1
    assert doc.locate("/a~1b/c~0d") == (1, 9)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: 1\nb:\n  c: 1\n  c: 2\n", 4, 3, "duplicate key 'c'"),
        ("a: 1\na: 2\n", 2, 1, "duplicate key 'a'"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", 1, 4, "unsupported tag"),
        ("a: !custom x\n", 1, 4, "unsupported tag"),
        ("a: &a [*a]\n", 1, 8, "recursive alias"),  # at the alias that recurses
        ("x: &x {a: 1}\ny:\n  <<: *x\n  <<: *x\n", 4, 3, "merge key '<<' appears twice in one mapping"),
        ("x: &x 1\ny:\n  <<: *x\n", 3, 7, "takes a mapping or a list of mappings; this is a single value"),
        ("y:\n  <<: text\n", 2, 7, "takes a mapping or a list of mappings; this is a single value"),
        ("y:\n  <<:\n", 2, 6, "takes a mapping or a list of mappings; this is empty"),
        ("x: &x {a: 1}\ny: {<<: [*x, [b]]}\n", 2, 14, "list may hold only mappings; item 2 is a list"),
        ("x: &x [a]\ny: {<<: *x}\n", 2, 9, "list may hold only mappings; item 1 is a single value"),  # at the alias
        ("x: &m <<\ny: {*m : {a: 1}}\n", 2, 5, "an alias of '<<' used as a key is ambiguous"),
        ("a:\n\tb: 1\n", 2, 1, "YAML syntax error"),
        ("a: 'unterminated\n", 1, 4, "quoted scalar that starts here"),  # at the quote, not the end of the file
        ("a: " + "9" * 5000 + "\n", 1, 4, "too many digits"),
        ("? [a, b]\n: 1\n", 1, 3, "mapping keys must be plain strings"),
    ],
)
def test_bad_yaml_is_a_located_error(text, line, column, words):
    error = error_of(text)
    assert words in error.message
    assert (error.file, error.line, error.column) == ("m.yaml", line, column)


def test_alias_bomb_is_bounded():
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    error = error_of("\n".join(levels) + "\n")
    assert "alias bomb" in error.message


def test_small_aliases_are_fine():
    assert one("p: &p {name: A}\nq: *p\n").data == {"p": {"name": "A"}, "q": {"name": "A"}}


def test_deep_nesting_is_refused_not_crashed():
    error = error_of("a: " + "[" * 150 + "]" * 150 + "\n")
    assert "nesting deeper" in error.message
    error = error_of("[" * 5000 + "\n")
    assert "YAML syntax error" in error.message


def test_a_broken_document_does_not_hide_its_neighbours():
    docs, errors = load_text("a: 1\n---\nb: [\n---\nc: 3\n", "m.yaml")
    assert [d.data for d in docs] == [{"a": 1}, {"c": 3}]
    assert len(errors) == 1 and errors[0].line == 4
    assert docs[1].positions["/c"] == (5, 1)


def test_a_document_end_marker_also_bounds_a_broken_document():
    docs, errors = load_text("a: 1\n...\nb: [\n...\n---\nc: 3\n", "m.yaml")
    assert [d.data for d in docs] == [{"a": 1}, {"c": 3}]
    assert len(errors) == 1 and errors[0].line == 4
    assert docs[1].positions["/c"] == (6, 1)


@pytest.mark.parametrize(("text", "headers"), [
    ('apiVersion: "govern\\x2Fv1"\nkind: Initiative\nmetadata: [\n', [{"apiVersion": "govern/v1", "kind": "Initiative"}]),
    ("? apiVersion\n: !!str govern/v1\nx: [\n", [{"apiVersion": "govern/v1"}]),
    ("apiVersion:\nkind: Initiative\nx: {\n", [{"apiVersion": None, "kind": "Initiative"}]),
    # broken before the apiVersion: the lines after the break are read one by one
    ('x: 1\nmetadata: {\n"apiVersion": "\\x67overn/v1"\nkind: Initiative\n',
     [{"x": "1", "apiVersion": "govern/v1", "kind": "Initiative"}]),
    # each document says what it is, also one after a `...` that libyaml refuses
    ("apiVersion: v1\nkind: ConfigMap\n...\napiVersion: govern/v1\nmetadata: [\n",
     [{"apiVersion": "v1", "kind": "ConfigMap"}, {"apiVersion": "govern/v1"}]),
    ("a: [\n", []),
    ("- govern\n- [\n", []),
    ("kind: Initiative\x1b\nmetadata: [\n", [{"kind": "Initiative"}]),  # a control character is no obstacle
])
def test_sniff_headers_reads_what_a_broken_file_says_it_is(text, headers):
    assert sniff_headers(text) == headers


def test_multi_document_positions_are_file_lines():
    docs, _ = load_text("a: 1\n---\nb: 2\n", "m.yaml")
    assert docs[1].positions["/b"] == (3, 1)


@pytest.mark.parametrize(
    "raw",
    [
        codecs.BOM_UTF8 + b"name: caf\xc3\xa9\n",
        "name: café\n".encode("utf-16"),
        codecs.BOM_UTF16_BE + "name: café\n".encode("utf-16-be"),
        b"name: caf\xc3\xa9\r\nother: 1\r\n",
    ],
)
def test_encodings_with_bom_and_crlf(tmp_path, raw):
    path = tmp_path / "m.yaml"
    path.write_bytes(raw)
    loaded = load_file(str(path), "m.yaml")
    assert loaded.errors == []
    assert loaded.documents[0].data["name"] == "café"


def test_invalid_utf8_is_located(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_bytes(b"a: 1\nname: caf\xe9\n")
    loaded = load_file(str(path), "m.yaml")
    assert (loaded.errors[0].line, loaded.errors[0].column) == (2, 10)
    assert "invalid UTF-8" in loaded.errors[0].message


def test_size_limit(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    loaded = load_file(str(path), "m.yaml", max_size=100)
    assert "limit" in loaded.errors[0].message


def test_not_a_regular_file_and_missing(tmp_path):
    assert "not a regular file" in load_file(str(tmp_path)).errors[0].message
    assert "no such file" in load_file(str(tmp_path / "nope.yaml")).errors[0].message


def test_loading_never_modifies_the_file(tmp_path):
    path = tmp_path / "m.yaml"
    raw = b"a: 1\nb: [1, 2]\n"
    path.write_bytes(raw)
    before = path.stat().st_mtime_ns
    loaded = load_file(str(path))
    assert loaded.sha256 and path.read_bytes() == raw and path.stat().st_mtime_ns == before


# -- merge keys (<<) -----------------------------------------------------------------------------

MERGES = {
    "single": "base: &base {name: A, email: a@x.gov}\nowner:\n  <<: *base\n  role: sro\n",
    "list, earlier wins": "a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n",
    "explicit after wins": "a: &a {x: 1, y: 1}\nc:\n  <<: *a\n  x: 9\n",
    "explicit before wins": "a: &a {x: 1, y: 1}\nc:\n  x: 9\n  <<: *a\n  y: 8\n",
    "nested": "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b, z: 3}\n",
    "merged value overridden then aliased": "a: &a {x: {deep: 1}, y: 2}\nb: &b {<<: *a, x: {other: 3}}\nc: *b\n",
    "inline mappings": "c: {<<: [{x: 1}, {x: 2, y: 3}], z: 4}\n",
    "alias of a list of mappings": "a: &a [{x: 1}, {y: 2}]\nc: {<<: *a}\n",
    "empty list": "c: {<<: [], x: 1}\n",
    "explicit tag": "a: &a {x: 1}\nc: {!!merge <<: *a}\n",
    "quoted << is a plain key": "c: {'<<': 1, \"a<<\": 2}\n",
    "in a list of records": "d: &d {phase: beta, owner: {name: A}}\nrisks:\n  - {<<: *d, id: R1}\n  - <<: *d\n    id: R2\n    phase: live\n",
    "anchor inside a merge": "c: {<<: {x: &deep {k: 1}}}\nd: *deep\n",
}


@pytest.mark.parametrize("name", sorted(MERGES))
def test_merge_keys_read_as_pyyaml_reads_them(name):
    text = MERGES[name]
    assert one(text).data == yaml.load(text, Loader=yaml.SafeLoader)


def test_merged_values_are_located_where_their_anchor_wrote_them():
    doc = one("a: &a {x: 1, y: {z: 2}}\nb: &b {x: 5}\nc:\n  <<: [*b, *a]\n  w: 3\n")
    assert doc.data["c"] == {"x": 5, "y": {"z": 2}, "w": 3}
    assert doc.locate("/c/x") == (2, 8)  # from *b, the earlier in the list
    assert doc.locate("/c/y") == (1, 14)
    assert doc.locate("/c/y/z") == (1, 18)
    assert doc.locate("/c/w") == (5, 3)


def test_an_explicit_key_replaces_the_merged_values_positions():
    doc = one("a: &a {x: {deep: 1}}\nc:\n  <<: *a\n  x: 2\n")
    assert doc.data["c"] == {"x": 2}
    assert doc.locate("/c/x") == (4, 3)
    assert doc.locate("/c/x/deep") == (4, 3)  # nothing of the overridden value is left to point at


def test_an_alias_bomb_through_merge_keys_is_bounded():
    levels = ["l0: &l0 {" + ", ".join(f"k{i}: lol" for i in range(9)) + "}"]
    for n in range(1, 9):
        levels.append(f"l{n}: &l{n} {{<<: [" + ", ".join([f"*l{n - 1}"] * 9) + f"], m: *l{n - 1}}}")
    error = error_of("\n".join(levels) + "\n")
    assert "alias bomb" in error.message and error.line < 9
