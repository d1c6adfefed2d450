"""Projections: latest responses, progress and counts, built incrementally from a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.events import Event, EventType, LatestResponses, Sharing, StoredEvent
from toolkit.events.sqlite_store import SQLiteStore

RIVER, COVE, MESA = "river-lotus-4821", "cove-kite-0042", "mesa-tulip-7310"


def event(
    type: EventType, participant: str = RIVER, exercise: str = "first-words", module: str = "belonging", **payload: Any
) -> Event:
    return Event(type=type, cohort="demo", module=module, exercise=exercise, participant=participant, payload=payload)


def answered(participant: str = RIVER, exercise: str = "first-words", value: Any = "hello", **more: Any) -> Event:
    return event(EventType.ANSWERED, participant, exercise, kind="free_text", value=value, **more)


def passed(participant: str = RIVER, exercise: str = "first-words") -> Event:
    return event(EventType.PASSED, participant, exercise)


def sharing_changed(sharing: str, participant: str = RIVER, exercise: str = "first-words") -> Event:
    return event(EventType.SHARING_CHANGED, participant, exercise, sharing=sharing)


class CountingReader:
    """A store wrapper that records every read, to prove catch_up reads only what is new."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.rows_returned = 0
        self.sinces: list[int] = []

    def read(self, since: int = 0, limit: int | None = None) -> list[StoredEvent]:
        rows = self.store.read(since=since, limit=limit)
        self.sinces.append(since)
        self.rows_returned += len(rows)
        return rows


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "events.sqlite") as opened:
        yield opened


def latest_after(store: SQLiteStore, *events: Event) -> LatestResponses:
    for item in events:
        store.append(item)
    responses = LatestResponses()
    responses.catch_up(store)
    return responses


def test_changed_answer_latest_wins(store: SQLiteStore) -> None:
    responses = latest_after(store, answered(value="first"), answered(value="second"))
    latest = responses.get("demo", "belonging", "first-words", RIVER)
    assert latest is not None
    assert latest.type is EventType.ANSWERED
    assert latest.value == "second"


def test_pass_after_answer_is_a_pass_without_content(store: SQLiteStore) -> None:
    careless_pass = event(EventType.PASSED, RIVER, value="a client bug sent content")
    responses = latest_after(store, answered(value="too much to share", sharing="quote"), careless_pass)
    latest = responses.get("demo", "belonging", "first-words", RIVER)
    assert latest is not None
    assert latest.passed
    assert latest.payload == {}
    assert latest.value is None
    assert latest.sharing is Sharing.PRIVATE


def test_answer_after_pass_is_an_answer(store: SQLiteStore) -> None:
    responses = latest_after(store, passed(), answered(value="ready now"))
    latest = responses.get("demo", "belonging", "first-words", RIVER)
    assert latest is not None
    assert not latest.passed
    assert latest.value == "ready now"


def test_sharing_change_updates_the_latest_answer_only(store: SQLiteStore) -> None:
    responses = latest_after(
        store,
        answered(sharing="private"),
        sharing_changed("quote"),
        answered(COVE, sharing="aggregate"),
        sharing_changed("nonsense", COVE),  # unknown means private, never wider
        passed(MESA),
        sharing_changed("quote", MESA),  # a pass has nothing to share
    )
    river = responses.get("demo", "belonging", "first-words", RIVER)
    cove = responses.get("demo", "belonging", "first-words", COVE)
    mesa = responses.get("demo", "belonging", "first-words", MESA)
    assert river is not None and cove is not None and mesa is not None
    assert (river.sharing, river.value) == (Sharing.QUOTE, "hello")
    assert cove.sharing is Sharing.PRIVATE
    assert mesa.passed and mesa.payload == {}


def test_answer_without_sharing_is_private(store: SQLiteStore) -> None:
    latest = latest_after(store, answered()).get("demo", "belonging", "first-words", RIVER)
    assert latest is not None
    assert latest.sharing is Sharing.PRIVATE


def test_latest_per_exercise_and_participant(store: SQLiteStore) -> None:
    responses = latest_after(
        store, answered(RIVER, value="a"), answered(COVE, value="b"), answered(RIVER, "second", value="c")
    )
    by_participant = responses.for_exercise("demo", "belonging", "first-words")
    assert {code: response.value for code, response in by_participant.items()} == {RIVER: "a", COVE: "b"}
    assert responses.get("demo", "belonging", "second", RIVER) is not None
    assert responses.get("other", "belonging", "first-words", RIVER) is None


def test_catch_up_reads_only_since_the_cursor(store: SQLiteStore) -> None:
    reader = CountingReader(store)
    responses = LatestResponses()
    for n in range(5):
        store.append(answered(exercise=f"e{n}"))
    assert responses.catch_up(reader) == 5
    first_cursor = responses.cursor
    assert first_cursor == store.read()[-1].seq

    for n in range(3):
        store.append(answered(COVE, exercise=f"e{n}"))
    reader.rows_returned = 0
    assert responses.catch_up(reader) == 3
    assert reader.rows_returned == 3  # only the new rows crossed from the store
    assert reader.sinces[-1] >= first_cursor
    assert responses.get("demo", "belonging", "e2", COVE) is not None

    reader.rows_returned = 0
    assert responses.catch_up(reader) == 0
    assert reader.rows_returned == 0


def test_catch_up_reads_in_batches(store: SQLiteStore) -> None:
    for n in range(7):
        store.append(answered(exercise=f"e{n}"))
    reader = CountingReader(store)
    latest = LatestResponses()
    assert latest.catch_up(reader, batch_size=3) == 7
    assert reader.rows_returned == 7
    assert all(latest.get("demo", "belonging", f"e{n}", RIVER) for n in range(7))


def test_apply_skips_events_already_applied(store: SQLiteStore) -> None:
    store.append(answered())
    store.append(passed())
    stored = store.read()
    latest = LatestResponses()
    for item in stored:
        latest.apply(item)
    latest.apply(stored[0])  # replayed out of order: must not undo the pass
    response = latest.get("demo", "belonging", "first-words", RIVER)
    assert response is not None and response.type is EventType.PASSED
    assert latest.cursor == stored[-1].seq


def test_forget_drops_an_erased_participant(store: SQLiteStore) -> None:
    for item in [answered(RIVER), answered(COVE), passed(RIVER, "second")]:
        store.append(item)
    latest = LatestResponses()
    latest.catch_up(store)
    store.erase_participant("demo", RIVER)
    latest.forget("demo", RIVER)

    rebuilt = LatestResponses()
    rebuilt.catch_up(store)
    assert latest.for_exercise("demo", "belonging", "first-words").keys() == {COVE}
    assert latest.for_exercise("demo", "belonging", "first-words") == rebuilt.for_exercise(
        "demo", "belonging", "first-words"
    )
    assert latest.get("demo", "belonging", "second", RIVER) is None
