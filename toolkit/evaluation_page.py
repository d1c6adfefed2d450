"""The evaluation pages: the programme-wide items asked "before we start", "at the end" and at the follow-up.

Served by `bridges serve` from toolkit/notebooks/evaluation.ipynb, one copy per
phase (toolkit.live.site). Which page asks which item, and how each answer is
recorded, is toolkit.lifecycle.evaluation's contract: an ``answered`` event
with ``module`` the phase's (``evaluation-before``...), ``exercise`` the
item's id and ``{"kind": "evaluation", "value": V, "sharing": S}``, or a
``passed`` event with an empty payload. Every item can be passed.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, display
from markupsafe import Markup

from toolkit import render
from toolkit.code_gate import CodeGate
from toolkit.cohorts import default_store_url
from toolkit.curriculum import programme as load_programme
from toolkit.errors import BridgesError, InvalidParameter
from toolkit.events import LatestResponses
from toolkit.events.model import EventType, Sharing
from toolkit.i18n import Translate, translator
from toolkit.languages import get_language
from toolkit.lifecycle.evaluation import PAYLOAD_KIND, Phase, items_for, scale_point
from toolkit.my_answers import MyAnswers, page_cohort, sharing_label
from toolkit.page import support_regions
from toolkit.participant_panel import ParticipantPanel
from toolkit.region_labels import region_label
from toolkit.schema.programme import EvaluationDesign, EvaluationItem, Programme
from toolkit.schema.regions import Region
from toolkit.session import ParticipantSession

PARAMETERS = ("phase", "cohort", "language", "store", "second_language", "participant", "region")


def phase_title(phase: Phase, _: Translate) -> str:
    return {
        Phase.BEFORE: _("Before we start"),
        Phase.AFTER: _("At the end"),
        Phase.FOLLOW_UP: _("Follow-up"),
    }[phase]


class EvaluationItemForm(widgets.VBox):
    """One item: a point on its scale (for a retrospective item, before the programme and now), or a pass."""

    def __init__(
        self, item: EvaluationItem, second_text: str, second_language: str, session: ParticipantSession, _: Translate
    ) -> None:
        self.item, self.session, self._ = item, session, _
        self.retrospective = item.design is EvaluationDesign.RETROSPECTIVE
        points = [(str(point), point) for point in range(1, item.scale_points + 1)]
        self.before = widgets.ToggleButtons(options=points, value=None, description=_("Before the programme"))
        self.now = widgets.ToggleButtons(options=points, value=None, description=_("Now") if self.retrospective else "")
        for scale in (self.before, self.now):
            scale.style.description_width = "initial"
            scale.style.button_width = "2.75em"
        # Ratings are never words anybody wrote, so they are counted, never quoted.
        self.sharing = widgets.RadioButtons(
            options=[(sharing_label(choice, _), choice.value) for choice in (Sharing.AGGREGATE, Sharing.PRIVATE)],
            value=Sharing.AGGREGATE.value,
            description=_("Who may see this answer?"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.save_button = widgets.Button(description=_("Save answer"), button_style="primary")
        self.pass_button = widgets.Button(description=_("Pass"), tooltip=_("Skip this question. Nothing is stored."))
        self.message = widgets.HTML()
        self.message.add_class("bridges-live")
        self.save_button.on_click(lambda _b: self.save())
        self.pass_button.on_click(lambda _b: self.pass_())
        second = (
            Markup('<br><span lang="{}" class="bridges-second-language">{}</span>').format(second_language, second_text)
            if second_text and second_text != item.text
            else ""
        )
        scale = _("1 = {low}; {points} = {high}").format(
            low=item.scale_min_label, points=item.scale_points, high=item.scale_max_label
        )
        # The id names the item's scales and its sharing choice for a screen reader (the page template's script).
        prompt = Markup('<p class="bridges-prompt" id="{}-prompt"><strong>{}</strong>{}</p><p>{}</p>').format(
            item.id, item.text, second, scale
        )
        scales = [self.before, self.now] if self.retrospective else [self.now]
        super().__init__(
            [
                widgets.HTML(str(prompt)),
                *scales,
                self.sharing,
                widgets.HBox([self.save_button, self.pass_button]),
                self.message,
            ]
        )
        self.add_class("bridges-evaluation-item")

    def value(self) -> Any:
        """The chosen point, or for a retrospective item {"before": int, "now": int}; None if incomplete."""
        if self.retrospective:
            if self.before.value is None or self.now.value is None:
                return None
            return {"before": int(self.before.value), "now": int(self.now.value)}
        return None if self.now.value is None else int(self.now.value)

    def save(self) -> bool:
        value = self.value()
        if value is None:
            text = (
                self._("Choose a point on both scales, or pass.")
                if self.retrospective
                else self._("Choose a point on the scale, or pass.")
            )
            self._say(text, error=True)
            return False
        payload = {"kind": PAYLOAD_KIND, "value": value, "sharing": str(self.sharing.value)}
        if self._record(EventType.ANSWERED, payload):
            self._say(self._("Saved."))
            return True
        return False

    def pass_(self) -> bool:
        if self._record(EventType.PASSED, {}):
            self.before.value = self.now.value = None
            self._say(self._("Passed. Nothing is stored for this question."))
            return True
        return False

    def reset(self) -> None:
        self.before.value = self.now.value = None
        self.sharing.value = Sharing.AGGREGATE.value
        self.message.value = ""

    def restore(self, passed: bool, payload: dict[str, Any]) -> None:
        self.reset()
        if passed:
            self._say(self._("You passed this question."))
            return
        value = payload.get("value")
        if self.retrospective and isinstance(value, dict):
            self.before.value = scale_point(value.get("before"), self.item)
            self.now.value = scale_point(value.get("now"), self.item)
        else:
            self.now.value = scale_point(value, self.item)
        if payload.get("sharing") in (Sharing.AGGREGATE.value, Sharing.PRIVATE.value):
            self.sharing.value = payload["sharing"]
        self._say(self._("Your saved answer is shown."))

    def _record(self, event_type: EventType, payload: dict[str, Any]) -> bool:
        if self.session.participant is None:
            self._say(self._("Choose or enter your participant code at the top of the page first."), error=True)
            return False
        try:
            self.session.record(event_type, self.item.id, payload)
        except BridgesError as problem:
            self._say(self._("Could not save: {reason}. Try again.").format(reason=problem), error=True)
            return False
        return True

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#8b0000" if error else "#0b5d1e"
        self.message.value = str(Markup('<p style="color:{}">{}</p>').format(colour, text))


class EvaluationPage:
    def __init__(
        self,
        phase: Phase,
        cohort: str,
        language: str,
        store: str,
        second_language: str,
        participant: str,
        regions: list[Region],
    ) -> None:
        get_language(language)
        self.phase, self.regions = phase, regions
        self._ = translator(language)
        self.programme = load_programme(language)
        programmes: list[Programme] = [self.programme]
        self.second: tuple[str, Programme] | None = None
        if second_language and second_language != language:
            get_language(second_language)
            self.second = (second_language, load_programme(second_language))
            programmes.append(self.second[1])
        self.session = ParticipantSession(cohort, phase.module, store or default_store_url(cohort))
        self.items = items_for(self.programme, phase)
        self.forms = [self._form(item) for item in self.items]
        journal_cohort = page_cohort(cohort, self.programme.overview.title, language, second_language)
        self.my_answers = MyAnswers(self.session, journal_cohort, programmes, self._, self.forget_participant)
        self.panel = ParticipantPanel(CodeGate(self.session), self.choose_participant, self._, code=participant or None)

    def _form(self, item: EvaluationItem) -> EvaluationItemForm:
        code, text = "", ""
        if self.second is not None:
            code = self.second[0]
            text = next((i.text for i in self.second[1].evaluation if i.id == item.id), "")
        return EvaluationItemForm(item, text, code, self.session, self._)

    def show(self) -> None:
        _ = self._
        intro = _(
            "A few questions about you and the programme. Every question can be passed. "
            "Your answers help the organisers improve the programme and report to those who fund it; "
            "only counts from the whole group are shown, never your own answers."
        )
        display(HTML(str(Markup("<h1>{}</h1><p>{}</p>").format(phase_title(self.phase, _), intro))))
        display(self.panel)
        display(self.my_answers)
        if not self.forms:
            display(HTML(str(Markup("<p>{}</p>").format(_("There are no questions on this page.")))))
        for form in self.forms:
            display(form)
        display(HTML(str(self.support())))

    def support(self) -> Markup:
        """The cohort's support lists after the questions: some ask whether taking part hurt or exposed them."""
        _ = self._
        everything = self.programme.resources.resources
        listed = list(dict.fromkeys([*self.regions, Region.INTERNATIONAL]))
        lists = Markup("").join(
            render.support_list(region_label(region, _), [r for r in everything if r.region is region], _)
            for region in listed
        )
        return render.section(_("Support"), lists, "resources")

    def choose_participant(self, code: str, is_new: bool) -> None:
        """Start working as ``code``: the last person's choices cleared, this person's saved ones shown."""
        for form in self.forms:
            form.reset()
        self.session.participant = code
        if not is_new:
            latest = LatestResponses()
            for stored in self.session.store.read_participant(self.session.cohort, code):
                latest.apply(stored)
            for form in self.forms:
                response = latest.get(self.session.cohort, self.phase.module, form.item.id, code)
                if response is not None:
                    form.restore(response.passed, response.payload)
        # Recorded so that a code given out on this page can be resumed, as on a module page.
        self.session.record(EventType.MODULE_STARTED, None, {})
        self.my_answers.show_for_participant()

    def forget_participant(self, message: str) -> None:
        for form in self.forms:
            form.reset()
        self.session.participant = None
        self.panel.forget(message)


def open_evaluation(**parameters: Any) -> EvaluationPage:
    """Show the evaluation page for the notebook's papermill parameters (``phase``: before, after, follow-up)."""
    for name, value in parameters.items():
        if name not in PARAMETERS:
            raise InvalidParameter(name, str(value), f"one of the parameters {', '.join(PARAMETERS)}")
    values = {name: str(parameters.get(name, "")) for name in PARAMETERS}
    try:
        phase = Phase(values["phase"])
    except ValueError:
        raise InvalidParameter("phase", values["phase"], ", ".join(Phase)) from None
    page = EvaluationPage(
        phase,
        values["cohort"] or "demo",
        values["language"] or "en",
        values["store"],
        values["second_language"],
        values["participant"],
        support_regions(values["region"] or Region.INTERNATIONAL.value),
    )
    page.show()
    return page
