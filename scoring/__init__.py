"""The scorer: a session's trace judged against the procedure's rules."""

# before any of its modules is imported: the compiled ones, or their sources (sim.compiled)
import sim.compiled as _compiled  # noqa: F401
