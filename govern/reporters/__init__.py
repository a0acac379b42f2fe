"""Reporters: ``render(report) -> str``, one module per format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Reporter:
    """An output format: ``--format NAME`` calls ``render(report)`` for the listed commands."""

    name: str
    render: Callable[[Any], str]
    commands: tuple[str, ...] = ("check",)
    description: str = ""
    # Optional: the same text in pieces, written as they are made, so a large report is never
    # held whole. ``"".join(stream(report)) == render(report)``.
    stream: Callable[[Any], Iterable[str]] | None = None
