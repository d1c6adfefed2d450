"""Domain events: every participant interaction, appended to a log that views project."""

from toolkit.events.bus import EventBus, Recorder
from toolkit.events.model import Event, EventType, Sharing, StoredEvent
from toolkit.events.projections import ExerciseCounts, LatestResponses, Progress
from toolkit.events.store import EventStore, open_store

__all__ = [
    "Event",
    "EventBus",
    "EventStore",
    "EventType",
    "ExerciseCounts",
    "LatestResponses",
    "Progress",
    "Recorder",
    "Sharing",
    "StoredEvent",
    "open_store",
]
