"""Scale with labelled anchors: one point from min to max."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.errors import InvalidAnswer
from toolkit.events.projections import Response
from toolkit.exercises.base import ExerciseWidget, circle
from toolkit.schema.module import Exercise, ExerciseKind, ScaleAnchors
from toolkit.tally import Tally, one_each


def scale_options(scale: ScaleAnchors) -> list[tuple[str, int]]:
    """Every point labelled by its number; the ends also by their anchor words."""
    labels = {scale.min: f"{scale.min} – {scale.min_label}", scale.max: f"{scale.max} – {scale.max_label}"}
    return [(labels.get(point, str(point)), point) for point in range(scale.min, scale.max + 1)]


def scale_radio(scale: ScaleAnchors, description: str) -> widgets.RadioButtons:
    # Radio buttons: arrow keys move between points, and a screen reader reads each label.
    return widgets.RadioButtons(
        options=scale_options(scale),
        value=None,
        description=description,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto"),
    )


def checked_point(radio: widgets.RadioButtons, message: str) -> int:
    if radio.value is None:
        raise InvalidAnswer(message)
    return int(radio.value)


def printed_scale(scale: ScaleAnchors, rows: Sequence[str] = ("",)) -> Markup:
    """The paper scale: a table, so every row's circles sit under the same numbers.

    The anchors are named once above the table ("1 = Not at all · 5 = Completely"),
    never squeezed between circles, and each row (e.g. "Before this module", "Now")
    has its own label cell, so no label runs into an anchor word.
    """
    points = range(scale.min, scale.max + 1)
    anchors = f"{scale.min} = {scale.min_label} · {scale.max} = {scale.max_label}"
    labelled = any(rows)
    cell = "padding:0.3em 0.2em;text-align:center;vertical-align:middle"
    circles = Markup("").join(Markup('<td style="{}">{}</td>').format(cell, circle(str(point))) for point in points)
    head = Markup('<th scope="row" style="text-align:left;padding:0.3em 0.8em 0.3em 0;font-weight:normal">{}</th>')
    body = Markup("").join(
        Markup("<tr>{}{}</tr>").format(head.format(row) if labelled else "", circles) for row in rows
    )
    return Markup(
        '<div class="bridges-scale" style="margin:0.6em 0;break-inside:avoid">'
        '<p class="bridges-anchors" style="font-size:0.9em;margin:0 0 0.3em">{}</p>'
        '<table class="bridges-scale-table" style="border-collapse:collapse">{}</table></div>'
    ).format(anchors, body)


class ScaleExercise(ExerciseWidget):
    kind = ExerciseKind.SCALE
    choice: widgets.RadioButtons

    @property
    def _scale(self) -> ScaleAnchors:
        assert self.exercise.scale is not None  # the schema requires it for this kind
        return self.exercise.scale

    def build_controls(self) -> list[widgets.Widget]:
        self.choice = scale_radio(self._scale, self._("Your rating"))
        return [self.choice]

    def answer(self) -> Any:
        return checked_point(self.choice, self._("Choose a point on the scale, or press Pass."))

    def show_answer(self, value: Any) -> None:
        self.choice.value = int(value)

    @classmethod
    def tabulate(cls, exercise: Exercise, shared: Sequence[Response], translations: Mapping[str, list[str]]) -> Tally:
        return Tally({"responses": one_each(exercise, (r.value for r in shared), translations)})

    def clear_answer(self) -> None:
        self.choice.value = None

    def writing_space(self) -> Markup:
        return printed_scale(self._scale)
