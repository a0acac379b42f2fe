"""The command line: one module per command, and the only place that prints or chooses an exit code.

Owns: ``app`` (the parser, ``main``, signals and exit codes, options shared by commands),
``output`` (report formats written to standard output or replaced atomically in files) and a
module per command (``check``, ``rules``, ``explain``, ``examples`` for test, ``init``,
``portfolio``, ``appetite``, ``config``, ``plugins``, ``waivers``, ``verify``).

May import anything in ``govern``. Nothing in ``govern`` imports it except ``govern.testing``
and ``govern.__main__``.
"""
