"""Where the desk's assets are: ``assets/`` at the top of the project (like ``scenarios/``)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ASSET_DIR", "FONT_FILE", "SOUND_DIR"]

ASSET_DIR = Path(__file__).resolve().parent.parent / "assets"
FONT_FILE = ASSET_DIR / "fonts" / "NotoSansSC-Regular.otf"
SOUND_DIR = ASSET_DIR / "sounds"
