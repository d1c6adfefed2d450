"""Self-rating, retrospective pre/post: where I was before the module, and now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.events.projections import Response
from toolkit.exercises.base import ExerciseWidget
from toolkit.exercises.scale import checked_point, printed_scale, scale_radio
from toolkit.i18n import Translate
from toolkit.schema.module import Exercise, ExerciseKind, ScaleAnchors
from toolkit.tally import Tally, one_each


class SelfRatingExercise(ExerciseWidget):
    """Asked once at the end (post-then-pre): both ratings share one frame of reference."""

    kind = ExerciseKind.SELF_RATING
    before: widgets.RadioButtons
    now: widgets.RadioButtons

    @property
    def _scale(self) -> ScaleAnchors:
        assert self.exercise.scale is not None  # the schema requires it for this kind
        return self.exercise.scale

    def build_controls(self) -> list[widgets.Widget]:
        self.before = scale_radio(self._scale, self._("Before this module"))
        self.now = scale_radio(self._scale, self._("Now"))
        return [self.before, self.now]

    def answer(self) -> Any:
        message = self._("Choose a point for both 'before' and 'now', or press Pass.")
        return {"before": checked_point(self.before, message), "now": checked_point(self.now, message)}

    def show_answer(self, value: Any) -> None:
        self.before.value = int(value["before"])
        self.now.value = int(value["now"])

    def clear_answer(self) -> None:
        self.before.value = None
        self.now.value = None

    @classmethod
    def tabulate(cls, exercise: Exercise, shared: Sequence[Response], translations: Mapping[str, list[str]]) -> Tally:
        ratings = [r.value for r in shared if isinstance(r.value, dict)]
        return Tally(
            {moment: one_each(exercise, (v.get(moment) for v in ratings), translations) for moment in ("before", "now")}
        )

    @classmethod
    def captions(cls, _: Translate) -> dict[str, str]:
        return {"before": _("Before this module"), "now": _("Now")}

    def writing_space(self) -> Markup:
        # One table: the "before" and "now" circles line up under the same numbers.
        return printed_scale(self._scale, (self._("Before this module"), self._("Now")))
