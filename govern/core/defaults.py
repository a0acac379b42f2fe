"""govern's defaults for settings that check functions read: the configuration falls back to these.

Here, low in the layers, so that a check function (``govern.policy.functions.data``) can read them
without importing the configuration loader (``govern.run.config``), which owns the files.
"""

from __future__ import annotations

from typing import Any

from govern.core.loader import DEFAULT_MAX_FILE_SIZE

DEFAULTS: dict[str, Any] = {
    "fail_on": "error",
    "max_file_size": DEFAULT_MAX_FILE_SIZE,
    "home_country": "GB",
    "classification": {
        "tiers": ["OFFICIAL", "SECRET", "TOP SECRET"],
        "aliases": {"OFFICIAL-SENSITIVE": {"tier": "OFFICIAL", "marking": "SENSITIVE"}},
    },
}
