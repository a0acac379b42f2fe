"""Check functions of the openness, sustainability and resilience family (GOV-024, SEC-012, docs/reference/rule-families.md 9.8).

GOV-025 is declarative (a ``require`` in the pack); these two compare values: an open repository
or a reason for closing it, and a restore test that is recent and postdates the last significant
change (a test of the old hosting says nothing about the new one).
"""

from __future__ import annotations

from typing import Any

from govern.core.checks import CheckFunction, add_months, as_date, check_function, get, get_dict
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}


@check_function(FUNCTIONS, "source_code_open", _NO_OPTIONS)
def source_code_open(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """GOV-024: new source code is open (with its repository), or the reason it is closed is recorded."""
    code = get_dict(data, "/technology/source_code")
    url = code.get("repository_url")
    if code.get("open") is True and isinstance(url, str) and url.startswith("https://"):
        return
    if code.get("open") is not True and isinstance(code.get("closed_reason"), str) and code["closed_reason"].strip():
        return
    if code.get("open") is True:
        yield Violation("/technology/source_code/repository_url", "the code is marked open but no https repository is recorded")
    else:
        yield Violation("/technology/source_code", "the source code is not recorded as open, and no reason for closing it is given")


@check_function(FUNCTIONS, "restore_tested", {"type": "object", "additionalProperties": False,
                                              "properties": {"months": {"type": "integer", "minimum": 1}}})
def restore_tested(data: Any, options: dict[str, Any], ctx: Any):
    """SEC-012: a restore from backup was tested within ``months`` (default 12) and after the last significant change."""
    months = options.get("months", 12)
    day = as_date(get(data, "/security/backup/restore_tested_on"))
    path = "/security/backup/restore_tested_on"
    if day is None:
        yield Violation("/security/backup", "no restore from backup has been tested")
        return
    if add_months(day, months) < ctx.as_of:
        yield Violation(path, f"the last restore test ({day.isoformat()}) is more than {months} months before "
                        f"{ctx.as_of.isoformat()}")
        return
    changed = as_date(get(data, "/security/last_significant_change"))
    if changed is not None and day < changed:
        yield Violation(path, f"the last restore test ({day.isoformat()}) predates the last significant change "
                        f"({changed.isoformat()})")
