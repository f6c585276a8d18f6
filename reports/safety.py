"""The time from a hazard to the first safety advice: measured in ``scoring.safety`` (a branch's
comparison times it too); named here for the reports that print it."""

from __future__ import annotations

from scoring.safety import HAZARD, SafetyRule, advice_delay, safety_rule

__all__ = ["HAZARD", "SafetyRule", "safety_rule", "advice_delay"]
