"""The facilitator dashboard through its public API: a real SQLite store, real events, the HTML drawn.

The scenarios are those of issue 11: a watcher who compares successive views
must not learn what the last person chose (points 10 and 11), and a
participant's text must not reorder the dashboard (point 12).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from toolkit.curriculum import programme
from toolkit.events.model import Event, EventType
from toolkit.events.store import EventStore, open_store
from toolkit.live.dashboard import Dashboard
from toolkit.schema.cohort import Cohort, Session

MODULE = "shared-experiences"
K = 5
CHOICE, SCALE, TICKS, WORDS, STORY = (
    "se-agreement-support",
    "se-closeness-scale",
    "se-festival-threads",
    "se-closing-word",
    "se-story-carry",
)
BIDI = "\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def options(exercise_id: str) -> list[str]:
    return list(next(e for e in programme().module(MODULE).exercises if e.id == exercise_id).options)


class Room:
    """People answering through the event store, and the facilitator's dashboard reading it."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        cohort = Cohort(
            name="Differencing test",
            slug="diff-test",
            sessions=[Session(date=dt.date.today(), start=dt.time(18), modules=[MODULE])],
            k=K,
        )
        self.dashboard = Dashboard(cohort, store, session_index=0)
        self.dashboard.widget()  # draws the first view

    def _event(self, kind: EventType, person: int, exercise: str, payload: dict[str, Any]) -> None:
        self.store.append(
            Event(
                type=kind,
                cohort="diff-test",
                module=MODULE,
                exercise=exercise,
                participant=f"person-{1000 + person}",
                payload=payload,
            )
        )
        self.dashboard.refresh()

    def answer(self, person: int, exercise: str, value: Any, sharing: str = "aggregate") -> None:
        self._event(EventType.ANSWERED, person, exercise, {"value": value, "sharing": sharing})

    def pass_(self, person: int, exercise: str) -> None:
        self._event(EventType.PASSED, person, exercise, {})

    def consent(self, person: int, exercise: str, sharing: str) -> None:
        self._event(EventType.SHARING_CHANGED, person, exercise, {"sharing": sharing})

    def html(self, exercise: str) -> str:
        return str(self.dashboard.exercise_boxes[exercise].value)

    def cells(self, exercise: str) -> dict[str, str]:
        """Each answer's count as the data table beside the chart shows it."""
        rows = re.findall(r"<tr><th scope='row'>(.*?)</th><td>(.*?)</td></tr>", self.html(exercise))
        return {label.replace("&#x27;", "'"): count for label, count in rows}

    def quote_cards(self, exercise: str) -> list[widgets.Widget]:
        return list(self.dashboard.reveal_boxes[exercise].children)


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    with open_store(f"sqlite:///{tmp_path}/events.sqlite") as store:
        yield Room(store)


def test_nothing_is_published_before_k_people_responded(room: Room) -> None:
    empty = room.html(CHOICE)
    assert "Answered: fewer than 5" in empty
    for person in range(K - 1):
        room.answer(person, CHOICE, options(CHOICE)[0])
        assert room.html(CHOICE) == empty
    room.answer(K - 1, CHOICE, options(CHOICE)[0])
    assert "Answered: 5" in room.html(CHOICE)
    assert room.cells(CHOICE)[options(CHOICE)[0]] == "5"


@pytest.mark.parametrize(("exercise", "first", "other"), [(CHOICE, 0, 1), (SCALE, 4, 2)])
def test_scenario_a_the_sixth_and_seventh_answers_change_nothing_on_screen(
    room: Room, exercise: str, first: int, other: int
) -> None:
    """Issue 11 (A): 5 x one answer, then person 6 and person 7 each used to redraw the view."""
    value: Any = first if exercise == SCALE else options(exercise)[first]
    different: Any = other if exercise == SCALE else options(exercise)[other]
    for person in range(5):
        room.answer(person, exercise, value)
    published = room.html(exercise)
    room.answer(5, exercise, different)  # person 6 shares something else
    assert room.html(exercise) == published  # was: every cell hidden
    room.pass_(6, exercise)  # person 7
    assert room.html(exercise) == published  # was: the pair of views told what person 6 chose
    for person in (7, 8):
        room.answer(person, exercise, value)
        assert room.html(exercise) == published
    room.answer(9, exercise, value)  # the fifth person to change since the last view: a new view of all five
    # Ten people responded, so "Answered: 9" would tell that one passed: both counts are hidden.
    assert "Answered: hidden · Passed: hidden" in room.html(exercise)


def test_one_person_changing_again_and_again_never_forces_a_new_view(room: Room) -> None:
    for person in range(5):
        room.answer(person, CHOICE, options(CHOICE)[0])
    published = room.html(CHOICE)
    for round_ in range(3 * K):
        room.answer(5, CHOICE, options(CHOICE)[round_ % 3])
        room.pass_(5, CHOICE)
    for person in range(6, 9):  # three more people: still four distinct changers
        room.answer(person, CHOICE, options(CHOICE)[0])
    assert room.html(CHOICE) == published
    room.answer(9, CHOICE, options(CHOICE)[0])
    assert room.html(CHOICE) != published


def test_scenario_b_a_consent_withdrawal_does_not_show_which_answer_left(room: Room) -> None:
    """Issue 11 (B): 5 and 5 shown; one person of the second five withdraws consent."""
    agree, unsure = options(CHOICE)[0], options(CHOICE)[5]
    for person in range(10):
        room.answer(person, CHOICE, agree if person < 5 else unsure)
    assert room.cells(CHOICE)[unsure] == "5"
    published = room.html(CHOICE)
    room.consent(7, CHOICE, "private")
    assert room.html(CHOICE) == published  # was: unsure "fewer than 5", so person 8 had said unsure
    assert room.cells(CHOICE)[unsure] == "5"


def test_scenario_c_a_seventh_person_s_ticks_are_not_shown_alone(room: Room) -> None:
    """Issue 11 (C): multiple choice 10 / 10 / 0; person 11 used to turn it into 11 / 10 / fewer than 5."""
    ticks = options(TICKS)
    for person in range(10):
        room.answer(person, TICKS, [ticks[0], ticks[1]])
    assert [room.cells(TICKS)[t] for t in ticks[:3]] == ["10", "10", "0"]
    published = room.html(TICKS)
    room.answer(10, TICKS, [ticks[0], ticks[2]])
    assert room.html(TICKS) == published


def test_scenario_word_probing_needs_a_whole_batch(room: Room) -> None:
    """Issue 11, point 11: with 4 x "rice" shared, one fresh code adding "rice" used to show rice (5)."""
    for person, word in enumerate(["rice", "rice", "rice", "rice", "tea"]):
        room.answer(person, WORDS, word)
    published = room.html(WORDS)
    assert "rice" not in published  # four people: not shown
    room.answer(5, WORDS, "Rice")  # the probe
    assert room.html(WORDS) == published
    for person in range(6, 10):
        room.answer(person, WORDS, "tea")
    assert "<bdi>rice</bdi> (5)" in room.html(WORDS) and "<bdi>tea</bdi> (5)" in room.html(WORDS)


def test_a_withdrawn_quote_disappears_at_once_even_when_revealed(room: Room) -> None:
    room.answer(0, STORY, "my grandmother's kitchen", "quote")
    for person in range(1, 5):
        room.answer(person, STORY, "a story", "aggregate")
    (card,) = room.quote_cards(STORY)
    assert isinstance(card, widgets.Button) and card.description == "Reveal quote 1"
    card.click()
    (shown,) = room.quote_cards(STORY)
    assert isinstance(shown, widgets.HTML) and "my grandmother&#x27;s kitchen" in shown.value
    room.consent(0, STORY, "aggregate")  # one change only: no batch, but the quote goes now
    assert room.quote_cards(STORY) == []
    room.consent(0, STORY, "quote")
    assert room.quote_cards(STORY) == []  # it comes back only with a new view...
    for person in range(1, 5):
        room.answer(person, STORY, "another story", "aggregate")
    (again,) = room.quote_cards(STORY)
    assert isinstance(again, widgets.Button)  # ...and must be revealed again
    room.answer(0, STORY, "something else now", "quote")  # a changed answer withdraws the old quote
    assert room.quote_cards(STORY) == []


def test_participant_text_cannot_reorder_the_dashboard(room: Room) -> None:
    """Issue 11, point 12: bidi controls are stripped before counting, and text sits in <bdi>."""
    for person, word in enumerate(["\u202erice", "ri\u2066ce\u2069", "\u200frice\u200e", "\u061crice", "rice\u2067"]):
        room.answer(person, WORDS, word)
    assert "<li><bdi>rice</bdi> (5)</li>" in room.html(WORDS)
    room.answer(0, STORY, "\u202eevil\u2068 text\u2069", "quote")
    for person in range(1, 5):
        room.answer(person, STORY, "a story", "private")
    room.quote_cards(STORY)[0].click()
    (quote,) = room.quote_cards(STORY)
    assert "<bdi>evil text</bdi>" in quote.value
    for html in [room.html(WORDS), quote.value]:
        assert not set(html) & set(BIDI)


def test_a_reloaded_dashboard_shows_the_last_published_view_not_the_pending_changes(room: Room) -> None:
    for person in range(5):
        room.answer(person, CHOICE, options(CHOICE)[0])
    room.pass_(5, CHOICE)  # pending: one change
    reloaded = Dashboard(room.dashboard.cohort, room.store, session_index=0)
    reloaded.widget()  # replays the whole log at once

    def drawn(html: str) -> str:  # the SVG carries the time it was drawn
        return re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)

    assert drawn(reloaded.exercise_boxes[CHOICE].value) == drawn(room.html(CHOICE))
    assert "Answered: 5 · Passed: 0" in room.html(CHOICE)
