"""Ranking: put options in order by keyboard and buttons; no dragging needed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.errors import InvalidAnswer
from toolkit.events.projections import Response
from toolkit.exercises.base import ExerciseWidget
from toolkit.i18n import Translate
from toolkit.schema.module import Exercise, ExerciseKind
from toolkit.tally import Tally, one_each


class RankingExercise(ExerciseWidget):
    kind = ExerciseKind.RANKING
    order: list[str]
    touched: bool
    items: widgets.RadioButtons
    up_button: widgets.Button
    down_button: widgets.Button
    keep_button: widgets.Button

    def build_controls(self) -> list[widgets.Widget]:
        # A radio group of the items plus Move up / Move down: arrow keys pick an item, Tab reaches the
        # buttons, and each item's label (its place and text) wraps on a narrow screen, which a
        # <select> list box cannot do.
        self.order = list(self.exercise.options)
        self.touched = False  # an untouched list is not an answer yet
        self.items = widgets.RadioButtons(
            options=self._numbered(),
            value=None,
            description=self._("Your order (first is most)"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.up_button = widgets.Button(description=self._("Move up"))
        self.down_button = widgets.Button(description=self._("Move down"))
        self.keep_button = widgets.Button(description=self._("This order is right"))
        self.up_button.on_click(lambda _b: self.move(-1))
        self.down_button.on_click(lambda _b: self.move(+1))
        self.keep_button.on_click(lambda _b: self._keep())
        return [self.items, widgets.HBox([self.up_button, self.down_button, self.keep_button])]

    def _numbered(self) -> list[tuple[str, str]]:
        return [(f"{position}. {item}", item) for position, item in enumerate(self.order, 1)]

    def _keep(self) -> None:
        self.touched = True

    def move(self, step: int) -> None:
        """Move the selected item one place up (-1) or down (+1)."""
        item = self.items.value
        if item is None:
            self._say(self._("Select an item in the list first."), error=True)
            return
        index = self.order.index(item)
        target = index + step
        if 0 <= target < len(self.order):
            self.order[index], self.order[target] = self.order[target], self.order[index]
            self.touched = True
            self.items.options = self._numbered()
            self.items.value = item  # keep the moved item selected for the next key press

    def answer(self) -> Any:
        if not self.touched:
            raise InvalidAnswer(self._("Reorder the list, or press 'This order is right', or press Pass."))
        return list(self.order)

    def show_answer(self, value: Any) -> None:
        if sorted(value) == sorted(self.exercise.options):
            self.order = list(value)
            self.touched = True
            self.items.options = self._numbered()

    def clear_answer(self) -> None:
        self.order = list(self.exercise.options)
        self.touched = False
        self.items.options = self._numbered()
        self.items.value = None

    @classmethod
    def tabulate(cls, exercise: Exercise, shared: Sequence[Response], translations: Mapping[str, list[str]]) -> Tally:
        firsts = (r.value[0] for r in shared if isinstance(r.value, list) and r.value)
        return Tally({"ranked first": one_each(exercise, firsts, translations)})

    @classmethod
    def captions(cls, _: Translate) -> dict[str, str]:
        return {"ranked first": _("Ranked first")}

    def writing_space(self) -> Markup:
        # One line per item, each with its own box for the rank: a comma-joined list
        # cannot be ranked on paper without copying every item out again.
        box = Markup(
            '<span class="bridges-rank-box" style="display:inline-block;width:2em;height:1.6em;'
            'border:1.5px solid #333;border-radius:3px;margin-right:0.8em;vertical-align:middle"></span>'
        )
        items = Markup("").join(
            Markup('<li style="margin:0.5em 0;break-inside:avoid">{}{}</li>').format(box, option)
            for option in self.exercise.options
        )
        how = self._("Write a number in each box to put these in your order: 1 for the first.")
        return Markup('<p style="font-size:0.9em">{}</p><ol class="bridges-slots">{}</ol>').format(how, items)
