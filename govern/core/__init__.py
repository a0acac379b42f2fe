"""The pure core: the data model, YAML loading, JSON Schema validation and rule evaluation.

Owns: ``model`` (rules, findings, context), ``errors`` (exit codes, ``GovernError``),
``loader`` (the one place that reads YAML), ``schemas`` and ``fastschema`` (validation),
``engine`` (documents and rules in, located findings out), ``checks`` (the check-function
API and manifest accessors), and the small shared helpers every layer needs: ``dates``,
``paths``, ``text`` (terminal-safe text), ``rows`` and ``resources``.

May import: the standard library, pyyaml and jsonschema only. Nothing here prints,
exits, reads the clock or opens a file other than the one it is given to read.
"""
