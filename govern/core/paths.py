"""Paths as the user typed them, for every message and report.

One small module low in the layers, so that no lower module reaches up into the runner for it.
"""

from __future__ import annotations

import os


def display_path(path: str) -> str:
    """Paths as the user would type them: relative to the current folder, forward slashes."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = path
    if rel.startswith(".." + os.sep) and os.path.isabs(path):
        rel = path
    return rel.replace(os.sep, "/")
