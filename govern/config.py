"""Configuration: command-line options over ``govern.yaml`` / ``[tool.govern]`` over defaults."""

from __future__ import annotations

import argparse
from typing import Any

from govern.loader import DEFAULT_MAX_FILE_SIZE

DEFAULTS: dict[str, Any] = {
    "fail_on": "error",
    "max_file_size": DEFAULT_MAX_FILE_SIZE,
    "home_country": "GB",
    "classification": {
        "tiers": ["OFFICIAL", "SECRET", "TOP SECRET"],
        "aliases": {"OFFICIAL-SENSITIVE": {"tier": "OFFICIAL", "marking": "SENSITIVE"}},
    },
}

PORTFOLIO_FAIL_ON = "never"


def apply_config(options: Any, args: argparse.Namespace, command: str) -> None:
    """Fill ``options`` from the command line, then the configuration file, then defaults."""
    config = dict(DEFAULTS)
    options.config = config
    default_fail = PORTFOLIO_FAIL_ON if command == "portfolio" else config["fail_on"]
    options.fail_on = getattr(args, "fail_on", None) or default_fail
    options.max_file_size = getattr(args, "max_file_size", None) or config["max_file_size"]
    options.severity = dict(config.get("severity", {}))
