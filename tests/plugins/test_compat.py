"""Import paths plugins used before the packages (govern 0.1) still work for one release, and say where to go."""

from __future__ import annotations

import subprocess
import sys

import pytest

MOVED = {
    "govern.model": ("govern.core.model", "Rule"),
    "govern.functions": ("govern.core.checks", "check_function"),
    "govern.policies": ("govern.policy.packs", "merge_patch"),
    "govern.loader": ("govern.core.loader", "load_file"),
    "govern.hookspecs": ("govern.plugins.hookspecs", "govern_rules"),
    "govern.errors": ("govern.core.errors", "GovernError"),
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_import_path_gives_the_same_objects_with_a_deprecation_warning(old):
    new, name = MOVED[old]
    code = (f"import warnings\nwarnings.simplefilter('always')\n"
            f"from {old} import {name} as a\nfrom {new} import {name} as b\nprint(a is b)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    assert "DeprecationWarning" in result.stderr and f"import {new} instead" in result.stderr


def test_the_public_plugin_api_keeps_its_names():
    import govern
    from govern.core.model import Reporter as core_reporter
    from govern.reporters import Reporter

    assert Reporter is core_reporter
    assert govern.hookimpl.project_name == "govern"
