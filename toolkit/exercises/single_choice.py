"""Single choice: one option from a list."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from toolkit.errors import InvalidAnswer
from toolkit.exercises.base import ExerciseWidget, tick_box
from toolkit.schema.module import ExerciseKind


class SingleChoiceExercise(ExerciseWidget):
    kind = ExerciseKind.SINGLE_CHOICE

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

    def writing_space(self) -> str:
        items = "".join(tick_box(option, round_box=True) for option in self.exercise.options)
        return f'<p style="font-size:0.9em">{escape(self._("Tick one."))}</p><ul style="padding:0">{items}</ul>'
