"""Single choice: one option from a list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.errors import InvalidAnswer
from toolkit.events.projections import Response
from toolkit.exercises.base import ExerciseWidget, tick_box
from toolkit.schema.module import Exercise, ExerciseKind
from toolkit.tally import Tally, one_each


class SingleChoiceExercise(ExerciseWidget):
    kind = ExerciseKind.SINGLE_CHOICE
    choice: widgets.RadioButtons

    def build_controls(self) -> list[widgets.Widget]:
        self.choice = widgets.RadioButtons(
            options=list(self.exercise.options),
            value=None,
            description=self._("Choose one"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        return [self.choice]

    def answer(self) -> Any:
        if self.choice.value is None:
            raise InvalidAnswer(self._("Choose one option, or press Pass."))
        return str(self.choice.value)

    def show_answer(self, value: Any) -> None:
        if value in self.exercise.options:
            self.choice.value = value

    def clear_answer(self) -> None:
        self.choice.value = None

    @classmethod
    def tabulate(cls, exercise: Exercise, shared: Sequence[Response], translations: Mapping[str, list[str]]) -> Tally:
        return Tally({"responses": one_each(exercise, (r.value for r in shared), translations)})

    def writing_space(self) -> Markup:
        items = Markup("").join(tick_box(option, round_box=True) for option in self.exercise.options)
        return Markup('<p style="font-size:0.9em">{}</p><ul style="padding:0">{}</ul>').format(
            self._("Tick one."), items
        )
