"""Every message the code says exists in both languages, in the catalogue of a package it may
read; catalogues refuse keys YAML would not read as text; no key has two homes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from authoring.words import tr as authoring_words
from desk.i18n import tr as desk_words
from records.words import tr as records_words
from reports.words import tr as reports_words
from scoring.words import tr as scoring_words
from sim.catalogue import LANGUAGES, CatalogueError, Words, load_catalogue
from sim.i18n import tr as sim_words
from trainer.words import tr as trainer_words

ROOT = Path(__file__).resolve().parents[1]
WORDS: dict[str, Words] = {
    "sim": sim_words,
    "scoring": scoring_words,
    "records": records_words,
    "reports": reports_words,
    "authoring": authoring_words,
    "trainer": trainer_words,
    "desk": desk_words,
}
KEY = re.compile(r"^[a-z_0-9]+(\.[a-z_0-9]+)*\.[a-z0-9]+(_[a-z0-9]+)*$")
FILES = re.compile(r"\.(json|jsonl|yaml|sqlite3|db|j2|html|png|csv|py|txt|svg)$")
PREFIX = re.compile(r"^[a-z_0-9]+(\.[a-z_0-9]+)*[._]$")


def _literals(package: str) -> tuple[set[str], set[str]]:
    """String constants in a package's code that look like message keys, and the constant
    heads of f-strings (``f"tag.{t}"`` gives ``tag.``) and of keys put together in templates."""
    whole: set[str] = set()
    heads: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    heads.add(first.value)
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
                    heads.add(node.left.value)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                whole.add(node.value)
    for path in (ROOT / package).rglob("*.j2"):
        text = path.read_text(encoding="utf-8")
        whole |= set(re.findall(r"""t\(\s*['"]([a-z_.]+)['"]""", text))
        heads |= set(re.findall(r"""t\(\s*['"]([a-z_.]+)['"]\s*~""", text))
    return whole, heads


@pytest.mark.parametrize("package", sorted(WORDS))
def test_every_key_the_code_uses_is_in_both_languages(package: str) -> None:
    words = WORDS[package]
    spaces = {k.split(".", 1)[0] for k in words.table("zh")}
    whole, heads = _literals(package)
    used = {
        k for k in whole if KEY.match(k) and not FILES.search(k) and k.split(".", 1)[0] in spaces
    }
    heads = {h for h in heads if PREFIX.match(h) and h.split(".", 1)[0] in spaces}
    assert used, f"{package}: no message keys found in its code"
    for lang in LANGUAGES:
        table = words.table(lang)
        assert sorted(used - set(table)) == [], f"{package} ({lang}) lacks these messages"
        lacking = [h for h in heads if not any(k.startswith(h) for k in table)]
        assert lacking == [], f"{package} ({lang}) has no message under these heads"


@pytest.mark.parametrize("package", sorted(WORDS))
def test_both_languages_say_the_same_things(package: str) -> None:
    zh, en = (set(load_catalogue(package, lang)) for lang in LANGUAGES)
    assert sorted(zh ^ en) == []
    for lang in LANGUAGES:
        WORDS[package].table(lang)  # no key defined twice along the way


def test_a_key_yaml_reads_as_a_boolean_is_refused(tmp_path: Path, monkeypatch) -> None:
    pkg = tmp_path / "wordy"
    (pkg / "locale").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "locale" / "zh.yaml").write_text('desk:\n  ok: "好"\n  yes: "确定"\n', "utf-8")
    (pkg / "locale" / "en.yaml").write_text('desk:\n  ok: "OK"\n  answer: yes\n', "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(CatalogueError, match=r"zh\.yaml:3: the key 'yes' would be read as bool"):
        load_catalogue("wordy", "zh")
    with pytest.raises(CatalogueError, match=r"en\.yaml:3: the message 'desk.answer' is not text"):
        load_catalogue("wordy", "en")


def test_english_punctuation_in_english_messages() -> None:
    for package in WORDS:
        for key, text in load_catalogue(package, "en").items():
            assert not re.search(r"[「」（）、，。：；！？]", text), (package, key, text)


def test_every_field_a_scenario_asks_for_has_a_label_on_the_form() -> None:
    from sim.library import scenario_files
    from sim.scenario import load_scenario

    keys: set[str] = set()
    for path in scenario_files():
        for c in load_scenario(path).scenario.customers:
            keys |= set(c.application or {})
            keys |= {k for d in c.documents for k in d.fields}
    assert {"name", "id_number", "location", "landmark"} <= keys
    for lang in LANGUAGES:
        table = load_catalogue("desk", lang)
        assert sorted(k for k in keys if f"field.{k}" not in table) == [], lang
