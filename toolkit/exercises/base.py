"""What every exercise kind shares: prompt, sharing choice, Save and Pass, status,
resume, and the printable static view.

One exercise, two faces: in a live kernel it is an ipywidgets form; in any
export it is a worksheet (prompt plus writing space) returned as ``text/html``
from ``_repr_mimebundle_``, so handouts never show an empty widget area and
need no saved widget state.
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.errors import BridgesError, InvalidAnswer
from toolkit.events.model import EventType, Sharing
from toolkit.events.projections import Response
from toolkit.i18n import Translate
from toolkit.schema.module import Exercise, ExerciseKind
from toolkit.tally import Tally


class ResponseSession(Protocol):
    """Where an exercise sends its events: the page's participant and event log."""

    @property
    def participant(self) -> str | None: ...

    def record(self, type: EventType, exercise: str, payload: dict[str, Any]) -> bool: ...


# How a worksheet looks on paper and screen; inline so a fragment prints correctly
# wherever it lands, with no stylesheet or network request.
WORKSHEET_STYLE = (
    "border:1px solid #555;border-radius:6px;padding:0.8em 1em;margin:1em 0;"
    "break-inside:avoid;page-break-inside:avoid;color:#111;background:#fff"
)


# Each choice allows more than the one before it: a move right widens consent.
_BREADTH = {Sharing.PRIVATE.value: 0, Sharing.AGGREGATE.value: 1, Sharing.QUOTE.value: 2}


# Every kind, filled in as each class is created (ExerciseWidget.__init_subclass__).
KINDS: dict[ExerciseKind, type[ExerciseWidget]] = {}

# What a kind must define. Checked at class creation: the metaclass is traitlets' MetaHasTraits,
# not ABCMeta, so @abstractmethod alone would let a kind without them be created and fail late.
REQUIRED = ("build_controls", "answer", "show_answer", "clear_answer", "writing_space", "tabulate")


class ExerciseWidget(widgets.VBox):
    """Base of the seven kinds; subclasses build the controls and the writing space.

    A subclass that sets ``kind`` registers itself in ``KINDS``; it must define every
    method in ``REQUIRED`` (TypeError at class creation otherwise), and only one class
    may show a kind. A subclass without its own ``kind`` (a helper base, or a variant of
    a kind) is not registered.
    """

    kind: ClassVar[ExerciseKind]
    quotable: ClassVar[bool] = False  # only words a person wrote can be quoted

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" not in cls.__dict__:
            return
        missing = [name for name in REQUIRED if getattr(getattr(cls, name), "__isabstractmethod__", False)]
        if missing:
            raise TypeError(f"exercise kind {cls.__name__} does not define {', '.join(missing)}")
        taken = KINDS.get(cls.kind)
        if taken is not None:
            raise TypeError(f"{cls.__name__} and {taken.__name__} both show {cls.kind.value} exercises")
        KINDS[cls.kind] = cls

    def __init__(self, exercise: Exercise, session: ResponseSession | None, translate: Translate) -> None:
        if exercise.kind is not self.kind:
            raise ValueError(f"{type(self).__name__} shows {self.kind.value} exercises, not {exercise.kind.value}")
        self.exercise = exercise
        self.session = session
        self._ = translate
        _ = translate
        self.prompt = widgets.HTML(str(self._prompt_html(heading=True)))
        self.sharing = widgets.RadioButtons(
            options=self._sharing_options(),
            value=Sharing.PRIVATE.value,
            description=_("Who may see this answer?"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.save_button = widgets.Button(description=_("Save answer"), button_style="primary")
        self.pass_button = widgets.Button(
            description=_("Pass"), tooltip=_("Skip this question. Nothing you typed is stored.")
        )
        # One live region for the exercise's life: its text changes, the element stays (see the template).
        self.status = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
        self.status.add_class("bridges-live")
        self.saved = False  # whether an answer of this participant is in the log
        self.recorded_sharing = Sharing.PRIVATE.value  # the saved answer's sharing, as the log holds it
        # Widening the sharing of a saved answer waits here for a second yes.
        self.confirm_question = widgets.HTML()
        self.confirm_button = widgets.Button(description=_("Yes, share it this way"), button_style="warning")
        self.cancel_button = widgets.Button(description=_("Cancel"))
        self.confirm_box = widgets.VBox(
            [self.confirm_question, widgets.HBox([self.confirm_button, self.cancel_button])],
            layout=widgets.Layout(display="none"),
        )
        self.save_button.on_click(lambda _button: self.save())
        self.pass_button.on_click(lambda _button: self.pass_())
        self.confirm_button.on_click(lambda _button: self.confirm_sharing())
        self.cancel_button.on_click(lambda _button: self.cancel_sharing())
        self.sharing.observe(self._sharing_changed, names="value")
        super().__init__(
            [
                self.prompt,
                *self.build_controls(),
                self.sharing,
                self.confirm_box,
                widgets.HBox([self.save_button, self.pass_button]),
                self.status,
            ],
            layout=widgets.Layout(border="1px solid #888", padding="0.5em 1em", margin="1em 0"),
        )
        self.add_class("bridges-exercise")

    # -- what each kind provides -------------------------------------------------

    @abstractmethod
    def build_controls(self) -> list[widgets.Widget]:
        """The labelled, keyboard-operable controls for this kind."""

    @abstractmethod
    def answer(self) -> Any:
        """The current answer as JSON-ready data, or InvalidAnswer saying what to change."""

    @abstractmethod
    def show_answer(self, value: Any) -> None:
        """Put a saved answer back into the controls (resuming with a code)."""

    @abstractmethod
    def clear_answer(self) -> None:
        """Put the controls back as they are on a fresh page, with nothing chosen or typed."""

    @abstractmethod
    def writing_space(self) -> Markup:
        """HTML for the paper version: lines, boxes, circles or slots."""

    @classmethod
    @abstractmethod
    def tabulate(cls, exercise: Exercise, shared: Sequence[Response], translations: Mapping[str, list[str]]) -> Tally:
        """What the dashboard counts of the answers whose owners chose to share them (unsuppressed).

        ``translations`` maps a language to the exercise's options in it: a stored value is in the
        language of the participant's page.
        """

    @classmethod
    def captions(cls, _: Translate) -> dict[str, str]:
        """The caption of each table ``tabulate`` returns, in the dashboard's language."""
        return {"responses": _("Responses")}

    # -- shared behaviour --------------------------------------------------------

    def save(self) -> bool:
        """Append an ``answered`` event; a later save supersedes this one."""
        _ = self._
        try:
            value = self.answer()
        except InvalidAnswer as problem:
            self._say(problem.message, error=True)
            return False
        # Saving is itself a choice of sharing, made with the choice in view: it
        # settles any widening still waiting for a second yes.
        payload = {"kind": self.kind.value, "value": value, "sharing": self.sharing.value}
        if not self._record(EventType.ANSWERED, payload):
            return False
        self.saved = True
        self.recorded_sharing = str(self.sharing.value)
        self._hide_confirmation()
        self._say(_("Saved at {time}. You can change it and save again; the newest answer counts.").format(time=_now()))
        return True

    def pass_(self) -> bool:
        """Append a ``passed`` event; a pass stores no content, not even a draft."""
        _ = self._
        if not self._record(EventType.PASSED, {}):
            return False
        self.saved = False
        self._hide_confirmation()
        self._say(_("Passed. Nothing from this question was stored. You can still answer later."))
        return True

    def reset(self) -> None:
        """Back to a fresh page: no answer, private, not saved, nothing waiting, no message.

        Called before another participant code is used on the same page (a shared phone).
        """
        self.saved = False  # first: the sharing observer then records nothing
        self.recorded_sharing = Sharing.PRIVATE.value
        self.sharing.value = Sharing.PRIVATE.value
        self._hide_confirmation()
        self.clear_answer()
        self.status.value = ""

    def restore(self, event_type: EventType, payload: dict[str, Any]) -> None:
        """Show what the log holds for this participant: their answer, or that they passed."""
        _ = self._
        if event_type is EventType.PASSED:
            self._say(_("You passed this question earlier."))
            return
        self.show_answer(payload["value"])
        # Recorded first, so the observer sees no change of consent to ask about.
        self.recorded_sharing = payload.get("sharing", Sharing.PRIVATE.value)
        self.sharing.value = self.recorded_sharing
        self.saved = True
        self._say(_("Your saved answer is shown."))

    def _sharing_changed(self, change: dict[str, Any]) -> None:
        new = str(change["new"])
        if not self.saved or new == self.recorded_sharing:
            self._hide_confirmation()  # applies at the next save, or nothing changed
            return
        if _BREADTH[new] > _BREADTH[self.recorded_sharing]:
            # Widening consent for an answer already in the log is asked again:
            # a stray click, or someone else holding the phone, must not publish it.
            question = self._("Allow this saved answer to be used this way: {choice}?").format(
                choice=self._sharing_label(new)
            )
            self.confirm_question.value = str(Markup('<p role="alert">{}</p>').format(question))
            self.confirm_box.layout.display = "flex"
            return
        # Withdrawing consent must be as easy as giving it: recorded at once.
        self._change_sharing(new)

    def confirm_sharing(self) -> bool:
        """The second yes for a widening: record the shown sharing for the saved answer."""
        if not self.saved or self.confirm_box.layout.display == "none":
            return False
        return self._change_sharing(str(self.sharing.value))

    def cancel_sharing(self) -> None:
        """Keep the saved answer's sharing as it was, and show it so."""
        self._hide_confirmation()
        self.sharing.value = self.recorded_sharing  # equal to the recorded choice: nothing is recorded

    def _change_sharing(self, choice: str) -> bool:
        self._hide_confirmation()
        if not self._record(EventType.SHARING_CHANGED, {"sharing": choice}):
            return False
        self.recorded_sharing = choice
        self._say(self._("Sharing updated: {choice}.").format(choice=self._sharing_label(choice)))
        return True

    def _hide_confirmation(self) -> None:
        self.confirm_box.layout.display = "none"
        self.confirm_question.value = ""

    def _record(self, event_type: EventType, payload: dict[str, Any]) -> bool:
        _ = self._
        if self.session is None:
            self._say(_("This is a printed or preview copy: answers are not saved here."), error=True)
            return False
        if self.session.participant is None:
            self._say(_("Choose or enter your participant code at the top of the page first."), error=True)
            return False
        try:
            self.session.record(event_type, self.exercise.id, payload)
        except BridgesError as problem:
            self._say(
                _("Could not save: {reason}. Your answer is still here; try again.").format(reason=problem), error=True
            )
            return False
        return True

    def _say(self, message: str, error: bool = False) -> None:
        colour = "#8b0000" if error else "#0b5d1e"
        self.status.value = str(Markup('<p style="color:{};margin:0">{}</p>').format(colour, message))

    def _sharing_options(self) -> list[tuple[str, str]]:
        choices = [Sharing.PRIVATE, Sharing.AGGREGATE, *([Sharing.QUOTE] if self.quotable else [])]
        return [(self._sharing_label(choice.value), choice.value) for choice in choices]

    def _sharing_label(self, choice: str) -> str:
        _ = self._
        return {
            Sharing.PRIVATE.value: _("Only me (private)"),
            Sharing.AGGREGATE.value: _("Count it in the anonymous summary"),
            Sharing.QUOTE.value: _("It may be quoted anonymously"),
        }[choice]

    def _prompt_html(self, heading: bool = False) -> Markup:
        """The prompt; on screen a heading (under the activity's h2), so it can be found and named."""
        ex = self.exercise
        help_text = Markup('<p class="bridges-help">{}</p>').format(ex.help) if ex.help else Markup("")
        if heading:
            return Markup('<h3 class="bridges-prompt" id="{}-prompt">{}</h3>{}').format(ex.id, ex.prompt, help_text)
        return Markup('<p class="bridges-prompt" id="{}-prompt"><strong>{}</strong></p>{}').format(
            ex.id, ex.prompt, help_text
        )

    # -- the printable face ------------------------------------------------------

    def static_html(self) -> Markup:
        """Prompt plus writing space: what every export and printout shows."""
        _ = self._
        return Markup(
            '<section class="bridges-worksheet bridges-kind-{kind}" aria-labelledby="{id}-prompt" style="{style}">'
            "{prompt}{space}{sharing}"
            '<p class="bridges-pass-note" style="font-size:0.9em;color:#333">{note}</p></section>'
        ).format(
            kind=self.kind.value,
            id=self.exercise.id,
            style=WORKSHEET_STYLE,
            prompt=self._prompt_html(),
            space=self.writing_space(),
            sharing=self._printed_sharing(),
            note=_("You may pass: leaving this blank is always fine."),
        )

    def _printed_sharing(self) -> Markup:
        """The sharing choices as tick boxes, and how a paper answer can be shared without a name."""
        _ = self._
        boxes = Markup("").join(tick_box(label, round_box=True) for label, _value in self._sharing_options())
        collected = _(
            "On paper: write no name. Nobody collects your workbook. To share an answer, copy it onto "
            "a blank slip and put it in the box at the end of the session; the slips are read together, "
            "so no answer can be traced to you."
        )
        return Markup(
            '<div class="bridges-sharing" style="font-size:0.9em;margin-top:0.6em">'
            '<p style="margin:0">{}</p><ul style="padding:0;margin:0.2em 0">{}</ul>'
            '<p class="bridges-paper-note" style="color:#333;margin:0">{}</p></div>'
        ).format(_("Who may see this answer?"), boxes, collected)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle: dict[str, Any] = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = str(self.static_html())
        return bundle


def _now() -> str:
    return dt.datetime.now().strftime("%H:%M")


def ruled_lines(count: int) -> Markup:
    line = Markup('<div class="bridges-line" style="border-bottom:1px solid #777;height:2.2em"></div>')
    return Markup('<div class="bridges-lines" aria-hidden="true">{}</div>').format(line * count)


def circle(label: str) -> Markup:
    return Markup(
        '<span class="bridges-circle" style="display:inline-block;width:1.6em;height:1.6em;border:1.5px solid #333;'
        'border-radius:50%;text-align:center;line-height:1.6em;margin:0 0.4em">{}</span>'
    ).format(label)


def tick_box(label: str, round_box: bool = False) -> Markup:
    return Markup(
        '<li style="list-style:none;margin:0.4em 0"><span style="display:inline-block;width:1em;height:1em;'
        'border:1.5px solid #333;border-radius:{};margin-right:0.6em;vertical-align:middle"></span>{}</li>'
    ).format("50%" if round_box else "3px", label)
