"""The desk's devices as explicit state machines.

Each device names its states and the transitions between them; anything else is a bug in the
engine (not a trainee's mistake: those are refused earlier, by preconditions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

__all__ = ["Device", "Computer", "BusinessSystem", "Network", "Printer", "Phone"]


class IllegalTransition(RuntimeError):
    pass


@dataclass
class Device:
    """A device in one of ``STATES``; ``TRANSITIONS`` maps (state, trigger) to the next state."""

    STATES: ClassVar[tuple[str, ...]] = ()
    TRANSITIONS: ClassVar[dict[tuple[str, str], str]] = {}
    state: str = ""

    def __post_init__(self) -> None:
        if self.state not in self.STATES:
            raise IllegalTransition(f"{type(self).__name__}: no state {self.state!r}")

    def can(self, trigger: str) -> bool:
        return (self.state, trigger) in self.TRANSITIONS

    def fire(self, trigger: str) -> str:
        try:
            self.state = self.TRANSITIONS[(self.state, trigger)]
        except KeyError:
            raise IllegalTransition(
                f"{type(self).__name__}: {trigger!r} is not possible when {self.state!r}"
            ) from None
        return self.state


@dataclass
class Computer(Device):
    STATES = ("off", "on")
    TRANSITIONS = {("off", "power_on"): "on", ("on", "power_off"): "off"}
    state: str = "on"


@dataclass
class BusinessSystem(Device):
    """The marketing business system (营销业务应用): logged out, logged in, or faulty."""

    STATES = ("logged_out", "logged_in", "faulty")
    TRANSITIONS = {
        ("logged_out", "log_in"): "logged_in",
        ("logged_in", "log_out"): "logged_out",
        ("logged_out", "fault"): "faulty",
        ("logged_in", "fault"): "faulty",
        ("faulty", "fault"): "faulty",
        ("faulty", "restore"): "logged_out",
    }
    state: str = "logged_out"


@dataclass
class Network(Device):
    STATES = ("up", "down", "flaky")
    TRANSITIONS = {
        ("up", "drop"): "down",
        ("flaky", "drop"): "down",
        ("down", "drop"): "down",
        ("up", "degrade"): "flaky",
        ("down", "restore"): "up",
        ("flaky", "restore"): "up",
        ("up", "restore"): "up",
    }
    state: str = "up"


@dataclass
class Printer(Device):
    """Printer: a print job runs while ``printing``; a fault interrupts it and loses the job."""

    STATES = ("ok", "printing", "jammed", "low_ink", "offline")
    TRANSITIONS = {
        ("ok", "print"): "printing",
        ("printing", "done"): "ok",
        ("ok", "jam"): "jammed",
        ("printing", "jam"): "jammed",
        ("ok", "low_ink"): "low_ink",
        ("printing", "low_ink"): "low_ink",
        ("ok", "offline"): "offline",
        ("printing", "offline"): "offline",
        ("jammed", "clear"): "ok",
        ("low_ink", "refill"): "ok",
        ("offline", "reconnect"): "ok",
    }
    state: str = "ok"
    job: int | None = field(default=None)


@dataclass
class Phone(Device):
    STATES = ("idle", "ringing", "in_call")
    TRANSITIONS = {
        ("idle", "ring"): "ringing",
        ("ringing", "answer"): "in_call",
        ("ringing", "give_up"): "idle",
        ("in_call", "hang_up"): "idle",
    }
    state: str = "idle"
