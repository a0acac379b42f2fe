"""The board's view of a run: the portfolio model, accountability, comparison and the shared board text.

Owns: ``portfolio`` (``build_portfolio``: plain data every portfolio format renders),
``accountability`` (who answers for what), ``comparison`` (what changed since the last
report) and ``board`` (headings, legends and totals the portfolio formats share).

May import: ``govern.plugins``, ``govern.policy``, ``govern.risk`` and ``govern.core``.
Never prints or writes a file: the formats in ``govern.reporters`` render it.
"""
