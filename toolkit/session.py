"""A participant's working session on one module: their code and the event log.

The store is opened lazily, on the first event: a handout build that never
records anything never creates a database file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from toolkit.events import EventBus, EventStore, Recorder, open_store
from toolkit.events.model import Event, EventType


class ParticipantSession:
    """Implements ``ResponseSession`` for the exercise widgets of one page."""

    def __init__(self, cohort: str, module: str, store_url: str, participant: str | None = None) -> None:
        self.cohort = cohort
        self.module = module
        self.store_url = store_url
        self.participant: str | None = participant
        self.bus = EventBus()
        self._store: EventStore | None = None
        self._recorder: Recorder | None = None

    def _open(self) -> tuple[EventStore, Recorder]:
        if self._store is None or self._recorder is None:
            self._store = open_store(self.store_url)
            self._recorder = Recorder(self._store, self.bus)
        return self._store, self._recorder

    @property
    def store(self) -> EventStore:
        return self._open()[0]

    def is_issued(self, code: str) -> bool:
        """Whether ``code`` has any event in this cohort: it was issued here, so it may be resumed."""
        return self.store.knows_participant(self.cohort, code)

    def record(self, type: EventType, exercise: str | None, payload: dict[str, Any]) -> bool:
        """Append one event for the current participant; False if it was a duplicate."""
        if self.participant is None:
            raise RuntimeError("no participant code chosen")  # widgets check first; this is a programming error
        _store, recorder = self._open()
        event = Event(
            type=type,
            cohort=self.cohort,
            module=self.module,
            exercise=exercise,
            participant=self.participant,
            payload=payload,
        )
        return recorder.record(event)

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        return self.bus.subscribe(callback)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = self._recorder = None
