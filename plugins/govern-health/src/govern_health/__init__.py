"""govern-health: clinical risk management for health IT, as a govern plugin.

It contributes two things through govern's hooks:

- the ``health`` policy pack (``policies/health.yaml``, rules HEALTH-001 to
  HEALTH-008): DCB0129 duties of a health IT manufacturer, DCB0160 duties of
  a deploying organisation, and a current Data Security and Protection
  Toolkit (DSPT) assessment;
- the JSON Schema of the manifest's ``extensions.health`` block
  (``extension.schema.json``), so a mistyped field is a located
  ``GOV-SCHEMA`` error rather than a rule that silently passes.

The rules are plain YAML; the core's check functions (``date_recent``)
do the date arithmetic.
"""

from __future__ import annotations

import json
from pathlib import Path

from govern import hookimpl

__version__ = "0.1.0"

HERE = Path(__file__).resolve().parent
EXTENSION = "health"


@hookimpl
def govern_policy_paths():
    return [HERE / "policies"]


@hookimpl
def govern_schema_extensions():
    with open(HERE / "extension.schema.json", encoding="utf-8") as handle:
        return {EXTENSION: json.load(handle)}
