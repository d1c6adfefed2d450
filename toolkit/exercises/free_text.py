"""Free-text reflection: a few lines or a page, in any script."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.errors import InvalidAnswer
from toolkit.events.model import Sharing
from toolkit.events.projections import Response
from toolkit.exercises.base import ExerciseWidget, ruled_lines
from toolkit.schema.module import Exercise, ExerciseKind
from toolkit.tally import Quote, Tally, strip_bidi

# Long enough for a page of reflection; a hard stop protects the store and the
# dashboard from pasted novels. Counted in code points, as Python does.
MAX_CHARACTERS = 20_000
PRINTED_LINES = 8


class FreeTextExercise(ExerciseWidget):
    kind = ExerciseKind.FREE_TEXT
    quotable = True
    text: widgets.Textarea

    def build_controls(self) -> list[widgets.Widget]:
        self.text = widgets.Textarea(
            description=self._("Your answer"),
            placeholder=self._("Write as much or as little as you like."),
            rows=6,
            layout=widgets.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        return [self.text]

    def answer(self) -> Any:
        # Stored exactly as typed: no trimming or normalising, so nothing of the
        # person's words (or their script's combining marks) is altered.
        text = str(self.text.value)
        if not text.strip():
            raise InvalidAnswer(self._("The answer is empty. Write something, or press Pass."))
        if len(text) > MAX_CHARACTERS:
            raise InvalidAnswer(
                self._(
                    "Your answer has {count} characters; the limit is {limit}. Nothing was saved and "
                    "your text is still in the box: shorten it, then save again."
                ).format(count=f"{len(text):,}", limit=f"{MAX_CHARACTERS:,}")
            )
        return text

    def show_answer(self, value: Any) -> None:
        self.text.value = str(value)

    @classmethod
    def tabulate(cls, exercise: Exercise, shared: Sequence[Response], translations: Mapping[str, list[str]]) -> Tally:
        # Only quotes, numbered in a fixed order that says nothing of who wrote first.
        consented = sorted((r for r in shared if r.sharing is Sharing.QUOTE), key=lambda r: str(r.event_id))
        return Tally(quotes=[Quote(n, strip_bidi(str(r.value)), str(r.event_id)) for n, r in enumerate(consented, 1)])

    def clear_answer(self) -> None:
        self.text.value = ""

    def writing_space(self) -> Markup:
        return ruled_lines(PRINTED_LINES)
