"""Typed domain events: every interaction is one, appended and never edited.

Event ids are UUIDs made by the client, so a save that is retried after a
network or kernel hiccup is stored once, not twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from toolkit.errors import StoreError
from toolkit.schema.common import Id

Row = tuple[Any, ...]  # one stored event as a store's driver returns it

SCHEMA_VERSION = 1

# A participant code is words and digits joined by hyphens, and (since codes
# carry one) a check letter; see toolkit.identity. Codes without a check letter
# were issued by earlier versions and stay valid here so their stores stay readable.
ParticipantCode = Annotated[str, StringConstraints(pattern=r"^[a-z]+(-[a-z]+)*-\d{2,6}(-[a-z])?$", max_length=64)]


class EventType(StrEnum):
    ANSWERED = "answered"  # payload: kind, value, sharing
    PASSED = "passed"  # payload: empty, always: a pass stores no content
    SHARING_CHANGED = "sharing_changed"  # payload: sharing; consent for one answer changed
    MODULE_STARTED = "module_started"
    MODULE_COMPLETED = "module_completed"


class Sharing(StrEnum):
    """What a participant allows for one response; private unless they choose otherwise."""

    PRIVATE = "private"
    AGGREGATE = "aggregate"  # may be counted in the anonymous summary
    QUOTE = "quote"  # may be quoted anonymously


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: EventType
    cohort: Id
    module: Id | None = None
    exercise: Id | None = None
    participant: ParticipantCode
    time: dt.datetime = Field(default_factory=utc_now)
    payload: dict[str, Any] = Field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION


class StoredEvent(BaseModel):
    """An event as read back from a store, with its position in the log."""

    model_config = ConfigDict(frozen=True)

    seq: int  # strictly increasing; pass the last one seen as ``since`` to follow the log
    event: Event


def parse_stored(rows: Iterable[Row], parse: Callable[[Row], StoredEvent], store_url: str) -> list[StoredEvent]:
    """Rows a store read, as events; a row this toolkit cannot read is a StoreError naming fields only.

    Shared by every store: the pydantic message would otherwise quote participants' answers.
    """
    try:
        return [parse(row) for row in rows]
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, error["loc"])) for error in exc.errors())
        raise StoreError(
            store_url, f"a stored event is invalid ({fields}); it may have been written by a newer toolkit"
        ) from None
