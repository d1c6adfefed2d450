"""Exercise kinds, one file each: a live ipywidgets form and a printable worksheet."""

from __future__ import annotations

from toolkit.errors import InvalidAnswer
from toolkit.exercises.base import ExerciseWidget, ResponseSession
from toolkit.exercises.free_text import FreeTextExercise
from toolkit.exercises.multiple_choice import MultipleChoiceExercise
from toolkit.exercises.ranking import RankingExercise
from toolkit.exercises.scale import ScaleExercise
from toolkit.exercises.self_rating import SelfRatingExercise
from toolkit.exercises.single_choice import SingleChoiceExercise
from toolkit.exercises.word_contribution import WordContributionExercise
from toolkit.i18n import Translate
from toolkit.schema.module import Exercise, ExerciseKind

KINDS: dict[ExerciseKind, type[ExerciseWidget]] = {
    cls.kind: cls
    for cls in (
        FreeTextExercise,
        ScaleExercise,
        SingleChoiceExercise,
        MultipleChoiceExercise,
        RankingExercise,
        WordContributionExercise,
        SelfRatingExercise,
    )
}


def make_exercise(exercise: Exercise, session: ResponseSession | None, translate: Translate) -> ExerciseWidget:
    """The widget for ``exercise``'s kind."""
    return KINDS[exercise.kind](exercise, session, translate)


__all__ = ["KINDS", "ExerciseWidget", "InvalidAnswer", "ResponseSession", "make_exercise"]
