"""The SQLite event store: one private file per cohort, shared by several kernels.

Why each setting:

- WAL journal: readers never block the writer, so a facilitator's dashboard
  can read while participants' kernels write.
- ``synchronous=FULL``: in WAL mode NORMAL already survives a crashed or killed
  kernel, but a power cut can lose the last commits. FULL syncs every commit,
  so an answer the participant was told is saved stays saved; one fsync per
  click is cheap.
- ``BEGIN IMMEDIATE``: takes the write lock up front, so waiting for another
  writer goes through the busy timeout instead of failing with "database is
  locked" when a read lock would have to be upgraded.
- ``secure_delete``: erasing a participant or purging old events overwrites their rows with zeros
  instead of leaving them in free pages of the file.
- Mode 0600 on the database and its -wal/-shm files: responses are personal
  data; no other account on the machine may read them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from toolkit.errors import StoreError
from toolkit.events.model import Event, StoredEvent, parse_stored

logger = logging.getLogger(__name__)

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
BUSY_TIMEOUT_SECONDS = 10.0
SIDECAR_SUFFIXES = ("-wal", "-shm")

Migration = Callable[[sqlite3.Connection], None]


def _create_events_table(db: sqlite3.Connection) -> None:
    # AUTOINCREMENT so a seq is never reused after an erase: a projection whose
    # cursor is past the erased rows would otherwise skip the next new events.
    db.execute(
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            cohort TEXT NOT NULL,
            module TEXT,
            exercise TEXT,
            participant TEXT NOT NULL,
            time TEXT NOT NULL,
            payload TEXT NOT NULL CHECK (json_valid(payload)),
            schema_version INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX events_by_participant ON events (cohort, participant)")


def _create_attempts_table(db: sqlite3.Connection) -> None:
    # Rate limits shared by every kernel of the cohort (failed resumes, new codes).
    # A kind and a time only: never the code that was typed, nor anything else
    # that could tell who tried or which codes exist.
    db.execute("CREATE TABLE attempts (kind TEXT NOT NULL, time REAL NOT NULL)")
    db.execute("CREATE INDEX attempts_by_kind ON attempts (kind, time)")


# Migration n is MIGRATIONS[n - 1]; PRAGMA user_version records the last one applied.
# Append only: never edit a migration that has shipped.
MIGRATIONS: tuple[Migration, ...] = (_create_events_table, _create_attempts_table)
LATEST_SCHEMA_VERSION = len(MIGRATIONS)
# Attempts older than this are deleted as new ones are noted; no limit looks back further.
ATTEMPT_RETENTION_SECONDS = 24 * 3600.0

_COLUMNS = "id, type, cohort, module, exercise, participant, time, payload, schema_version"
_INSERT = f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING"
_SELECT = f"SELECT seq, {_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
_SELECT_PARTICIPANT = f"SELECT seq, {_COLUMNS} FROM events WHERE cohort = ? AND participant = ? ORDER BY seq"

# What to do about an SQLite error, by its (extended) error name prefix.
_ADVICE = {
    "SQLITE_BUSY": f"another program kept the store locked for over {BUSY_TIMEOUT_SECONDS:g} s; "
    "close other kernels or tools using it and retry",
    "SQLITE_LOCKED": "another program kept the store locked; close other kernels or tools using it and retry",
    "SQLITE_NOTADB": "the file is not an SQLite database; check the store setting in the cohort file",
    "SQLITE_CORRUPT": "the file is damaged; restore it from a backup",
    "SQLITE_FULL": "the disk is full; free some space and retry",
    "SQLITE_READONLY": "the file cannot be written; check its owner and permissions",
    "SQLITE_CANTOPEN": "the file cannot be opened; check the folder exists and can be written",
    "SQLITE_PERM": "the file cannot be written; check its owner and permissions",
    "SQLITE_IOERR": "the disk reported an error; keep the store on a local disk, not a network drive",
}
_DEFAULT_ADVICE = "check the store setting in the cohort file and that the file is a Bridges event store"


def _advice(exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return next((text for prefix, text in _ADVICE.items() if name.startswith(prefix)), _DEFAULT_ADVICE)


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents with mode 0700; existing folders are left as they are."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:  # another kernel made it first
            continue
        # mkdir applies the umask; make the mode exact whatever the umask is.
        path.chmod(PRIVATE_DIR_MODE)


def _make_file_private(path: Path) -> None:
    """Create ``path`` with mode 0600 unless it exists; repair the mode of an existing file.

    The file is made here rather than by SQLite, which would create it with
    the umask's mode (usually world-readable) before we could change it.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        if mode & 0o077:
            logger.warning("event store %s could be read by others (mode %o); making it private", path, mode)
        if mode != PRIVATE_FILE_MODE:
            os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)


def _make_sidecars_private(path: Path) -> None:
    # SQLite gives -wal and -shm the database file's mode; this checks rather than trusts.
    # chmod, not umask: the umask is process-wide and would race with other threads.
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.name + suffix)
        try:
            if stat.S_IMODE(sidecar.stat().st_mode) != PRIVATE_FILE_MODE:
                sidecar.chmod(PRIVATE_FILE_MODE)
        except FileNotFoundError:  # not created yet, or removed by the last connection to close
            continue
        except OSError as exc:  # e.g. made by another account: warn, but do not lose the participant's save
            logger.warning("cannot make %s private: %s", sidecar, exc)


def _enable_wal(db: sqlite3.Connection) -> str:
    """Switch the file to WAL (a lasting property of the file); returns the journal mode now in use."""
    # SQLite answers "database is locked" at once, without the busy timeout, when
    # several connections switch a brand-new file together (kernels opening a
    # cohort's store for the first time), so wait here instead.
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            journal: str = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            return journal
        except sqlite3.OperationalError as exc:
            busy = (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_BUSY")
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _user_version(db: sqlite3.Connection) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            with suppress(sqlite3.Error):  # keep the original error, not the rollback's
                db.execute("ROLLBACK")
        raise


def _row(event: Event) -> tuple[Any, ...]:
    data = event.model_dump(mode="json")
    payload = json.dumps(data["payload"], ensure_ascii=False, separators=(",", ":"))
    return (
        data["id"],
        data["type"],
        data["cohort"],
        data["module"],
        data["exercise"],
        data["participant"],
        data["time"],
        payload,
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
        payload=json.loads(payload),
        schema_version=schema_version,
    )
    return StoredEvent(seq=seq, event=event)


class SQLiteStore:
    """An ``EventStore`` in one SQLite file.

    One connection per store object, guarded by a lock, so widget callbacks
    on tornado's thread and the kernel's main thread can share a store.
    Several processes may open the same file at once.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path).expanduser().resolve()
        self.url = f"sqlite:///{self.path.as_posix()}"
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._sidecars_checked = False
        try:
            make_private_dirs(self.path.parent)
            _make_file_private(self.path)
        except OSError as exc:
            raise StoreError(self.url, f"cannot create the file: {exc}; check the folder can be written") from exc
        try:
            self._db = self._connect()
            self._migrate(self._db)
            _make_sidecars_private(self.path)
        except sqlite3.Error as exc:
            self.close()
            raise self._error("open", exc) from exc
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    def _connect(self) -> sqlite3.Connection:
        # mode=rw: the file exists (made private above); SQLite must never create it itself.
        db = sqlite3.connect(
            f"file:{quote(self.path.as_posix())}?mode=rw",
            uri=True,
            timeout=BUSY_TIMEOUT_SECONDS,  # SQLite's busy_timeout: wait this long for another writer
            isolation_level=None,  # transactions are explicit (BEGIN IMMEDIATE), never implicit
            check_same_thread=False,  # safe: every use holds self._lock
        )
        try:
            journal = _enable_wal(db)
            if journal != "wal":
                raise StoreError(
                    self.url, f"cannot use WAL journal mode (got {journal!r}); keep the store on a local disk"
                )
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA secure_delete=ON")
        except BaseException:
            db.close()
            raise
        return db

    def _check_not_newer(self, version: int) -> None:
        if version > LATEST_SCHEMA_VERSION:
            raise StoreError(
                self.url,
                f"the database has schema version {version}, newer than this toolkit understands "
                f"({LATEST_SCHEMA_VERSION}); upgrade the toolkit (pip install -U bridges-curriculum)",
            )

    def _migrate(self, db: sqlite3.Connection) -> None:
        self._check_not_newer(_user_version(db))
        if _user_version(db) == LATEST_SCHEMA_VERSION:
            return
        with _transaction(db):
            # Read again under the write lock: another kernel may have migrated while we waited.
            version = _user_version(db)
            self._check_not_newer(version)
            for number in range(version + 1, LATEST_SCHEMA_VERSION + 1):
                logger.info("migrating event store %s to schema version %d", self.path, number)
                MIGRATIONS[number - 1](db)
                db.execute(f"PRAGMA user_version = {number:d}")

    def _error(self, action: str, exc: sqlite3.Error) -> StoreError:
        return StoreError(self.url, f"cannot {action}: {exc} ({_advice(exc)})")

    @contextmanager
    def _connection(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._db is None:
                raise StoreError(self.url, "the store is closed; open it again with open_store")
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise self._error(action, exc) from exc

    def append(self, event: Event) -> bool:
        row = _row(event)
        with self._connection("save an event") as db, _transaction(db):
            newly_stored = db.execute(_INSERT, row).rowcount == 1
        if not self._sidecars_checked:
            _make_sidecars_private(self.path)  # the -wal file may only now exist
            self._sidecars_checked = True
        return newly_stored

    def read(self, since: int = 0, limit: int | None = None) -> list[StoredEvent]:
        if limit is not None and limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        with self._connection("read events") as db:
            rows = db.execute(_SELECT, (since, -1 if limit is None else limit)).fetchall()
        return self._parsed(rows)

    def read_participant(self, cohort: str, participant: str) -> list[StoredEvent]:
        # The (cohort, participant) index finds the rows; the rest of the log is never read,
        # so resuming a code costs the same in a busy cohort as in an empty one.
        with self._connection("read a participant's events") as db:
            rows = db.execute(_SELECT_PARTICIPANT, (cohort, participant)).fetchall()
        return self._parsed(rows)

    def _parsed(self, rows: list[Any]) -> list[StoredEvent]:
        return parse_stored(rows, _stored_event, self.url)

    def knows_participant(self, cohort: str, participant: str) -> bool:
        # Answered from the (cohort, participant) index: no event is read or parsed.
        with self._connection("look up a participant code") as db:
            row = db.execute(
                "SELECT EXISTS (SELECT 1 FROM events WHERE cohort = ? AND participant = ?)", (cohort, participant)
            ).fetchone()
        return bool(row[0])

    def note_attempt(self, kind: str, at: float) -> None:
        with self._connection("note an attempt") as db, _transaction(db):
            db.execute("INSERT INTO attempts (kind, time) VALUES (?, ?)", (kind, at))
            db.execute("DELETE FROM attempts WHERE time < ?", (at - ATTEMPT_RETENTION_SECONDS,))

    def count_attempts(self, kind: str, since: float) -> int:
        with self._connection("count attempts") as db:
            row = db.execute("SELECT count(*) FROM attempts WHERE kind = ? AND time >= ?", (kind, since)).fetchone()
        return int(row[0])

    def erase_participant(self, cohort: str, participant: str, module: str | None = None) -> int:
        if module is not None:
            return self._delete_for_good(
                "erase a participant's module",
                "DELETE FROM events WHERE cohort = ? AND participant = ? AND module = ?",
                (cohort, participant, module),
            )
        return self._delete_for_good(
            "erase a participant", "DELETE FROM events WHERE cohort = ? AND participant = ?", (cohort, participant)
        )

    def purge_before(self, cutoff: dt.datetime) -> int:
        if cutoff.tzinfo is None:
            raise ValueError("the cutoff needs a time zone: stored times carry theirs")
        # julianday compares instants, whatever offset each time was written with.
        return self._delete_for_good(
            "purge old events", "DELETE FROM events WHERE julianday(time) < julianday(?)", (cutoff.isoformat(),)
        )

    def _delete_for_good(self, action: str, delete: str, parameters: tuple[Any, ...]) -> int:
        with self._connection(action) as db:
            with _transaction(db):
                deleted = db.execute(delete, parameters).rowcount
            # Move the zeroed pages into the database and empty the -wal file, which
            # still holds older copies of the deleted rows.
            busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            logger.warning(
                "deleted events may remain in %s-wal until the next checkpoint: another connection was reading",
                self.path,
            )
        return int(deleted)

    def close(self) -> None:
        with self._lock:
            db, self._db = self._db, None
            if db is not None:
                db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
