"""Participant codes through the page and panel, on a real SQLite store: who may resume, and how often."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any, TypeVar

import comm
import pytest

from toolkit.code_gate import AttemptKind, CodeGate, CodeLimits, CodeRefused, Refusal
from toolkit.events import EventType, open_store
from toolkit.exercises import ExerciseWidget
from toolkit.exercises.free_text import FreeTextExercise
from toolkit.exercises.scale import ScaleExercise
from toolkit.exercises.word_contribution import WordContributionExercise
from toolkit.identity import EXAMPLE_CODE, new_code
from toolkit.page import ModulePage, open_module
from toolkit.participant_panel import ParticipantPanel
from toolkit.session import ParticipantSession

SLUG = "shared-experiences"
SECRET = "PRIVATE my first girlfriend's name"


class SilentComm:
    comm_id = "silent"
    kernel = "Truthy"

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def open(self, *args: Any, **kwargs: Any) -> None: ...

    def on_msg(self, *args: Any, **kwargs: Any) -> None: ...

    def close(self, *args: Any, **kwargs: Any) -> None: ...

    def send(self, *args: Any, **kwargs: Any) -> None: ...


@pytest.fixture(autouse=True)
def silent_comm(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: SilentComm())
    yield


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'events.sqlite'}"


@pytest.fixture
def clock() -> Clock:
    return Clock()


def open_page(store_url: str, clock: Clock, limits: CodeLimits | None = None) -> ModulePage:
    """A participant's page as a notebook builds it: code panel first, then every exercise."""
    page = open_module(SLUG, cohort="demo", store=store_url)
    page.code_limits = limits or CodeLimits()
    page.section("participant-code")
    assert page.panel is not None
    page.panel.gate.clock = clock
    for exercise in page.module.exercises:
        page.exercise(exercise.id)
    return page


def panel(page: ModulePage) -> ParticipantPanel:
    assert page.panel is not None
    return page.panel


Kind = TypeVar("Kind", bound=ExerciseWidget)


def first_of(page: ModulePage, kind: type[Kind]) -> Kind:
    """The page's first exercise of a kind, typed as that kind (its controls included)."""
    return next(w for w in page.exercises.values() if isinstance(w, kind))


def free_text(page: ModulePage) -> FreeTextExercise:
    return first_of(page, FreeTextExercise)


def type_code(page: ModulePage, text: str) -> str:
    """Type a code and press Continue, as a person does; return the panel's message."""
    panel(page).code_input.value = text
    panel(page).continue_button.click()
    return unescape(str(panel(page).message.value))


def new_code_on(page: ModulePage) -> str:
    panel(page).new_button.click()
    code = page.session.participant if page.session else None
    assert code is not None
    return code


def events(store_url: str) -> list[Any]:
    with open_store(store_url) as store:
        return [stored.event for stored in store.read()]


def attempts(store_url: str, kind: AttemptKind) -> int:
    with open_store(store_url) as store:
        return store.count_attempts(kind, 0.0)


def save_secret(page: ModulePage) -> FreeTextExercise:
    widget = free_text(page)
    widget.text.value = SECRET
    widget.save_button.click()
    assert "Saved at" in widget.status.value
    return widget


def test_an_issued_code_resumes_on_another_page(store_url: str, clock: Clock) -> None:
    first = open_page(store_url, clock)
    code = new_code_on(first)
    assert code in panel(first).message.value
    save_secret(first)
    second = open_page(store_url, clock)
    assert "Welcome back" in type_code(second, " " + code.upper().replace("-", " ") + " ")
    assert free_text(second).text.value == SECRET


@pytest.mark.parametrize("typed", ["typo", "example", "earlier-shape"])
def test_a_typo_or_the_example_is_refused_with_nothing_written(typed: str, store_url: str, clock: Clock) -> None:
    first = open_page(store_url, clock)
    code = new_code_on(first)
    save_secret(first)
    before = events(store_url)
    second = open_page(store_url, clock)
    assert panel(second).code_input.placeholder == EXAMPLE_CODE
    text = {
        "typo": code[:-1] + ("a" if code[-1] != "a" else "b"),  # one letter wrong
        "example": EXAMPLE_CODE,
        "earlier-shape": "river-lotus-4821",  # the example the form used to show
    }[typed]
    assert "Check the code for a typo" in type_code(second, text)
    assert second.session is not None and second.session.participant is None
    assert free_text(second).text.value == ""
    assert events(store_url) == before  # no event, not even module_started
    assert attempts(store_url, AttemptKind.FAILED_RESUME) == 0  # a typo never reaches the store


def test_an_unknown_well_formed_code_is_refused_with_no_event(store_url: str, clock: Clock) -> None:
    page = open_page(store_url, clock)
    assert "We don't recognise this code" in type_code(page, new_code())
    assert page.session is not None and page.session.participant is None
    assert events(store_url) == []
    assert attempts(store_url, AttemptKind.FAILED_RESUME) == 1  # a kind and a time, no code


def test_a_code_from_another_cohort_is_not_recognised(store_url: str, clock: Clock) -> None:
    other = ParticipantSession("other-cohort", SLUG, store_url, participant=new_code())
    other.record(EventType.MODULE_STARTED, None, {})
    page = open_page(store_url, clock)
    assert other.participant is not None
    assert "We don't recognise this code" in type_code(page, other.participant)
    other.close()


def test_failures_on_one_page_back_off_exponentially(store_url: str, clock: Clock) -> None:
    owner = open_page(store_url, clock)
    code = new_code_on(owner)
    page = open_page(store_url, clock)
    for _ in range(3):  # a few mistakes are free
        assert "We don't recognise" in type_code(page, new_code())
    assert "We don't recognise" in type_code(page, new_code())
    assert "Wait 5 seconds" in type_code(page, code)  # even the right code waits
    clock.now += 5
    assert "We don't recognise" in type_code(page, new_code())
    clock.now += 9
    assert "Wait 1 seconds" in type_code(page, "anything")  # doubled to 10 s
    clock.now += 1
    assert "Welcome back" in type_code(page, code)
    assert attempts(store_url, AttemptKind.FAILED_RESUME) == 5


def test_a_page_gives_out_only_a_few_new_codes(store_url: str, clock: Clock) -> None:
    page = open_page(store_url, clock)
    codes = {new_code_on(page) for _ in range(3)}
    assert len(codes) == 3
    panel(page).new_button.click()
    assert "already given out 3 codes" in unescape(panel(page).message.value)
    assert page.session is not None and page.session.participant in codes
    assert [e.type for e in events(store_url)].count(EventType.MODULE_STARTED) == 3


def test_failed_resumes_are_limited_across_pages_sharing_the_store(store_url: str, clock: Clock) -> None:
    limits = CodeLimits(server_failures=4, page_free_failures=100)
    owner = open_page(store_url, clock, limits)
    code = new_code_on(owner)
    first, second = open_page(store_url, clock, limits), open_page(store_url, clock, limits)
    for page in (first, second, first, second):
        assert "We don't recognise" in type_code(page, new_code())
    third = open_page(store_url, clock, limits)  # a fresh page does not start a fresh count
    assert "Too many unrecognised codes" in type_code(third, new_code())
    assert "Too many unrecognised codes" in type_code(second, code)
    assert attempts(store_url, AttemptKind.FAILED_RESUME) == 4
    clock.now += limits.server_window_seconds + 1
    assert "Welcome back" in type_code(third, code)


def test_new_codes_are_limited_across_pages_sharing_the_store(store_url: str, clock: Clock) -> None:
    limits = CodeLimits(server_new_codes=3)
    first, second = open_page(store_url, clock, limits), open_page(store_url, clock, limits)
    new_code_on(first), new_code_on(second), new_code_on(first)
    before = events(store_url)
    panel(second).new_button.click()
    assert "Many new codes were given out" in unescape(panel(second).message.value)
    assert events(store_url) == before
    clock.now += limits.server_window_seconds + 1
    new_code_on(second)


def test_a_room_of_40_arriving_at_once_never_meets_the_default_limits(store_url: str, clock: Clock) -> None:
    sessions = [ParticipantSession("demo", SLUG, store_url) for _ in range(40)]
    gates = [CodeGate(session, clock=clock) for session in sessions]
    codes = []
    for gate, session in zip(gates * 2, sessions * 2, strict=True):  # everyone twice: a lost first code
        session.participant = gate.issue()
        session.record(EventType.MODULE_STARTED, None, {})
        codes.append(session.participant)
    for gate in gates[:20]:  # half the room mistypes a code badly enough to pass the check letter
        with pytest.raises(CodeRefused) as refused:
            gate.resume(new_code())
        assert refused.value.reason is Refusal.UNKNOWN
    for gate, code in zip(gates, codes[40:], strict=True):
        assert gate.resume(code) == code
    for session in sessions:
        session.close()


def test_a_new_code_on_a_shared_phone_shows_nothing_of_the_last_person(store_url: str, clock: Clock) -> None:
    page = open_page(store_url, clock)
    first = new_code_on(page)
    answered = save_secret(page)
    answered.sharing.value = "aggregate"  # a widening waiting for a yes
    scale = first_of(page, ScaleExercise)
    scale.choice.value = 4
    scale.save()
    word = first_of(page, WordContributionExercise)
    word.word.value = "unsaved draft"
    second = new_code_on(page)
    assert second != first
    for widget in page.exercises.values():
        assert not widget.saved
        assert widget.status.value == ""
        assert widget.sharing.value == "private"
        assert widget.confirm_box.layout.display == "none"
    assert answered.text.value == "" and scale.choice.value is None
    assert word.word.value == ""
    assert "Answered 0" in page.progress.value
    assert first not in panel(page).message.value
    # Coming back to the first code shows that person's answers again, and only theirs.
    assert "Welcome back" in type_code(page, first)
    assert answered.text.value == SECRET and answered.saved
    assert word.word.value == ""


def test_widening_a_resumed_answer_is_asked_again(store_url: str, clock: Clock) -> None:
    first = open_page(store_url, clock)
    code = new_code_on(first)
    save_secret(first)
    page = open_page(store_url, clock)
    type_code(page, code)
    widget = free_text(page)
    widget.sharing.value = "quote"
    assert widget.confirm_box.layout.display != "none"
    assert EventType.SHARING_CHANGED not in [e.type for e in events(store_url)]
    widget.confirm_button.click()
    changes = [e for e in events(store_url) if e.type is EventType.SHARING_CHANGED]
    assert [(e.participant, e.payload) for e in changes] == [(code, {"sharing": "quote"})]
    widget.sharing.value = "private"  # withdrawing: at once, no question
    assert [e.payload for e in events(store_url) if e.type is EventType.SHARING_CHANGED][-1] == {"sharing": "private"}


def test_resuming_reads_only_that_participants_events(
    store_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy cohort's log is never replayed to resume one code: one indexed query, once per page."""
    first = open_page(store_url, clock)
    code = new_code_on(first)
    save_secret(first)
    second = open_page(store_url, clock)
    assert second.session is not None
    store = second.session.store
    whole_log: list[int] = []
    queries: list[str] = []
    original = store.read_participant
    monkeypatch.setattr(store, "read", lambda *args, **kwargs: whole_log.append(1) or [])
    monkeypatch.setattr(store, "read_participant", lambda c, p: queries.append(p) or original(c, p))
    assert "Welcome back" in type_code(second, code)
    assert free_text(second).text.value == SECRET
    assert whole_log == [] and queries == [code]
