"""In-process publish/subscribe, and the Recorder that saves an event then announces it.

Subscribers learn that something happened; projections that need the log's
order (``seq``) call ``catch_up(store)`` from their callback, which also picks
up events written by other kernels.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable

from toolkit.events.model import Event
from toolkit.events.store import EventStore

logger = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]


class EventBus:
    """Calls every subscriber with each published event, in subscription order."""

    def __init__(self) -> None:
        self._subscribers: dict[int, Subscriber] = {}
        self._tokens = itertools.count()
        self._lock = threading.Lock()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Add ``callback``; call the returned function to remove it again (twice is harmless)."""
        with self._lock:
            token = next(self._tokens)
            self._subscribers[token] = callback

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers.pop(token, None)

        return unsubscribe

    def publish(self, event: Event) -> None:
        # A copy, so a subscriber may (un)subscribe while being called.
        with self._lock:
            subscribers = list(self._subscribers.values())
        for callback in subscribers:
            try:
                callback(event)
            except Exception:
                # One broken view must not stop the others, nor the save that published.
                # Log the event's type and id only: its payload is a participant's answer.
                logger.exception("subscriber %r failed on %s event %s", callback, event.type.value, event.id)


class Recorder:
    """Saves events and publishes each one the first time it is stored."""

    def __init__(self, store: EventStore, bus: EventBus) -> None:
        self.store = store
        self.bus = bus

    def record(self, event: Event) -> bool:
        """True if ``event`` was new; a retried save is neither stored nor published twice."""
        newly_stored = self.store.append(event)
        if newly_stored:
            self.bus.publish(event)
        return newly_stored
