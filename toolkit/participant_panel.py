"""Choosing a participant code: a new random one, shown once, or one typed to resume.

No name, e-mail or other identity field exists anywhere: the code is the only
link between a person and their answers, and only they hold it.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.code_gate import CodeGate, CodeRefused, Refusal
from toolkit.errors import BridgesError
from toolkit.i18n import Translate
from toolkit.identity import EXAMPLE_CODE

ANCHOR = "bridges-code"  # the panel's heading: where the code bar's link leads


def shortened(code: str) -> str:
    """The code's first two words and an ellipsis: "river-lotus-…"."""
    return "-".join(code.split("-")[:2]) + "-…"


def panel_intro(_: Translate) -> str:
    """What the code is for: said in the panel and on the page's first screen (toolkit.page.page_metadata)."""
    return _(
        "Your answers are kept under a random code instead of your name. "
        "Get a new code, or enter the one you were given before to see your saved answers."
    )


class ParticipantPanel(widgets.VBox):
    def __init__(
        self, gate: CodeGate, on_code: Callable[[str, bool], None], translate: Translate, code: str | None = None
    ) -> None:
        _ = self._ = translate
        self.gate = gate
        self.on_code = on_code
        self.new_button = widgets.Button(description=_("Get a new code"), button_style="info")
        self.code_input = widgets.Text(
            description=_("I have a code"),
            placeholder=EXAMPLE_CODE,  # fails its check letter: an example nobody can resume
            style={"description_width": "initial"},
        )
        self.continue_button = widgets.Button(description=_("Continue with this code"))
        # The page's first screen offers the same choice before the widgets exist (the template's
        # "door"); these classes are how it finds the controls to hand the choice over to.
        self.new_button.add_class("bridges-new-code")
        self.code_input.add_class("bridges-code-input")
        self.continue_button.add_class("bridges-continue-code")
        # One live region for the panel's life: its text changes, the element stays (see the template).
        self.message = widgets.HTML()
        self.message.add_class("bridges-live")
        # Fixed at the top of the screen (template CSS): the way to the code from the first screen,
        # then who is answering, with a way to switch.
        self.bar = widgets.HTML()
        self.bar.add_class("bridges-code-bar")
        self._show_bar(None)
        self.new_button.on_click(lambda _b: self.choose_new())
        self.continue_button.on_click(lambda _b: self.resume(str(self.code_input.value)))
        # No on_submit (deprecated in ipywidgets 8), and no observer on the value: that fires on
        # leaving the field too, and each half-typed code would count as a failed try.
        intro = panel_intro(_)
        super().__init__(
            [
                self.bar,
                widgets.HTML(
                    str(Markup('<h2 id="{}">{}</h2><p>{}</p>').format(ANCHOR, _("Your participant code"), intro))
                ),
                self.new_button,
                widgets.HBox([self.code_input, self.continue_button]),
                self.message,
            ]
        )
        self.add_class("bridges-participant-panel")
        if code:
            self.resume(code)

    def choose_new(self) -> str | None:
        """Give out a fresh code and start with it; None (and a message) if the limits refuse."""
        try:
            code = self.gate.issue()
        except BridgesError as problem:
            self._refused(problem)
            return None
        advice = self._(
            "Write this code down or keep it somewhere safe and private. It is the only way back to your "
            "answers: nobody can look it up for you. It is shown only now."
        )
        self.code_input.value = ""
        # The page is cleared of the last person's answers first, then the new code is shown.
        self.on_code(code, True)
        self.message.value = str(
            Markup('<p class="bridges-code"><strong>{}</strong></p><p>{}</p>').format(code, advice)
        )
        self._show_bar(code)
        return code

    def resume(self, text: str) -> bool:
        """Continue as the typed code if it was issued in this cohort; nothing is written otherwise."""
        try:
            code = self.gate.resume(text)
        except BridgesError as problem:
            self._refused(problem)
            return False
        self.code_input.value = ""
        welcome = self._("Welcome back. Your saved answers are shown below.")
        self.on_code(code, False)
        self.message.value = str(Markup("<p>{}</p>").format(welcome))
        self._show_bar(code)
        return True

    def forget(self, message: str) -> None:
        """No code is chosen any more (the answers were deleted): say what happened, offer the choice again."""
        self.code_input.value = ""
        self.message.value = str(Markup("<p>{}</p>").format(message))
        self._show_bar(None)

    def _refused(self, problem: BridgesError) -> None:
        _ = self._
        if not isinstance(problem, CodeRefused):  # the store could not be reached
            text = _("Could not reach the saved answers: {reason}. Try again in a moment.").format(reason=problem)
        elif problem.reason is Refusal.TYPO:
            text = _(
                "Check the code for a typo. A code has three words, five digits and a letter, like {example}."
            ).format(example=EXAMPLE_CODE)
        elif problem.reason is Refusal.UNKNOWN:
            text = _("We don't recognise this code. Check it for a typo, or get a new code.")
        elif problem.reason is Refusal.WAIT:
            text = _("Too many tries on this page. Wait {seconds} seconds, then try again.").format(
                seconds=ceil(problem.wait_seconds)
            )
        elif problem.reason is Refusal.SERVER_BUSY:
            text = _(
                "Too many unrecognised codes were tried in this session just now. "
                "Wait up to {minutes} minutes, then try again."
            ).format(minutes=ceil(problem.wait_seconds / 60))
        elif problem.reason is Refusal.PAGE_CODES:
            text = _("This page has already given out {count} codes. Reload the page if you need another.").format(
                count=self.gate.limits.page_new_codes
            )
        else:
            text = _(
                "Many new codes were given out in this session just now. Wait up to {minutes} minutes, then try again."
            ).format(minutes=ceil(problem.wait_seconds / 60))
        self.message.value = str(Markup('<p style="color:#8b0000">{}</p>').format(text))

    def _show_bar(self, code: str | None) -> None:
        _ = self._
        if code is None:
            self.bar.value = str(
                Markup('<p><a href="#{}">{}</a></p>').format(ANCHOR, _("Choose your participant code"))
            )
            return
        # Enough of the code to recognise it; the whole code is shown only once, when it is given out.
        who = _("Answering as {code}").format(code=shortened(code))
        self.bar.value = str(
            Markup('<p><span>{}</span> <a href="#{}">{}</a></p>').format(who, ANCHOR, _("Switch code"))
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle: dict[str, Any] = super()._repr_mimebundle_(**kwargs) or {}
        note = self._(
            "In the app your answers are kept under a random code, never your name. On paper, keep this sheet."
        )
        bundle["text/html"] = str(Markup('<p class="bridges-code-note">{}</p>').format(note))
        return bundle
