"""One contract for every event store: the same tests on SQLite and on a real PostgreSQL.

The PostgreSQL server comes from tests/conftest_postgres.py; PostgreSQL-only tests at the
end prove that a follower never skips an event under concurrent writers, and that
followers wake on NOTIFY.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import conftest_postgres
import pytest
from conftest_postgres import PostgresServer

from toolkit.errors import StoreError
from toolkit.events import Event, EventType, open_store
from toolkit.events.store import EventStore, wait_for_append

COHORT = "demo-2026"

# The PostgreSQL fixtures, made visible to pytest in this module.
postgres_server = conftest_postgres.postgres_server
postgres_url = conftest_postgres.postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'events.sqlite').as_posix()}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    with open_store(store_url) as opened:
        yield opened


def answer(participant: str, text: str, module: str = "m1", when: dt.datetime | None = None) -> Event:
    return Event(
        type=EventType.ANSWERED,
        cohort=COHORT,
        module=module,
        exercise="e1",
        participant=participant,
        payload={"text": text, "mots": ["한국어", "tiếng Việt"]},
        **({"time": when} if when else {}),
    )


def test_append_then_read_in_order_with_the_whole_event(store: EventStore) -> None:
    events = [answer("river-lotus-1001", f"answer {n}") for n in range(5)]
    assert all(store.append(event) for event in events)
    stored = store.read()
    assert [item.event for item in stored] == events
    seqs = [item.seq for item in stored]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5


def test_a_retried_save_is_stored_once(store: EventStore) -> None:
    event = answer("river-lotus-1001", "once")
    assert store.append(event) is True
    assert store.append(event) is False
    assert [item.event.id for item in store.read()] == [event.id]


def test_read_since_and_limit(store: EventStore) -> None:
    for n in range(6):
        store.append(answer("river-lotus-1001", f"answer {n}"))
    everything = store.read()
    after_second = store.read(since=everything[1].seq)
    assert after_second == everything[2:]
    assert store.read(since=everything[1].seq, limit=2) == everything[2:4]
    assert store.read(since=everything[-1].seq) == []
    assert store.read(limit=0) == []
    with pytest.raises(ValueError, match="negative"):
        store.read(limit=-1)


def test_read_participant_and_knows_participant(store: EventStore) -> None:
    mine = [answer("river-lotus-1001", "a"), answer("river-lotus-1001", "b")]
    store.append(mine[0])
    store.append(answer("cove-kite-1002", "other"))
    store.append(mine[1])
    assert [item.event for item in store.read_participant(COHORT, "river-lotus-1001")] == mine
    assert store.read_participant("another-cohort", "river-lotus-1001") == []
    assert store.knows_participant(COHORT, "cove-kite-1002")
    assert not store.knows_participant(COHORT, "moss-fern-1003")
    assert not store.knows_participant("another-cohort", "river-lotus-1001")


def test_attempts_are_counted_by_kind_and_time(store: EventStore) -> None:
    now = time.time()
    store.note_attempt("resume", now - 100)
    store.note_attempt("resume", now)
    store.note_attempt("new-code", now)
    assert store.count_attempts("resume", now - 200) == 2
    assert store.count_attempts("resume", now - 50) == 1
    assert store.count_attempts("new-code", now - 200) == 1
    # Attempts past the retention are dropped as new ones are noted.
    store.note_attempt("resume", now + 2 * 24 * 3600)
    assert store.count_attempts("resume", 0) == 1


def test_erase_removes_one_participant_for_good_and_seqs_are_not_reused(store: EventStore) -> None:
    store.append(answer("river-lotus-1001", "secret"))
    kept = answer("cove-kite-1002", "kept")
    store.append(kept)
    last_seq = store.read()[-1].seq
    assert store.erase_participant(COHORT, "river-lotus-1001") == 1
    assert [item.event for item in store.read()] == [kept]
    assert not store.knows_participant(COHORT, "river-lotus-1001")
    assert store.erase_participant(COHORT, "river-lotus-1001") == 0
    store.append(answer("moss-fern-1003", "later"))
    assert store.read()[-1].seq > last_seq  # a follower's cursor past the erased row still sees it


def test_module_scoped_erase_keeps_the_other_modules(store: EventStore) -> None:
    store.append(answer("river-lotus-1001", "one", module="m1"))
    other = answer("river-lotus-1001", "two", module="m2")
    store.append(other)
    assert store.erase_participant(COHORT, "river-lotus-1001", module="m1") == 1
    assert [item.event for item in store.read_participant(COHORT, "river-lotus-1001")] == [other]


def test_purge_before_compares_instants_across_offsets(store: EventStore) -> None:
    cutoff = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    seoul = dt.timezone(dt.timedelta(hours=9))
    old = answer("river-lotus-1001", "old", when=dt.datetime(2026, 6, 1, 20, 59, tzinfo=seoul))  # 11:59 UTC
    new = answer("river-lotus-1001", "new", when=dt.datetime(2026, 6, 1, 21, 1, tzinfo=seoul))  # 12:01 UTC
    store.append(old)
    store.append(new)
    assert store.purge_before(cutoff) == 1
    assert [item.event for item in store.read()] == [new]
    with pytest.raises(ValueError, match="time zone"):
        store.purge_before(dt.datetime(2026, 6, 1))


def test_reopening_keeps_events_and_migrations_run_once(store_url: str) -> None:
    event = answer("river-lotus-1001", "kept")
    with open_store(store_url) as first:
        first.append(event)
    with open_store(store_url) as second, open_store(store_url) as third:
        assert [item.event for item in second.read()] == [event]
        assert third.append(event) is False


def test_a_closed_store_says_so(store_url: str) -> None:
    store = open_store(store_url)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.read()


def test_a_follower_of_a_store_without_notifications_polls(tmp_path: Path) -> None:
    """SQLite cannot notify, so a follower sleeps a short while; PostgreSQL's LISTEN is tested below."""
    with open_store(f"sqlite:///{(tmp_path / 'events.sqlite').as_posix()}") as store:
        started = time.monotonic()
        assert wait_for_append(store, 0.05) is False
        assert time.monotonic() - started < 1


# PostgreSQL only


def test_a_missing_database_is_a_store_error(postgres_server: PostgresServer) -> None:
    url = postgres_server.url("no_such_database")
    with pytest.raises(StoreError, match=r"cannot connect.*\(check the host, port, user and database\)"):
        open_store(url)


def test_a_waiting_follower_wakes_on_notify(postgres_url: str) -> None:
    with open_store(postgres_url) as follower, open_store(postgres_url) as writer:
        assert wait_for_append(follower, 5) is True  # the first call starts listening
        assert wait_for_append(follower, 0.2) is False  # nothing appended
        woke_after: list[float] = []

        def wait() -> None:
            started = time.monotonic()
            if wait_for_append(follower, 10):
                woke_after.append(time.monotonic() - started)

        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.3)
        appended_at = time.monotonic()
        writer.append(answer("river-lotus-1001", "hello"))
        waiter.join(15)
        assert woke_after, "the follower was not woken"
        assert time.monotonic() - appended_at < 1.0
        assert [item.event.payload["text"] for item in follower.read()] == ["hello"]


WRITERS = 8
EVENTS_PER_WRITER = 200


@pytest.mark.slow
def test_a_follower_sees_every_event_of_concurrent_writers_once_in_order(postgres_url: str) -> None:
    seen: list[int] = []
    seen_ids: list[uuid.UUID] = []
    done = threading.Event()
    failures: list[BaseException] = []

    def write(number: int) -> None:
        try:
            with open_store(postgres_url) as writer:
                for n in range(EVENTS_PER_WRITER):
                    writer.append(answer(f"writer-{number:03d}", f"{n}"))
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    def follow() -> None:
        with open_store(postgres_url) as follower:
            cursor = 0
            while True:
                finished = done.is_set()  # read once more after the writers finish
                for item in follower.read(since=cursor, limit=50):
                    seen.append(item.seq)
                    seen_ids.append(item.event.id)
                    cursor = item.seq
                if finished and not follower.read(since=cursor):
                    return
                wait_for_append(follower, 0.05)

    follower = threading.Thread(target=follow)
    follower.start()
    writers = [threading.Thread(target=write, args=(number,)) for number in range(WRITERS)]
    started = time.monotonic()
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    elapsed = time.monotonic() - started
    done.set()
    follower.join(60)
    assert not failures, failures
    with open_store(postgres_url) as store:
        stored = store.read()
    assert len(stored) == WRITERS * EVENTS_PER_WRITER
    # Exactly once, in seq order, and everything the log holds.
    assert seen == [item.seq for item in stored]
    assert seen_ids == [item.event.id for item in stored]
    print(f"{WRITERS} writers: {len(stored) / elapsed:.0f} events/s")


def cohort_file_with_store(folder: Path, store: str) -> Path:
    path = folder / "cohort.yaml"
    text = (Path(__file__).parent / "data/cohort.yaml").read_text(encoding="utf-8")
    path.write_text(f"{text}store: '{store}'\n", encoding="utf-8")
    return path


def test_check_connect_reports_whether_the_store_answers(
    cli: Any, home: Path, tmp_path: Path, postgres_url: str, postgres_server: PostgresServer
) -> None:
    empty = cli("check", "--home", str(home), "--connect", str(cohort_file_with_store(tmp_path, postgres_url)))
    assert empty.exit_code == 0, empty.output
    assert "does not exist yet" in empty.output  # the server answered; the first saved answer creates the tables
    with open_store(postgres_url):
        pass
    answering = cli("check", "--home", str(home), "--connect", str(cohort_file_with_store(tmp_path, postgres_url)))
    assert answering.exit_code == 0, answering.output
    assert f"store answers: {postgres_url}" in answering.output
    silent = postgres_server.url("no_such_database")
    refused = cli("check", "--home", str(home), "--connect", str(cohort_file_with_store(tmp_path, silent)))
    assert refused.exit_code != 0
    assert "cannot connect" in refused.output and "no_such_database" in refused.output
    without = cli("check", "--home", str(home), str(cohort_file_with_store(tmp_path, silent)))
    assert without.exit_code == 0, without.output  # without --connect only the URL is checked


def test_check_connect_does_not_create_a_sqlite_store(cli: Any, home: Path, tmp_path: Path) -> None:
    result = cli("check", "--home", str(home), "--connect", str(cohort_file_with_store(tmp_path, "sqlite:///e.sqlite")))
    assert result.exit_code == 0, result.output
    assert "does not exist yet" in result.output and not (tmp_path / "e.sqlite").exists()
    with open_store(f"sqlite:///{(tmp_path / 'e.sqlite').as_posix()}"):
        pass
    result = cli("check", "--home", str(home), "--connect", str(cohort_file_with_store(tmp_path, "sqlite:///e.sqlite")))
    assert "store answers: sqlite:///" in result.output


def test_a_missing_driver_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(StoreError, match=re.escape("pip install 'bridges-curriculum[postgres]'")):
        open_store("postgresql://bridges@db.example/bridges")


def test_postgresql_erase_vacuums_and_a_newer_schema_is_refused(postgres_url: str) -> None:
    import psycopg

    with open_store(postgres_url) as store:
        store.append(answer("river-lotus-1001", "to be erased"))
        assert store.erase_participant(COHORT, "river-lotus-1001") == 1
    with psycopg.connect(postgres_url, autocommit=True) as db:
        deadline = time.monotonic() + 5
        while True:  # statistics reach the view shortly after the vacuum
            db.execute("SELECT pg_stat_clear_snapshot()")
            row = db.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'events'::regclass").fetchone()
            if (row and row[0] >= 1) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert row is not None and row[0] >= 1, "erasing did not vacuum the events table"
        assert db.execute("SELECT max(version) FROM schema_version").fetchone() == (2,)
        db.execute("INSERT INTO schema_version (version) VALUES (99)")
    with pytest.raises(StoreError, match="schema version 99, newer than this toolkit"):
        open_store(postgres_url)
