"""The PostgreSQL event store: one database shared by every kernel of many machines.

Same contract as the SQLite store (append-only, idempotent event ids, migrations,
erase, purge, rate-limit attempts, ``read(since)`` in ``seq`` order). Why each choice:

- Appends take a transaction-level advisory lock before their ``INSERT``. A sequence value
  is drawn before commit, so with free-running writers seq 7 may commit before seq 6,
  and a follower that has read "everything after 5" would move its cursor to 7 and never
  see 6. Under the lock seq order is commit order (the lock is released after the commit
  is visible), so reading "after N" never skips. One append is one short transaction, so
  the lock costs little next to the commit's own flush.
- ``pg_notify`` in the appending transaction (sent on commit): followers block in
  ``wait_for_append`` on ``LISTEN`` instead of polling.
- Appends are pipelined (one round trip): the lock is not held while the network
  carries the insert and the commit (psycopg's pipeline mode needs libpq 14, which
  the ``psycopg[binary]`` wheels bring).
- ``VACUUM`` after erasing or purging: deleted rows stay in the table's files as dead
  tuples until vacuum; what remains after that (WAL, backups) is in docs/privacy.md.
- No password in the URL: cohort files are copied and shared; libpq reads it from
  ~/.pgpass or PGPASSWORD.

psycopg is an optional dependency (``bridges-curriculum[postgres]``), imported on open.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import SplitResult, unquote, urlsplit

from toolkit.errors import InvalidValue, StoreError
from toolkit.events.model import Event, StoredEvent, parse_stored
from toolkit.events.registry import StoreKind

if TYPE_CHECKING:
    import psycopg

logger = logging.getLogger(__name__)

INSTALL_HINT = "install the PostgreSQL driver: pip install 'bridges-curriculum[postgres]'"
CONNECT_TIMEOUT_SECONDS = 10
# Advisory lock keys (one 64-bit number each, per database): appends, and migrations.
APPEND_LOCK = 0x6272_6964_6765_7301  # "bridges" + 1
MIGRATE_LOCK = 0x6272_6964_6765_7302
CHANNEL = "bridges_events"
URL_EXAMPLE = "postgresql://bridges@db.example.org:5432/bridges"

# Migration n is MIGRATIONS[n - 1]; the schema_version table records the last one applied.
# Append only: never edit a migration that has shipped.
MIGRATIONS: tuple[str, ...] = (
    # Identity values are never reused after an erase (a cursor past erased rows would
    # otherwise skip new events). The time is kept as written (ISO 8601 with its offset).
    """
    CREATE TABLE events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        type text NOT NULL,
        cohort text NOT NULL,
        module text,
        exercise text,
        participant text NOT NULL,
        time text NOT NULL,
        payload json NOT NULL,
        schema_version integer NOT NULL
    );
    CREATE INDEX events_by_participant ON events (cohort, participant);
    """,
    # A kind and a time only, as in the SQLite store: never what was typed.
    """
    CREATE TABLE attempts (kind text NOT NULL, time double precision NOT NULL);
    CREATE INDEX attempts_by_kind ON attempts (kind, time);
    """,
)
LATEST_SCHEMA_VERSION = len(MIGRATIONS)
ATTEMPT_RETENTION_SECONDS = 24 * 3600.0

_COLUMNS = "id, type, cohort, module, exercise, participant, time, payload, schema_version"
_INSERT = f"INSERT INTO events ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"
# Notifies only when the event is new (a retried save wakes nobody); one row if it was stored.
_INSERT_AND_NOTIFY = f"WITH inserted AS ({_INSERT} RETURNING seq) SELECT pg_notify('{CHANNEL}', '') FROM inserted"
_SELECT = f"SELECT seq, {_COLUMNS} FROM events WHERE seq > %s ORDER BY seq LIMIT %s"
_SELECT_PARTICIPANT = f"SELECT seq, {_COLUMNS} FROM events WHERE cohort = %s AND participant = %s ORDER BY seq"


def check_postgresql_url(url: str, parts: SplitResult, cohort_file: Path | None) -> str:
    """A PostgreSQL URL names a host and a database, and carries no password."""
    if parts.password is not None:
        # Only say so: repeating the URL would repeat the password.
        raise InvalidValue(
            "the PostgreSQL URL contains a password, which would travel with every copy of the cohort file",
            f"remove it (write {URL_EXAMPLE}) and put the password in ~/.pgpass or PGPASSWORD",
        )
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        raise InvalidValue(f"{url!r} has an invalid port", f"write {URL_EXAMPLE}") from None
    if not parts.hostname:
        raise InvalidValue(f"{url!r} names no host", f"write {URL_EXAMPLE}")
    database = unquote(parts.path.removeprefix("/"))
    if not database or "/" in database:
        raise InvalidValue(f"{url!r} names no database (one name after the host)", f"write {URL_EXAMPLE}")
    if parts.fragment:
        raise InvalidValue("a store URL takes no '#' fragment", f"write {URL_EXAMPLE}")
    return url


def _driver(url: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(_safe_url(url), f"the psycopg package is missing; {INSTALL_HINT}") from None
    return psycopg


def _safe_url(url: str) -> str:
    # Error messages never repeat a password, should one have been passed in.
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def _connect(psycopg_module: Any, url: str) -> psycopg.Connection[Any]:
    try:
        connection: psycopg.Connection[Any] = psycopg_module.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS, application_name="bridges"
        )
    except psycopg_module.Error as exc:
        raise StoreError(
            _safe_url(url), f"cannot connect: {str(exc).strip()} (check the host, port, user and database)"
        ) from exc
    return connection


# Where the store's tables are (or would be created): the first schema of the URL's search path.
_LOOK_FOR_STORE = """
SELECT to_regclass('events') IS NOT NULL, current_schema(), has_schema_privilege(current_schema(), 'CREATE')
"""


def postgresql_store_exists(url: str) -> bool:
    """Whether the database at ``url`` holds an event store (its events table, in the URL's search path).

    Asked without creating anything. What the first saved answer could not create either is a
    StoreError rather than False: a missing database or schema, or no right to create tables.
    """
    psycopg_module = _driver(url)
    with _connect(psycopg_module, url) as db:
        try:
            row = db.execute(_LOOK_FOR_STORE).fetchone()
        except psycopg_module.Error as exc:
            raise StoreError(_safe_url(url), f"cannot look for the event store: {str(exc).strip()}") from exc
    assert row is not None  # a SELECT without FROM returns one row
    found, schema, may_create = row
    if found:
        return True
    if schema is None:
        raise StoreError(
            _safe_url(url),
            "the search_path names no schema this user can use: create it (CREATE SCHEMA name) or GRANT USAGE on it",
        )
    if not may_create:
        raise StoreError(
            _safe_url(url),
            f"no event store yet, and this user may not create its tables in schema {schema!r}: "
            f"GRANT CREATE ON SCHEMA {schema} to the user, or connect as the schema's owner",
        )
    return False


def _row(event: Event) -> tuple[Any, ...]:
    from psycopg.types.json import Json

    data = event.model_dump(mode="json")
    return (
        data["id"],
        data["type"],
        data["cohort"],
        data["module"],
        data["exercise"],
        data["participant"],
        data["time"],
        Json(data["payload"]),
        data["schema_version"],
    )


def _stored_event(row: tuple[Any, ...]) -> StoredEvent:
    seq, event_id, type_, cohort, module, exercise, participant, recorded_at, payload, schema_version = row
    event = Event(
        id=event_id,
        type=type_,
        cohort=cohort,
        module=module,
        exercise=exercise,
        participant=participant,
        time=recorded_at,
        payload=payload,
        schema_version=schema_version,
    )
    return StoredEvent(seq=seq, event=event)


class PostgresStore:
    """An ``EventStore`` in one PostgreSQL database.

    One connection per store object (autocommit, explicit transactions), guarded by a
    lock so that widget callbacks and the kernel's main thread can share a store; a
    second connection is opened only by the first ``wait_for_append``, to LISTEN.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._db: psycopg.Connection[Any] | None = None
        self._listener: psycopg.Connection[Any] | None = None
        self._psycopg = _driver(url)
        self._db = _connect(self._psycopg, url)
        try:
            with self._connection("migrate the store") as db:
                self._migrate(db)
        except BaseException:
            self.close()
            raise

    @property
    def _safe_url(self) -> str:
        return _safe_url(self.url)

    def __repr__(self) -> str:
        return f"PostgresStore({self._safe_url!r})"

    def _migrate(self, db: psycopg.Connection[Any]) -> None:
        with db.transaction():
            # Kernels opening a new store together: one migrates, the others wait and find it done.
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
            row = db.execute("SELECT max(version) FROM schema_version").fetchone()
            version = int(row[0]) if row is not None and row[0] is not None else 0
            if version > LATEST_SCHEMA_VERSION:
                raise StoreError(
                    self._safe_url,
                    f"the database has schema version {version}, newer than this toolkit understands "
                    f"({LATEST_SCHEMA_VERSION}); upgrade the toolkit (pip install -U bridges-curriculum)",
                )
            for number in range(version + 1, LATEST_SCHEMA_VERSION + 1):
                logger.info("migrating event store %s to schema version %d", self._safe_url, number)
                db.execute(MIGRATIONS[number - 1].encode())
                db.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))

    @contextmanager
    def _connection(self, action: str) -> Iterator[psycopg.Connection[Any]]:
        with self._lock:
            if self._db is None:
                raise StoreError(self._safe_url, "the store is closed; open it again with open_store")
            try:
                yield self._db
            except self._psycopg.Error as exc:
                raise StoreError(self._safe_url, f"cannot {action}: {str(exc).strip()}") from exc

    def append(self, event: Event) -> bool:
        row = _row(event)
        # One pipeline, one Sync: the lock and the insert are one implicit transaction, committed
        # (or rolled back) by the server at the Sync, so the lock is held only while the server
        # works, never across a network round trip (statement by statement, a 2 ms round trip
        # cut appends to 27-51 a second; docs/performance.md).
        with self._connection("save an event") as db, db.pipeline():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (APPEND_LOCK,))
            inserted = db.execute(_INSERT_AND_NOTIFY, row)
        return inserted.rowcount == 1

    def read(self, since: int = 0, limit: int | None = None) -> list[StoredEvent]:
        if limit is not None and limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        with self._connection("read events") as db:
            rows = db.execute(_SELECT, (since, limit)).fetchall()
        return self._parsed(rows)

    def read_participant(self, cohort: str, participant: str) -> list[StoredEvent]:
        with self._connection("read a participant's events") as db:
            rows = db.execute(_SELECT_PARTICIPANT, (cohort, participant)).fetchall()
        return self._parsed(rows)

    def _parsed(self, rows: list[Any]) -> list[StoredEvent]:
        return parse_stored(rows, _stored_event, self._safe_url)

    def knows_participant(self, cohort: str, participant: str) -> bool:
        with self._connection("look up a participant code") as db:
            row = db.execute(
                "SELECT EXISTS (SELECT 1 FROM events WHERE cohort = %s AND participant = %s)", (cohort, participant)
            ).fetchone()
        return bool(row and row[0])

    def note_attempt(self, kind: str, at: float) -> None:
        with self._connection("note an attempt") as db, db.transaction():
            db.execute("INSERT INTO attempts (kind, time) VALUES (%s, %s)", (kind, at))
            db.execute("DELETE FROM attempts WHERE time < %s", (at - ATTEMPT_RETENTION_SECONDS,))

    def count_attempts(self, kind: str, since: float) -> int:
        with self._connection("count attempts") as db:
            row = db.execute("SELECT count(*) FROM attempts WHERE kind = %s AND time >= %s", (kind, since)).fetchone()
        return int(row[0]) if row else 0

    def erase_participant(self, cohort: str, participant: str, module: str | None = None) -> int:
        if module is not None:
            return self._delete_for_good(
                "erase a participant's module",
                "DELETE FROM events WHERE cohort = %s AND participant = %s AND module = %s",
                (cohort, participant, module),
            )
        return self._delete_for_good(
            "erase a participant", "DELETE FROM events WHERE cohort = %s AND participant = %s", (cohort, participant)
        )

    def purge_before(self, cutoff: dt.datetime) -> int:
        if cutoff.tzinfo is None:
            raise ValueError("the cutoff needs a time zone: stored times carry theirs")
        # The cast compares instants, whatever offset each time was written with.
        return self._delete_for_good("purge old events", "DELETE FROM events WHERE time::timestamptz < %s", (cutoff,))

    def _delete_for_good(self, action: str, delete: str, parameters: tuple[Any, ...]) -> int:
        with self._connection(action) as db:
            deleted = db.execute(delete, parameters).rowcount
            if deleted:
                try:
                    # Dead tuples keep the deleted rows in the table's files until vacuum.
                    db.execute("VACUUM events")
                except self._psycopg.Error as exc:  # e.g. not the table's owner: the rows are gone from queries
                    logger.warning("deleted events stay in %s's files until the next vacuum: %s", self._safe_url, exc)
        return int(deleted)

    def wait_for_append(self, timeout: float) -> bool:
        """Block until another event is appended (True) or ``timeout`` seconds pass (False).

        The first call starts listening and returns True at once: an append just before
        it would otherwise go unnoticed, so the caller reads again first.
        """
        with self._lock:
            if self._db is None:
                raise StoreError(self._safe_url, "the store is closed; open it again with open_store")
            if self._listener is None:
                self._listener = _connect(self._psycopg, self.url)
                self._listener.execute(f"LISTEN {CHANNEL}")
                return True
            listener = self._listener
        try:
            # Every pending notification is taken: one read catches up with all of them.
            notified = any(True for _ in listener.notifies(timeout=timeout, stop_after=1))
            while notified and any(True for _ in listener.notifies(timeout=0, stop_after=1)):
                pass
        except self._psycopg.Error as exc:
            raise StoreError(self._safe_url, f"cannot wait for new events: {str(exc).strip()}") from exc
        return notified

    def close(self) -> None:
        with self._lock:
            connections, self._db, self._listener = (self._db, self._listener), None, None
        for connection in connections:
            if connection is not None:
                connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


POSTGRESQL = StoreKind(check=check_postgresql_url, open=PostgresStore, exists=postgresql_store_exists)
