"""The plugin hook reference, generated from ``govern/hookspecs.py``.

The hook reference page (docs/reference/hooks.md) holds it between two markers, exactly
``reference()``; ``tests/plugins/test_hookdocs.py`` fails when it drifts from the hook
specifications. ``scripts/docs_reference.py --write`` writes that page; any other Markdown
file with the markers can be refreshed with ``python -m govern.plugins.hookdocs --write FILE``.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from govern.plugins import hookspecs

START = "<!-- hooks:start: generated from govern/plugins/hookspecs.py by `python -m govern.plugins.hookdocs`; do not edit -->"
END = "<!-- hooks:end -->"


def hooks() -> list:
    """The hook specifications in the order they are written."""
    found = [
        fn
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("govern_") and fn.__module__ == hookspecs.__name__
    ]
    return sorted(found, key=lambda fn: fn.__code__.co_firstlineno)


def signature(fn) -> str:
    sig = inspect.signature(fn)
    returns = sig.return_annotation
    bare = sig.replace(return_annotation=inspect.Signature.empty)
    return f"{fn.__name__}{bare}" + ("" if returns is inspect.Signature.empty else f" -> {returns}")


def _markdown(text: str) -> str:
    return text.replace("``", "`")


def reference() -> str:
    """Markdown: a summary table, then each hook's signature and documentation."""
    out = ["| hook | returns |", "| --- | --- |"]
    for fn in hooks():
        returns = inspect.signature(fn).return_annotation
        summary = _markdown(inspect.getdoc(fn).split("\n\n")[0].replace("\n", " "))
        out.append(f"| `{fn.__name__}()` | `{returns}`: {summary} |")
    for fn in hooks():
        out += ["", f"#### `{signature(fn)}`", "", _markdown(inspect.getdoc(fn))]
    return "\n".join(out) + "\n"


def embedded(text: str) -> str | None:
    """The generated block of a document, or None when it has no markers."""
    if START not in text or END not in text:
        return None
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def replace(text: str) -> str:
    """``text`` with its generated block brought up to date."""
    if START not in text or END not in text:
        raise ValueError(f"no {START!r} ... {END!r} markers")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{START}\n{reference()}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--write"] and len(args) == 2:
        path = Path(args[1])
        path.write_text(replace(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    if args:
        print("usage: python -m govern.plugins.hookdocs [--write FILE]", file=sys.stderr)
        return 2
    sys.stdout.write(reference())
    return 0


if __name__ == "__main__":
    sys.exit(main())
