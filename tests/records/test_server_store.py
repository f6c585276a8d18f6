"""What only the server store has: its URL named without the password, a server that cannot be
reached said in one line, the store's SQL text translated, and desks writing at once."""

from __future__ import annotations

import threading

import pytest

from records.db import Records, RecordsError
from records.service import record_agent_run
from records.store.dialect import translate, where
from trainer.outputs import check_target


def test_the_store_sql_is_translated_outside_quoted_strings() -> None:
    sql = "SELECT '?%' , x FROM t WHERE a = ? AND b LIKE 'a%' AND c = ?"
    assert translate(sql) == "SELECT '?%' , x FROM t WHERE a = %s AND b LIKE 'a%' AND c = %s"
    assert translate("SELECT json_extract(body, '$.drill') FROM audit") == (
        "SELECT (CAST(body AS jsonb) ->> 'drill') FROM audit"
    )
    assert translate("GROUP_CONCAT(DISTINCT s.scenario_id)") == (
        "STRING_AGG(DISTINCT s.scenario_id, ',')"
    )
    assert translate("SELECT 5 % 2") == "SELECT 5 %% 2"


def test_a_url_is_named_without_its_password() -> None:
    assert where("postgresql://desk:s3cret@records.example:5432/trainer") == (
        "postgresql://desk@records.example:5432/trainer"
    )


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(RecordsError) as err:
        Records("postgresql://desk:s3cret-word@127.0.0.1:9/trainer", timeout=2)
    message = str(err.value)
    assert "127.0.0.1:9/trainer" in message and "DESK_TRAINER_DB" in message
    assert "s3cret-word" not in message and "\n" not in message


def test_a_server_database_is_never_a_file_an_output_could_overwrite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.html"
    assert check_target(out, "postgresql://desk@127.0.0.1:5432/trainer") == out


def test_desks_recording_at_once_keep_one_audit_chain(pg_server, procedure, printer_jam) -> None:  # type: ignore[no-untyped-def]
    from records.verify import verify_all
    from tests.records.conftest import drop_pg_database, new_pg_database

    url = new_pg_database(pg_server)
    key = b"centre-key-for-four-desks-0123"
    try:
        Records(url, key=key).close()
        failures: list[BaseException] = []

        def desk(n: int) -> None:
            try:
                with Records(url, key=key) as r:
                    for seed in range(3):
                        record_agent_run(r, printer_jam, procedure, seed, "careless", f"04{n}")
            except BaseException as err:  # noqa: BLE001 (reported below)
                failures.append(err)

        threads = [threading.Thread(target=desk, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        with Records(url, key=key) as r:
            assert len(r.sessions()) == 12
            assert verify_all(r, key) == []
            seqs = [e.seq for e in r.audit_entries()]
            assert seqs == list(range(1, len(seqs) + 1))
    finally:
        drop_pg_database(url)
