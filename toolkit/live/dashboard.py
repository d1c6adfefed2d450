"""The facilitator's live dashboard: agenda and timer, and the room's answers, safely.

Runs in JupyterLab or as a Voilà app behind the facilitator token. It
follows the event log from a cursor (never re-reading all events), woken by
the store when it can notify (PostgreSQL) and every half second otherwise,
shows only suppressed figures, and shows quotes only when the writer
allowed quoting and the facilitator pressed Reveal (and until they press
Hide). Figures, words and quotes change only when k participants have
changed their responses since the last view (toolkit.live.publishing), so
nobody's answer can be read off the difference between two views; a
withdrawn quote goes at once.

The facilitator picks the session to show (today's by default). Every
exercise of the cohort is batched all the time, whichever session is on
screen, so switching only redraws from views already published: it never
reads new events and never publishes anything.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets
from IPython.display import display
from markupsafe import Markup

from toolkit.agenda import SessionAgenda, clock, cohort_agenda, current_session
from toolkit.cohorts import load_cohort, store_url
from toolkit.curriculum import programme as load_programme
from toolkit.events.store import EventStore, notifies, open_store, wait_for_append
from toolkit.exercises import KINDS
from toolkit.i18n import Translate, translator
from toolkit.languages import LANGUAGES
from toolkit.live.charts import chart_html, data_table
from toolkit.live.publishing import BatchedResponses
from toolkit.live.stats import ExerciseView, view_exercise
from toolkit.live.timer import SessionTimer
from toolkit.paths import find_home
from toolkit.schema.cohort import Cohort
from toolkit.schema.module import Module

POLL_SECONDS = 0.5

# Controls drawn with their own colours, whatever the theme: text on them at least 4.5:1 (WCAG 2.2 AA).
PRIMARY = widgets.ButtonStyle(button_color="#1d4e89", text_color="#ffffff")  # 8.6:1
SECONDARY = widgets.ButtonStyle(button_color="#e8eaed", text_color="#1a1a1a")  # 14.5:1
TARGET = "44px"  # the least height of anything to press
# What Layout and Style cannot say (the Voilà template is shared with the participant app): labels wrap
# instead of ending in "…", and keyboard focus shows as a ring (ipywidgets removes the select's outline).
STYLE = Markup("""<style>
.bridges-dashboard .jupyter-button { white-space: normal; line-height: 1.3; }
.bridges-dashboard .jupyter-button:focus-visible,
.bridges-dashboard select:focus-visible { outline: 3px solid #1d4e89 !important; outline-offset: 2px; }
</style>""")


def button(description: str, primary: bool = False) -> widgets.Button:
    """A dashboard button: accessible colours, a 44 px target, and room for a long label."""
    return widgets.Button(
        description=description,
        style=PRIMARY if primary else SECONDARY,
        layout=widgets.Layout(min_height=TARGET, height="auto", width="auto", margin="2px 6px 2px 0"),
    )


def minutes_text(span: dt.timedelta, _: Translate) -> str:
    """Whole minutes, rounded up while time is left ("1 min left" until the last second), and over after."""
    seconds = span.total_seconds()
    if seconds >= 0:
        return _("{minutes} min left").format(minutes=math.ceil(seconds / 60))
    return _("{minutes} min over").format(minutes=math.ceil(-seconds / 60))


class Dashboard:
    def __init__(self, cohort: Cohort, store: EventStore, session_index: int | None = None) -> None:
        self.cohort = cohort
        self.store = store
        self._ = translator(cohort.language)
        self.programme = load_programme(cohort.language)
        self.agendas = cohort_agenda(self.programme, cohort)
        # One timer per session: looking at another session does not stop or reset the one running.
        self.timers = [SessionTimer(agenda.items) for agenda in self.agendas]
        index = current_session(cohort, dt.date.today()) if session_index is None else session_index
        self.session_index = index
        self.responses = BatchedResponses(cohort.k)
        self.revealed: set[str] = set()
        self._translations = self._option_translations()
        self.picker = self._session_picker(index)
        self.agenda_html = widgets.HTML()
        self.status = widgets.HTML()
        # The template makes this element a polite live region once, for the page's life; only its text changes.
        self.status.add_class("bridges-live")
        self.modules_box = widgets.VBox()
        self.exercise_boxes: dict[str, widgets.HTML] = {}
        self.reveal_boxes: dict[str, widgets.VBox] = {}
        self._shown: dict[str, ExerciseView] = {}
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def for_cohort(cls, cohort_file: str | Path, session_index: int | None = None) -> Dashboard:
        english = load_programme()
        cohort = load_cohort(Path(cohort_file), english)
        return cls(cohort, open_store(store_url(cohort)), session_index)

    @property
    def agenda(self) -> SessionAgenda:
        return self.agendas[self.session_index]

    @property
    def timer(self) -> SessionTimer:
        return self.timers[self.session_index]

    def _option_translations(self) -> dict[tuple[str, str], dict[str, list[str]]]:
        """Each exercise's options in every language, to count answers given on pages in any language."""
        found: dict[tuple[str, str], dict[str, list[str]]] = {}
        translated_dir = find_home().curriculum / "translations"
        # Languages without curriculum translations show the English options: nothing to add.
        for code in [c for c in LANGUAGES if (translated_dir / c).is_dir()]:
            try:
                translated = load_programme(code)
            except Exception:  # a broken translation must not stop the room's dashboard
                continue
            for module in translated.modules:
                for exercise in module.exercises:
                    found.setdefault((module.slug, exercise.id), {})[code] = list(exercise.options)
        return found

    # -- layout ------------------------------------------------------------------

    def _session_picker(self, index: int) -> widgets.Dropdown:
        _ = self._
        choices = []
        for number, agenda in enumerate(self.agendas, start=1):
            modules = ", ".join(f"{module.number}. {module.title}" for module in agenda.modules)
            label = _("Session {number} · {date} · {modules}").format(
                number=number, date=agenda.session.date.isoformat(), modules=modules
            )
            choices.append((label, number - 1))
        picker = widgets.Dropdown(
            options=choices,
            value=index,
            description=_("Session shown"),
            style={"description_width": "initial"},
            # A fixed height: the <select> inside inherits it.
            layout=widgets.Layout(min_height=TARGET, height=TARGET, width="auto", max_width="100%"),
        )
        picker.observe(lambda change: self.show_session(change["new"]), names="value")
        return picker

    def widget(self) -> widgets.Widget:
        _ = self._
        start = button(_("Start"), primary=True)
        pause = button(_("Pause"))
        forward = button(_("Next activity"))
        start.on_click(lambda _button: self._timer_action(self.timer.start))
        pause.on_click(lambda _button: self._timer_action(self.timer.pause))
        forward.on_click(lambda _button: self._timer_action(self.timer.next_activity))
        timer_box = widgets.VBox([widgets.HBox([start, pause, forward]), self.status])
        heading = widgets.HTML(str(Markup("{}<h1>{}</h1>").format(STYLE, self.cohort.name)))
        self._layout_session()
        self.refresh()
        root = widgets.VBox(
            [heading, self.picker, self.agenda_html, timer_box, self.modules_box],
            layout=widgets.Layout(max_width="60rem"),
        )
        root.add_class("bridges-dashboard")
        return root

    def _layout_session(self) -> None:
        """The agenda and one empty card per exercise of the session shown."""
        self.agenda_html.value = self._agenda_html()
        self.exercise_boxes, self.reveal_boxes, self._shown = {}, {}, {}
        sections: list[widgets.Widget] = []
        for module in self.agenda.modules:
            sections.append(widgets.HTML(str(Markup("<h2>{}. {}</h2>").format(module.number, module.title))))
            for exercise in module.exercises:
                box = widgets.HTML()
                reveal = widgets.VBox()
                self.exercise_boxes[exercise.id] = box
                self.reveal_boxes[exercise.id] = reveal
                sections.append(
                    widgets.VBox([box, reveal], layout=widgets.Layout(border="1px solid #ccc", padding="6px"))
                )
        self.modules_box.children = sections
        self.update_status()

    def show(self, live: bool = True) -> None:
        """Display the dashboard; with ``live``, follow the event log until the kernel stops."""
        display(self.widget())
        if live:
            self._task = asyncio.get_event_loop().create_task(self.follow())

    def show_session(self, index: int) -> None:
        """Show another session: its agenda, timer and exercises, redrawn from the views already published."""
        if index == self.session_index:
            return
        self.session_index = index
        self.picker.value = index
        # Revealed quotes go back behind their Reveal buttons: nothing stays shown off screen.
        self.revealed.clear()
        self._layout_session()
        self._draw_changed()

    def _agenda_html(self) -> str:
        _ = self._
        rows = Markup("").join(
            Markup("<tr><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td></tr>").format(
                clock(item.starts), clock(item.ends), item.title, item.minutes, _("optional") if item.optional else ""
            )
            for item in self.agenda.items
        )
        caption = _("Agenda for {date}").format(date=self.agenda.session.date.isoformat())
        return str(
            Markup(
                "<table class='bridges-agenda'><caption>{}</caption>"
                "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
            ).format(caption, _("Time"), _("Activity"), _("Minutes"), _("Optional"), rows)
        )

    # -- live updates --------------------------------------------------------------

    def _timer_action(self, action: Callable[[dt.datetime], None]) -> None:
        action(dt.datetime.now())
        self.update_status()

    def update_status(self, now: dt.datetime | None = None) -> None:
        """The timer's line. Whole minutes on purpose: the live region then speaks once a minute, not twice a second."""
        _ = self._
        now = now or dt.datetime.now()
        timer = self.timer
        activity = timer.current.title
        activity_left = minutes_text(timer.activity_left(now), _)
        session_left = minutes_text(timer.session_left(now), _)
        if timer.started is None:
            text = _("Not started. First: {activity} ({activity_left}); the session: {session_left}").format(
                activity=activity, activity_left=activity_left, session_left=session_left
            )
        else:
            text = _("Now: {activity} · this activity: {activity_left} · the session: {session_left}").format(
                activity=activity, activity_left=activity_left, session_left=session_left
            )
            if not timer.running:
                text = _("Paused") + " · " + text
            late = int(timer.late_by(now).total_seconds() // 60)
            if late > 0:
                drops = ", ".join(a.title for a in timer.proposed_drops(now)) or _("no optional activity left")
                text += " · " + _("{late} min late; consider dropping: {drops}").format(late=late, drops=drops)
        self.status.value = str(Markup("<p class='bridges-timer'>{}</p>").format(text))

    async def follow(self) -> None:
        """Apply new events as they come and keep the timer's line current, until cancelled."""
        while True:
            await self._next_append()
            self.refresh()
            self.update_status()  # an unchanged line sends nothing to the browser

    async def _next_append(self) -> None:
        """Until the store says an event was appended, or at most POLL_SECONDS (the timer's line is redrawn anyway)."""
        if notifies(self.store):
            # It blocks (PostgreSQL's LISTEN on a connection of its own): in a thread, so that
            # the kernel's IO loop keeps serving the widgets meanwhile.
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, wait_for_append, self.store, POLL_SECONDS)
        else:
            await asyncio.sleep(POLL_SECONDS)

    def refresh(self) -> bool:
        """Apply new events (from the cursor on) and redraw exercises whose published view changed."""
        if self.responses.catch_up(self.store) == 0 and self._shown:
            return False
        self._draw_changed()
        return True

    def _draw_changed(self) -> None:
        """Redraw the shown exercises whose published view differs from the one on screen (reads no events)."""
        for module in self.agenda.modules:
            for exercise in module.exercises:
                key = (self.cohort.slug, module.slug, exercise.id)
                published = self.responses.published(*key).values()
                view = view_exercise(
                    exercise, published, self.cohort.k, self._translations.get((module.slug, exercise.id))
                )
                before = self._shown.get(exercise.id)
                if before != view:
                    if before is not None:
                        # A quote that went must be revealed again should it ever come back.
                        self.revealed -= {q.event_id for q in before.quotes} - {q.event_id for q in view.quotes}
                    self._shown[exercise.id] = view
                    self._draw(module, view)

    def _draw(self, module: Module, view: ExerciseView) -> None:
        _ = self._
        exercise = view.exercise
        counts = view.counts
        fewer, hidden = _("fewer than {k}"), _("hidden")
        parts = [
            Markup("<h3>{}</h3><p class='bridges-counts'>{}</p>").format(
                exercise.prompt,
                _("Answered: {answered} · Passed: {passed}").format(
                    answered=counts.label("answered", fewer, hidden), passed=counts.label("passed", fewer, hidden)
                ),
            )
        ]
        captions = KINDS[exercise.kind].captions(_)
        for key, table in view.tables.items():
            caption = captions[key]
            title = f"{exercise.prompt} ({caption})"
            parts.append(
                Markup("<div class='bridges-chart' style='display:flex;gap:1em;flex-wrap:wrap'>{}{}</div>").format(
                    chart_html(table, title, _), data_table(table, caption, _)
                )
            )
        if view.words:
            # <bdi>: a right-to-left word cannot reorder its count or the list around it.
            items = Markup("").join(
                Markup("<li><bdi>{}</bdi> ({})</li>").format(word, count) for word, count in view.words
            )
            parts.append(
                Markup("<h4>{}</h4><ul>{}</ul>").format(
                    _("Words shared by at least {k} people").format(k=self.cohort.k), items
                )
            )
        self.exercise_boxes[exercise.id].value = str(Markup("").join(parts))
        self._draw_quotes(view)

    def _draw_quotes(self, view: ExerciseView) -> None:
        _ = self._
        cards: list[widgets.Widget] = []
        for quote in view.quotes:
            if quote.event_id in self.revealed:
                # Escaped: a quote is data, whatever markup it contains.
                text = widgets.HTML(
                    str(Markup("<blockquote class='bridges-quote'><bdi>{}</bdi></blockquote>").format(quote.text))
                )
                hide = button(_("Hide quote {number}").format(number=quote.number))
                hide.on_click(lambda _button, event_id=quote.event_id: self.hide(event_id))
                cards.append(widgets.VBox([text, hide]))
            else:
                reveal = button(_("Reveal quote {number}").format(number=quote.number))
                reveal.on_click(lambda _button, event_id=quote.event_id: self.reveal(event_id))
                cards.append(reveal)
        self.reveal_boxes[view.exercise.id].children = cards

    def reveal(self, event_id: str) -> None:
        self.revealed.add(event_id)
        self._redraw_quote(event_id)

    def hide(self, event_id: str) -> None:
        """Put a revealed quote back behind its Reveal button."""
        self.revealed.discard(event_id)
        self._redraw_quote(event_id)

    def _redraw_quote(self, event_id: str) -> None:
        for view in self._shown.values():
            if any(q.event_id == event_id for q in view.quotes):
                self._draw_quotes(view)
