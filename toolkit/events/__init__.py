"""Domain events: every participant interaction, appended to a log that views project."""

from toolkit.events.bus import EventBus, Recorder
from toolkit.events.model import Event, EventType, Sharing, StoredEvent
from toolkit.events.projections import LatestResponses
from toolkit.events.store import EventStore, open_store

__all__ = [
    "Event",
    "EventBus",
    "EventStore",
    "EventType",
    "LatestResponses",
    "Recorder",
    "Sharing",
    "StoredEvent",
    "open_store",
]
