"""The training centre: its name (on certificates and reports), its time zone and how it checks a
certificate. Read from ``scenarios/_centre.yaml`` (``DESK_TRAINER_CENTRE`` names another file),
checked on load like every other data file."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from pydantic import StrictStr

from sim.errors import ScenarioError
from sim.model import Frozen, Text
from sim.scenario import SCENARIO_DIR
from sim.validation import validate_located
from sim.yamlio import load_yaml

__all__ = ["Centre", "CENTRE_ENV", "CENTRE_FILE", "centre"]

CENTRE_ENV = "DESK_TRAINER_CENTRE"
CENTRE_FILE = SCENARIO_DIR / "_centre.yaml"


class Centre(Frozen):
    name: Text
    timezone: StrictStr | None = None  # an IANA zone; None or empty: the machine's own
    check: Text | None = None  # how the centre checks a certificate, printed on it


@cache
def _load(path: str) -> Centre:
    doc = load_yaml(Path(path))
    model, problems = validate_located(Centre, doc)
    if problems or model is None:
        raise ScenarioError(problems)
    return model


def centre() -> Centre:
    """The centre's settings (``DESK_TRAINER_CENTRE``, else the shipped file)."""
    return _load(os.environ.get(CENTRE_ENV) or str(CENTRE_FILE))
