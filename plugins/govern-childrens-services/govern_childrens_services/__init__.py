"""govern-childrens-services: the ICO's Children's code as a govern plugin.

The Age Appropriate Design Code (the Children's code, a statutory code of
practice under section 123 of the Data Protection Act 2018) applies to
online services likely to be accessed by children. This plugin reads the
manifest's ``extensions.childrens_services`` block and contributes, through
every one of govern's hooks:

- ``govern_schema_extensions``: the block's JSON Schema;
- ``govern_rules``: CHILD-001, a Python rule (settings high privacy by
  default, Standard 7), with phase-dependent severity;
- ``govern_check_functions``: ``childrens_services.defaults_off``, a check
  function with an options schema;
- ``govern_policy_paths``: the ``childrens-services`` pack, whose YAML rules
  CHILD-002 (geolocation, Standard 10) and CHILD-003 (profiling, Standard
  12) use that function and CHILD-004 (DPIA, Standard 2) a JSON Schema;
- ``govern_reporters``: ``--format childrens-csv``, one row per initiative
  for the department's tracker.
"""

from __future__ import annotations

import json
from pathlib import Path

from govern import hookimpl

from . import functions, reporter, rules

__version__ = "0.1.0"

HERE = Path(__file__).resolve().parent
EXTENSION = "childrens_services"


@hookimpl
def govern_policy_paths():
    return [HERE / "policies"]


@hookimpl
def govern_rules():
    return [rules.high_privacy_by_default()]


@hookimpl
def govern_check_functions():
    return list(functions.FUNCTIONS.values())


@hookimpl
def govern_reporters():
    return [reporter.REPORTER]


@hookimpl
def govern_schema_extensions():
    with open(HERE / "extension.schema.json", encoding="utf-8") as handle:
        return {EXTENSION: json.load(handle)}
