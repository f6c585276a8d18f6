"""The desk's sounds, synthesised for the project: a phone ring, a printer grinding on a jam,
a soft chime for notifications, and a rising call when a customer asks something new.
``python -m desk.sound`` writes them to ``assets/sounds``.

Sound is optional: if the mixer cannot start (no audio device), the desk stays silent; under
``SDL_AUDIODRIVER=dummy`` the mixer runs and nothing is heard. ``M`` mutes.
"""

from __future__ import annotations

import math
import random
import struct
import wave
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from desk.assets import SOUND_DIR

if TYPE_CHECKING:
    import pygame

__all__ = ["synthesise", "write_sounds", "Sounds", "RATE"]

RATE = 22050


def _ring() -> array[int]:
    """Two 0.4 s bursts of 440+480 Hz (a desk phone's double ring), then quiet; 2 s long."""
    out = array("h")
    for i in range(int(RATE * 2.0)):
        t = i / RATE
        on = (t % 0.6) < 0.4 and t < 1.2
        env = min(1.0, (t % 0.6) / 0.01, (0.4 - t % 0.6) / 0.02) if on else 0.0
        trill = 0.5 + 0.5 * math.copysign(1, math.sin(2 * math.pi * 20 * t))
        v = (math.sin(2 * math.pi * 440 * t) + math.sin(2 * math.pi * 480 * t)) * 0.22 * env * trill
        out.append(int(max(-1.0, min(1.0, v)) * 32767))
    return out


def _grind() -> array[int]:
    """A printer straining against a jam: a rough low motor with clicks, 1.2 s."""
    rng = random.Random(7)
    out = array("h")
    n = int(RATE * 1.2)
    for i in range(n):
        t = i / RATE
        fade = min(1.0, t / 0.05, (1.2 - t) / 0.2)
        motor = ((t * 95) % 1.0 - 0.5) * 0.35
        judder = 0.6 + 0.4 * math.sin(2 * math.pi * 11 * t)
        click = 0.5 if (t * 14) % 1.0 < 0.02 else 0.0
        noise = (rng.random() - 0.5) * 0.18
        v = (motor * judder + noise + click * (rng.random() - 0.5)) * fade * 0.7
        out.append(int(max(-1.0, min(1.0, v)) * 32767))
    return out


def _chime() -> array[int]:
    """A soft two-note chime (E6 then C6), quickly fading; 0.7 s."""
    out = array("h")
    for i in range(int(RATE * 0.7)):
        t = i / RATE
        v = 0.0
        for start, f in ((0.0, 1318.5), (0.14, 1046.5)):
            if t >= start:
                u = t - start
                v += math.sin(2 * math.pi * f * u) * math.exp(-u * 7) * 0.18 * min(1.0, u / 0.005)
        out.append(int(v * 32767))
    return out


def _ask() -> array[int]:
    """A customer speaking up: two quick rising notes (G5 then D6), unlike the falling chime;
    0.45 s."""
    out = array("h")
    for i in range(int(RATE * 0.45)):
        t = i / RATE
        v = 0.0
        for start, f in ((0.0, 784.0), (0.1, 1174.7)):
            if t >= start:
                u = t - start
                v += math.sin(2 * math.pi * f * u) * math.exp(-u * 9) * 0.2 * min(1.0, u / 0.005)
        out.append(int(v * 32767))
    return out


def synthesise() -> dict[str, array[int]]:
    return {"ring": _ring(), "grind": _grind(), "chime": _chime(), "ask": _ask()}


def write_sounds(folder: Path = SOUND_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, samples in synthesise().items():
        p = folder / f"{name}.wav"
        with wave.open(str(p), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(struct.pack(f"<{len(samples)}h", *samples))
        paths.append(p)
    return paths


class Sounds:
    """The desk's four sounds; silent when the mixer is unavailable or muted."""

    def __init__(self, enabled: bool = True) -> None:
        self.muted = False
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._ringing = False
        if not enabled:
            return
        import pygame

        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=RATE, size=-16, channels=1, buffer=1024)
            for name in ("ring", "grind", "chime", "ask"):
                p = SOUND_DIR / f"{name}.wav"
                if p.is_file():
                    self._sounds[name] = pygame.mixer.Sound(str(p))
                else:
                    self._sounds[name] = pygame.mixer.Sound(buffer=synthesise()[name].tobytes())
        except pygame.error:
            self._sounds = {}

    @property
    def available(self) -> bool:
        return bool(self._sounds)

    def play(self, name: str) -> None:
        s = self._sounds.get(name)
        if s is not None and not self.muted:
            s.play()

    def ring(self, on: bool) -> None:
        """Keep the phone ringing while ``on``."""
        s = self._sounds.get("ring")
        if s is None or on == self._ringing:
            return
        self._ringing = on
        if on and not self.muted:
            s.play(loops=-1)
        else:
            s.stop()

    def toggle_mute(self) -> bool:
        self.muted = not self.muted
        if self.muted:
            for s in self._sounds.values():
                s.stop()
            self._ringing = False
        return self.muted


if __name__ == "__main__":
    for path in write_sounds():
        print(path)
