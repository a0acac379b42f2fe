"""CHILD-001, written in Python: settings are high privacy by default (Standard 7).

A YAML rule could test the flag; Python lets the rule grade its severity by
phase (a warning while the service is designed in alpha, an error once
children use it in beta or live) and say which of the two problems it
found. Its pass and fail examples patch the pack's base manifest, exactly
like the YAML rules' examples, so ``govern test`` runs them too.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from govern.core.checks import get, personal_data, phase, phase_at_least
from govern.core.model import Example, Reference, Rule, Violation

ICO_CODE = Reference(
    "ICO Age Appropriate Design Code",
    clause="Standard 7: Default settings",
    url="https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/childrens-information/childrens-code-guidance-and-resources/",
)
UK_GDPR_25 = Reference("UK GDPR", clause="Art. 25(2)", url="https://www.legislation.gov.uk/eur/2016/679/article/25")
PATH = "/extensions/childrens_services/high_privacy_by_default"
BASE = Path(__file__).resolve().parent / "policies" / "examples" / "base.yaml"
AS_OF = dt.date(2026, 11, 22)


def in_scope(data: Any) -> bool:
    """The code applies: personal data, and the service is likely to be accessed by children."""
    return personal_data(data) and get(data, "/extensions/childrens_services/likely_accessed_by_children") is True


def applies(data: Any, ctx: Any) -> bool:  # noqa: ARG001
    return in_scope(data) and phase_at_least(data, "alpha")


def check(data: Any, ctx: Any):  # noqa: ARG001
    value = get(data, PATH)
    severity = "warning" if phase(data) == "alpha" else None  # None: the rule's own (error)
    if value is False:
        yield Violation(PATH, "settings are not high privacy by default (high_privacy_by_default is false)", severity)
    elif value is not True:
        yield Violation(
            PATH, "whether settings are high privacy by default is not recorded (high_privacy_by_default)", severity
        )


@cache
def examples() -> tuple[Example, ...]:
    from govern.core.loader import load_file
    from govern.policy.packs import merge_patch

    loaded = load_file(str(BASE))
    base = next(doc.data for doc in loaded.documents if doc.kind == "Initiative")
    block = {"extensions": {"childrens_services": {}}}

    def patched(name: str, kind: str, patch: dict[str, Any]) -> Example:
        return Example(kind, f"{name} (base + patch)", merge_patch(base, patch), AS_OF)

    return (
        Example("pass", "base manifest", base, AS_OF),
        patched(
            "not likely to be accessed by children",
            "pass",
            {
                "extensions": {
                    "childrens_services": {"likely_accessed_by_children": False, "high_privacy_by_default": False}
                }
            },
        ),
        patched(
            "discovery", "pass", {"metadata": {"phase": "discovery"}, **_set(block, "high_privacy_by_default", False)}
        ),
        patched("low-privacy defaults in live", "fail", _set(block, "high_privacy_by_default", False)),
        patched(
            "low-privacy defaults in alpha (a warning)",
            "fail",
            {"metadata": {"phase": "alpha"}, **_set(block, "high_privacy_by_default", False)},
        ),
        patched("not recorded", "fail", _set(block, "high_privacy_by_default", None)),
    )


def _set(block: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    return {"extensions": {"childrens_services": {**block["extensions"]["childrens_services"], key: value}}}


def high_privacy_by_default() -> Rule:
    return Rule(
        id="CHILD-001",
        title="Settings are high privacy by default",
        domain="privacy",
        severity="error",
        accountable="information_asset_owner",
        check=check,
        applies=applies,
        message="A service likely to be accessed by children does not default to high privacy",
        references=(ICO_CODE, UK_GDPR_25),
        rationale=(
            "The Children's code expects every setting of a service likely to be accessed by children "
            "to be high privacy by default, unless there is a compelling reason otherwise that takes "
            "account of the child's best interests. Children rarely change defaults, so the default "
            "is the protection they actually get. UK GDPR Art. 25(2) requires data protection by default."
        ),
        remediation=(
            "Make every optional setting (visibility, sharing, personalisation, notifications) start at "
            "its most private value, let children change it with age-appropriate explanations, and record "
            "extensions.childrens_services.high_privacy_by_default: true."
        ),
        waivable=False,
        examples=examples(),
    )
