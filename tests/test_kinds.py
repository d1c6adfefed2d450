"""Exercise kinds register themselves: a kind is whole (schema rule, widget class, tabulation,
captions) or the class cannot be created and these tests fail."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import ipywidgets as widgets
import pytest
from pydantic import ValidationError

from toolkit.events.model import EventType
from toolkit.events.projections import Response
from toolkit.exercises import KINDS, make_exercise
from toolkit.exercises.base import REQUIRED, ExerciseWidget
from toolkit.exercises.free_text import FreeTextExercise
from toolkit.i18n import translator
from toolkit.schema.module import KIND_RULES, Exercise, ExerciseKind

SCALE = {"min": 1, "max": 5, "min_label": "Not at all", "max_label": "Completely"}
OPTIONS = ["Family", "Faith", "Friends"]

# One answer per kind, as its widget stores it.
ANSWERS: dict[ExerciseKind, Any] = {
    ExerciseKind.FREE_TEXT: "My family knows.",
    ExerciseKind.SCALE: 4,
    ExerciseKind.SELF_RATING: {"before": 2, "now": 4},
    ExerciseKind.SINGLE_CHOICE: "Faith",
    ExerciseKind.MULTIPLE_CHOICE: ["Family", "Friends"],
    ExerciseKind.RANKING: ["Friends", "Family", "Faith"],
    ExerciseKind.WORD_CONTRIBUTION: "home",
}


def exercise_of(kind: ExerciseKind) -> Exercise:
    """The smallest valid exercise of a kind, built from its schema rule."""
    rule = KIND_RULES[kind]
    fields: dict[str, Any] = {
        "options": OPTIONS if rule.options else [],
        "scale": SCALE if rule.scale else None,
        "objective": "obj-1" if rule.objective else None,
    }
    return Exercise(id=f"t-{kind.value.replace('_', '-')}", kind=kind, prompt="A prompt", **fields)


def quoted(value: Any) -> Response:
    payload = {"value": value, "sharing": "quote"}
    return Response(EventType.ANSWERED, payload, dt.datetime.now(dt.UTC), uuid.uuid4())


def test_every_kind_has_a_schema_rule_and_a_registered_widget_class() -> None:
    assert set(KIND_RULES) == set(ExerciseKind)
    assert set(KINDS) == set(ExerciseKind)
    for kind, cls in KINDS.items():
        assert cls.kind is kind
        assert isinstance(make_exercise(exercise_of(kind), None, lambda text: text), cls)


@pytest.mark.parametrize("kind", list(ExerciseKind), ids=lambda k: k.value)
def test_every_kind_tabulates_shared_answers_and_captions_its_tables(kind: ExerciseKind) -> None:
    assert kind in ANSWERS, f"add an answer for {kind.value} to ANSWERS"
    cls = KINDS[kind]
    tally = cls.tabulate(exercise_of(kind), [quoted(ANSWERS[kind]) for _ in range(5)], {})
    counted = [n for table in tally.tables.values() for n in table.cells.values()]
    assert sum(counted) + sum(tally.words.values()) + len(tally.quotes) >= 5, "five answers counted nothing"
    captions = cls.captions(translator("ko"))
    assert set(tally.tables) <= set(captions), "every table the kind returns needs a caption"
    assert all(caption.strip() for caption in captions.values())


@pytest.mark.parametrize("kind", list(ExerciseKind), ids=lambda k: k.value)
def test_the_schema_enforces_each_kinds_rule(kind: ExerciseKind) -> None:
    rule = KIND_RULES[kind]
    valid = exercise_of(kind).model_dump()
    with pytest.raises(ValidationError, match="options"):
        Exercise(**{**valid, "options": [] if rule.options else OPTIONS})
    with pytest.raises(ValidationError, match="scale"):
        Exercise(**{**valid, "scale": None if rule.scale else SCALE})
    if rule.objective:
        with pytest.raises(ValidationError, match="objective"):
            Exercise(**{**valid, "objective": None})


def test_a_kind_missing_methods_is_refused_when_its_class_is_created() -> None:
    before = dict(KINDS)
    with pytest.raises(TypeError) as refused:

        class HalfDone(ExerciseWidget):
            kind = ExerciseKind.FREE_TEXT

            def build_controls(self) -> list[widgets.Widget]:
                return []

    named, _, missing = str(refused.value).partition(" does not define ")
    assert named.endswith("HalfDone")
    assert missing.split(", ") == [name for name in REQUIRED if name != "build_controls"]
    assert before == KINDS


def test_a_kind_without_tabulation_cannot_exist() -> None:
    with pytest.raises(TypeError, match=r"does not define tabulate$"):

        class Untabulated(ExerciseWidget):
            kind = ExerciseKind.FREE_TEXT
            build_controls = FreeTextExercise.build_controls
            answer = FreeTextExercise.answer
            show_answer = FreeTextExercise.show_answer
            clear_answer = FreeTextExercise.clear_answer
            writing_space = FreeTextExercise.writing_space


def test_a_second_class_for_a_kind_is_refused() -> None:
    with pytest.raises(TypeError, match="both show free_text exercises"):

        class AnotherFreeText(FreeTextExercise):
            kind = ExerciseKind.FREE_TEXT

    assert KINDS[ExerciseKind.FREE_TEXT] is FreeTextExercise


def test_a_class_without_its_own_kind_is_not_registered() -> None:
    """A variant of a kind (or a helper base) inherits; only a class that names a kind shows it."""

    class LongerFreeText(FreeTextExercise):
        pass

    assert KINDS[ExerciseKind.FREE_TEXT] is FreeTextExercise
    assert LongerFreeText not in KINDS.values()
