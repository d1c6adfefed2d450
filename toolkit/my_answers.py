"""The participant's own "My answers" area on a page: delete, take the journal home, change what is shared.

Shown once a code is chosen, under the participant-code panel. Everything is
done with the page's own store and the participant's own events
(``toolkit.lifecycle``): the journal is built in the kernel and handed to the
browser as a ``data:`` link, so no copy of it is ever stored on the server.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from toolkit.errors import BridgesError
from toolkit.events.bus import Recorder
from toolkit.events.model import Event, EventType, Sharing, StoredEvent
from toolkit.i18n import Translate
from toolkit.lifecycle.consent import SharedAnswer, shared_answers
from toolkit.lifecycle.erase import erase
from toolkit.lifecycle.evaluation import MODULE_PREFIX
from toolkit.lifecycle.journal import journal_html, journal_pdf
from toolkit.schema.cohort import Cohort
from toolkit.schema.programme import Programme
from toolkit.session import ParticipantSession

HIDDEN, SHOWN = "none", "flex"


def data_link(data: bytes, mime: str, filename: str, text: str) -> Markup:
    """A download link carrying ``data`` itself: the browser saves it, the server keeps nothing."""
    url = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return Markup('<a download="{}" href="{}" class="bridges-download">{}</a>').format(filename, url, text)


def page_cohort(slug: str, name: str, language: str, second_language: str) -> Cohort:
    """The cohort as a page knows it (slug and languages), enough for a journal.

    A page's parameters carry no cohort file; the journal orders modules by the programme
    when the cohort's sessions are unknown, so none are needed here.
    """
    return Cohort.model_construct(
        name=name, slug=slug, language=language, second_language=second_language or None, sessions=[]
    )


def sharing_label(choice: Sharing, _: Translate) -> str:
    """The same words for each sharing choice as the exercise forms use."""
    return {
        Sharing.PRIVATE: _("Only me (private)"),
        Sharing.AGGREGATE: _("Count it in the anonymous summary"),
        Sharing.QUOTE: _("It may be quoted anonymously"),
    }[choice]


def prompt_of(programme: Programme, answer: SharedAnswer) -> str:
    """The question an answer replies to: an exercise's prompt or an evaluation item's text."""
    if answer.module.startswith(MODULE_PREFIX):
        item = next((i for i in programme.evaluation if i.id == answer.exercise), None)
        return item.text if item else answer.exercise
    module = next((m for m in programme.modules if m.slug == answer.module), None)
    exercise = next((e for e in module.exercises if e.id == answer.exercise), None) if module else None
    return exercise.prompt if exercise else answer.exercise


def answer_text(value: Any) -> str:
    """A short plain rendering of an answer for the list: text, a list, or a before-and-now rating."""
    if isinstance(value, dict):
        return " · ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def narrow(session: ParticipantSession, answer: SharedAnswer, choice: Sharing) -> bool:
    """Record at once that ``answer`` is now shared only as ``choice``; False if that is not narrower.

    The event names the answer's own module, which may be another page's: the list covers
    the whole programme.
    """
    if choice not in answer.narrower or session.participant is None:
        return False
    event = Event(
        type=EventType.SHARING_CHANGED,
        cohort=session.cohort,
        module=answer.module,
        exercise=answer.exercise,
        participant=session.participant,
        payload={"sharing": choice.value},
    )
    return Recorder(session.store, session.bus).record(event)


class MyAnswers(widgets.VBox):
    """Delete, journal and sharing for the participant whose code the page holds."""

    def __init__(
        self,
        session: ParticipantSession,
        cohort: Cohort,
        programmes: Sequence[Programme],
        translate: Translate,
        on_deleted: Callable[[str], None],
        on_narrowed: Callable[[SharedAnswer], None] = lambda answer: None,
    ) -> None:
        _ = self._ = translate
        self.session, self.cohort, self.programmes = session, cohort, programmes
        self.on_deleted, self.on_narrowed = on_deleted, on_narrowed
        self.scope: str | None = None  # "module" or "programme" while a delete waits for its second yes
        self.delete_module_button = widgets.Button(description=_("Delete my answers to this page"))
        self.delete_all_button = widgets.Button(description=_("Delete all my answers in the programme"))
        self.confirm_question = widgets.HTML()
        self.confirm_button = widgets.Button(description=_("Yes, delete"), button_style="danger")
        self.cancel_button = widgets.Button(description=_("No, keep them"))
        self.confirm_box = widgets.VBox(
            [self.confirm_question, widgets.HBox([self.confirm_button, self.cancel_button])],
            layout=widgets.Layout(display=HIDDEN),
        )
        self.journal_button = widgets.Button(description=_("Take my journal home"), button_style="info")
        self.journal_links = widgets.HTML()
        self.shared_box = widgets.VBox()
        self.message = widgets.HTML()
        self.message.add_class("bridges-live")
        self.delete_module_button.on_click(lambda _b: self.ask_delete("module"))
        self.delete_all_button.on_click(lambda _b: self.ask_delete("programme"))
        self.confirm_button.on_click(lambda _b: self.confirm_delete())
        self.cancel_button.on_click(lambda _b: self.cancel_delete())
        self.journal_button.on_click(lambda _b: self.make_journal())
        heading = Markup('<h2 id="bridges-my-answers">{}</h2><p>{}</p>').format(
            _("My answers"), _("Your answers belong to you: take them home, change what you share, or delete them.")
        )
        super().__init__(
            [
                widgets.HTML(str(heading)),
                self.journal_button,
                self.journal_links,
                widgets.HTML(str(Markup("<h3>{}</h3>").format(_("What I have shared")))),
                self.shared_box,
                widgets.HTML(str(Markup("<h3>{}</h3>").format(_("Delete my answers")))),
                widgets.HBox([self.delete_module_button, self.delete_all_button]),
                self.confirm_box,
                self.message,
            ],
            layout=widgets.Layout(display=HIDDEN),
        )
        self.add_class("bridges-my-answers")
        # An answer saved or shared on this page joins the list at once.
        session.subscribe(self._on_event)

    def _on_event(self, event: Event) -> None:
        if event.type in (EventType.ANSWERED, EventType.PASSED, EventType.SHARING_CHANGED) and self.session.participant:
            self.refresh_shared()

    # -- showing --------------------------------------------------------------------

    def show_for_participant(self, saved: Sequence[StoredEvent] | None = None) -> None:
        """Open the area for the page's current code, with nothing left from the last person.

        ``saved`` is that person's events when the page has just read them (no second query).
        """
        self.layout.display = SHOWN if self.session.participant else HIDDEN
        self.journal_links.value = ""
        self.message.value = ""
        self.cancel_delete()
        self.refresh_shared(saved)

    def hide(self) -> None:
        self.layout.display = HIDDEN
        self.journal_links.value = ""
        self.shared_box.children = ()
        self.cancel_delete()

    def _events(self) -> list[Any]:
        return self.session.store.read_participant(self.session.cohort, self.session.participant or "")

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#8b0000" if error else "#0b5d1e"
        self.message.value = str(Markup('<p style="color:{}">{}</p>').format(colour, text))

    # -- what I have shared -----------------------------------------------------------

    def refresh_shared(self, saved: Sequence[StoredEvent] | None = None) -> None:
        """List every answer shared now, each with a button per narrower choice."""
        _ = self._
        if not self.session.participant:
            self.shared_box.children = ()
            return
        answers = shared_answers(self._events() if saved is None else list(saved), self.session.cohort)
        if not answers:
            note = _("Nothing: all your saved answers are private, or you have none yet.")
            self.shared_box.children = (widgets.HTML(str(Markup("<p>{}</p>").format(note))),)
            return
        rows: list[widgets.Widget] = []
        for answer in answers:
            text = Markup("<p><strong>{}</strong><br>{}<br><em>{}</em></p>").format(
                prompt_of(self.programmes[0], answer), answer_text(answer.value), sharing_label(answer.sharing, _)
            )
            buttons = []
            for choice in answer.narrower:
                button = widgets.Button(
                    description=_("Change to: {choice}").format(choice=sharing_label(choice, _)),
                    layout=widgets.Layout(width="auto"),
                )
                button.on_click(lambda _b, answer=answer, choice=choice: self.narrow(answer, choice))
                buttons.append(button)
            rows.append(widgets.VBox([widgets.HTML(str(text)), widgets.HBox(buttons)]))
        self.shared_box.children = tuple(rows)

    def narrow(self, answer: SharedAnswer, choice: Sharing) -> bool:
        """Narrow one answer's sharing at once (withdrawing needs no second yes), and say so."""
        try:
            changed = narrow(self.session, answer, choice)
        except BridgesError as problem:
            self._say(self._("Could not save: {reason}. Try again.").format(reason=problem), error=True)
            return False
        if changed:
            self._say(self._("Sharing updated: {choice}.").format(choice=sharing_label(choice, self._)))
            self.on_narrowed(answer)
        self.refresh_shared()
        return changed

    # -- take my journal home ---------------------------------------------------------

    def make_journal(self) -> bool:
        """Build the journal from this person's events and offer it as PDF and HTML links."""
        _ = self._
        # Making the PDF takes a few seconds on a busy laptop: say so at once.
        self.journal_links.value = str(Markup("<p>{}</p>").format(_("Making your journal…")))
        events = self._events()
        if not events:
            self.journal_links.value = ""
            self._say(_("There are no answers saved under this code."), error=True)
            return False
        html = journal_html(events, self.cohort, self.programmes)
        try:
            pdf = journal_pdf(html)
        except BridgesError as problem:
            self._say(_("Could not make the PDF: {reason}. The web page copy still works.").format(reason=problem))
            pdf = b""
        links = [data_link(html.encode("utf-8"), "text/html", "journal.html", _("My journal as a web page (HTML)"))]
        if pdf:
            links.insert(0, data_link(pdf, "application/pdf", "journal.pdf", _("My journal as a PDF")))
        note = _("The journal is made only for you, now: it is not kept on the server. Save it somewhere private.")
        self.journal_links.value = str(
            Markup("<p>{}</p><ul>{}</ul>").format(note, Markup("").join(Markup("<li>{}</li>").format(a) for a in links))
        )
        return True

    # -- delete my answers ------------------------------------------------------------

    def ask_delete(self, scope: str) -> None:
        """Show the plain second question before anything is deleted."""
        _ = self._
        self.scope = scope
        question = (
            _("Delete every answer you gave on this page? This cannot be undone.")
            if scope == "module"
            else _(
                "Delete every answer you gave in the whole programme? This cannot be undone, "
                "and your code will stop working."
            )
        )
        self.confirm_question.value = str(Markup('<p role="alert">{}</p>').format(question))
        self.confirm_box.layout.display = SHOWN

    def cancel_delete(self) -> None:
        self.scope = None
        self.confirm_question.value = ""
        self.confirm_box.layout.display = HIDDEN

    def confirm_delete(self) -> int | None:
        """The second yes: erase, then hand the page back as a shared phone's next person finds it."""
        _ = self._
        scope, code = self.scope, self.session.participant
        if scope is None or code is None:
            return None
        self.cancel_delete()
        try:
            count = erase(
                self.session.store, self.session.cohort, code, self.session.module if scope == "module" else None
            )
        except BridgesError as problem:
            self._say(_("Could not delete: {reason}. Try again in a moment.").format(reason=problem), error=True)
            return None
        if scope == "module":
            done = _(
                "Your answers on this page are deleted ({count} saved records). "
                "Your answers on other pages are kept: enter your code again to see them."
            ).format(count=count)
        else:
            done = _(
                "All your answers are deleted ({count} saved records) and your code no longer works. "
                "Copies you took home and backups the organisation keeps are out of reach of this button."
            ).format(count=count)
        self.hide()
        self.on_deleted(done)
        return count
