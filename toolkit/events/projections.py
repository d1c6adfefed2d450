"""Views of the event log, built incrementally: apply events in ``seq`` order.

Each projection remembers the last ``seq`` it applied (its ``cursor``), so
``catch_up`` reads only newer events. They hold everything in memory and
decide nothing about who may see what: views apply sharing and the cohort's
small-cell threshold (k) before showing anything.

After ``erase_participant`` on the store, call ``forget`` on live projections
(or rebuild them) so the erased answers leave memory too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from toolkit.events.model import Event, EventType, Sharing, StoredEvent
from toolkit.events.store import EventReader

CATCH_UP_BATCH = 1000


# The event types that set a participant's response to an exercise.
RESPONSE_TYPES = frozenset({EventType.ANSWERED, EventType.PASSED})


def _sharing(payload: Mapping[str, Any]) -> Sharing:
    # Anything missing or unknown is private: a wrong guess must never widen consent.
    try:
        return Sharing(payload.get("sharing", Sharing.PRIVATE))
    except ValueError:
        return Sharing.PRIVATE


class Projection(ABC):
    """Base of every projection: the cursor and the catch-up loop."""

    def __init__(self) -> None:
        self.cursor = 0

    def apply(self, stored: StoredEvent) -> None:
        """Apply one event; one at or before the cursor was applied already and is skipped."""
        if stored.seq <= self.cursor:
            return
        self._apply(stored.event)
        self.cursor = stored.seq

    def catch_up(self, store: EventReader, batch_size: int = CATCH_UP_BATCH) -> int:
        """Apply every stored event after the cursor, reading in batches; returns how many."""
        applied = 0
        while batch := store.read(since=self.cursor, limit=batch_size):
            before = self.cursor
            for stored in batch:
                self.apply(stored)
            applied += len(batch)
            if len(batch) < batch_size or self.cursor == before:  # the end, or a store ignoring ``since``
                break
        return applied

    @abstractmethod
    def _apply(self, event: Event) -> None: ...

    @abstractmethod
    def forget(self, cohort: str, participant: str) -> None:
        """Drop everything about one participant, after they were erased from the store."""


class ResponseKey(NamedTuple):
    cohort: str
    module: str
    exercise: str
    participant: str


@dataclass(frozen=True)
class Response:
    """A participant's latest response to one exercise.

    ``type`` is ANSWERED or PASSED; ``payload`` is the answer's payload with its
    current sharing, and always empty for a pass: a pass carries no content.
    """

    type: EventType
    payload: dict[str, Any]
    time: dt.datetime
    event_id: uuid.UUID

    @property
    def passed(self) -> bool:
        return self.type is EventType.PASSED

    @property
    def value(self) -> Any:
        return self.payload.get("value")

    @property
    def sharing(self) -> Sharing:
        return _sharing(self.payload)


class LatestResponses(Projection):
    """The latest answer or pass per (cohort, module, exercise, participant)."""

    def __init__(self) -> None:
        super().__init__()
        self._latest: dict[ResponseKey, Response] = {}

    def _apply(self, event: Event) -> None:
        if event.module is None or event.exercise is None:
            return
        key = ResponseKey(event.cohort, event.module, event.exercise, event.participant)
        if event.type is EventType.ANSWERED:
            self._latest[key] = Response(event.type, dict(event.payload), event.time, event.id)
        elif event.type is EventType.PASSED:
            self._latest[key] = Response(event.type, {}, event.time, event.id)
        elif event.type is EventType.SHARING_CHANGED:
            previous = self._latest.get(key)
            if previous is not None and not previous.passed:  # a pass has nothing to share
                payload = {**previous.payload, "sharing": _sharing(event.payload).value}
                self._latest[key] = replace(previous, payload=payload)

    def get(self, cohort: str, module: str, exercise: str, participant: str) -> Response | None:
        return self._latest.get(ResponseKey(cohort, module, exercise, participant))

    def for_exercise(self, cohort: str, module: str, exercise: str) -> dict[str, Response]:
        """Latest response per participant code for one exercise."""
        return {
            key.participant: response
            for key, response in self._latest.items()
            if (key.cohort, key.module, key.exercise) == (cohort, module, exercise)
        }

    def forget(self, cohort: str, participant: str) -> None:
        self._latest = {
            key: response
            for key, response in self._latest.items()
            if (key.cohort, key.participant) != (cohort, participant)
        }
