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
    # RULES section 9: govern defaults, not framework figures (`govern explain` says so for each rule).
    "business_case": {
        "stage_for_phase": {"alpha": "soc", "beta": "obc", "live": "fbc"},  # HMT orders the stages, not the phases
        "bjc_max": None,  # None: a business justification case is accepted at any cost
        "forecast_tolerance": 0,  # a fraction: 0.1 allows a forecast 10 % over the approved cost
        "forecast_months": 6,
    },
    "delegated_authority_limit": None,  # comes from the body's delegation letter: no default
    # govern default, not a framework figure: an incident response plan is exercised at least yearly (SEC-006)
    "security": {"incident_plan_months": 12},
    "spend_control": {
        # DSIT/GDS digital and technology spend control v6 as at 23 Oct 2024 (GBP).
        "thresholds": {"public-facing-service": 100000, "other": 1000000, "cryptographic-key": 0},
    },
}


def setting(ctx: Any, key: str) -> Any:
    """A family setting from the run's configuration, one level merged over DEFAULTS[key].

    A missing or malformed value falls back to the default, so a broken configuration file
    (already reported as GOV-CONFIG) never makes a check raise.
    """
    default = DEFAULTS.get(key)
    config = getattr(ctx, "config", None)
    value = config.get(key) if isinstance(config, dict) else None
    if isinstance(default, dict):
        merged = dict(default)
        if isinstance(value, dict):
            merged.update({k: v for k, v in value.items() if v is not None})
        return merged
    return default if value is None else value
