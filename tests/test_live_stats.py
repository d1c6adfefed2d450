"""What the dashboard may show of one exercise: only shared answers, only suppressed figures."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from toolkit.curriculum import programme
from toolkit.events.model import EventType
from toolkit.events.projections import Response
from toolkit.live.stats import view_exercise

MODULE = "shared-experiences"


def answer(value: Any, sharing: str = "aggregate") -> Response:
    payload = {"value": value, "sharing": sharing}
    return Response(EventType.ANSWERED, payload, dt.datetime.now(dt.UTC), uuid.uuid4())


def passed() -> Response:
    return Response(EventType.PASSED, {}, dt.datetime.now(dt.UTC), uuid.uuid4())


def exercise(exercise_id: str, language: str = "en") -> Any:
    return next(e for e in programme(language).module(MODULE).exercises if e.id == exercise_id)


def test_private_answers_are_counted_as_answered_but_never_in_a_distribution() -> None:
    scale = exercise("se-closeness-scale")
    responses = [answer(4) for _ in range(6)] + [answer(1, "private") for _ in range(5)] + [passed()] * 5
    view = view_exercise(scale, responses, k=5)
    assert view.counts.cells == {"answered": 11, "passed": 5}
    table = view.tables["responses"]
    assert table.cells["4"] == 6
    assert table.cells["1"] == 0  # the five private ones are not there
    assert table.total == 6


def test_answers_given_in_another_language_count_for_the_same_option() -> None:
    english, korean = exercise("se-agreement-support"), exercise("se-agreement-support", "ko")
    options = {"ko": list(korean.options)}
    responses = [answer(korean.options[0]) for _ in range(3)] + [answer(english.options[0]) for _ in range(3)]
    view = view_exercise(english, responses, k=5, translations=options)
    assert view.tables["responses"].cells[english.options[0]] == 6


def test_multiple_choice_self_rating_and_words() -> None:
    ticks = exercise("se-festival-threads")
    both = [answer([ticks.options[0], ticks.options[1]]) for _ in range(5)] + [answer([ticks.options[2]])]
    table = view_exercise(ticks, both, k=5).tables["responses"]
    assert table.cells[ticks.options[0]] == 5 and table.cells[ticks.options[2]] is None
    rating = exercise("se-agreements-confidence")
    view = view_exercise(rating, [answer({"before": 2, "now": 4}) for _ in range(5)], k=5)
    assert view.tables["before"].cells["2"] == 5 and view.tables["now"].cells["4"] == 5
    words = exercise("se-closing-word")
    said = [answer("Courage") for _ in range(5)] + [answer("my grandmother's name in Hakka")]
    assert view_exercise(words, said, k=5).words == [("courage", 5)]  # a word from one person stays hidden


def test_only_quotable_free_text_is_offered_as_a_quote() -> None:
    story = exercise("se-story-carry")
    responses = [answer("mine alone", "private"), answer("count me", "aggregate"), answer("<b>quote me</b>", "quote")]
    view = view_exercise(story, responses, k=5)
    assert [quote.text for quote in view.quotes] == ["<b>quote me</b>"]
    assert view.counts.label("answered") == "fewer than 5"


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_controls_are_stripped_before_words_are_counted_and_quotes_shown() -> None:
    words, story = exercise("se-closing-word"), exercise("se-story-carry")
    for control in BIDI_CONTROLS:
        said = [answer(f"{control}rice"), answer(f"ri{control}ce"), answer(f"rice{control}")] + [answer("rice")] * 2
        assert view_exercise(words, said, k=5).words == [("rice", 5)], hex(ord(control))
    only_controls = [answer(BIDI_CONTROLS) for _ in range(5)]
    assert view_exercise(words, only_controls, k=5).words == []  # nothing visible was said
    quoted = view_exercise(story, [answer(f"\u202eevil{BIDI_CONTROLS} text\u2069", "quote")], k=5)
    assert [quote.text for quote in quoted.quotes] == ["evil text"]


def test_answered_and_passed_hide_each_other_because_the_room_knows_how_many_responded() -> None:
    scale = exercise("se-closeness-scale")
    view = view_exercise(scale, [answer(4) for _ in range(9)] + [passed()], k=5)
    # 10 people were seen to respond: "Answered: 9" would say that exactly one passed.
    assert view.counts.label("answered") == view.counts.label("passed") == "hidden"
