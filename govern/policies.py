"""Deprecated import path, kept for one release: use ``govern.policy.packs``.

Plugins written for govern 0.1 import ``govern.policies``; it now lives in ``govern.policy.packs``.
This module re-exports that module's names and warns; it will be removed in govern 0.3.
"""

import importlib
import warnings

warnings.warn("govern.policies is deprecated: import govern.policy.packs instead", DeprecationWarning, stacklevel=2)
globals().update({k: v for k, v in vars(importlib.import_module("govern.policy.packs")).items() if not k.startswith("__")})
