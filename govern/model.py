"""Deprecated import path, kept for one release: use ``govern.core.model``.

Plugins written for govern 0.1 import ``govern.model``; it now lives in ``govern.core.model``.
This module re-exports that module's names and warns; it will be removed in govern 0.3.
"""

import importlib
import warnings

warnings.warn("govern.model is deprecated: import govern.core.model instead", DeprecationWarning, stacklevel=2)
globals().update({k: v for k, v in vars(importlib.import_module("govern.core.model")).items() if not k.startswith("__")})
