"""The event store interface, and ``open_store`` to pick an implementation by URL.

The interface is deliberately narrow (append, read in order, read one
participant's events, erase one participant, purge what is past retention, ask whether a participant code
was issued, and count attempts for rate limits) so that other stores (PostgreSQL) work without touching callers.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self
from urllib.parse import SplitResult, urlsplit

from toolkit.errors import UnsupportedStoreURL
from toolkit.events.model import Event, StoredEvent
from toolkit.events.registry import StoreKind, store_kinds
from toolkit.events.sqlite_store import SQLiteStore


class EventReader(Protocol):
    """Enough of a store for projections: read the log in order."""

    def read(self, since: int = 0, limit: int | None = None) -> list[StoredEvent]:
        """Events with ``seq > since`` in ``seq`` order, at most ``limit`` of them."""
        ...


class EventStore(EventReader, Protocol):
    """An append-only log of events, shared by every kernel of a cohort."""

    def append(self, event: Event) -> bool:
        """Store ``event``; False if an event with its id was already stored (a retried save)."""
        ...

    def knows_participant(self, cohort: str, participant: str) -> bool:
        """Whether ``participant`` has any event in ``cohort``: the code was issued there."""
        ...

    def read_participant(self, cohort: str, participant: str) -> list[StoredEvent]:
        """Every event of one participant in ``cohort``, in ``seq`` order, found by an index.

        For resuming a code: one read per page, whatever the size of the cohort's log.
        """
        ...

    def note_attempt(self, kind: str, at: float) -> None:
        """Note one attempt of ``kind`` (e.g. a failed resume) at ``at`` (seconds since the epoch).

        Only the kind and the time are kept, for rate limits shared by every kernel.
        """
        ...

    def count_attempts(self, kind: str, since: float) -> int:
        """How many attempts of ``kind`` were noted at or after ``since``."""
        ...

    def erase_participant(self, cohort: str, participant: str, module: str | None = None) -> int:
        """Remove every event of one participant for good (with ``module``, of that module only);
        with purging, the only exception to append-only.

        Returns how many events were removed.
        """
        ...

    def purge_before(self, cutoff: dt.datetime) -> int:
        """Remove for good every event recorded before ``cutoff`` (timezone-aware), as erasing does.

        For the cohort's retention period; returns how many events were removed.
        """
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def sqlite_path(url: str) -> Path:
    """The file named by a ``sqlite:`` URL.

    As in SQLAlchemy, ``sqlite:///data/events.sqlite`` is relative to the
    working folder and ``sqlite:////srv/events.sqlite`` (four slashes) is absolute.
    """
    parts = urlsplit(url)
    # A host, query or fragment means the URL is not what its author thinks it is
    # (for example a '#' in a file name); refuse rather than guess.
    if parts.scheme != "sqlite" or parts.netloc or parts.query or parts.fragment:
        raise UnsupportedStoreURL(url)
    path = parts.path.removeprefix("/")
    if not path or path.endswith("/") or path == ":memory:":
        raise UnsupportedStoreURL(url)
    return Path(path).expanduser()


def _open_sqlite(url: str) -> EventStore:
    return SQLiteStore(sqlite_path(url))


def _sqlite_exists(url: str) -> bool:
    return sqlite_path(url).exists()


def _check_sqlite_url(url: str, parts: SplitResult, cohort_file: Path | None) -> str:
    from toolkit.schema.cohort import check_sqlite_url  # imported late: the schema imports this package

    return check_sqlite_url(url, parts, cohort_file)


# The embedded default, registered as "sqlite" in the bridges.stores entry points (pyproject.toml).
SQLITE = StoreKind(check=_check_sqlite_url, open=_open_sqlite, exists=_sqlite_exists)


def _kind(url: str) -> StoreKind:
    kind = store_kinds().get(urlsplit(url).scheme)
    if kind is None:
        raise UnsupportedStoreURL(url)
    return kind


def open_store(url: str) -> EventStore:
    """Open (creating if needed) the event store at ``url``, by the URL's scheme (see toolkit.events.registry)."""
    return _kind(url).open(url)


def store_exists(url: str) -> bool:
    """Whether the store at ``url`` was created, asked without creating it; StoreError if it cannot be asked."""
    exists = _kind(url).exists
    return True if exists is None else exists(url)


# How long a follower of a store without notifications sleeps before reading again.
POLL_SECONDS = 0.25


def notifies(store: EventReader) -> bool:
    """Whether ``store`` can wake a follower when an event is appended (it has ``wait_for_append``)."""
    return callable(getattr(store, "wait_for_append", None))


def wait_for_append(store: EventReader, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for another event; True if the store said one was appended.

    A store that can notify (PostgreSQL's LISTEN/NOTIFY) has a ``wait_for_append`` method;
    for any other the follower just polls, so this sleeps a short while and returns False.
    Either way the caller reads again afterwards: a wake-up may come early.
    """
    wait: Callable[[float], bool] | None = getattr(store, "wait_for_append", None)
    if wait is not None:
        return wait(timeout)
    time.sleep(max(0.0, min(timeout, POLL_SECONDS)))
    return False
