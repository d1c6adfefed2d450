"""Word contribution: one word or a short phrase, for a word cloud."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.errors import InvalidAnswer
from toolkit.events.projections import Response
from toolkit.exercises.base import ExerciseWidget
from toolkit.schema.module import Exercise, ExerciseKind
from toolkit.tally import Tally, strip_bidi

MAX_WORDS = 3
MAX_CHARACTERS = 40


class WordContributionExercise(ExerciseWidget):
    kind = ExerciseKind.WORD_CONTRIBUTION
    word: widgets.Text

    def build_controls(self) -> list[widgets.Widget]:
        self.word = widgets.Text(
            description=self._("Your word or phrase"),
            placeholder=self._("one word, any language"),
            style={"description_width": "initial"},
        )
        # Enter saves, as in any one-line form. The front end sends "submit" on Enter; handled here
        # directly because Text.on_submit is deprecated in ipywidgets 8 (and observing the value would
        # also fire on leaving the field).
        self.word.on_msg(self._on_word_message)
        return [self.word]

    def _on_word_message(self, _widget: widgets.Widget, content: dict[str, Any], _buffers: list[bytes]) -> None:
        if content.get("event") == "submit":
            self.save()

    def answer(self) -> Any:
        text = str(self.word.value).strip()
        if not text:
            raise InvalidAnswer(self._("Write a word, or press Pass."))
        if len(text) > MAX_CHARACTERS or len(text.split()) > MAX_WORDS:
            raise InvalidAnswer(
                self._("Keep it to {words} words or {chars} characters; your text is still in the box.").format(
                    words=MAX_WORDS, chars=MAX_CHARACTERS
                )
            )
        return text

    def show_answer(self, value: Any) -> None:
        self.word.value = str(value)

    def clear_answer(self) -> None:
        self.word.value = ""

    @classmethod
    def tabulate(cls, exercise: Exercise, shared: Sequence[Response], translations: Mapping[str, list[str]]) -> Tally:
        # Counted case-blind and without invisible marks: "Rice" and "rice" are one word.
        said = (strip_bidi(str(r.value)).strip().casefold() for r in shared)
        return Tally(words=Counter(word for word in said if word))

    def writing_space(self) -> Markup:
        # On paper there is no word cloud on a screen: say what happens to a written word instead.
        paper = self._(
            "On paper, the word cloud is made from the slips in the box: the facilitator reads the "
            "words out or writes them up together, without names."
        )
        return Markup(
            '<div class="bridges-word-box" style="border:1.5px solid #333;border-radius:4px;'
            'width:60%;height:2.4em;margin:0.5em 0"></div>'
            '<p class="bridges-paper-note" style="font-size:0.9em;color:#333">{}</p>'
        ).format(paper)
