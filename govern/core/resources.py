"""Where the packaged policies and schemas live.

In a wheel they are carried inside the package as ``govern/_data``; in a
source checkout they sit beside the package at the repository root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # govern/, from govern/core/resources.py


@cache
def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"govern's {name}/ folder is missing from this installation")


def policies_dir() -> Path:
    return data_dir("policies")


def schemas_dir() -> Path:
    return data_dir("schemas")


def default_appetite_path() -> Path:
    return policies_dir() / "default-appetite.yaml"
