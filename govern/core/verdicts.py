"""Verdicts an earlier run reached on schemas and patterns, so that a cold start need not reach them again.

The core asks; the on-disk pack cache (``govern.policy.packcache``) answers once it has
installed itself with ``use()``, which it does when it is imported. Until then, or with the
cache off, nothing is remembered and every verdict is reached afresh: the answers only ever
save time, never change one (a pattern or schema not remembered is analysed in full).
"""

from __future__ import annotations

from typing import Any


class _Forget:
    """No memory: every pattern is analysed and every schema checked."""

    def pattern_degree(self, source: str) -> int | None:
        return None

    def note_pattern_degree(self, source: str, degree: int) -> None:
        pass

    def valid_schema(self, key: str) -> bool:
        return False

    def note_valid_schema(self, key: str) -> None:
        pass


store: Any = _Forget()


def use(backend: Any) -> None:
    """Answer from ``backend`` (an object or module with the four functions of ``_Forget``)."""
    global store
    store = backend
