"""Policy packs: YAML rules compiled into ``Rule`` objects, their cache, and govern's check functions.

Owns: ``packs`` (loading, validating and compiling a ``kind: PolicyPack``), ``packcache``
(a verified on-disk cache of packs already read), and ``functions/`` (the built-in check
functions a pack names with ``function:``).

May import: ``govern.core`` only.
"""
