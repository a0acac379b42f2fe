"""Plugins: the hook specifications, the plugin manager and what plugins contribute.

Owns: ``hookspecs`` (the whole plugin API), ``manager`` (discovery, loading and the
registry), ``contributions`` (checking each hook's return value), ``builtin`` (govern's
own packs, check functions and formats, registered through the same hooks) and
``hookdocs`` (the generated hook reference).

May import: ``govern.policy``, ``govern.risk`` and ``govern.core``. Built-in formats are
named, not imported: ``builtin`` registers them by module name and they load on first use.
"""
