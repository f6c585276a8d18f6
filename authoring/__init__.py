"""Scenario authoring: the scaffold of a new scenario, the linter and the JSON Schema.

The command line for these is ``trainer/authoring_cli.py``; the guide for the people who write
scenarios is ``docs/authoring.zh.md`` (English: ``docs/authoring.en.md``).
"""
