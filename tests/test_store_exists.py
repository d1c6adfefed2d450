"""Whether a cohort's store exists, asked of the store itself through the registry, never created by asking.

The coordinators' commands (check --connect, erase, purge, journal, report) must not create an
empty store: it would hide a cohort file naming the wrong one. On PostgreSQL "exists" means the
events table is in the URL's database and schema; what the first saved answer could not create
either (the schema, the right to create tables) is an error, not "not yet".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import conftest_postgres
import pytest
from conftest_postgres import TEST_DATABASE, PostgresServer

from toolkit.errors import StoreError
from toolkit.events.registry import StoreKind, store_kinds
from toolkit.events.store import open_store, store_exists
from toolkit.lifecycle.purge import purge_cohort
from toolkit.schema.cohort import Cohort, Session

# The PostgreSQL fixtures, made visible to pytest in this module.
postgres_server = conftest_postgres.postgres_server
postgres_url = conftest_postgres.postgres_url


def tables(url: str) -> list[str]:
    """The tables of the URL's schema."""
    import psycopg

    with psycopg.connect(url) as db:
        rows = db.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()
    return sorted(row[0] for row in rows)


def test_sqlite_exists_once_its_file_does(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'events.sqlite').as_posix()}"
    assert store_exists(url) is False
    assert not (tmp_path / "events.sqlite").exists()  # asking created nothing
    with open_store(url):
        pass
    assert store_exists(url) is True


def test_postgresql_exists_once_its_events_table_does(postgres_url: str) -> None:
    assert store_exists(postgres_url) is False
    assert tables(postgres_url) == []  # asking created nothing
    with open_store(postgres_url):
        pass
    assert store_exists(postgres_url) is True


def test_postgresql_stores_in_other_schemas_do_not_count(postgres_url: str, postgres_server: PostgresServer) -> None:
    with open_store(postgres_url):
        pass
    assert store_exists(conftest_postgres.new_schema(postgres_server)) is False


def test_postgresql_a_store_the_first_answer_could_not_create_is_an_error(
    postgres_url: str, postgres_server: PostgresServer
) -> None:
    import psycopg

    missing_database = postgres_server.url("no_such_database")
    with pytest.raises(StoreError, match=r"cannot connect.*no_such_database"):
        store_exists(missing_database)
    missing_schema = postgres_server.url(TEST_DATABASE) + "?options=-csearch_path%3Dno_such_schema"
    with pytest.raises(StoreError, match="names no schema this user can use"):
        store_exists(missing_schema)
    schema = postgres_url.rsplit("%3D", 1)[1]
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(b"DROP ROLE IF EXISTS bridges_reader")
        admin.execute(b"CREATE ROLE bridges_reader LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO bridges_reader".encode())
    parts = urlsplit(postgres_url)
    reader = parts._replace(netloc=f"bridges_reader@{parts.hostname}:{parts.port}").geturl()
    with pytest.raises(StoreError, match=f"may not create its tables in schema '{schema}'"):
        store_exists(reader)


def test_a_third_store_is_asked_through_its_registered_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def exists(url: str) -> bool:
        asked.append(url)
        return False

    kind = StoreKind(
        check=lambda url, parts, cohort_file: url, open=lambda url: pytest.fail("not opened"), exists=exists
    )
    monkeypatch.setitem(store_kinds(), "example", kind)
    assert store_exists("example://db/bridges") is False
    assert asked == ["example://db/bridges"]
    # A kind that cannot tell is opened, as before the registry asked.
    monkeypatch.setitem(store_kinds(), "example", StoreKind(check=kind.check, open=kind.open))
    assert store_exists("example://db/bridges") is True


def test_purging_a_postgresql_cohort_without_a_store_creates_none(postgres_url: str) -> None:
    cohort = Cohort(
        name="Purge test",
        slug="purge-test",
        sessions=[Session(date=dt.date(2027, 1, 9), start=dt.time(18), modules=["shared-experiences"])],
        store=postgres_url,
    )
    assert purge_cohort(cohort) == 0
    assert tables(postgres_url) == []
