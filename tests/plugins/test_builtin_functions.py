"""govern's own check functions: a run trusts their options schemas, so this test checks every one."""

from __future__ import annotations

import pytest

from govern.core.schemas import schema_problem
from govern.plugins import builtin
from govern.plugins.contributions import _function_problem


FUNCTIONS = builtin.govern_check_functions()


def test_there_are_builtin_functions_to_check():
    assert len(FUNCTIONS) > 50


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_each_builtin_options_schema_is_a_valid_schema(function):
    assert schema_problem(function.options_schema) is None
    assert _function_problem(None, function) is None


def test_a_plugin_function_with_a_broken_options_schema_is_still_refused():
    import dataclasses

    broken = dataclasses.replace(FUNCTIONS[0], options_schema={"type": "no-such-type"})
    assert "options schema is invalid" in _function_problem(None, broken)
    assert _function_problem(None, broken, trusted=True) is None  # only govern's own are trusted
