"""Reporters: ``render(report) -> str``, one module per format.

Each module is one format and imports no other format (an import-linter contract);
what several formats share lives in ``govern.reporters.summary`` and ``govern.report.board``.
``Reporter`` is defined in ``govern.core.model`` and re-exported here, where plugins import it.
"""

from govern.core.model import Reporter

__all__ = ["Reporter"]
