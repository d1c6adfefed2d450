"""The notebook-facing API: a module page rendered from curriculum/ by id.

A module notebook is thin::

    page = open_module("shared-experiences", cohort=cohort, language=language, ...)
    page.section("content-notes")
    page.activity("se-act-story-circle")
    page.exercise("se-family-recipe")

Each call displays its output. Facilitator-only material is displayed only for
audience="facilitator", and carries the output tag ``facilitator`` so an
export can remove it as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, display
from markupsafe import Markup

from toolkit import render
from toolkit.audience import ACTIVITY_VIEWS, AUDIENCES, FACILITATOR_TAG, SECTION_VIEWS, Audience, view_audience
from toolkit.code_gate import CodeGate, CodeLimits
from toolkit.cohorts import default_store_url
from toolkit.curriculum import programme as load_programme
from toolkit.errors import InvalidParameter
from toolkit.events import LatestResponses
from toolkit.events.model import Event, EventType, StoredEvent
from toolkit.exercises import ExerciseWidget, make_exercise
from toolkit.i18n import Translate, translator
from toolkit.identity import EXAMPLE_CODE
from toolkit.languages import LANGUAGES, get_language, text_direction
from toolkit.lifecycle.consent import SharedAnswer
from toolkit.my_answers import MyAnswers, page_cohort
from toolkit.notebook_contract import SECTIONS
from toolkit.participant_panel import ParticipantPanel, panel_intro
from toolkit.schema.module import PLANS, Activity, Module
from toolkit.schema.programme import Programme
from toolkit.schema.regions import Region
from toolkit.session import ParticipantSession


def page_metadata(language: str) -> dict[str, str]:
    """What the Voilà template reads from ``notebook.metadata["bridges"]`` to frame a module page.

    The template renders before any cell runs, so the page's language, direction and loading
    text must be in the notebook itself: `bridges serve` writes them there for the cohort.
    """
    _ = translator(language)
    return {
        "lang": LANGUAGES[language].code,
        "dir": text_direction(language),
        "loading": _("Opening the page. This takes a few seconds."),
        # The door: the participant panel's choice as plain HTML, usable at the first paint,
        # handed over to the panel's widgets once they exist (see the template).
        "door_heading": _("Your participant code"),
        "door_intro": panel_intro(_),
        "door_new": _("Get a new code"),
        "door_have": _("I have a code"),
        "door_continue": _("Continue with this code"),
        "door_example": EXAMPLE_CODE,
        "door_pending": _("One moment: the page is still opening. Your choice is carried out as soon as it is ready."),
    }


@dataclass(frozen=True)
class PageParameters:
    cohort: str = "demo"
    language: str = "en"
    audience: str = "participant"
    participant: str = ""
    store: str = ""
    region: str = "international"  # comma-separated: the cohort's region first, then any others
    second_language: str = ""  # bilingual page: every passage also in this language
    module_minutes: str = "90"  # the cohort's plan: 90, or 120 for interpreted sessions


def support_regions(value: str) -> list[Region]:
    """The regions in a comma-separated ``region`` parameter ("uk,india"), in order, without repeats."""
    names = [name.strip() for name in value.split(",")]
    known = {region.value: region for region in Region}
    if any(name not in known for name in names):
        expected = "one or more of " + ", ".join(known) + ", separated by commas"
        raise InvalidParameter("region", value, expected)
    return list(dict.fromkeys(known[name] for name in names))


class ModulePage:
    def __init__(self, slug: str, params: PageParameters) -> None:
        get_language(params.language)
        if params.audience not in AUDIENCES:
            raise InvalidParameter("audience", params.audience, " or ".join(AUDIENCES))
        self.regions = support_regions(params.region)
        if params.module_minutes not in {str(plan) for plan in PLANS}:
            raise InvalidParameter("module_minutes", params.module_minutes, " or ".join(map(str, PLANS)))
        self.plan = int(params.module_minutes)
        self.params = params
        self.programme = load_programme(params.language)
        self.module = self.programme.module(slug)
        self._ = translator(params.language)
        self.facilitator = params.audience == "facilitator"
        self.second: tuple[str, Programme, Module, Translate] | None = None
        if params.second_language and params.second_language != params.language:
            get_language(params.second_language)
            other = load_programme(params.second_language)
            self.second = (params.second_language, other, other.module(slug), translator(params.second_language))
        # Facilitators preview the exercises; only participants' pages record events.
        self.session = (
            None
            if self.facilitator
            else ParticipantSession(params.cohort, slug, params.store or default_store_url(params.cohort))
        )
        self.exercises: dict[str, ExerciseWidget] = {}
        self.latest: dict[str, EventType] = {}
        self.progress = widgets.HTML()
        self.progress.add_class("bridges-live")  # one live region for the page's life (see the template)
        self.panel: ParticipantPanel | None = None
        self.my_answers: MyAnswers | None = None
        self.code_limits = CodeLimits()
        self._completed = False
        if self.session is not None:
            self.session.subscribe(self._on_event)

    # -- display helpers ---------------------------------------------------------

    def _show(self, html: Markup) -> None:
        if html:
            display(HTML(str(html)))

    def _show_facilitator(self, html: Markup) -> None:
        if self.facilitator and html:
            display(HTML(str(html)), metadata={"tags": [FACILITATOR_TAG]})

    # -- the three calls notebooks make ------------------------------------------

    def section(self, name: str) -> None:
        """Display a named section (see toolkit.notebook_contract.SECTIONS)."""
        if name not in SECTIONS:
            raise InvalidParameter("section", name, ", ".join(SECTIONS))
        views: dict[str, Callable[[Module, Programme, Translate], Markup]] = {
            "overview": lambda m, p, _: render.overview(m, _, self.plan),
            "content-notes": lambda m, p, _: render.content_notes(m, _),
            "agreements": lambda m, p, _: render.agreements(m, p, _),
            "questions": lambda m, p, _: render.questions(m, _),
            "objectives": lambda m, p, _: render.objectives(m, _),
            "prerequisites": lambda m, p, _: render.prerequisites(m, p, _),
            "prerequisites-notes": lambda m, p, _: render.prerequisites_notes(m, _),
            "learner-profiles": lambda m, p, _: render.learner_profiles(m, _),
            "facilitator-preparation": lambda m, p, _: (
                render.facilitator_preparation(m, _) + render.running_order(m, p, self.plan, _)
            ),
            "debrief": lambda m, p, _: render.debrief(m, _, self.plan),
            "debrief-notes": lambda m, p, _: render.debrief_notes(m, _),
            "key-points": lambda m, p, _: render.key_points(m, _),
            "resources": lambda m, p, _: render.resources(m, p, self.regions, _),
        }
        if name == "participant-code":
            self._participant_code()
        elif name == "progress":
            self._progress()
        # toolkit.audience decides who sees each view: facilitator views are tagged, so the
        # workbook derived from the facilitator's run leaves them out.
        for view in SECTION_VIEWS.get(name, ()):
            if view_audience(view) is Audience.FACILITATORS:
                self._show_facilitator(self._both(views[view]))
            elif view == "content-notes" and not self.facilitator:
                self._show(self._folded_notes(self._both(views[view])))
            else:
                self._show(self._both(views[view]))

    def _both(self, view: Callable[[Module, Programme, Translate], Markup]) -> Markup:
        """The view in the page's language and, on a bilingual page, again in the second one."""
        first = view(self.module, self.programme, self._)
        if self.second is None or not first:
            return first
        code, other, module, translate = self.second
        return Markup('<div lang="{}">{}</div><div lang="{}" class="bridges-second-language">{}</div>').format(
            self.params.language, first, code, view(module, other, translate)
        )

    def _folded_notes(self, notes: Markup) -> Markup:
        """Content notes one tap away on a participant's screen, so the code choice is near the top."""
        if not notes:
            return notes
        return Markup('<details class="bridges-content-notes-toggle"><summary>{}</summary>{}</details>').format(
            self._("Content notes: what this module touches on"), notes
        )

    def activity(self, activity_id: str) -> None:
        """Display one activity: participant view, then (for facilitators) its notes."""
        item = next((a for a in self.module.activities if a.id == activity_id), None)
        if item is None:
            raise InvalidParameter("activity", activity_id, ", ".join(a.id for a in self.module.activities))
        views: dict[str, Callable[[Module, Programme, Translate], Markup]] = {
            "activity": lambda m, p, _: render.activity(m, _activity(m, activity_id), _, self.plan),
            "activity-notes": lambda m, p, _: render.activity_notes(_activity(m, activity_id), _),
        }
        for view in ACTIVITY_VIEWS:
            show = self._show_facilitator if view_audience(view) is Audience.FACILITATORS else self._show
            show(self._both(views[view]))

    def exercise(self, exercise_id: str) -> None:
        """Display one reflection exercise: a live form, and a worksheet in every export."""
        spec = next((e for e in self.module.exercises if e.id == exercise_id), None)
        if spec is None:
            raise InvalidParameter("exercise", exercise_id, ", ".join(e.id for e in self.module.exercises))
        if self.second is not None:
            code, _other, module, _translate = self.second
            prompt = next(e for e in module.exercises if e.id == exercise_id).prompt
            self._show(
                Markup('<p lang="{}" class="bridges-second-language bridges-prompt">{}</p>').format(code, prompt)
            )
        widget = make_exercise(spec, self.session, self._)
        self.exercises[exercise_id] = widget
        if self.session is not None and self.session.participant:
            self._restore(self._saved_responses(), [widget])
        display(widget)

    # -- participant code, resume and progress -----------------------------------

    def _participant_code(self) -> None:
        if self.session is None:
            return
        gate = CodeGate(self.session, self.code_limits)
        self.my_answers = self._my_answers(self.session)
        self.panel = ParticipantPanel(gate, self.choose_participant, self._, code=self.params.participant or None)
        display(self.panel)
        display(self.my_answers)

    def _my_answers(self, session: ParticipantSession) -> MyAnswers:
        """Delete, journal and sharing for whoever holds the code (toolkit.my_answers)."""
        params = self.params
        cohort = page_cohort(params.cohort, self.programme.overview.title, params.language, params.second_language)
        programmes = [self.programme, *([self.second[1]] if self.second else [])]
        return MyAnswers(session, cohort, programmes, self._, self.forget_participant, self._narrowed)

    def forget_participant(self, message: str) -> None:
        """After a delete: the page as the next person on a shared phone finds it, saying what happened."""
        assert self.session is not None
        for widget in self.exercises.values():
            widget.reset()
        self.session.participant = None
        self.latest = {}
        self._completed = False
        self._update_progress()
        if self.panel is not None:
            self.panel.forget(message)

    def _narrowed(self, answer: SharedAnswer) -> None:
        """A sharing narrowed from the list: the form on this page shows it too."""
        if answer.module == self.module.slug and answer.exercise in self.exercises:
            self._restore(self._saved_responses(), [self.exercises[answer.exercise]])

    def choose_participant(self, code: str, is_new: bool) -> None:
        """Start working as ``code``: clear the page, record the start and show that person's saved answers."""
        assert self.session is not None
        # A shared phone: whatever the last person typed, chose or saved must be
        # gone before the next person's answers (or none) are shown.
        for widget in self.exercises.values():
            widget.reset()
        self.session.participant = code
        self.latest = {}
        self._completed = False
        # One indexed query for this participant's events, never a replay of the whole cohort's
        # log, and only one: the restored answers and "My answers" both come from it.
        saved = [] if is_new else self._participant_events()
        if not is_new:
            self._restore(self._saved_responses(saved), self.exercises.values())
        self.session.record(EventType.MODULE_STARTED, None, {})
        self._update_progress()
        if self.my_answers is not None:
            self.my_answers.show_for_participant(saved)

    def _participant_events(self) -> list[StoredEvent]:
        assert self.session is not None
        return self.session.store.read_participant(self.session.cohort, self.session.participant or "")

    def _saved_responses(self, saved: list[StoredEvent] | None = None) -> LatestResponses:
        responses = LatestResponses()
        for stored in self._participant_events() if saved is None else saved:
            responses.apply(stored)
        return responses

    def _restore(self, responses: LatestResponses, widgets_: Iterable[ExerciseWidget]) -> None:
        assert self.session is not None
        for widget in widgets_:
            latest = responses.get(
                self.session.cohort, self.module.slug, widget.exercise.id, self.session.participant or ""
            )
            if latest is not None:
                widget.restore(latest.type, latest.payload)
                self.latest[widget.exercise.id] = latest.type

    def _progress(self) -> None:
        self._update_progress()
        display(self.progress)

    def _on_event(self, event: Event) -> None:
        if event.exercise and event.type in (EventType.ANSWERED, EventType.PASSED):
            self.latest[event.exercise] = event.type
            self._update_progress()

    def _update_progress(self) -> None:
        total = len(self.module.exercises)
        answered = sum(1 for t in self.latest.values() if t is EventType.ANSWERED)
        passed = sum(1 for t in self.latest.values() if t is EventType.PASSED)
        text = self._("Answered {answered} · Passed {passed} · of {total} reflections").format(
            answered=answered, passed=passed, total=total
        )
        self.progress.value = str(Markup('<p class="bridges-progress">{}</p>').format(text))
        if answered + passed == total and not self._completed and self.session is not None:
            self._completed = True
            self.session.record(EventType.MODULE_COMPLETED, None, {"answered": answered, "passed": passed})


def _activity(module: Module, activity_id: str) -> Activity:
    return next(a for a in module.activities if a.id == activity_id)


def open_module(slug: str, **parameters: Any) -> ModulePage:
    """Open module ``slug`` for the notebook's papermill parameters."""
    known = PageParameters.__dataclass_fields__
    for name, value in parameters.items():
        if name not in known:
            raise InvalidParameter(name, str(value), f"one of the parameters {', '.join(known)}")
    return ModulePage(slug, PageParameters(**{k: str(v) for k, v in parameters.items()}))
