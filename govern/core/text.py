"""Keep terminals, CI logs and JSON readers safe: no control character from an input reaches them raw.

Three threats, one module:

- control characters (ANSI escapes, OSC 8 hyperlinks, bidi overrides, NUL, C1
  controls, line and paragraph separators) would drive a terminal or hide text:
  ``clean`` and ``one_line`` show them as visible escapes (``\\x1b``, ``\\u202e``);
- a newline, carriage return or TAB in a file name or a manifest value would
  forge a line of a line-oriented report: ``one_line`` shows them as ``\\n``,
  ``\\r`` and ``\\t``;
- the GitHub Actions runner reads any log line that starts, after white space,
  with ``::``, or that holds ``##[``, as a workflow command (``::stop-commands::``
  would silence govern's own annotations): both are shown with the colon or the
  bracket escaped (``\\x3a:``, ``##\\x5b``), in every line a value can start.

JSON keeps the text whole: ``json_safe`` writes U+007F-U+009F, the separators,
the bidi controls, lone surrogates and the ``[`` of ``##[`` as ``\\u`` escapes,
so the bytes are safe and the parsed value is exactly the input.
"""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_CONTROLS}]")  # in a multi-line text: newline and TAB stay
_CONTROL_OR_BREAK = re.compile(f"[\t\n{_CONTROLS}]")  # in one value: they go too
# run after the controls are escaped, so the white space before a leading :: is plain space
_COMMAND_LINES = re.compile(r"##\[|^[^\S\n]*::", re.M)
_COMMAND = re.compile(r"##\[|^\s*::")
_SUSPECT = re.compile(f"[\t\n{_CONTROLS}]|##\\[|::")  # the fast path: most text has none of these
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# JSON: what json.dumps(ensure_ascii=False) leaves raw but a terminal, a log or a browser would act on
_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]|##\\[")
_JSON_CHARS = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")  # a class alone searches faster


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def _defuse(match: re.Match[str]) -> str:
    text = match.group()
    return "##\\x5b" if text == "##[" else text[:-2] + "\\x3a:"


def clean(text: str) -> str:
    """A multi-line text with control characters (ANSI escapes, bidi overrides, NUL...) as visible escapes.

    Newlines and TABs stay: use it for whole texts govern lays out, ``one_line`` for a value.
    """
    if not _SUSPECT.search(text):
        return text
    return _COMMAND_LINES.sub(_defuse, _CONTROL.sub(_escape, text))


def one_line(text: str) -> str:
    """One value on one line: newline, CR, TAB and every other control character as a visible escape.

    Idempotent, so a value escaped twice reads the same.
    """
    if not _SUSPECT.search(text):
        return text
    return _COMMAND.sub(_defuse, _CONTROL_OR_BREAK.sub(_escape, text))


def controls(text: str) -> str:
    """Only the control characters, TAB and newline included, as visible escapes: for a value that
    sits inside a line govern starts itself (a workflow command's properties and message)."""
    return _CONTROL_OR_BREAK.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    text = match.group()
    return "##\\u005b" if text == "##[" else f"\\u{ord(text):04x}"


def json_safe(text: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with the characters above as ``\\u`` escapes.

    They can only occur inside strings (JSON's own syntax is ASCII and has no ``#``),
    so the document parses to the same value; the output stays UTF-8 and deterministic.
    """
    if text.isascii() and "\x7f" not in text and "##[" not in text:  # the usual case, tested at C speed
        return text
    return _JSON.sub(_json_escape, text) if _JSON_CHARS.search(text) or "##[" in text else text
