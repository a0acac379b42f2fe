"""The plugin's check function, usable from any pack as ``function: childrens_services.defaults_off``."""

from __future__ import annotations

from typing import Any

from govern.core.checks import CheckFunction, check_function, get
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}
BLOCK = "/extensions/childrens_services"


@check_function(
    FUNCTIONS,
    "childrens_services.defaults_off",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["settings"],
        "properties": {
            "settings": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                "description": "Each NAME is read from extensions.childrens_services.NAME_default_off.",
            },
        },
    },
)
def defaults_off(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Each setting in ``settings`` is recorded as off by default (``<setting>_default_off: true``)."""
    for setting in options["settings"]:
        key = f"{setting}_default_off"
        path = f"{BLOCK}/{key}"
        value = get(data, path)
        label = setting.replace("_", " ")
        if value is True:
            continue
        if value is False:
            yield Violation(path, f"{label} is on by default ({key} is false)")
        else:
            yield Violation(path, f"whether {label} is off by default is not recorded ({key})")
