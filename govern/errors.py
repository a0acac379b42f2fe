"""Deprecated import path, kept for one release: use ``govern.core.errors``.

Plugins written for govern 0.1 import ``govern.errors``; it now lives in ``govern.core.errors``.
This module re-exports that module's names and warns; it will be removed in govern 0.3.
"""

import importlib
import warnings

warnings.warn("govern.errors is deprecated: import govern.core.errors instead", DeprecationWarning, stacklevel=2)
globals().update({k: v for k, v in vars(importlib.import_module("govern.core.errors")).items() if not k.startswith("__")})
