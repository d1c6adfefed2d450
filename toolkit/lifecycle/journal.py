"""A participant's journal: their own answers, prompt by prompt and module by module, to take home.

Made from that participant's events only (``store.read_participant``), on
request, and never stored: private answers are included, since the journal
is for the person who wrote them, and no other person's data is read. The
latest answer to each prompt is shown with the sharing it has now; a passed
prompt says so; an erased or purged answer is simply not there. Every
string, the participant's own text above all, is escaped as it goes into
``Markup`` (see toolkit.render).

In a bilingual cohort, headings and prompts come in both languages; answers
are shown as they were written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from markupsafe import Markup

from toolkit.errors import UnknownParticipant
from toolkit.events.model import Sharing, StoredEvent
from toolkit.events.projections import LatestResponses, Response
from toolkit.i18n import Translate, translator
from toolkit.identity import normalise_code
from toolkit.languages import font_stack
from toolkit.lifecycle.evaluation import Phase
from toolkit.schema.cohort import Cohort
from toolkit.schema.module import Exercise
from toolkit.schema.programme import EvaluationItem, Programme
from toolkit.tally import strip_bidi

EMPTY = Markup("")


class EventReaderByParticipant(Protocol):
    """Enough of an event store for a journal: one participant's events, and nobody else's."""

    def read_participant(self, cohort: str, participant: str) -> list[StoredEvent]: ...


CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: FONTS; font-size: 11pt; line-height: 1.5; color: #111; max-width: 48rem; margin: 0 auto; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 1.6em; break-after: avoid; }
.entry { margin: 0.8em 0 1.2em; break-inside: avoid; }
.prompt { font-weight: bold; margin-bottom: 0.2em; }
.second { font-weight: normal; color: #333; }
.answer { margin: 0.2em 0 0.2em 1em; padding-left: 0.8em; border-left: 3px solid #35508a; white-space: pre-wrap; }
.meta { color: #444; font-size: 0.9em; }
"""


class Languages:
    """The cohort's language and, if bilingual, its second: text in one or both."""

    def __init__(self, cohort: Cohort) -> None:
        self.codes = [cohort.language, *([cohort.second_language] if cohort.second_language else [])]
        self.translators = [translator(code) for code in self.codes]

    @property
    def _(self) -> Translate:
        return self.translators[0]

    def both(self, texts: Sequence[str], tag: str, css_class: str = "") -> Markup:
        """``texts`` (one per language) in one element, the second marked with its language."""
        rest = EMPTY.join(
            Markup("<br><span class='second' lang='{}'>{}</span>").format(code, text)
            for code, text in zip(self.codes[1:], texts[1:], strict=False)
            if text != texts[0]
        )
        attribute = Markup(" class='{}'").format(css_class) if css_class else EMPTY
        return Markup("<{tag}{attribute}>{first}{rest}</{tag}>").format(
            tag=tag, attribute=attribute, first=texts[0], rest=rest
        )

    def label(self, message: Callable[[Translate], str], tag: str, css_class: str = "") -> Markup:
        """A fixed label in each language: ``message`` is ``lambda _: _("...")``, so catalogues find it."""
        return self.both([message(t) for t in self.translators], tag, css_class)


SHARING_LABELS: dict[Sharing, Callable[[Translate], str]] = {
    Sharing.PRIVATE: lambda _: _("Private: only you see this answer"),
    Sharing.AGGREGATE: lambda _: _("Counted anonymously in the group's summary"),
    Sharing.QUOTE: lambda _: _("May be quoted anonymously"),
}


def _text(value: Any) -> str:
    """The participant's text as plain text, its direction controls removed; escaped where it is used."""
    return strip_bidi(str(value))


def answer_html(value: Any, _: Translate) -> Markup:
    """An answer of any kind as HTML: text, a list, a ranking, or a before-and-now rating."""
    if isinstance(value, dict) and ("before" in value or "now" in value):
        before = _("Before: {value}").format(value=value.get("before", "–"))
        now = _("Now: {value}").format(value=value.get("now", "–"))
        return Markup("<p class='answer'>{}<br>{}</p>").format(_text(before), _text(now))
    if isinstance(value, list):
        items = EMPTY.join(Markup("<li>{}</li>").format(_text(item)) for item in value)
        return Markup("<ol class='answer'>{}</ol>").format(items)
    return Markup("<p class='answer'>{}</p>").format(_text(value))


def _entry(prompts: Sequence[str], response: Response, languages: Languages, scale: str = "") -> Markup:
    _ = languages._
    parts = [languages.both(prompts, "p", "prompt")]
    if scale:
        parts.append(Markup("<p class='meta'>{}</p>").format(scale))
    if response.passed:
        parts.append(languages.label(lambda _: _("You passed this question."), "p", "meta"))
    else:
        parts.append(answer_html(response.value, _))
        parts.append(languages.label(SHARING_LABELS[response.sharing], "p", "meta"))
    return Markup("<div class='entry'>{}</div>").format(EMPTY.join(parts))


def _exercise_prompts(programmes: Sequence[Programme], slug: str, exercise: Exercise) -> list[str]:
    prompts = []
    for programme in programmes:
        module = next((m for m in programme.modules if m.slug == slug), None)
        match = next((e for e in module.exercises if e.id == exercise.id), None) if module else None
        prompts.append(match.prompt if match else exercise.prompt)
    return prompts


def _module_titles(programmes: Sequence[Programme], slug: str) -> list[str]:
    return [next((m.title for m in programme.modules if m.slug == slug), slug) for programme in programmes]


def _item_texts(programmes: Sequence[Programme], item: EvaluationItem) -> list[str]:
    return [next((i.text for i in programme.evaluation if i.id == item.id), item.text) for programme in programmes]


def _modules(
    latest: LatestResponses, cohort: Cohort, participant: str, programmes: Sequence[Programme], languages: Languages
) -> list[Markup]:
    source = programmes[0]
    parts: list[Markup] = []
    # Every module of the programme, the cohort's first and in its order: a journal keeps answers
    # to a module that was later dropped from the cohort file.
    order = [*cohort.module_slugs, *(m.slug for m in source.modules if m.slug not in cohort.module_slugs)]
    for slug in order:
        module = next((m for m in source.modules if m.slug == slug), None)
        if module is None:
            continue
        entries: list[Markup] = []
        for exercise in module.exercises:
            response = latest.get(cohort.slug, slug, exercise.id, participant)
            if response is not None:
                entries.append(_entry(_exercise_prompts(programmes, slug, exercise), response, languages))
        if entries:
            parts.append(languages.both(_module_titles(programmes, slug), "h2") + EMPTY.join(entries))
    return parts


def _evaluation(
    latest: LatestResponses, cohort: Cohort, participant: str, programmes: Sequence[Programme], languages: Languages
) -> Markup:
    headings: dict[Phase, Callable[[Translate], str]] = {
        Phase.BEFORE: lambda _: _("Evaluation at the start"),
        Phase.AFTER: lambda _: _("Evaluation at the end"),
        Phase.FOLLOW_UP: lambda _: _("Evaluation at the follow-up"),
    }
    parts: list[Markup] = []
    for phase, heading in headings.items():
        entries: list[Markup] = []
        for item in programmes[0].evaluation:
            response = latest.get(cohort.slug, phase.module, item.id, participant)
            if response is not None:
                scale = f"1 = {item.scale_min_label}; {item.scale_points} = {item.scale_max_label}"
                entries.append(_entry(_item_texts(programmes, item), response, languages, scale))
        if entries:
            parts.append(languages.label(heading, "h2") + EMPTY.join(entries))
    return EMPTY.join(parts)


def journal_html(
    events: Sequence[StoredEvent], cohort: Cohort, programmes: Sequence[Programme], made: dt.date | None = None
) -> Markup:
    """The journal of the one participant whose events these are, as an HTML document.

    ``events`` must be one participant's (``store.read_participant``); anything
    else is refused rather than mixed in. ``programmes`` holds the programme in
    the cohort's language and, if bilingual, in its second language.
    """
    participants = {stored.event.participant for stored in events}
    if len(participants) > 1 or any(stored.event.cohort != cohort.slug for stored in events):
        raise ValueError("a journal is made from one participant's events in one cohort")
    languages = Languages(cohort)
    _ = languages._
    made_on = (made or dt.date.today()).isoformat()
    latest = LatestResponses()
    for stored in events:
        latest.apply(stored)
    participant = next(iter(participants), "")
    body = [
        languages.label(lambda _: _("My journal"), "h1"),
        Markup("<p>{}</p>").format(cohort.name),
        languages.label(
            lambda _: _("Made on {date}. This copy is yours alone; keep it somewhere safe.").format(date=made_on),
            "p",
            "meta",
        ),
    ]
    modules = _modules(latest, cohort, participant, programmes, languages)
    evaluation = _evaluation(latest, cohort, participant, programmes, languages)
    if not modules and not evaluation:
        body.append(languages.label(lambda _: _("There are no answers saved under this code."), "p"))
    body.extend([*modules, evaluation])
    # The stylesheet is ours and its font names keep their quotes: CSS is not HTML-escaped.
    css = Markup(CSS.replace("FONTS", font_stack(*languages.codes)))
    return Markup(
        "<!DOCTYPE html><html lang='{}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>{}</title><style>{}</style></head>"
        "<body><main>{}</main></body></html>"
    ).format(cohort.language, _("My journal"), css, EMPTY.join(body))


def journal_pdf(html: str) -> bytes:
    """The journal as a tagged PDF (PDF/UA), with the fonts of its languages."""
    from toolkit.handouts.pdf import html_to_pdf

    return html_to_pdf(html)


def participant_journal(
    store: EventReaderByParticipant, cohort: Cohort, code: str, programmes: Sequence[Programme]
) -> str:
    """The journal of participant ``code`` (as typed) read from ``store``: what the app's download and
    ``bridges journal`` both serve. An unknown code is an error, not an empty journal."""
    participant = normalise_code(code)
    events = store.read_participant(cohort.slug, participant)
    if not events:
        raise UnknownParticipant(cohort.slug, code)
    return journal_html(events, cohort, programmes)
