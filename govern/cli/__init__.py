"""The command line: one module per command, and the only place that prints or chooses an exit code.

Owns: ``app`` (the parser, ``main``, ``check``, ``rules``, ``explain``, ``test``, output
writing) and a module per other command (``portfolio``, ``appetite``, ``config``,
``plugins``, ``waivers``, ``verify``, ``init``, ``rules``).

May import anything in ``govern``. Nothing in ``govern`` imports it except ``govern.testing``
and ``govern.__main__``.
"""
