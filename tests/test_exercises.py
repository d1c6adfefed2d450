"""Every exercise kind without a kernel: a recording dummy comm, as ipywidgets' own tests do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import comm
import pytest

from toolkit.events.model import EventType
from toolkit.exercises import KINDS, ExerciseWidget, InvalidAnswer, make_exercise
from toolkit.exercises.free_text import MAX_CHARACTERS, FreeTextExercise
from toolkit.exercises.multiple_choice import MultipleChoiceExercise
from toolkit.exercises.ranking import RankingExercise
from toolkit.exercises.scale import ScaleExercise
from toolkit.exercises.self_rating import SelfRatingExercise
from toolkit.exercises.single_choice import SingleChoiceExercise
from toolkit.exercises.word_contribution import WordContributionExercise
from toolkit.schema.module import Exercise, ExerciseKind


class RecordingComm:
    """Stands in for a kernel comm and keeps every message a widget sends."""

    comm_id = "recording"
    kernel = "Truthy"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.messages: list[dict[str, Any]] = []

    def open(self, *args: Any, **kwargs: Any) -> None: ...

    def on_msg(self, *args: Any, **kwargs: Any) -> None: ...

    def close(self, *args: Any, **kwargs: Any) -> None: ...

    def send(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        self.messages.append(data)


@pytest.fixture(autouse=True)
def recording_comm(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: RecordingComm())
    yield


class FakeSession:
    """A participant session that keeps events in a list."""

    def __init__(self, participant: str | None = "river-lotus-4821") -> None:
        self.participant = participant
        self.events: list[tuple[EventType, str, dict[str, Any]]] = []

    def record(self, type: EventType, exercise: str, payload: dict[str, Any]) -> bool:
        self.events.append((type, exercise, payload))
        return True


SCALE = {"min": 1, "max": 5, "min_label": "Not at all", "max_label": "Completely"}
SPECS: dict[ExerciseKind, dict[str, Any]] = {
    ExerciseKind.FREE_TEXT: {},
    ExerciseKind.SCALE: {"scale": SCALE},
    ExerciseKind.SELF_RATING: {"scale": SCALE, "objective": "obj-1"},
    ExerciseKind.SINGLE_CHOICE: {"options": ["Family", "Faith", "Friends"]},
    ExerciseKind.MULTIPLE_CHOICE: {"options": ["Family", "Faith", "Friends"]},
    ExerciseKind.RANKING: {"options": ["Family", "Faith", "Friends"]},
    ExerciseKind.WORD_CONTRIBUTION: {},
}


def spec_for(kind: ExerciseKind) -> Exercise:
    return Exercise(id=f"t-{kind.value.replace('_', '-')}", kind=kind, prompt=f"Prompt for {kind.value}", **SPECS[kind])


def build(kind: ExerciseKind, session: FakeSession | None = None) -> tuple[ExerciseWidget, FakeSession]:
    session = session or FakeSession()
    return make_exercise(spec_for(kind), session, lambda text: text), session


Kind = TypeVar("Kind", bound=ExerciseWidget)


def build_as(cls: type[Kind], session: FakeSession | None = None) -> tuple[Kind, FakeSession]:
    """Like ``build``, typed as the kind's class, so its controls are typed too."""
    session = session or FakeSession()
    return cls(spec_for(cls.kind), session, lambda text: text), session


def fill(widget: ExerciseWidget) -> Any:
    """Answer through the controls as a person would; return the expected stored value."""
    if isinstance(widget, FreeTextExercise):
        widget.text.value = "我的家人 — 가족 — عائلة 🌈"
        return "我的家人 — 가족 — عائلة 🌈"
    if isinstance(widget, ScaleExercise):
        widget.choice.value = 4
        return 4
    if isinstance(widget, SelfRatingExercise):
        widget.before.value, widget.now.value = 2, 4
        return {"before": 2, "now": 4}
    if isinstance(widget, SingleChoiceExercise):
        widget.choice.value = "Faith"
        return "Faith"
    if isinstance(widget, MultipleChoiceExercise):
        widget.boxes[0].value = widget.boxes[2].value = True
        return ["Family", "Friends"]
    if isinstance(widget, RankingExercise):
        widget.items.value = "Friends"
        widget.move(-1)
        return ["Family", "Friends", "Faith"]
    assert isinstance(widget, WordContributionExercise), f"fill() does not know {widget.kind.value}"
    widget.word.value = "home"
    return "home"


ALL = list(KINDS)


def control_state(widget: ExerciseWidget) -> list[Any]:
    """What a person sees in the controls: every value (and a list's order), in page order."""
    import ipywidgets as widgets

    state: list[Any] = []
    stack: list[Any] = [widget]
    while stack:
        node = stack.pop(0)
        stack[:0] = getattr(node, "children", ())
        if isinstance(node, widgets.ValueWidget) and not isinstance(node, widgets.HTML):
            state.append(node.value)
        if isinstance(node, widgets.Select):
            state.append(node.options)
    return state


def test_every_rubric_kind_has_a_widget() -> None:
    assert set(KINDS) == set(ExerciseKind)


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_save_emits_answered_with_private_default(kind: ExerciseKind) -> None:
    widget, session = build(kind)
    expected = fill(widget)
    assert widget.sharing.value == "private"
    assert widget.save()
    assert session.events == [
        (EventType.ANSWERED, widget.exercise.id, {"kind": kind.value, "value": expected, "sharing": "private"})
    ]
    assert "Saved at" in widget.status.value


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_empty_answer_is_refused_with_a_message(kind: ExerciseKind) -> None:
    widget, session = build(kind)
    assert not widget.save()
    assert session.events == []
    assert "Pass" in widget.status.value


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_pass_stores_no_content(kind: ExerciseKind) -> None:
    widget, session = build(kind)
    fill(widget)
    assert widget.pass_()
    assert session.events == [(EventType.PASSED, widget.exercise.id, {})]
    assert "Nothing from this question was stored" in widget.status.value


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_changing_an_answer_appends_a_superseding_event(kind: ExerciseKind) -> None:
    widget, session = build(kind)
    fill(widget)
    widget.save()
    widget.sharing.value = "aggregate"  # widening: asked again before anything is recorded
    assert [event[0] for event in session.events] == [EventType.ANSWERED]
    assert widget.confirm_sharing()
    widget.save()
    types = [event[0] for event in session.events]
    assert types == [EventType.ANSWERED, EventType.SHARING_CHANGED, EventType.ANSWERED]
    assert session.events[1][2] == {"sharing": "aggregate"}
    assert session.events[2][2]["sharing"] == "aggregate"


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_widening_a_saved_answer_asks_again_and_cancel_keeps_it(kind: ExerciseKind) -> None:
    widget, session = build(kind)
    fill(widget)
    widget.save()
    widget.sharing.value = "aggregate"
    assert widget.confirm_box.layout.display != "none"
    assert "Count it in the anonymous summary" in widget.confirm_question.value
    widget.cancel_button.click()
    assert widget.sharing.value == "private"
    assert widget.confirm_box.layout.display == "none"
    assert [event[0] for event in session.events] == [EventType.ANSWERED]
    assert not widget.confirm_sharing()  # nothing is waiting any more


def test_every_widening_step_asks_and_the_yes_records_it() -> None:
    widget, session = build(ExerciseKind.FREE_TEXT)
    fill(widget)
    widget.save()
    for choice in ("aggregate", "quote"):
        widget.sharing.value = choice
        assert len(session.events) == 1 + (choice == "quote")
        widget.confirm_button.click()
        assert session.events[-1] == (EventType.SHARING_CHANGED, widget.exercise.id, {"sharing": choice})
    # aggregate -> quote on a restored answer is a widening as well.
    restored, later = build(ExerciseKind.FREE_TEXT)
    restored.restore(EventType.ANSWERED, {"value": "x", "sharing": "aggregate"})
    restored.sharing.value = "quote"
    assert later.events == [] and restored.confirm_box.layout.display != "none"


def test_narrowing_is_recorded_at_once_even_while_a_widening_waits() -> None:
    widget, session = build(ExerciseKind.FREE_TEXT)
    widget.restore(EventType.ANSWERED, {"value": "x", "sharing": "aggregate"})
    widget.sharing.value = "private"
    assert session.events == [(EventType.SHARING_CHANGED, widget.exercise.id, {"sharing": "private"})]
    widget.sharing.value = "quote"  # waiting for a yes...
    widget.sharing.value = "private"  # ...then back to what the log holds: nothing to record
    assert len(session.events) == 1
    assert widget.confirm_box.layout.display == "none"
    widget.sharing.value = "quote"
    widget.confirm_button.click()
    widget.sharing.value = "aggregate"  # narrowing from quote, with no question
    assert [event[2] for event in session.events[1:]] == [{"sharing": "quote"}, {"sharing": "aggregate"}]


def test_sharing_chosen_before_the_first_save_is_not_asked_again() -> None:
    widget, session = build(ExerciseKind.FREE_TEXT)
    fill(widget)
    widget.sharing.value = "quote"
    assert widget.confirm_box.layout.display == "none"
    assert widget.save()
    assert session.events[0][2]["sharing"] == "quote"


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_reset_clears_everything_of_the_last_person(kind: ExerciseKind) -> None:
    fresh, _ = build(kind)
    blank = control_state(fresh)
    widget, session = build(kind)
    fill(widget)
    widget.save()
    widget.sharing.value = "aggregate"  # a widening left waiting
    assert widget.confirm_box.layout.display != "none"
    widget.reset()
    assert control_state(widget) == blank
    assert widget.sharing.value == "private"
    assert widget.status.value == ""
    assert not widget.saved
    assert widget.confirm_box.layout.display == "none"
    assert len(session.events) == 1  # resetting records nothing
    with pytest.raises(InvalidAnswer):
        widget.answer()  # nothing of theirs can be saved under the next code


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_restore_shows_saved_answer(kind: ExerciseKind) -> None:
    first, _ = build(kind)
    value = fill(first)
    second, session = build(kind)
    second.restore(EventType.ANSWERED, {"value": value, "sharing": "aggregate"})
    assert second.answer() == value
    assert second.sharing.value == "aggregate"
    assert session.events == []  # restoring is not a new answer or consent change


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_static_view_has_prompt_and_writing_space(kind: ExerciseKind) -> None:
    widget, _ = build(kind)
    bundle = widget._repr_mimebundle_()
    html = bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert f"Prompt for {kind.value}" in html
    assert "You may pass" in html
    marker = {
        ExerciseKind.FREE_TEXT: 'class="bridges-line"',
        ExerciseKind.SCALE: 'class="bridges-circle"',
        ExerciseKind.SELF_RATING: "Before this module",
        ExerciseKind.SINGLE_CHOICE: "border-radius:50%",
        ExerciseKind.MULTIPLE_CHOICE: "Tick all that apply",
        ExerciseKind.RANKING: 'class="bridges-slots"',
        ExerciseKind.WORD_CONTRIBUTION: 'class="bridges-word-box"',
    }[kind]
    assert marker in html


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_every_control_is_labelled(kind: ExerciseKind) -> None:
    import ipywidgets as widgets

    widget, _ = build(kind)
    stack: list[Any] = [widget]
    controls = 0
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", ()))
        if isinstance(node, widgets.Button) or (
            isinstance(node, widgets.ValueWidget) and not isinstance(node, widgets.HTML)
        ):
            controls += 1
            assert node.description.strip(), node
    assert controls >= 4


def test_free_text_too_long_keeps_the_text() -> None:
    widget, session = build_as(FreeTextExercise)
    text = "字" * (MAX_CHARACTERS + 1)
    widget.text.value = text
    assert not widget.save()
    assert session.events == []
    assert widget.text.value == text
    assert "20,001 characters; the limit is 20,000" in widget.status.value


def test_free_text_at_the_limit_is_saved_exactly() -> None:
    widget, session = build_as(FreeTextExercise)
    text = ("\u202eRTL \u0301e\u0000 <script>alert(1)</script> ") * 500
    text = text[:MAX_CHARACTERS]
    widget.text.value = text
    assert widget.save()
    assert session.events[0][2]["value"] == text


def test_hostile_prompt_is_escaped_in_the_static_view() -> None:
    spec = Exercise(id="t-x", kind=ExerciseKind.FREE_TEXT, prompt='<img src=x onerror="alert(1)">')
    html = make_exercise(spec, FakeSession(), lambda t: t).static_html()
    assert "<img" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_hostile_answer_is_escaped_in_messages() -> None:
    widget, _ = build_as(WordContributionExercise)
    widget.word.value = "<b>a b c d</b>"
    widget.save()
    assert "<b>" not in widget.status.value


def test_no_code_no_event() -> None:
    widget, session = build(ExerciseKind.WORD_CONTRIBUTION, FakeSession(participant=None))
    fill(widget)
    assert not widget.save()
    assert session.events == []
    assert "participant code" in widget.status.value


def test_preview_without_session_records_nothing() -> None:
    spec = Exercise(id="t-w", kind=ExerciseKind.WORD_CONTRIBUTION, prompt="One word")
    widget = WordContributionExercise(spec, None, lambda t: t)
    widget.word.value = "home"
    assert not widget.save()
    assert "not saved here" in widget.status.value


def test_enter_in_the_word_field_saves() -> None:
    widget, session = build_as(WordContributionExercise)
    widget.word.value = "home"
    widget.word._handle_custom_msg({"event": "submit"}, [])  # what Enter sends
    assert [event[2]["value"] for event in session.events] == ["home"]
    assert "Saved at" in widget.status.value


def test_messages_change_the_text_of_one_live_region() -> None:
    widget, _ = build(ExerciseKind.WORD_CONTRIBUTION)
    widget.save()  # empty: an error message
    fill(widget)
    widget.save()
    # The template makes each .bridges-live element a role=status region once; the messages are only text.
    assert "bridges-live" in widget.status._dom_classes and "role=" not in widget.status.value


def test_ranking_by_keyboard_buttons() -> None:
    widget, _ = build_as(RankingExercise)
    widget.items.value = "Family"
    widget.move(+1)
    widget.move(+1)
    widget.move(+1)  # past the end: nothing moves
    assert widget.answer() == ["Faith", "Friends", "Family"]
    assert widget.items.value == "Family"
    assert widget.items.options[2] == ("3. Family", "Family")


def test_sharing_choices_fit_the_kind() -> None:
    text, _ = build(ExerciseKind.FREE_TEXT)
    scale, _ = build(ExerciseKind.SCALE)
    assert [v for _, v in text.sharing.options] == ["private", "aggregate", "quote"]
    assert [v for _, v in scale.sharing.options] == ["private", "aggregate"]  # a number cannot be quoted


def test_status_reaches_the_front_end_through_the_comm() -> None:
    widget, _ = build(ExerciseKind.WORD_CONTRIBUTION)
    fill(widget)
    widget.save()
    sent = widget.status.comm.messages  # type: ignore[union-attr]
    assert any("Saved at" in str(message) for message in sent)
