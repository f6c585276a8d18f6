"""The training centre's records: every session, its input, its trace and its results, in SQLite.

No pygame here; the desk and the command line both record through :class:`records.db.Records`
(the store, :mod:`records.store`, the one place that speaks SQL).
"""
