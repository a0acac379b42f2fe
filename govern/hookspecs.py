"""Deprecated import path, kept for one release: use ``govern.plugins.hookspecs``.

Plugins written for govern 0.1 import ``govern.hookspecs``; it now lives in ``govern.plugins.hookspecs``.
This module re-exports that module's names and warns; it will be removed in govern 0.3.
"""

import importlib
import warnings

warnings.warn("govern.hookspecs is deprecated: import govern.plugins.hookspecs instead", DeprecationWarning, stacklevel=2)
globals().update({k: v for k, v in vars(importlib.import_module("govern.plugins.hookspecs")).items() if not k.startswith("__")})
