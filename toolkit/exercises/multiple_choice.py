"""Multiple choice: any number of options, each its own labelled checkbox."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from toolkit.errors import InvalidAnswer
from toolkit.exercises.base import ExerciseWidget, tick_box
from toolkit.schema.module import ExerciseKind


class MultipleChoiceExercise(ExerciseWidget):
    kind = ExerciseKind.MULTIPLE_CHOICE

    def build_controls(self) -> list[widgets.Widget]:
        # One checkbox per option (not a multi-select list): each is reachable by
        # Tab, toggled by Space, and read out with its own label.
        self.boxes = [
            widgets.Checkbox(value=False, description=option, indent=False, layout=widgets.Layout(width="auto"))
            for option in self.exercise.options
        ]
        choose = escape(self._("Choose all that apply"))
        hint = widgets.HTML(f'<em class="bridges-choose-hint" id="{self.exercise.id}-hint">{choose}</em>')
        # Grouped, so the template can name the group after the prompt for screen readers.
        group = widgets.VBox([hint, *self.boxes])
        group.add_class("bridges-checkbox-group")
        return [group]

    def answer(self) -> Any:
        chosen = [box.description for box in self.boxes if box.value]
        if not chosen:
            raise InvalidAnswer(self._("Choose at least one option, or press Pass."))
        return chosen

    def show_answer(self, value: Any) -> None:
        for box in self.boxes:
            box.value = box.description in value

    def clear_answer(self) -> None:
        for box in self.boxes:
            box.value = False

    def writing_space(self) -> str:
        items = "".join(tick_box(option) for option in self.exercise.options)
        return (
            f'<p style="font-size:0.9em">{escape(self._("Tick all that apply."))}</p><ul style="padding:0">{items}</ul>'
        )
