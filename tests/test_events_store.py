"""The SQLite event store, on real files: concurrency, crashes, privacy, migrations."""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import StoreError, UnsupportedStoreURL
from toolkit.events import Event, EventBus, EventType, Recorder, open_store, sqlite_store
from toolkit.events.sqlite_store import LATEST_SCHEMA_VERSION, SQLiteStore

SPAWN = multiprocessing.get_context("spawn")


def answer(participant: str = "river-lotus-4821", cohort: str = "demo", **payload: Any) -> Event:
    return Event(
        type=EventType.ANSWERED,
        cohort=cohort,
        module="belonging",
        exercise="first-words",
        participant=participant,
        payload={"kind": "free_text", "value": "hello", "sharing": "private", **payload},
    )


def sql(path: Path, statement: str) -> list[Any]:
    """Run one statement on the file through a separate, plain SQLite connection."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute(statement).fetchall()
        db.commit()
        return rows
    finally:
        db.close()


def user_version(path: Path) -> int:
    version: int = sql(path, "PRAGMA user_version")[0][0]
    return version


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "events.sqlite") as opened:
        yield opened


# Workers run in spawned processes, so they live at module level.


def _append_many(path: str, worker: int, count: int, start: Any) -> None:
    start.wait(timeout=60)  # open and write at the same moment as the other workers
    with SQLiteStore(path) as store:
        for n in range(count):
            event = answer(participant=f"writer-{worker:02d}", n=n, worker=worker)
            if not store.append(event):
                raise AssertionError(f"worker {worker}: event {n} reported as a duplicate")


def _append_until_killed(path: str, report: str) -> None:
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with SQLiteStore(path) as store:
        n = 0
        while True:
            event = answer(n=n)
            store.append(event)
            # One write() per line, after the commit: a line present means committed.
            os.write(fd, f"{event.id}\n".encode())
            n += 1


def test_four_processes_append_concurrently_each_event_once(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    workers, per_worker = 4, 1000
    start = SPAWN.Barrier(workers)
    processes = [
        SPAWN.Process(target=_append_many, args=(str(path), worker, per_worker, start)) for worker in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=240)
    assert [process.exitcode for process in processes] == [0] * workers

    with SQLiteStore(path) as store:
        stored = store.read()
    assert len(stored) == workers * per_worker
    seqs = [item.seq for item in stored]
    assert seqs == sorted(set(seqs))  # unique and increasing
    assert len({item.event.id for item in stored}) == workers * per_worker
    for worker in range(workers):
        numbers = [item.event.payload["n"] for item in stored if item.event.payload["worker"] == worker]
        assert numbers == list(range(per_worker))  # all there, once, in the order written


def test_killed_writer_loses_no_committed_event(tmp_path: Path) -> None:
    path, report = tmp_path / "events.sqlite", tmp_path / "committed.txt"
    writer = SPAWN.Process(target=_append_until_killed, args=(str(path), str(report)))
    writer.start()
    deadline = time.monotonic() + 60
    while not report.exists() or report.read_bytes().count(b"\n") < 200:
        assert writer.is_alive(), "the writer stopped before it was killed"
        assert time.monotonic() < deadline, "the writer committed too few events"
        time.sleep(0.01)
    assert writer.pid is not None
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(timeout=30)
    assert writer.exitcode == -signal.SIGKILL

    text = report.read_text()
    committed = set(text[: text.rfind("\n")].split("\n"))
    assert len(committed) >= 200
    assert sql(path, "PRAGMA integrity_check") == [("ok",)]
    with SQLiteStore(path) as store:
        stored = {str(item.event.id) for item in store.read()}
    assert committed <= stored
    assert len(stored - committed) <= 1  # at most the one committed just before its report was written


def test_retried_event_is_stored_once(store: SQLiteStore) -> None:
    event = answer()
    assert store.append(event) is True
    retried_with_other_content = event.model_copy(update={"payload": {"value": "changed"}})
    assert store.append(retried_with_other_content) is False
    assert [item.event for item in store.read()] == [event]


def test_events_read_back_equal_to_what_was_written(store: SQLiteStore) -> None:
    events = [
        answer(value={"nested": ["列表", 1, 2.5, None]}),
        Event(type=EventType.MODULE_STARTED, cohort="demo", module="belonging", participant="river-lotus-4821"),
        Event(type=EventType.PASSED, cohort="demo", module="belonging", exercise="e2", participant="cove-kite-0042"),
    ]
    for event in events:
        store.append(event)
    assert [item.event for item in store.read()] == events


def test_read_since_and_limit(store: SQLiteStore) -> None:
    for n in range(5):
        store.append(answer(n=n))
    first_two = store.read(limit=2)
    assert [item.event.payload["n"] for item in first_two] == [0, 1]
    rest = store.read(since=first_two[-1].seq)
    assert [item.event.payload["n"] for item in rest] == [2, 3, 4]
    assert store.read(since=rest[-1].seq) == []
    with pytest.raises(ValueError, match="limit"):
        store.read(limit=-1)


def test_file_and_new_folders_are_private_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "cohorts" / "demo" / "events.sqlite"
    old_umask = os.umask(0)
    try:
        with open_store(f"sqlite:///{path.as_posix()}") as store:
            store.append(answer())
            for file in (path, path.with_name("events.sqlite-wal"), path.with_name("events.sqlite-shm")):
                assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700


def test_existing_readable_file_is_made_private(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "events.sqlite"
    SQLiteStore(path).close()
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING), SQLiteStore(path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "could be read by others" in caplog.text


def test_store_uses_wal_and_waits_for_other_writers(store: SQLiteStore) -> None:
    assert sql(store.path, "PRAGMA journal_mode") == [("wal",)]
    # Settings are per connection, so read them from the store's own.
    assert store._db is not None
    assert store._db.execute("PRAGMA busy_timeout").fetchone() == (10_000,)
    assert store._db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


def test_url_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///relative/events.sqlite") as store:
        store.append(answer())
    assert (tmp_path / "relative" / "events.sqlite").is_file()
    absolute = tmp_path / "absolute" / "events.sqlite"
    assert f"sqlite:///{absolute}".startswith("sqlite:////")
    with open_store(f"sqlite:///{absolute}") as store:
        store.append(answer())
    assert absolute.is_file()


@pytest.mark.parametrize(
    "url",
    [
        "mysql://localhost/bridges",
        "events.sqlite",
        "sqlite://host/events.sqlite",
        "sqlite:///",
        "sqlite:///:memory:",
        "sqlite:///data/events#1.sqlite",
        "sqlite:///events.sqlite?mode=ro",
    ],
)
def test_unsupported_urls_are_refused(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnsupportedStoreURL) as caught:
        open_store(url)
    assert caught.value.url == url
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_fresh_file_gets_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    SQLiteStore(path).close()
    assert user_version(path) == LATEST_SCHEMA_VERSION >= 1


def test_version_0_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    sql(path, "CREATE TABLE notes (text TEXT)")
    sql(path, "INSERT INTO notes VALUES ('kept')")
    assert user_version(path) == 0
    with SQLiteStore(path) as store:
        assert store.append(answer())
        assert len(store.read()) == 1
    assert user_version(path) == LATEST_SCHEMA_VERSION
    assert sql(path, "SELECT text FROM notes") == [("kept",)]


def test_later_migrations_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "events.sqlite"
    SQLiteStore(path).close()

    def add_column(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE events ADD COLUMN note TEXT")

    monkeypatch.setattr(sqlite_store, "MIGRATIONS", (*sqlite_store.MIGRATIONS, add_column))
    monkeypatch.setattr(sqlite_store, "LATEST_SCHEMA_VERSION", LATEST_SCHEMA_VERSION + 1)
    SQLiteStore(path).close()
    assert user_version(path) == LATEST_SCHEMA_VERSION + 1
    assert sql(path, "PRAGMA table_info(events)")[-1][1] == "note"


def test_newer_file_than_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    SQLiteStore(path).close()
    sql(path, f"PRAGMA user_version = {LATEST_SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this toolkit") as caught:
        SQLiteStore(path)
    assert str(path) in str(caught.value)
    assert user_version(path) == LATEST_SCHEMA_VERSION + 1  # left as it was


def test_sqlite_errors_become_store_errors_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are not the events you are looking for\n" * 100)
    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)
    error = caught.value
    assert isinstance(error, OSError)
    assert str(path) in str(error)
    assert "not an SQLite database" in str(error)
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "events.sqlite")
    store.close()
    store.close()  # twice is harmless
    with pytest.raises(StoreError, match="closed"):
        store.append(answer())


def test_threads_share_one_store(store: SQLiteStore) -> None:
    def write(thread: int) -> None:
        for n in range(100):
            store.append(answer(thread=thread, n=n))

    threads = [threading.Thread(target=write, args=(thread,)) for thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.read()) == 800


def test_erase_removes_only_that_participant(store: SQLiteStore) -> None:
    store.append(answer("river-lotus-4821"))
    store.append(answer("river-lotus-4821"))
    store.append(answer("cove-kite-0042"))
    store.append(answer("river-lotus-4821", cohort="other"))
    assert store.erase_participant("demo", "river-lotus-4821") == 2
    remaining = [(item.event.cohort, item.event.participant) for item in store.read()]
    assert remaining == [("demo", "cove-kite-0042"), ("other", "river-lotus-4821")]
    assert store.erase_participant("demo", "river-lotus-4821") == 0


def test_erased_answers_leave_no_trace_in_the_files(store: SQLiteStore) -> None:
    secret = "my-family-does-not-know-yet"
    for n in range(50):
        store.append(answer("river-lotus-4821", value=f"{secret} {n}"))
        store.append(answer("cove-kite-0042", value=f"kept answer {n}"))
    store.erase_participant("demo", "river-lotus-4821")
    # Checked while the store is still open: the -wal file must not keep old copies either.
    on_disk = b"".join(file.read_bytes() for file in store.path.parent.iterdir())
    assert secret.encode() not in on_disk
    assert b"kept answer 49" in on_disk


def test_seq_is_not_reused_after_erase(store: SQLiteStore) -> None:
    store.append(answer("cove-kite-0042"))
    store.append(answer("river-lotus-4821"))
    last_seq = store.read()[-1].seq
    store.erase_participant("demo", "river-lotus-4821")
    store.append(answer("cove-kite-0042"))
    assert store.read(since=last_seq)[0].seq > last_seq  # a cursor at last_seq still sees it


def test_recorder_publishes_only_new_events(store: SQLiteStore) -> None:
    bus, seen = EventBus(), list[Event]()
    bus.subscribe(seen.append)
    recorder = Recorder(store, bus)
    event = answer()
    assert recorder.record(event) is True
    assert recorder.record(event) is False
    assert seen == [event]


def test_failing_subscriber_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    bus, seen = EventBus(), list[Event]()

    def broken(event: Event) -> None:
        raise RuntimeError("broken view")

    bus.subscribe(broken)
    unsubscribe = bus.subscribe(seen.append)
    event = answer(value="private words")
    with caplog.at_level(logging.ERROR):
        bus.publish(event)
    assert seen == [event]
    assert "broken view" in caplog.text
    assert "private words" not in caplog.text  # the log names the event, not the answer
    unsubscribe()
    unsubscribe()
    bus.publish(answer())
    assert seen == [event]


def test_knows_participant_only_in_their_cohort(store: SQLiteStore) -> None:
    assert not store.knows_participant("demo", "river-lotus-4821")
    store.append(answer("river-lotus-4821", cohort="other"))
    assert not store.knows_participant("demo", "river-lotus-4821")
    store.append(answer("river-lotus-4821"))
    assert store.knows_participant("demo", "river-lotus-4821")
    store.erase_participant("demo", "river-lotus-4821")
    assert not store.knows_participant("demo", "river-lotus-4821")


def test_knows_participant_uses_the_index(store: SQLiteStore) -> None:
    plan = sql(
        store.path,
        "EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM events WHERE cohort = 'demo' AND participant = 'x')",
    )
    assert any("USING COVERING INDEX events_by_participant" in str(row) for row in plan), plan


def test_read_participant_returns_only_their_events_in_order(store: SQLiteStore) -> None:
    mine = [answer("river-lotus-4821", value=f"mine {n}") for n in range(3)]
    for event, other in zip(mine, ["moon-fern-1234", "river-lotus-4821"] * 2, strict=False):
        store.append(event)
        store.append(answer(other, cohort="other", value="same code, other cohort"))
        store.append(answer("moon-fern-1234", value="someone else"))
    read = store.read_participant("demo", "river-lotus-4821")
    assert [stored.event for stored in read] == mine
    assert [stored.seq for stored in read] == sorted(stored.seq for stored in read)
    assert store.read_participant("demo", "never-issued-0000") == []
    store.erase_participant("demo", "river-lotus-4821")
    assert store.read_participant("demo", "river-lotus-4821") == []


def test_read_participant_uses_the_index(store: SQLiteStore) -> None:
    query = sqlite_store._SELECT_PARTICIPANT.replace("?", "'x'")
    plan = sql(store.path, f"EXPLAIN QUERY PLAN {query}")
    assert any("USING INDEX events_by_participant" in str(row) for row in plan), plan
    assert not any("SCAN events" in str(row) for row in plan), plan


def test_attempts_are_counted_by_kind_and_time_and_forgotten_after_a_day(store: SQLiteStore) -> None:
    day = sqlite_store.ATTEMPT_RETENTION_SECONDS
    store.note_attempt("failed_resume", 1000.0)
    store.note_attempt("failed_resume", 1010.0)
    store.note_attempt("new_code", 1010.0)
    assert store.count_attempts("failed_resume", 1000.0) == 2
    assert store.count_attempts("failed_resume", 1005.0) == 1
    assert store.count_attempts("new_code", 0.0) == 1
    store.note_attempt("new_code", 1005.0 + day)
    assert store.count_attempts("failed_resume", 0.0) == 1  # the one at 1000 s is gone
    # A kind and a time, nothing else: no code typed is ever kept.
    assert [row[1] for row in sql(store.path, "PRAGMA table_info(attempts)")] == ["kind", "time"]


def test_a_first_version_store_gains_the_attempts_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "events.sqlite"
    monkeypatch.setattr(sqlite_store, "MIGRATIONS", sqlite_store.MIGRATIONS[:1])
    monkeypatch.setattr(sqlite_store, "LATEST_SCHEMA_VERSION", 1)
    with SQLiteStore(path) as old:
        old.append(answer())
    monkeypatch.undo()
    with SQLiteStore(path) as store:
        assert user_version(path) == 2
        store.note_attempt("new_code", 1.0)
        assert store.count_attempts("new_code", 0.0) == 1
        assert store.knows_participant("demo", "river-lotus-4821")


def test_a_row_this_toolkit_cannot_read_names_fields_but_never_quotes_an_answer(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    with SQLiteStore(path) as opened:
        secret = {"value": "my secret"}
        opened.append(Event(type=EventType.ANSWERED, cohort="demo", participant="river-lotus-4821", payload=secret))
    with sqlite3.connect(path) as raw:  # as a newer toolkit might have written it
        raw.execute("UPDATE events SET type = 'not-a-type'")
    with SQLiteStore(path) as reopened, pytest.raises(StoreError) as caught:
        reopened.read()
    assert "a stored event is invalid (type)" in str(caught.value)
    assert "my secret" not in str(caught.value)
