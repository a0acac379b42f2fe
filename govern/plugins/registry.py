"""What plugins contributed: one ``PluginInfo`` per plugin, merged into a ``Registry``.

The manager (``govern.plugins.manager``) fills it; the checks of each contribution
(``govern.plugins.contributions``) and the runner read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govern.core.errors import GovernError

CONTRIBUTIONS = ("policy_paths", "rules", "functions", "formats", "extensions")


@dataclass
class PluginInfo:
    """One loaded plugin: who it is, where it came from, what it added."""

    name: str
    version: str
    origin: str  # "builtin", "entry point <distribution>", "file <path>"
    file: str | None = None
    contributes: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "origin": self.origin,
            "file": self.file,
            **{key: sorted(self.contributes.get(key, [])) for key in CONTRIBUTIONS},
        }


@dataclass
class Registry:
    """What every loaded plugin contributed, merged."""

    policy_paths: list[tuple[Path, str]] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)
    functions: dict[str, Any] = field(default_factory=dict)
    reporters: dict[str, Any] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    extension_owners: dict[str, str] = field(default_factory=dict)
    plugins: list[PluginInfo] = field(default_factory=list)
    errors: list[GovernError] = field(default_factory=list)

    def plugin(self, name: str) -> PluginInfo | None:
        return next((p for p in self.plugins if p.name == name), None)
