"""Shared pieces of the data models: closed, frozen pydantic models and bilingual text."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, StrictStr

__all__ = ["Frozen", "Text"]


class Frozen(BaseModel):
    """Base of every model loaded from a file: unknown keys refused, immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Frozen):
    """A line in both languages; Chinese is required, English falls back to it."""

    zh: StrictStr
    en: StrictStr | None = None

    def get(self, lang: str) -> str:
        if lang == "en" and self.en:
            return self.en
        return self.zh
