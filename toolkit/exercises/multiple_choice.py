"""Multiple choice: any number of options, each its own labelled checkbox."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.errors import InvalidAnswer
from toolkit.events.projections import Response
from toolkit.exercises.base import ExerciseWidget, tick_box
from toolkit.schema.module import Exercise, ExerciseKind
from toolkit.tally import Table, Tally, option_index


class MultipleChoiceExercise(ExerciseWidget):
    kind = ExerciseKind.MULTIPLE_CHOICE
    boxes: list[widgets.Checkbox]

    def build_controls(self) -> list[widgets.Widget]:
        # One checkbox per option (not a multi-select list): each is reachable by
        # Tab, toggled by Space, and read out with its own label.
        self.boxes = [
            widgets.Checkbox(value=False, description=option, indent=False, layout=widgets.Layout(width="auto"))
            for option in self.exercise.options
        ]
        hint = widgets.HTML(
            str(
                Markup('<em class="bridges-choose-hint" id="{}-hint">{}</em>').format(
                    self.exercise.id, self._("Choose all that apply")
                )
            )
        )
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

    @classmethod
    def tabulate(cls, exercise: Exercise, shared: Sequence[Response], translations: Mapping[str, list[str]]) -> Tally:
        ticks: Counter[int] = Counter()
        for response in shared:
            for value in response.value if isinstance(response.value, list) else []:
                index = option_index(exercise, value, translations)
                if index is not None:
                    ticks[index] += 1
        cells = {option: ticks[index] for index, option in enumerate(exercise.options)}
        return Tally({"responses": Table(cells, one_per_response=False)})  # one person ticks several boxes

    def writing_space(self) -> Markup:
        items = Markup("").join(tick_box(option) for option in self.exercise.options)
        return Markup('<p style="font-size:0.9em">{}</p><ul style="padding:0">{}</ul>').format(
            self._("Tick all that apply."), items
        )
