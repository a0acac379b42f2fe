"""``Rows``: a long list written to JSON row by row, shared by the run (provenance) and the JSON formats."""

from __future__ import annotations

from typing import Any


class Rows:
    """A long list for a JSON report, made as it is written: an iterable, its length, and how to turn each item into JSON."""

    def __init__(self, items: Any, convert: Any) -> None:
        self.items, self.convert = items, convert

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return map(self.convert, self.items)
