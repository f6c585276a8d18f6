"""The program's own words: both languages say the same things, and every value an event can
carry that a debrief quotes has words in both."""

from __future__ import annotations

import pytest

from sim.i18n import LANGUAGES, catalogue
from sim.vocabulary import vocabulary


def test_both_catalogues_have_the_same_keys():
    zh, en = (set(catalogue(lang)) for lang in ("zh", "en"))
    assert zh - en == set() and en - zh == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_fault_or_hazard_kind_has_words(lang):
    words = catalogue(lang)
    kinds = {k for values in vocabulary().event_args["kind"].values() for k in values}
    assert kinds, "the vocabulary names no kinds"
    missing = sorted(k for k in kinds if f"fault.{k}" not in words)
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_scripted_trainee_is_described(lang):
    from sim.agents import AGENTS

    words = catalogue(lang)
    assert [a for a in AGENTS if f"agents.{a}" not in words] == []
