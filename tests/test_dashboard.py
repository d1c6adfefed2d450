"""The facilitator dashboard through its public API: a real SQLite store, real events, the HTML drawn.

The scenarios are those of issue 11: a watcher who compares successive views
must not learn what the last person chose (points 10 and 11), and a
participant's text must not reorder the dashboard (point 12). Then issue 12's
dashboard: the session picker, time left, hiding a quote again, no empty
charts, whole labels, and controls anyone can see and press.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
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
MODULE_7 = "challenging-heteronormativity"  # in the test cohort, run yesterday
SCENE = "ch-single-closest-scene"
K = 5
NO_CHART = "Not enough shared answers yet to show a chart"
CHOICE, SCALE, TICKS, WORDS, STORY = (
    "se-agreement-support",
    "se-closeness-scale",
    "se-festival-threads",
    "se-closing-word",
    "se-story-carry",
)
BIDI = "\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def options(exercise_id: str, module: str = MODULE) -> list[str]:
    return list(next(e for e in programme().module(module).exercises if e.id == exercise_id).options)


def drawn(html: str) -> str:
    """The HTML without its SVG charts, which carry the time they were drawn."""
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)


def all_widgets(root: widgets.Widget) -> Iterator[widgets.Widget]:
    yield root
    for child in getattr(root, "children", ()):
        yield from all_widgets(child)


class Room:
    """People answering through the event store, and the facilitator's dashboard reading it."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        cohort = Cohort(
            name="Differencing test",
            slug="diff-test",
            sessions=[
                Session(date=dt.date.today() - dt.timedelta(days=1), start=dt.time(18), modules=[MODULE_7]),
                Session(date=dt.date.today(), start=dt.time(18), modules=[MODULE]),
            ],
            k=K,
        )
        self.dashboard = Dashboard(cohort, store)  # today's session
        self.root = self.dashboard.widget()  # draws the first view

    def _event(self, kind: EventType, person: int, exercise: str, payload: dict[str, Any]) -> None:
        self.store.append(
            Event(
                type=kind,
                cohort="diff-test",
                module=MODULE_7 if exercise.startswith("ch-") else MODULE,
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
        return {html_text.unescape(label): count for label, count in rows}

    def quote_cards(self, exercise: str) -> list[widgets.Widget]:
        return list(self.dashboard.reveal_boxes[exercise].children)

    def revealed_text(self, exercise: str) -> str:
        """The HTML of the one quote card, which must be a revealed quote (its text and a Hide button)."""
        (card,) = self.quote_cards(exercise)
        assert isinstance(card, widgets.VBox)
        text, hide = card.children
        assert isinstance(text, widgets.HTML) and isinstance(hide, widgets.Button)
        return str(text.value)


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
    assert "my grandmother&#39;s kitchen" in room.revealed_text(STORY)
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
    quote = room.revealed_text(STORY)
    assert "<bdi>evil text</bdi>" in quote
    for html in [room.html(WORDS), quote]:
        assert not set(html) & set(BIDI)


def test_a_reloaded_dashboard_shows_the_last_published_view_not_the_pending_changes(room: Room) -> None:
    for person in range(5):
        room.answer(person, CHOICE, options(CHOICE)[0])
    room.pass_(5, CHOICE)  # pending: one change
    reloaded = Dashboard(room.dashboard.cohort, room.store)
    reloaded.widget()  # replays the whole log at once
    assert drawn(reloaded.exercise_boxes[CHOICE].value) == drawn(room.html(CHOICE))
    assert "Answered: 5 · Passed: 0" in room.html(CHOICE)


def test_the_facilitator_picks_module_7_on_another_day_and_sees_only_published_views(room: Room) -> None:
    dashboard, scene = room.dashboard, options(SCENE, MODULE_7)
    assert dashboard.picker.value == 1 and SCENE not in dashboard.exercise_boxes  # today's session by default
    assert dashboard.picker.description == "Session shown"
    assert "7. Challenging heteronormativity" in dashboard.picker.options[0][0]
    for person in range(K):
        room.answer(person, SCENE, scene[0])
    for person in range(K, 2 * K - 1):
        room.answer(person, SCENE, scene[1])  # k - 1 changers since that view: pending
    dashboard.picker.value = 0
    assert CHOICE not in dashboard.exercise_boxes
    assert (dt.date.today() - dt.timedelta(days=1)).isoformat() in dashboard.agenda_html.value
    assert "7. Challenging heteronormativity" in dashboard.modules_box.children[0].value
    shown = room.html(SCENE)
    assert "Answered: 5" in shown and room.cells(SCENE)[scene[0]] == "5"
    all_along = Dashboard(dashboard.cohort, room.store, session_index=0)
    all_along.widget()
    assert drawn(all_along.exercise_boxes[SCENE].value) == drawn(shown)
    dashboard.picker.value = 1
    dashboard.picker.value = 0  # switching back and forth publishes nothing
    assert drawn(room.html(SCENE)) == drawn(shown)
    room.answer(2 * K - 1, SCENE, scene[1])  # the k-th changer: a new view, on the module picked
    assert room.cells(SCENE)[scene[1]] == "5" and "Answered: 10" in room.html(SCENE)


def test_the_timer_shows_time_left_in_the_activity_and_the_session(room: Room) -> None:
    dashboard, status = room.dashboard, room.dashboard.status
    timer = dashboard.timer
    first = timer.current.minutes
    total = sum(item.minutes for item in timer.items)
    assert "bridges-live" in status._dom_classes  # the live region is there before anything starts
    assert f"this activity: {first} min left" not in status.value and "Not started" in status.value
    t0 = dt.datetime(2027, 3, 6, 18, 0)
    timer.start(t0)
    dashboard.update_status(t0 + dt.timedelta(minutes=2, seconds=30))
    assert f"this activity: {first - 2} min left · the session: {total - 2} min left" in status.value
    timer.pause(t0 + dt.timedelta(minutes=3))
    dashboard.update_status(t0 + dt.timedelta(minutes=50))
    assert f"Paused · Now: {timer.current.title} · this activity: {first - 3} min left" in status.value
    timer.start(t0 + dt.timedelta(minutes=50))
    dashboard.update_status(t0 + dt.timedelta(minutes=first + 47 + 4))
    assert f"this activity: 4 min over · the session: {total - first - 4} min left" in status.value
    assert "4 min late" in status.value
    assert dashboard.status is status


def test_a_revealed_quote_can_be_hidden_again(room: Room) -> None:
    room.answer(0, STORY, "my grandmother's kitchen", "quote")
    for person in range(1, 5):
        room.answer(person, STORY, "a story", "aggregate")

    def on_screen() -> str:
        return " ".join(str(getattr(w, "value", "")) for w in all_widgets(room.root))

    room.quote_cards(STORY)[0].click()
    assert "grandmother" in room.revealed_text(STORY)
    (card,) = room.quote_cards(STORY)
    hide = card.children[1]
    assert hide.description == "Hide quote 1"
    hide.click()
    (again,) = room.quote_cards(STORY)
    assert isinstance(again, widgets.Button) and again.description == "Reveal quote 1"
    assert "grandmother" not in on_screen()
    again.click()
    assert "grandmother" in room.revealed_text(STORY)
    room.dashboard.picker.value = 0
    room.dashboard.picker.value = 1  # leaving the session puts its quotes back behind Reveal
    (behind,) = room.quote_cards(STORY)
    assert isinstance(behind, widgets.Button) and "grandmother" not in on_screen()


def test_a_sentence_instead_of_a_chart_when_every_count_is_hidden(room: Room) -> None:
    assert NO_CHART in room.html(CHOICE) and "<svg" not in room.html(CHOICE)  # nothing published yet
    for person in range(K):
        room.answer(person, CHOICE, options(CHOICE)[person])  # five different answers: every count hidden
    published = room.html(CHOICE)
    assert "Answered: 5" in published
    assert NO_CHART in published and "<svg" not in published
    cells = room.cells(CHOICE)  # the table beside stays, every answer in it
    assert {cells[option] for option in options(CHOICE)} <= {"fewer than 5", "hidden"}
    for person in range(K):
        room.answer(person, CHOICE, options(CHOICE)[0])
    assert "<svg" in room.html(CHOICE) and NO_CHART not in room.html(CHOICE)


def test_long_answer_labels_are_wrapped_whole_never_cut(room: Room) -> None:
    long = options(CHOICE)[3]
    assert len(long) > 40  # "Ouch and educate - harm is named and repaired" was cut to "…harm is named and rep"
    for person in range(K):
        room.answer(person, CHOICE, long)
    svg = re.search(r"<svg.*?</svg>", room.html(CHOICE), re.DOTALL)
    assert svg is not None and "…" not in svg.group(0)
    lines = [
        html_text.unescape(re.sub(r"<[^>]+>", "", text))
        for text in re.findall(r"<text\b.*?</text>", svg.group(0), re.DOTALL)
    ]
    assert long not in lines  # on more than one line...
    assert all(option in " ".join(lines) for option in options(CHOICE))  # ...but whole, as is every other


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_control_has_accessible_colours_and_a_44_px_target(room: Room) -> None:
    room.answer(0, STORY, "a quote", "quote")
    for person in range(1, 5):
        room.answer(person, STORY, "a story", "aggregate")
    room.quote_cards(STORY)[0].click()  # a Hide button too
    controls = [w for w in all_widgets(room.root) if isinstance(w, widgets.Button | widgets.Dropdown)]
    buttons = [w for w in controls if isinstance(w, widgets.Button)]
    assert {b.description for b in buttons} >= {"Start", "Pause", "Next activity", "Hide quote 1"}
    for control in controls:
        assert int(control.layout.min_height.removesuffix("px")) >= 44, control
    for control in buttons:
        assert control.button_style == ""  # the theme's "success" green was 4.1:1
        assert contrast(control.style.text_color, control.style.button_color) >= 4.5, control.description
