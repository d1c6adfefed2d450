"""Choosing a participant code: a new random one, shown once, or one typed to resume.

No name, e-mail or other identity field exists anywhere: the code is the only
link between a person and their answers, and only they hold it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from toolkit.i18n import Translate
from toolkit.identity import is_valid_code, new_code, normalise_code


class ParticipantPanel(widgets.VBox):
    def __init__(self, on_code: Callable[[str, bool], None], translate: Translate, code: str | None = None) -> None:
        _ = self._ = translate
        self.on_code = on_code
        self.new_button = widgets.Button(description=_("Get a new code"), button_style="info")
        self.code_input = widgets.Text(
            description=_("I have a code"),
            placeholder="river-lotus-4821",
            style={"description_width": "initial"},
        )
        self.continue_button = widgets.Button(description=_("Continue with this code"))
        self.message = widgets.HTML()
        self.new_button.on_click(lambda _b: self.choose_new())
        self.continue_button.on_click(lambda _b: self.resume(str(self.code_input.value)))
        self.code_input.on_submit(lambda _t: self.resume(str(self.code_input.value)))
        intro = _(
            "Your answers are kept under a random code instead of your name. "
            "Get a new code, or enter the one you were given before to see your saved answers."
        )
        super().__init__(
            [
                widgets.HTML(f"<h2>{escape(_('Your participant code'))}</h2><p>{escape(intro)}</p>"),
                self.new_button,
                widgets.HBox([self.code_input, self.continue_button]),
                self.message,
            ]
        )
        self.add_class("bridges-participant-panel")
        if code:
            self.resume(code)

    def choose_new(self) -> str:
        code = new_code()
        advice = self._(
            "Write this code down or keep it somewhere safe and private. It is the only way back to your "
            "answers: nobody can look it up for you. It is shown only now."
        )
        self.message.value = (
            f'<div role="status" aria-live="polite"><p style="font-size:1.6em;font-family:monospace">'
            f"<strong>{escape(code)}</strong></p><p>{escape(advice)}</p></div>"
        )
        self.on_code(code, True)
        return code

    def resume(self, text: str) -> bool:
        code = normalise_code(text)
        if not is_valid_code(code):
            hint = self._("That does not look like a code. It has two words and some digits, like river-lotus-4821.")
            self.message.value = f'<div role="status" aria-live="polite" style="color:#8b0000">{escape(hint)}</div>'
            return False
        self.code_input.value = ""
        welcome = self._("Welcome back. Your saved answers are shown below.")
        self.message.value = f'<div role="status" aria-live="polite">{escape(welcome)}</div>'
        self.on_code(code, False)
        return True

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle: dict[str, Any] = super()._repr_mimebundle_(**kwargs) or {}
        note = self._(
            "In the app your answers are kept under a random code, never your name. On paper, keep this sheet."
        )
        bundle["text/html"] = f'<p class="bridges-code-note">{escape(note)}</p>'
        return bundle
