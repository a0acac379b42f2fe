"""Deprecated import path, kept for one release: use ``govern.core.loader``.

Plugins written for govern 0.1 import ``govern.loader``; it now lives in ``govern.core.loader``.
This module re-exports that module's names and warns; it will be removed in govern 0.3.
"""

import importlib
import warnings

warnings.warn("govern.loader is deprecated: import govern.core.loader instead", DeprecationWarning, stacklevel=2)
globals().update({k: v for k, v in vars(importlib.import_module("govern.core.loader")).items() if not k.startswith("__")})
