"""Escaping by default: hostile text in every curriculum and cohort field, and markup in a
translation, reaches the HTML escaped exactly once.

The programme is the real curriculum with every text field (everything but identifiers)
replaced by a hostile string, so a renderer that forgot to escape a field, or escaped an
already escaped fragment again, fails here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
from ipywidgets import comm
from markupsafe import Markup, escape
from pydantic import BaseModel

from toolkit import page as page_module
from toolkit import render, render_pieces
from toolkit.builder.packs import PackPart, facilitator_guidance, participant_guidance, render_pack
from toolkit.cohorts import load_cohort
from toolkit.curriculum import load_curriculum
from toolkit.events import Event, EventType
from toolkit.events.model import StoredEvent
from toolkit.events.sqlite_store import SQLiteStore
from toolkit.exercises import make_exercise
from toolkit.exercises.base import ExerciseWidget
from toolkit.handouts.kit import render_kit
from toolkit.i18n import translator
from toolkit.lifecycle import journal as journal_module
from toolkit.lifecycle.evaluation import PAYLOAD_KIND, phases
from toolkit.lifecycle.report import html as report_module
from toolkit.lifecycle.report.figures import report_figures
from toolkit.paths import NBCONVERT_TEMPLATES, Home
from toolkit.schema.cohort import Cohort
from toolkit.schema.module import ExerciseKind
from toolkit.schema.programme import EvaluationDesign, Programme
from toolkit.schema.regions import Region

REPO = Path(__file__).parent.parent
DEMO = REPO / "examples" / "demo-cohort.yaml"
HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> {{7*7}} &amp;'
ESCAPED = str(escape(HOSTILE))  # &lt;script&gt;… &#34;&gt;&lt;img … {{7*7}} &amp;amp;
MARKUP_TRANSLATION = "<b>x</b>"
_ = translator("en")


def poisoned(model: BaseModel, counter: Iterator[int]) -> Any:
    """``model`` with every text field replaced by HOSTILE; identifiers (pattern-checked) stay, so lookups work."""
    update = {}
    for name, field in type(model).model_fields.items():
        if "pattern='" in repr(field.annotation) + repr(field.metadata) or name == "language":
            continue
        update[name] = _poison(getattr(model, name), counter)
    return model.model_copy(update=update)


def _poison(value: Any, counter: Iterator[int]) -> Any:
    if type(value) is str:
        return f"{HOSTILE} {next(counter)}"  # numbered: options and titles stay distinct
    if isinstance(value, BaseModel):
        return poisoned(value, counter)
    if isinstance(value, list | tuple):
        return type(value)(_poison(item, counter) for item in value)
    if isinstance(value, dict):
        return {key: _poison(item, counter) for key, item in value.items()}
    return value


@pytest.fixture(scope="module")
def hostile() -> Programme:
    programme: Programme = poisoned(load_curriculum(Home(REPO)).programme, itertools.count(1))
    return programme


@pytest.fixture(scope="module")
def cohort(hostile: Programme) -> Cohort:
    loaded = load_cohort(DEMO, hostile)
    changed: Cohort = loaded.model_copy(update={"name": HOSTILE})
    return changed


@pytest.fixture(autouse=True)
def silent_comm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widgets need a comm to exist; these tests have no kernel and send nothing."""

    class Silent:
        comm_id = "silent"
        kernel = None

        def __getattr__(self, name: str) -> Callable[..., None]:
            return lambda *args, **kwargs: None

    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: Silent())


def assert_escaped_once(html: str, where: str) -> None:
    assert "<script" not in html and "<img" not in html, where
    assert ESCAPED in html, f"{where}: the hostile text is missing or escaped differently"
    assert "&amp;lt;" not in html and "&amp;amp;amp;" not in html, f"{where}: escaped twice"


def module_views(programme: Programme) -> Iterator[tuple[str, str]]:
    for module in programme.modules:
        for plan in (90, 120):
            yield "overview", render.overview(module, _, plan)
            yield "debrief", render.debrief(module, _, plan)
            yield "running_order", render.running_order(module, programme, plan, _)
            for item in module.activities:
                yield "activity", render.activity(module, item, _, plan)
        for item in module.activities:
            yield "activity_notes", render.activity_notes(item, _)
            if render.activity_content_notes(module, item, _):
                yield "activity_content_notes", render.activity_content_notes(module, item, _)
        yield "content_notes", render.content_notes(module, _)
        yield "agreements", render.agreements(module, programme, _)
        yield "questions", render.questions(module, _)
        yield "objectives", render.objectives(module, _)
        yield "key_points", render.key_points(module, _)
        yield "prerequisites_notes", render.prerequisites_notes(module, _)
        yield "learner_profiles", render.learner_profiles(module, _)
        yield "facilitator_preparation", render.facilitator_preparation(module, _)
        yield "debrief_notes", render.debrief_notes(module, _)
        yield "resources", render.resources(module, programme, list(Region), _)
        if module.prerequisites.modules:
            yield "prerequisites", render.prerequisites(module, programme, _)


def test_every_render_function_escapes_hostile_curriculum_text_once(hostile: Programme) -> None:
    views = list(module_views(hostile))
    views += [
        ("glossary", render.glossary(hostile, _)),
        ("paragraphs", render.paragraphs(HOSTILE)),
        ("bullet_list", render.bullet_list([HOSTILE], ordered=True)),
        ("section", render.section(HOSTILE, render.paragraphs(HOSTILE), "x")),
        ("support_list", render.support_list(HOSTILE, hostile.resources.resources, _)),
        ("immediate_danger", render.immediate_danger([r for r in hostile.resources.resources if r.crisis], _)),
    ]
    assert {name for name, _html in views} >= {"overview", "activity", "prerequisites", "activity_content_notes"}
    for name, html in views:
        assert isinstance(html, Markup), name
        assert_escaped_once(html, name)


def test_the_programme_pieces_escape_hostile_text_once(hostile: Programme) -> None:
    pieces = hostile.pieces
    views = {
        "guide": render_pieces.guide(pieces.supervision),
        "roles_and_session_plan": render_pieces.roles_and_session_plan(hostile, _),
        "form": render_pieces.form(pieces.access_needs, _),
        "form without options": render_pieces.form(pieces.co_facilitator_plan, _),
        "intake": render_pieces.intake(pieces, _),
        "workshop": render_pieces.workshop(pieces.preparation_workshop, _),
        "reunion": render_pieces.reunion(pieces, _),
        "accessibility": render_pieces.accessibility(pieces, _),
    }
    for name, html in views.items():
        assert isinstance(html, Markup), name
        assert_escaped_once(html, name)
    for section in [*facilitator_guidance(hostile, _), *participant_guidance(hostile, _)]:
        assert_escaped_once(str(section["html"]), str(section["id"]))


def test_the_print_kit_escapes_hostile_text_once(hostile: Programme, cohort: Cohort) -> None:
    assert hostile.kits
    for kit in hostile.kits:
        html = render_kit(kit, hostile.module(kit.module), cohort)
        assert_escaped_once(html, f"kit {kit.module}")
        # The CSS is not escaped: the font names keep their quotes inside <style>.
        assert re.search(r"<style>.*font-family: \"", html, re.S)


@pytest.mark.parametrize("audience", ["participant", "facilitator"])
def test_the_pack_template_autoescapes_and_keeps_markup_once(hostile: Programme, cohort: Cohort, audience: str) -> None:
    part = PackPart("part-x", HOSTILE, Markup("<p>A handout body, already HTML</p>"))
    html = render_pack(hostile, cohort, audience, [part], NBCONVERT_TEMPLATES / "handout")
    assert_escaped_once(html, f"{audience} pack")
    assert "<p>A handout body, already HTML</p>" in html  # the part's HTML is kept as it is
    assert html.count(ESCAPED) == html.count("{{7*7}}")  # text, never a template: every one left as written
    assert f"<h1>{ESCAPED}</h1>" in html  # the cohort's name on the cover
    assert re.search(r"<style>.*font-family: \"", html, re.S)  # CSS values are not HTML-escaped


def test_every_exercise_kind_escapes_hostile_text_in_its_static_view(hostile: Programme) -> None:
    seen = set()
    for module in hostile.modules:
        for spec in module.exercises:
            widget = make_exercise(spec, None, _)
            seen.add(spec.kind)
            assert_escaped_once(widget.static_html(), f"{spec.kind.value} static view")
            assert_escaped_once(widget._repr_mimebundle_()["text/html"], f"{spec.kind.value} export")
            assert_escaped_once(str(widget.prompt.value), f"{spec.kind.value} prompt")
    assert seen == set(ExerciseKind)


def marked_up(_message: str) -> str:
    return MARKUP_TRANSLATION


def html_values(widget: widgets.Widget) -> Iterator[str]:
    """Every widgets.HTML value under ``widget``."""
    if isinstance(widget, widgets.HTML):
        yield str(widget.value)
    for child in getattr(widget, "children", ()):
        yield from html_values(child)


@pytest.mark.parametrize("kind", [ExerciseKind.MULTIPLE_CHOICE, ExerciseKind.SINGLE_CHOICE])
def test_a_translation_with_markup_is_escaped_in_the_choice_widgets(kind: ExerciseKind) -> None:
    programme = load_curriculum(Home(REPO)).programme
    spec = next(e for m in programme.modules for e in m.exercises if e.kind is kind)
    widget = make_exercise(spec, None, marked_up)
    widget._say(marked_up("status"))
    shown = [widget.static_html(), *html_values(widget)]
    assert all(MARKUP_TRANSLATION not in html for html in shown)
    assert any("&lt;b&gt;x&lt;/b&gt;" in html for html in shown[1:])  # on screen, not only on paper
    assert "&lt;b&gt;x&lt;/b&gt;" in shown[0]


def test_a_translation_with_markup_is_escaped_on_the_module_page(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(page_module, "translator", lambda language: marked_up)
    monkeypatch.setattr(page_module, "display", lambda obj, **kwargs: shown.append(_shown_html(obj)))
    slug = load_curriculum(Home(REPO)).programme.modules[0].slug
    page = page_module.open_module(slug, cohort="demo", audience="participant", second_language="ko")
    for name in ("overview", "content-notes", "progress"):
        page.section(name)
    for exercise in page.module.exercises[:2]:
        page.exercise(exercise.id)  # the second language's prompt is shown above each exercise
    shown.append(str(page.progress.value))
    assert shown and all(MARKUP_TRANSLATION not in html for html in shown)
    assert any('<details class="bridges-content-notes-toggle"><summary>&lt;b&gt;x&lt;/b&gt;' in h for h in shown)
    assert "&lt;b&gt;x&lt;/b&gt;" in str(page.progress.value)


def _shown_html(obj: Any) -> str:
    if isinstance(obj, ExerciseWidget):
        return str(obj.static_html())
    if isinstance(obj, widgets.Widget):
        return "".join(html_values(obj))
    return str(getattr(obj, "data", obj))


def participant(number: int) -> str:
    return f"person-{1000 + number}"


def hostile_answers(programme: Programme, cohort: Cohort, people: int) -> Iterator[Event]:
    """``people`` participants who took part, wrote HOSTILE in every shape an answer has, shared it as a quote,
    and answered every evaluation item."""
    module = programme.module(cohort.module_slugs[0])
    free_text = next(e for e in module.exercises if e.kind is ExerciseKind.FREE_TEXT)
    others = [e for e in module.exercises if e.kind is not ExerciseKind.FREE_TEXT][:2]
    values: list[Any] = [[HOSTILE, f"{HOSTILE} again"], {"before": HOSTILE, "now": 4}]
    for person in range(people):
        who = {"cohort": cohort.slug, "participant": participant(person)}
        yield Event(type=EventType.MODULE_STARTED, module=module.slug, **who)
        answers = [(free_text.id, f"{HOSTILE} {person}")] + [(e.id, v) for e, v in zip(others, values, strict=False)]
        for exercise, value in answers:
            payload = {"kind": "free_text", "value": value, "sharing": "quote"}
            yield Event(type=EventType.ANSWERED, module=module.slug, exercise=exercise, payload=payload, **who)
        for item in programme.evaluation:
            value = {"before": 2, "now": 4} if item.design is EvaluationDesign.RETROSPECTIVE else 3
            payload = {"kind": PAYLOAD_KIND, "value": value, "sharing": "aggregate"}
            for phase in phases(item):
                yield Event(type=EventType.ANSWERED, module=phase.module, exercise=item.id, payload=payload, **who)


@pytest.fixture
def answered(hostile: Programme, cohort: Cohort, tmp_path: Path) -> list[StoredEvent]:
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        for event in hostile_answers(hostile, cohort, cohort.k):
            store.append(event)
        return store.read()


def test_the_journal_escapes_the_participants_own_text_and_the_curriculum_once(
    hostile: Programme, cohort: Cohort, answered: list[StoredEvent]
) -> None:
    mine = [stored for stored in answered if stored.event.participant == participant(0)]
    second = poisoned(load_curriculum(Home(REPO)).programme, itertools.count(10_000))  # a second language's texts
    bilingual = cohort.model_copy(update={"second_language": "ko"})
    html = journal_module.journal_html(mine, bilingual, [hostile, second], made=dt.date(2027, 6, 1))
    assert isinstance(html, Markup)
    assert_escaped_once(html, "journal")
    assert f"<p>{ESCAPED}</p>" in html  # the cohort's name
    assert f"<p class='answer'>{ESCAPED} 0</p>" in html  # a written answer
    assert f"<li>{ESCAPED}</li><li>{ESCAPED} again</li>" in html  # a list answer
    assert f"<p class='answer'>Before: {ESCAPED}<br>Now: 4</p>" in html  # a before-and-now answer
    assert f"<span class='second' lang='ko'>{ESCAPED} 1" in html  # a prompt in the second language
    assert "Evaluation at the end" in html and f"1 = {ESCAPED}" in html  # an evaluation item and its scale
    assert re.search(r"<style>.*font-family: \"", html, re.S)  # CSS values are not HTML-escaped


def test_the_report_escapes_quotes_and_the_curriculum_once(
    hostile: Programme, cohort: Cohort, answered: list[StoredEvent]
) -> None:
    figures = report_figures(answered, cohort, hostile)
    assert figures.quotes and figures.participation and any(f.people for f in figures.items)
    html = report_module.report_html(figures, dt.date(2027, 6, 1))
    assert isinstance(html, Markup)
    assert_escaped_once(html, "report")
    assert f"<blockquote><p>{ESCAPED} 0</p></blockquote>" in html  # a participant's quote
    assert f"<title>{ESCAPED}: evaluation report</title>" in html  # the cohort's name
    assert "<caption>Session 1, " in html and "<svg" in html  # charts with their data tables
    assert re.search(r"<style>.*font-family: \"", html, re.S)


def test_a_translation_with_markup_is_escaped_in_the_journal_and_the_report(
    monkeypatch: pytest.MonkeyPatch, hostile: Programme, cohort: Cohort, answered: list[StoredEvent]
) -> None:
    monkeypatch.setattr(journal_module, "translator", lambda language: marked_up)
    monkeypatch.setattr(report_module, "translator", lambda language: marked_up)
    mine = [stored for stored in answered if stored.event.participant == participant(0)]
    shown = {
        "journal": journal_module.journal_html(mine, cohort, [hostile]),
        "report": report_module.report_html(report_figures(answered, cohort, hostile), dt.date(2027, 6, 1)),
    }
    for name, html in shown.items():
        assert MARKUP_TRANSLATION not in html, name
        assert "&lt;b&gt;x&lt;/b&gt;" in html, name
