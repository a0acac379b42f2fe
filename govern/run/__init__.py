"""One govern run: finding files, checking them (in workers), and what a run reads and writes beside them.

Owns: ``runner`` (``run_check``: options in, ``Report`` out), ``checking`` (one file at a
time, in this process or a worker pool), ``spool`` (findings kept on disk while a run
goes), ``config``, ``waivers``, ``baseline``, ``provenance`` and ``verify``.

May import: ``govern.report``, ``govern.plugins``, ``govern.policy``, ``govern.risk`` and
``govern.core``; never ``govern.reporters`` or ``govern.cli``. Returns data; never prints or exits.
"""
