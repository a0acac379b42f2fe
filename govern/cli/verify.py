"""``govern verify REPORT.json``: the command, the re-run and its output.

``govern.run.verify`` decides whether a report still stands; this module reads the
report, re-runs its check through the same command-line path ``govern check`` takes
(``build_parser`` and ``options_from``), regenerates the JSON report with the JSON
reporter, and prints the differences as text or JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from govern.core.errors import EXIT_FINDINGS, EXIT_OK, GovernError
from govern.core.loader import DEFAULT_MAX_FILE_SIZE
from govern.run.compare import Difference
from govern.run.verify import PluginsNotAllowed, replay_argv, verify


def register(subparsers: Any, common: Any) -> None:  # noqa: ARG001 - options come from the report
    from govern.cli.app import _size

    parser = subparsers.add_parser(
        "verify",
        help="check that a JSON report still matches its files and findings",
        description="Re-read the files a JSON report names, re-run its check at its as_of and compare the whole "
        "report with the one the re-run writes: exit 0 when everything matches, 1 naming each difference, 2 when "
        "the report is unreadable or names plugin code it may not run. Run it from the folder the check ran in.",
    )
    parser.add_argument("report", metavar="REPORT.json", help="a report written by `govern check --format json`")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    parser.add_argument("--max-file-size", type=_size, metavar="BYTES",
                        help="refuse a larger report (default 5 MiB); a FIFO or device is never read")
    parser.add_argument("--quiet", action="store_true",
                        help="print differences only, nothing when the report is verified")
    parser.add_argument("--allow-plugins", action="store_true",
                        help="trust the report: import and run the --plugin files it names (only when their "
                        "SHA-256 matches the report's) to re-run its check; without it they are only hashed")
    parser.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    parser.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from govern.run.baseline import load_report

    previous = load_report(args.report, validate=False,  # a value govern never writes is a difference
                           max_size=args.max_file_size or DEFAULT_MAX_FILE_SIZE)
    provenance = previous.data.get("provenance")
    if not isinstance(provenance, dict):
        raise previous.error(
            "report has no provenance (written by an older govern?): write it again with `govern check --format json`"
        )
    try:
        differences, totals = verify(previous.data, provenance, fresh_report, args.allow_plugins, previous.text)
    except PluginsNotAllowed as exc:
        raise previous.error(exc.message, "/provenance/arguments/plugins") from None
    text = render_json(previous.display, differences, totals) if args.format == "json" else \
        render_text(previous.display, differences, totals, args.quiet)
    sys.stdout.write(text)
    return EXIT_FINDINGS if differences else EXIT_OK



def rerun(provenance: dict[str, Any]) -> Any:
    """Run the recorded check again, through the same command-line path; a GovernError says why it cannot."""
    import contextlib
    import io

    from govern.cli.app import build_parser, options_from
    from govern.run.runner import run_check

    argv = replay_argv(provenance)
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):  # argparse's usage message becomes part of ours
            args = build_parser(argv).parse_args(argv)
    except SystemExit:
        reason = (said.getvalue().strip().splitlines() or ["invalid"])[-1]
        raise GovernError(f"the recorded arguments cannot be replayed ({reason})") from None
    options = options_from(args, argv[0])
    report = run_check(options, argv[0])
    baseline = getattr(args, "baseline", None)
    if baseline:
        from govern.run.baseline import apply_baseline

        try:
            apply_baseline(report, baseline, options.max_file_size)
        except GovernError:
            report.provenance["baseline"] = {"file": baseline, "sha256": None}
    return report


def fresh_report(provenance: dict[str, Any]) -> dict[str, Any]:
    """The JSON report a fresh run of the recorded check writes, read back as data."""
    return regenerate(rerun(provenance))


def regenerate(report: Any) -> dict[str, Any]:
    """The JSON report a fresh run writes, read back as data."""
    from govern.reporters.json_ import iter_render

    return json.loads("".join(iter_render(report)))



_SECTIONS = (
    ("inputs",
     ("govern", "missing", "manifest", "pack", "plugin", "appetite", "waivers", "config", "baseline", "rerun")),
    ("findings", ("finding",)),
    ("outcomes", ("outcome",)),
    ("values", ("value",)),
)


def render_text(report: str, differences: list[Difference], totals: dict[str, int], quiet: bool = False) -> str:
    from govern.core.text import one_line

    if not differences:
        if quiet:
            return ""
        plural = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")  # noqa: E731
        return (
            f"{one_line(report)}: verified: {plural(totals['manifests'], 'file')}, "
            f"{plural(totals['packs'], 'pack')}, "
            f"{plural(totals['plugins'], 'plugin')}, appetite, waivers and configuration unchanged; "
            f"{plural(totals['findings'], 'finding')}, {plural(totals['outcomes'], 'rule outcome')} and every other "
            "value reproduced\n"
        )
    lines = []
    for title, kinds in _SECTIONS:
        chosen = [d for d in differences if d.kind in kinds]
        if chosen:
            lines.append(f"{title} that differ from {one_line(report)}:")
            lines += [f"  {one_line(d.message)}" for d in chosen]
    if not quiet:
        count = len(differences)
        lines.append(f"{one_line(report)}: does not match ({count} difference{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def render_json(report: str, differences: list[Difference], totals: dict[str, int]) -> str:
    sections = {title: [d.to_dict() for d in differences if d.kind in kinds] for title, kinds in _SECTIONS}
    out = {"report": report, "verified": not differences, "totals": totals, **sections}
    from govern.core.text import json_safe

    return json_safe(json.dumps(out, indent=2, ensure_ascii=False)) + "\n"
