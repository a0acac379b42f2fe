"""govern: policy-as-code for public-sector digital initiatives."""

__version__ = "0.1.0"

__all__ = ["__version__", "hookimpl"]


def __getattr__(name: str):
    """``govern.hookimpl``, pluggy's marker for plugin hooks.

    Made on first use, so that a run with no plugin never imports pluggy.
    """
    if name == "hookimpl":
        import pluggy

        marker = globals().setdefault("hookimpl", pluggy.HookimplMarker("govern"))
        return marker
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
