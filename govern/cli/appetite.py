"""``govern appetite [FILE]``: the statement a board approved, as a table and a grid.

The table lists each category with its level, the highest residual score it
tolerates, its impact cap and its aliases; the grid marks, for every
likelihood x impact cell, the most cautious level that tolerates it (score
within the threshold and impact within the cap), "-" when no level does.

A version-2 statement (levels with a tolerance) also gets, per level, a grid
of the zone of every cell (A within appetite, T within tolerance, O outside
tolerance, C at capacity) and its delegation matrix as a table: who may
accept which categories up to which zone. A short-form statement's output
is unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from govern.risk.appetite import (
    LEVELS,
    ZONE_WORDS,
    AppetiteError,
    AppetiteStatement,
    appetite_for,
    currency,
    summary_lines,
)
from govern.core.errors import EXIT_ERROR, EXIT_OK, GovernError

FORMATS = ("table", "markdown", "json")
DEFAULTS_NOTE = (
    "These thresholds are govern defaults, not HM Treasury figures; give your board's statement with --appetite FILE."
)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "appetite",
        parents=[common],
        help="show a risk-appetite statement as a table and a likelihood x impact grid",
        description=(
            "Show a risk-appetite statement: each category's level, highest tolerated residual score, impact "
            "cap and aliases, and a likelihood x impact grid marking the most cautious level that tolerates "
            "each cell. Formats: table (default), markdown, json."
        ),
    )
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="statement file (default: --appetite, the `appetite` configuration key, or the bundled statement)",
    )
    parser.set_defaults(func=cmd_appetite)


def cmd_appetite(args: argparse.Namespace) -> int:
    from govern.cli.app import options_from, outputs, write_atomic

    options = options_from(args, "appetite")
    pairs = outputs(args, "table")
    for name, _ in pairs:
        if name not in FORMATS:
            raise GovernError(f"unknown format {name!r} for appetite (choose from {', '.join(sorted(FORMATS))})")
    import os

    from govern.core.paths import display_path
    from govern.risk.appetite import load_statement_set

    try:
        given = args.file or getattr(options, "appetite", None) or (options.config or {}).get("appetite")
        if isinstance(given, str) and os.path.isdir(given):  # per-organisation statements: each in turn
            statements = list(load_statement_set(given, display_path(given)).statements)
        else:
            statements = [appetite_for(options, args.file) if args.file else appetite_for(options)]
    except AppetiteError as exc:
        for problem in exc.problems:
            print(f"govern: {problem.located()}", file=sys.stderr)
        return EXIT_ERROR
    for name, path in pairs:
        texts = [render(statement, name, args.as_of) for statement in statements]
        if name == "json":
            text = texts[0] if len(texts) == 1 else "[\n" + ",\n".join(t.rstrip("\n") for t in texts) + "\n]\n"
        else:
            text = "\n".join(texts)
        if name != "json":  # a statement's names never drive the terminal (JSON escapes its own)
            from govern.core.text import clean

            text = clean(text)
        if path is None:
            sys.stdout.write(text)
        else:
            write_atomic(path, text)
    return EXIT_OK


# -- rendering (pure) ----------------------------------------------------------------------


def category_rows(statement: AppetiteStatement) -> list[dict[str, Any]]:
    """One row per category, most cautious level first, then by name."""
    rows = [
        {
            "category": name,
            "level": level,
            "highest_tolerated_score": statement.levels[level],
            "impact_cap": statement.impact_caps.get(level),
            "aliases": statement.aliases_of(name),
        }
        for name, level in statement.categories.items()
    ]
    return sorted(rows, key=lambda row: (LEVELS.index(row["level"]), row["category"]))


def grid(statement: AppetiteStatement) -> list[list[str | None]]:
    """Rows from the highest likelihood down; columns impact 1..n; the most cautious tolerating level."""
    likelihoods, impacts = statement.scale
    return [
        [statement.most_cautious_level(likelihood, impact) for impact in range(1, impacts + 1)]
        for likelihood in range(likelihoods, 0, -1)
    ]


ZONE_MARKS = {"appetite": "A", "tolerance": "T", "outside": "O", "capacity": "C"}


def zone_grid(statement: AppetiteStatement, level: str) -> list[list[str]]:
    """Rows from the highest likelihood down; columns impact 1..n; the zone of each cell at ``level``."""
    likelihoods, impacts = statement.scale
    return [
        [statement.zone(level, likelihood * impact) for impact in range(1, impacts + 1)]
        for likelihood in range(likelihoods, 0, -1)
    ]


def delegation_rows(statement: AppetiteStatement) -> list[dict[str, Any]]:
    """The delegation matrix in the order it is read (first match wins)."""
    return [
        {
            "entry": entry.describe().split(" (")[0],
            "categories": list(entry.categories),
            "up_to": entry.up_to,
            "accept_by": [*entry.roles, *(["board"] if entry.board else []), *(f"board {b}" for b in entry.boards)],
            "max_days": entry.max_days,
        }
        for entry in statement.delegation
    ]


def _zone_sections(statement: AppetiteStatement, tablefmt: str, heading: str) -> list[str]:
    from tabulate import tabulate

    likelihoods, impacts = statement.scale
    words = statement.descriptors or {}
    out = []
    for level in statement.levels:
        used = sorted(name for name, lv in statement.categories.items() if lv == level)
        cells = [
            [f"L{likelihoods - i}" + (f" {words['likelihood'][likelihoods - i]}" if likelihoods - i in words.get("likelihood", {}) else ""),
             *(ZONE_MARKS[zone] for zone in row)]
            for i, row in enumerate(zone_grid(statement, level))
        ]
        headers = ["likelihood \\ impact", *(
            f"I{i}" + (f" {words['impact'][i]}" if i in words.get("impact", {}) else "") for i in range(1, impacts + 1)
        )]
        title = (
            f"Zones at {level}: appetite {statement.levels[level]}, tolerance {statement.tolerance_of(level)}"
            f" ({', '.join(used) or 'no category'})"
        )
        out += [f"{heading} {title}" if heading else title, "",
                tabulate(cells, headers=headers, tablefmt=tablefmt, disable_numparse=True), ""]
    capacity = f"; C at capacity (score {statement.capacity} or more)" if statement.capacity is not None else ""
    out.append(
        f"A {ZONE_WORDS['appetite']}; T {ZONE_WORDS['tolerance']}; O {ZONE_WORDS['outside']}{capacity}."
        + (f" Capacity is decided by {statement.capacity_by}." if statement.capacity_by else "")
    )
    rows = [
        [r["entry"], ", ".join(r["categories"]) or "any", r["up_to"], ", ".join(r["accept_by"]),
         "-" if r["max_days"] is None else r["max_days"]]
        for r in delegation_rows(statement)
    ]
    out += ["", f"{heading} Delegation (first matching entry applies)" if heading else "Delegation (first matching entry applies)", ""]
    out.append(tabulate(rows, headers=["Entry", "Categories", "Up to", "Accepted by", "Max days"],
                        tablefmt=tablefmt, disable_numparse=True) if rows else "No one may accept a risk above appetite.")
    return out


def render(statement: AppetiteStatement, fmt: str, as_of: Any = None) -> str:
    if fmt == "json":
        return render_json(statement, as_of)
    from tabulate import tabulate

    tablefmt = "github" if fmt == "markdown" else "simple"
    rows = [
        [
            r["category"],
            r["level"],
            r["highest_tolerated_score"],
            "-" if r["impact_cap"] is None else r["impact_cap"],
            ", ".join(r["aliases"]) or "-",
        ]
        for r in category_rows(statement)
    ]
    table = tabulate(
        rows,
        headers=["Category", "Level", "Highest tolerated score", "Impact cap", "Aliases"],
        tablefmt=tablefmt,
        disable_numparse=True,
    )
    likelihoods, impacts = statement.scale
    cells = [[f"L{likelihoods - i}", *(cell or "-" for cell in row)] for i, row in enumerate(grid(statement))]
    heat = tabulate(
        cells,
        headers=["likelihood \\ impact", *(f"I{i}" for i in range(1, impacts + 1))],
        tablefmt=tablefmt,
        disable_numparse=True,
    )
    lines = summary_lines(statement)
    legend = (
        "Each cell shows the most cautious level that tolerates it (score = likelihood x impact within the "
        "level's threshold, and impact within its cap); '-' means no level does."
    )
    if statement.capacity is not None:
        legend += f" Scores of {statement.capacity} or more exceed capacity and can never be accepted."
    if fmt == "markdown":
        out = [
            f"## Risk appetite: {statement.name}",
            "",
            *(f"- {line.strip()}" for line in lines),
            "",
            "### Categories",
            "",
            table,
            "",
            f"### Likelihood x impact ({likelihoods} x {impacts})",
            "",
            heat,
            "",
            legend,
        ]
    else:
        out = [*lines, "", table, "", f"Likelihood x impact ({likelihoods} x {impacts})", heat, "", legend]
    if statement.version2:
        out += ["", *_zone_sections(statement, tablefmt, "###" if fmt == "markdown" else "")]
    if statement.default:
        out += ["", DEFAULTS_NOTE]
    if statement.notices:
        out += ["", "Notes:"]
        for notice in statement.notices:
            line, column = statement.locate(notice.path)
            out.append(f"  {statement.file}:{line}:{column}: {notice.severity}: {notice.message}")
    if as_of is not None:
        current, facts = currency(statement, as_of)
        state = "current" if current else "out of date (RISK-009)"
        out += ["", f"At {as_of.isoformat()} the statement is {state}: {facts}."]
    return "\n".join(out) + "\n"


def render_json(statement: AppetiteStatement, as_of: Any = None) -> str:
    likelihoods, impacts = statement.scale
    data: dict[str, Any] = {
        "file": statement.file,
        "sha256": statement.sha256,
        "default": statement.default,
        "name": statement.name,
        "approved_by": statement.approved_by,
        "approved_on": statement.approved_on.isoformat() if statement.approved_on else None,
        "review_by": statement.review_by.isoformat() if statement.review_by else None,
        "scale": {"likelihood": likelihoods, "impact": impacts},
        "levels": statement.levels,
        "impact_caps": statement.impact_caps,
        "escalation": {
            "accept_by": list(statement.accept_by),
            "max_days": statement.max_days,
            "capacity": statement.capacity,
        },
        "portfolio": {"max_risks_above_appetite": statement.max_risks_above_appetite},
        "categories": category_rows(statement),
        "aliases": dict(sorted(statement.aliases.items())),
        "grid": [
            {
                "likelihood": likelihood,
                "impact": impact,
                "score": likelihood * impact,
                "level": statement.most_cautious_level(likelihood, impact),
            }
            for likelihood in range(likelihoods, 0, -1)
            for impact in range(1, impacts + 1)
        ],
        "notices": [
            {
                "path": n.path,
                "line": statement.locate(n.path)[0],
                "column": statement.locate(n.path)[1],
                "severity": n.severity,
                "message": n.message,
            }
            for n in statement.notices
        ],
    }
    if statement.version2:
        data["tolerances"] = dict(statement.tolerances or {})
        data["capacity"] = {
            "score": statement.capacity,
            "decided_by": statement.capacity_by,
            "portfolio_max_outside_tolerance": statement.max_outside_tolerance,
        }
        data["impact_triggers"] = dict(statement.impact_triggers or {})
        data["delegation"] = delegation_rows(statement)
        data["zones"] = {
            level: [
                {"likelihood": likelihood, "impact": impact, "score": likelihood * impact,
                 "zone": statement.zone(level, likelihood * impact)}
                for likelihood in range(statement.scale[0], 0, -1)
                for impact in range(1, statement.scale[1] + 1)
            ]
            for level in statement.levels
        }
        data["descriptors"] = {axis: {str(k): v for k, v in sorted(points.items())}
                               for axis, points in (statement.descriptors or {}).items()}
    if as_of is not None:
        current, facts = currency(statement, as_of)
        data["as_of"] = as_of.isoformat()
        data["current"] = {"rule": "RISK-009", "current": current, "detail": facts}
    from govern.core.text import json_safe

    return json_safe(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"
