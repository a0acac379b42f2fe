"""Deprecated import path, kept for one release: use ``govern.core.checks``.

Plugins written for govern 0.1 import ``govern.functions``; it now lives in ``govern.core.checks``.
This module re-exports that module's names and warns; it will be removed in govern 0.3.
"""

import importlib
import warnings

warnings.warn("govern.functions is deprecated: import govern.core.checks instead", DeprecationWarning, stacklevel=2)
globals().update({k: v for k, v in vars(importlib.import_module("govern.core.checks")).items() if not k.startswith("__")})
