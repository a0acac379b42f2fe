"""Risk appetite: the board's ``kind: RiskAppetite`` statement and the risk check functions that judge against it.

Owns: ``appetite`` (loading, validating and querying statements) and ``functions``
(scoring, appetite, acceptance and escalation checks for ``risks[]``).

May import: ``govern.core`` only.
"""
