"""Shared helpers of the section 9 family tests: the department base and a run of every rule."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

from govern.core.engine import evaluate
from govern.core.loader import Document, load_file
from govern.policy.packs import merge_patch
from govern.testing import DEFAULT_AS_OF, load_rules

ROOT = Path(__file__).resolve().parents[2]
DEPARTMENT = load_file(str(ROOT / "policies" / "examples" / "department.yaml")).documents[0].data
COUNCIL = load_file(str(ROOT / "policies" / "examples" / "base.yaml")).documents[0].data
_, RULES, CTX_FOR, _ = load_rules(no_plugins=True)


def manifest(patch: dict | None = None, base: dict = DEPARTMENT) -> dict:
    return merge_patch(copy.deepcopy(base), patch or {})


def findings(data: dict, as_of: dt.date = DEFAULT_AS_OF, config: dict | None = None, rule: str | None = None):
    """The findings of a real evaluation (every built-in rule), optionally of one rule only."""
    ctx = CTX_FOR(as_of)
    if config:
        ctx = dataclasses.replace(ctx, config={**(ctx.config or {}), **config})
    doc = Document("<test>", 0, data, {"": (1, 1)})
    found = evaluate(doc, RULES, ctx).findings
    return [f for f in found if rule is None or f.rule == rule]


def severities(data: dict, rule: str, **kwargs) -> list[str]:
    return sorted(f.severity for f in findings(data, rule=rule, **kwargs))
