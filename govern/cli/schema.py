"""``govern schema [NAME]``: print a JSON Schema govern uses, or its installed path (for editors).

Teams commit the initiative schema beside their manifests, or point the YAML language
server at the installed file, so mistakes show as they type (docs/guides/editors.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from govern.core.errors import EXIT_OK

SCHEMAS = ("initiative", "policy-pack", "risk-appetite", "waiver-register", "config", "report", "portfolio-report")


def schema_path(name: str) -> Path:
    from govern.core.resources import schemas_dir

    return schemas_dir() / f"{name}.schema.json"


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:  # noqa: ARG001 - reads no manifest
    schema = subparsers.add_parser(
        "schema", help="print a JSON Schema govern uses (for editors)",
        description="Print the JSON Schema of a govern document, e.g. to commit it beside the manifests for "
        "editors: govern schema > initiative.schema.json",
    )
    schema.add_argument("name", nargs="?", default="initiative", choices=SCHEMAS, metavar="NAME",
                        help=f"which schema: {', '.join(SCHEMAS)} (default: initiative)")
    schema.add_argument("--path", action="store_true", help="print the installed file's path instead")
    schema.set_defaults(func=cmd_schema)


def cmd_schema(args: argparse.Namespace) -> int:
    path = schema_path(args.name)
    if args.path:
        print(path)
    else:
        sys.stdout.write(path.read_text(encoding="utf-8"))
    return EXIT_OK
