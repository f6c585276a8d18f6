"""The scenario engine, the desk's state and the scripted trainees."""

# before any of its modules is imported: the compiled ones, or their sources (sim.compiled)
from sim import compiled as _compiled  # noqa: F401
