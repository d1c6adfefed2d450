"""The facilitator's live dashboard: agenda and timer, and the room's answers, safely.

Runs in JupyterLab or as a Voilà app behind the facilitator token. It
follows the event log from a cursor every half second (never re-reading
all events), shows only suppressed figures, and shows quotes only when the
writer allowed quoting and the facilitator pressed Reveal. Figures, words
and quotes change only when k participants have changed their responses
since the last view (toolkit.live.publishing), so nobody's answer can be
read off the difference between two views; a withdrawn quote goes at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import display

from toolkit.agenda import clock, cohort_agenda, current_session
from toolkit.cohorts import load_cohort, store_url
from toolkit.curriculum import programme as load_programme
from toolkit.events.store import EventStore, open_store
from toolkit.i18n import translator
from toolkit.languages import LANGUAGES
from toolkit.live.charts import bar_chart_svg, data_table
from toolkit.live.publishing import BatchedResponses
from toolkit.live.stats import ExerciseView, view_exercise
from toolkit.live.timer import SessionTimer
from toolkit.paths import find_home
from toolkit.schema.cohort import Cohort
from toolkit.schema.module import Module

POLL_SECONDS = 0.5


class Dashboard:
    def __init__(self, cohort: Cohort, store: EventStore, session_index: int | None = None) -> None:
        self.cohort = cohort
        self.store = store
        self._ = translator(cohort.language)
        self.programme = load_programme(cohort.language)
        agendas = cohort_agenda(self.programme, cohort)
        index = current_session(cohort, dt.date.today()) if session_index is None else session_index
        self.agenda = agendas[index]
        self.timer = SessionTimer(self.agenda.items)
        self.responses = BatchedResponses(cohort.k)
        self.revealed: set[str] = set()
        self._translations = self._option_translations()
        self.status = widgets.HTML()
        self.exercise_boxes: dict[str, widgets.HTML] = {}
        self.reveal_boxes: dict[str, widgets.VBox] = {}
        self._shown: dict[str, Any] = {}
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def for_cohort(cls, cohort_file: str | Path, session_index: int | None = None) -> Dashboard:
        english = load_programme()
        cohort = load_cohort(Path(cohort_file), english)
        return cls(cohort, open_store(store_url(cohort)), session_index)

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

    def widget(self) -> widgets.Widget:
        _ = self._
        start = widgets.Button(description=_("Start"), button_style="success")
        pause = widgets.Button(description=_("Pause"))
        forward = widgets.Button(description=_("Next activity"))
        start.on_click(lambda _button: self._timer_action(self.timer.start))
        pause.on_click(lambda _button: self._timer_action(self.timer.pause))
        forward.on_click(lambda _button: self._timer_action(self.timer.next_activity))
        timer_box = widgets.VBox([widgets.HBox([start, pause, forward]), self.status])
        sections: list[widgets.Widget] = [widgets.HTML(self._agenda_html()), timer_box]
        for module in self.agenda.modules:
            sections.append(widgets.HTML(f"<h2>{escape(module.title)}</h2>"))
            for exercise in module.exercises:
                box = widgets.HTML()
                reveal = widgets.VBox()
                self.exercise_boxes[exercise.id] = box
                self.reveal_boxes[exercise.id] = reveal
                sections.append(
                    widgets.VBox([box, reveal], layout=widgets.Layout(border="1px solid #ccc", padding="6px"))
                )
        self.refresh()
        return widgets.VBox(sections, layout=widgets.Layout(max_width="60rem"))

    def show(self, live: bool = True) -> None:
        """Display the dashboard; with ``live``, follow the event log until the kernel stops."""
        display(self.widget())
        if live:
            self._task = asyncio.get_event_loop().create_task(self._follow())

    def _agenda_html(self) -> str:
        _ = self._
        rows = "".join(
            f"<tr><td>{clock(item.starts)}–{clock(item.ends)}</td><td>{escape(item.activity.title)}</td>"
            f"<td>{item.activity.minutes}</td><td>{escape(_('optional')) if item.activity.optional else ''}</td></tr>"
            for item in self.agenda.items
        )
        caption = _("Agenda for {date}").format(date=self.agenda.session.date.isoformat())
        return (
            f"<h1>{escape(self.cohort.name)}</h1><table class='bridges-agenda'><caption>{escape(caption)}</caption>"
            f"<thead><tr><th>{escape(_('Time'))}</th><th>{escape(_('Activity'))}</th><th>{escape(_('Minutes'))}</th>"
            f"<th>{escape(_('Optional'))}</th></tr></thead><tbody>{rows}</tbody></table>"
        )

    # -- live updates --------------------------------------------------------------

    def _timer_action(self, action: Any) -> None:
        action(dt.datetime.now())
        self._update_status()

    def _update_status(self) -> None:
        _ = self._
        now = dt.datetime.now()
        elapsed = int(self.timer.elapsed(now).total_seconds() // 60)
        text = _("Now: {activity} · {elapsed} min elapsed").format(
            activity=self.timer.current.activity.title, elapsed=elapsed
        )
        late = int(self.timer.late_by(now).total_seconds() // 60)
        if late > 0:
            drops = ", ".join(a.title for a in self.timer.proposed_drops(now)) or _("no optional activity left")
            text += " · " + _("{late} min late; consider dropping: {drops}").format(late=late, drops=drops)
        self.status.value = f"<p role='status' aria-live='polite'>{escape(text)}</p>"

    async def _follow(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            self.refresh()
            if self.timer.started is not None:
                self._update_status()

    def refresh(self) -> bool:
        """Apply new events (from the cursor on) and redraw exercises whose published view changed."""
        if self.responses.catch_up(self.store) == 0 and self._shown:
            return False
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
        return True

    def _draw(self, module: Module, view: ExerciseView) -> None:
        _ = self._
        exercise = view.exercise
        counts = view.counts
        fewer, hidden = _("fewer than {k}"), _("hidden")
        parts = [
            f"<h3>{escape(exercise.prompt)}</h3>",
            "<p class='bridges-counts'>"
            + escape(
                _("Answered: {answered} · Passed: {passed}").format(
                    answered=counts.label("answered", fewer, hidden), passed=counts.label("passed", fewer, hidden)
                )
            )
            + "</p>",
        ]
        captions = {
            "responses": _("Responses"),
            "before": _("Before this module"),
            "now": _("Now"),
            "ranked first": _("Ranked first"),
        }
        for key, table in view.tables.items():
            caption = captions.get(key, key)
            title = f"{exercise.prompt} ({caption})"
            parts.append(
                "<div class='bridges-chart' style='display:flex;gap:1em;flex-wrap:wrap'>"
                f"{bar_chart_svg(table, title, _)}{data_table(table, caption, _)}</div>"
            )
        if view.words:
            # <bdi>: a right-to-left word cannot reorder its count or the list around it.
            items = "".join(f"<li><bdi>{escape(word)}</bdi> ({count})</li>" for word, count in view.words)
            parts.append(
                f"<h4>{escape(_('Words shared by at least {k} people').format(k=self.cohort.k))}</h4><ul>{items}</ul>"
            )
        self.exercise_boxes[exercise.id].value = "".join(parts)
        self._draw_quotes(view)

    def _draw_quotes(self, view: ExerciseView) -> None:
        _ = self._
        cards: list[widgets.Widget] = []
        for quote in view.quotes:
            if quote.event_id in self.revealed:
                # Escaped: a quote is data, whatever markup it contains.
                cards.append(
                    widgets.HTML(f"<blockquote class='bridges-quote'><bdi>{escape(quote.text)}</bdi></blockquote>")
                )
            else:
                button = widgets.Button(description=_("Reveal quote {number}").format(number=quote.number))
                button.on_click(lambda _button, event_id=quote.event_id: self.reveal(event_id))
                cards.append(button)
        self.reveal_boxes[view.exercise.id].children = cards

    def reveal(self, event_id: str) -> None:
        self.revealed.add(event_id)
        for view in self._shown.values():
            if any(q.event_id == event_id for q in view.quotes):
                self._draw_quotes(view)
