"""Exercise kinds, one file each: a live ipywidgets form and a printable worksheet.

Importing this package imports every kind, and each kind registers itself in
``KINDS`` as its class is created (``ExerciseWidget.__init_subclass__``).
"""

from __future__ import annotations

from toolkit.errors import InvalidAnswer
from toolkit.exercises import (  # noqa: F401  (imported to register their kinds)
    free_text,
    multiple_choice,
    ranking,
    scale,
    self_rating,
    single_choice,
    word_contribution,
)
from toolkit.exercises.base import KINDS, ExerciseWidget, ResponseSession
from toolkit.i18n import Translate
from toolkit.schema.module import Exercise


def make_exercise(exercise: Exercise, session: ResponseSession | None, translate: Translate) -> ExerciseWidget:
    """The widget for ``exercise``'s kind."""
    return KINDS[exercise.kind](exercise, session, translate)


__all__ = ["KINDS", "ExerciseWidget", "InvalidAnswer", "ResponseSession", "make_exercise"]
