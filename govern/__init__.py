"""govern: policy-as-code for public-sector digital initiatives."""

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("govern")

__all__ = ["__version__", "hookimpl"]
