"""A PostgreSQL append is one round trip, and a failed one leaves neither a row nor the append lock.

Appends are serialised by an advisory lock held until commit (so followers never skip an
event); the lock must not be held while the network carries statements one by one.
"""

from __future__ import annotations

import os
from pathlib import Path

import conftest_postgres
import psycopg
import pytest

import toolkit.events.postgres_store as postgres_store
from toolkit.errors import StoreError
from toolkit.events.model import Event, EventType
from toolkit.events.postgres_store import PostgresStore
from toolkit.events.store import open_store

# The PostgreSQL fixtures, made visible to pytest in this module.
postgres_server = conftest_postgres.postgres_server
postgres_url = conftest_postgres.postgres_url


def answer(number: int) -> Event:
    return Event(
        type=EventType.ANSWERED,
        cohort="demo-2026",
        module="m1",
        exercise="e1",
        participant=f"river-lotus-{number}",
        payload={"value": number},
    )


def test_an_append_is_one_round_trip(postgres_url: str, tmp_path: Path) -> None:
    trace = tmp_path / "protocol.txt"
    with open_store(postgres_url) as store:
        assert isinstance(store, PostgresStore)
        store.append(answer(1001))  # the first append on a connection is like any other; trace the second
        connection = store._db
        assert connection is not None
        descriptor = os.open(trace, os.O_WRONLY | os.O_CREAT)
        try:
            connection.pgconn.trace(descriptor)
            connection.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
            assert store.append(answer(1002)) is True
            connection.pgconn.untrace()
        finally:
            os.close(descriptor)
    sent = [line.split("\t")[2].strip() for line in trace.read_text().splitlines() if line.startswith("F")]
    # Lock and insert end with one Sync: the server commits them as one implicit transaction.
    assert sent.count("Sync") == 1 and "Query" not in sent, sent
    assert sent.index("Sync") > max(i for i, message in enumerate(sent) if message == "Execute")


def test_a_failed_append_stores_nothing_and_releases_the_lock(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = postgres_store._INSERT_AND_NOTIFY.replace("SELECT pg_notify", "SELECT 1 / 0, pg_notify")
    with open_store(postgres_url) as store:
        monkeypatch.setattr(postgres_store, "_INSERT_AND_NOTIFY", failing)
        with pytest.raises(StoreError, match="cannot save an event: division by zero"):
            store.append(answer(1001))
        with psycopg.connect(postgres_url) as other:
            locks = other.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()
            rows = other.execute("SELECT count(*) FROM events").fetchone()
        assert locks == (0,) and rows == (0,)
        monkeypatch.undo()
        assert store.append(answer(1001)) is True  # the connection is usable again
        assert [stored.event.participant for stored in store.read()] == ["river-lotus-1001"]
