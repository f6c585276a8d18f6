"""A result is data; its words are made when it is read.

``data/release-0.1.sqlite3`` was written by release 0.1 (``make_release_db.sh`` beside it), whose
results kept each finding's evidence as a sentence in the language the session was played in.
Those results must still replay and verify; rewording the message catalogue must not make any
stored session fail; and a session played in Chinese must read in English.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import sim.catalogue
from records.db import Records
from records.drills import find_by_code, verify_attempt
from records.service import record_agent_run, replay_session
from records.verify import verify_all
from reports import session_report
from scoring.narrate import Narrator, render_text
from scoring.words import tr as scoring_words
from sim.library import find_scenario

RELEASE_01 = Path(__file__).with_name("data") / "release-0.1.sqlite3"
KEY = b"release-fixture-key-0123456789"
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture
def release_db(tmp_path: Path) -> Path:
    path = tmp_path / "release-0.1.sqlite3"
    shutil.copy(RELEASE_01, path)
    return path


def _replays_and_verifies(records: Records) -> None:
    assert verify_all(records, KEY) == []
    for sid in records.session_ids():
        check = replay_session(records, sid)
        assert check.trace_matches, sid
        if check.session.status == "complete":
            assert check.report_matches is True, sid
        else:
            assert check.report_matches is None
    for (code,) in records.conn.execute("SELECT code FROM drill_attempts WHERE code IS NOT NULL"):
        attempt = find_by_code(records, code)
        assert attempt is not None and verify_attempt(records, attempt, KEY) == []


def test_results_stored_by_release_0_1_still_replay_and_verify(release_db: Path) -> None:
    with Records(release_db, key=KEY) as r:
        formats = {res.report.format for sid in r.session_ids() for res in r.results(sid)}
        assert formats == {1}  # the file really is of the earlier format
        statuses = {r.session(sid).status for sid in r.session_ids()}
        assert statuses == {"complete", "incomplete"}  # and holds a killed desk session
        _replays_and_verifies(r)


def test_an_earlier_result_altered_is_still_caught(release_db: Path) -> None:
    with Records(release_db, key=KEY) as r:
        r.conn.execute(
            'UPDATE results SET report_json = replace(report_json, \'"verdict": "violated"\','
            ' \'"verdict": "met"\') WHERE session_id = 2'
        )
        codes = {f.code for f in verify_all(r, KEY) if f.session == 2}
    assert "report_changed" in codes


def test_rewording_the_catalogue_changes_no_stored_verdict(
    release_db: Path, procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Records(release_db, key=KEY) as r:
        loaded = find_scenario("emergency_outage", procedure.ids)
        record_agent_run(r, loaded, procedure, 5, "panicky", "0430")
        record_agent_run(r, loaded, procedure, 6, "expert", "0430", lang="en")
    real = sim.catalogue._merged

    def reworded(packages: tuple[str, ...], lang: str) -> dict[str, str]:
        # every sentence the program says, reworded (the placeholders kept)
        return {k: "改写·" + v + "·reworded" for k, v in real(packages, lang).items()}

    monkeypatch.setattr(sim.catalogue, "_merged", reworded)
    assert scoring_words("evidence.done", "zh", t="00:01", what="x").startswith("改写·")
    with Records(release_db, key=KEY) as r:
        _replays_and_verifies(r)


def _outside_quotes_and_clauses(text: str, clauses: set[str]) -> list[str]:
    """The lines of ``text`` with Chinese outside quoted speech and the procedure's own text
    (the Chinese original is the authority and is shown beside its English reading)."""
    bad = []
    for line in text.splitlines():
        line = re.sub(r"“[^”]*”", "", line)
        for c in clauses:
            line = line.replace(c, "")
        if CJK.search(line):
            bad.append(line)
    return bad


def test_a_session_played_in_chinese_reads_in_english(release_db: Path, procedure) -> None:
    clauses = {c.zh for c in procedure.clauses}
    with Records(release_db, key=KEY) as r:
        loaded = find_scenario("combined_incident", procedure.ids)
        # the hall's own rules are shown in their Chinese original too, as the clauses are
        s = loaded.scenario
        clauses |= {v.fill(t.zh, "zh") for t in s.instructions.values() for v in s.variants}
        new_sid, engine, report = record_agent_run(r, loaded, procedure, 2, "panicky", "0430")
        for sid in (2, 4, 5, 7, new_sid):  # played in Chinese, in either format
            row = r.session(sid)
            assert row.lang == "zh"
            html = session_report(r, sid, "en")
            body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
            words = re.sub(r"<[^>]+>", "\n", body).replace("&#34;", '"').replace("&#39;", "'")
            assert _outside_quotes_and_clauses(words, clauses) == [], sid
    text = render_text(report, Narrator(loaded.scenario, report.variant, "en", procedure))
    assert _outside_quotes_and_clauses(text, clauses) == []
    # English uses English punctuation
    assert not re.search(r"[「」（）、：，。]", re.sub(r"“[^”]*”", "", text))
