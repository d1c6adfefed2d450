"""Free-text reflection: a few lines or a page, in any script."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from toolkit.errors import InvalidAnswer
from toolkit.exercises.base import ExerciseWidget, ruled_lines
from toolkit.schema.module import ExerciseKind

# Long enough for a page of reflection; a hard stop protects the store and the
# dashboard from pasted novels. Counted in code points, as Python does.
MAX_CHARACTERS = 20_000
PRINTED_LINES = 8


class FreeTextExercise(ExerciseWidget):
    kind = ExerciseKind.FREE_TEXT
    quotable = True

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

    def clear_answer(self) -> None:
        self.text.value = ""

    def writing_space(self) -> str:
        return ruled_lines(PRINTED_LINES)
