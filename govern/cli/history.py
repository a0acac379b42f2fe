"""``govern history DIR``: trends across the board's meetings, from a folder of portfolio JSON reports.

The reports are read and validated as ``govern portfolio --history`` reads them
(``govern.cli.portfolio.load_history``); the table is ``govern.report.history.history_table``.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    history = subparsers.add_parser(
        "history", help="trends across the board's meetings, from a folder of portfolio JSON reports",
        description="Read the `govern portfolio --format json` reports kept in a folder (one per meeting), validate "
        "each, and print errors, warnings, risks outside tolerance and initiatives failing per meeting.",
    )
    history.add_argument("folder", metavar="DIR", help="the folder of portfolio JSON reports")
    history.add_argument("--max-file-size", type=int, default=None, metavar="BYTES", help="largest report read")
    history.set_defaults(func=cmd_history)


def cmd_history(args: argparse.Namespace) -> int:
    """``govern history DIR``: the trend table of the reports in a folder."""
    from tabulate import tabulate

    from govern.core.loader import DEFAULT_MAX_FILE_SIZE
    from govern.core.text import one_line
    from govern.report.history import history_table, ordered

    from govern.cli.portfolio import load_history

    points = ordered(load_history(args.folder, args.max_file_size or DEFAULT_MAX_FILE_SIZE))
    headers, rows = history_table(points)
    print(f"Trends across {len(points)} meeting report{'s' if len(points) != 1 else ''} in {one_line(args.folder)}")
    print()
    print(tabulate([[one_line(c) for c in row] for row in rows], headers=headers, tablefmt="simple", disable_numparse=True))
    return 0
