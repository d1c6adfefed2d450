"""The cohort pack (for participants) and the facilitator pack, each one printable document.

Packs are assembled from the module handouts a build already rendered, so a
pack never disagrees with the single handouts beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from toolkit import __version__, render, render_pieces
from toolkit.agenda import clock, cohort_agenda, cohort_dates
from toolkit.handouts.metadata import document_metadata
from toolkit.i18n import Translate, translator
from toolkit.schema.cohort import Cohort
from toolkit.schema.programme import Programme, Section

_PART = re.compile(r"<!--bridges:part-->(.*)<!--/bridges:part-->", re.S)


@dataclass(frozen=True)
class PackPart:
    id: str
    title: str
    body: Markup  # a rendered handout's body: already HTML, so the pack template keeps it as it is


def part_from_handout(slug: str, title: str, html: str) -> PackPart:
    """The printable body of one rendered handout, as a section of a pack."""
    found = _PART.search(html)
    if found is None:
        raise ValueError(f"handout for {slug!r} has no part markers; rebuild it with this toolkit version")
    # One document may hold only one <main>: the pack's own.
    body = found.group(1).replace("<main>", '<div class="bridges-part-body">').replace("</main>", "</div>")
    return PackPart(f"part-{slug}", title, Markup(body))


def _agenda_rows(programme: Programme, cohort: Cohort, _: Translate) -> list[dict[str, Any]]:
    sessions = []
    for number, agenda in enumerate(cohort_agenda(programme, cohort), start=1):
        end = agenda.items[-1].ends if agenda.items else None
        caption = _("Session {number}: {date}, {start}–{end}").format(
            number=number,
            date=agenda.session.date.isoformat(),
            start=clock(agenda.session.start),
            end=clock(end) if end else "",
        )
        rows = [
            {
                "time": f"{clock(item.starts)}–{clock(item.ends)}",
                "module": f"{item.module.number}. {item.module.title}",
                "activity": item.title,
                "minutes": item.minutes,
                "optional": _("optional") if item.optional else "",
            }
            for item in agenda.items
        ]
        sessions.append({"caption": caption, "rows": rows})
    return sessions


def _guide_section(section: Section) -> Markup:
    steps = render.bullet_list(section.steps, ordered=True) if section.steps else render.EMPTY
    return Markup("<h1>{}</h1>{}{}").format(section.title, render.paragraphs(section.text), steps)


def facilitator_guidance(programme: Programme, _: Translate) -> list[dict[str, str | Markup]]:
    """Agreements, consent script, rituals, responding to harm, the crisis protocol, then the programme's
    roles, preparation, identity work, co-facilitation, pieces around the modules and the glossary."""
    materials = programme.agreements
    agreements = render.EMPTY.join(
        Markup("<h2>{}</h2>{}<p><strong>{}:</strong> {}</p>").format(
            a.title, render.paragraphs(a.text), _("Say it like this"), a.say_it_like_this
        )
        for a in materials.agreements
    )
    consent = materials.consent_script
    consent_html = render.EMPTY.join(
        Markup("<h2>{}</h2>{}").format(title, render.paragraphs(text))
        for title, text in (
            (_("Introduction"), consent.introduction),
            (_("What is recorded"), consent.what_is_recorded),
            (_("Who sees it"), consent.who_sees_it),
            (_("How to withdraw"), consent.how_to_withdraw),
            (_("Closing"), consent.closing),
        )
    )
    rituals = render.EMPTY.join(
        Markup("<h2>{} ({})</h2>{}").format(
            r.title, _("{minutes} minutes").format(minutes=r.minutes), render.bullet_list(r.steps, ordered=True)
        )
        for r in (*materials.opening_rituals, *materials.closing_rituals)
    )
    guide = programme.facilitation
    return [
        {
            "id": "agreements",
            "title": _("Community agreements"),
            "html": Markup("<h1>{}</h1>{}").format(_("Community agreements"), agreements),
        },
        {
            "id": "consent",
            "title": _("Consent script"),
            "html": Markup("<h1>{}</h1>{}").format(_("Consent script"), consent_html),
        },
        {
            "id": "rituals",
            "title": _("Opening and closing rituals"),
            "html": Markup("<h1>{}</h1>{}").format(_("Opening and closing rituals"), rituals),
        },
        {
            "id": "responding-to-harm",
            "title": guide.responding_to_harm.title,
            "html": _guide_section(guide.responding_to_harm),
        },
        {"id": "crisis-protocol", "title": guide.crisis_protocol.title, "html": _guide_section(guide.crisis_protocol)},
        {"id": "online-annex", "title": guide.online_annex.title, "html": _guide_section(guide.online_annex)},
        *_programme_guidance(programme, _),
    ]


def _programme_guidance(programme: Programme, _: Translate) -> list[dict[str, str | Markup]]:
    """What the module guides tell facilitators to use, and the pieces around the modules, in the
    order a programme meets them: before it starts, while it runs, at its end, then reference."""
    guide = programme.facilitation
    pieces = programme.pieces
    sections = [
        ("roles-and-session-plan", _("Roles and session plan"), render_pieces.roles_and_session_plan(programme, _)),
        ("before-the-first-session", guide.preparation.title, _guide_section(guide.preparation)),
        ("identity-work", guide.identity_work.title, _guide_section(guide.identity_work)),
        ("co-facilitation", guide.co_facilitation.title, _guide_section(guide.co_facilitation)),
        ("intake", pieces.intake.title, render_pieces.intake(pieces, _)),
        ("access-needs", pieces.access_needs.title, render_pieces.form(pieces.access_needs, _)),
        (
            "preparation-workshop",
            pieces.preparation_workshop.title,
            render_pieces.workshop(pieces.preparation_workshop, _),
        ),
        ("co-facilitator-plan", pieces.co_facilitator_plan.title, render_pieces.form(pieces.co_facilitator_plan, _)),
        ("supervision", pieces.supervision.title, render_pieces.guide(pieces.supervision)),
        ("catch-up", pieces.catch_up.title, render_pieces.guide(pieces.catch_up)),
        ("complaints", pieces.complaints.title, render_pieces.guide(pieces.complaints)),
        ("closing-celebration", pieces.closing_celebration.title, render_pieces.guide(pieces.closing_celebration)),
        ("reunion", pieces.reunion.title, render_pieces.reunion(pieces, _)),
        ("accessibility", _("Accessibility adaptations"), render_pieces.accessibility(pieces, _)),
        ("glossary", _("Glossary"), render.glossary(programme, _)),
    ]
    return [{"id": id, "title": title, "html": html} for id, title, html in sections]


def participant_guidance(programme: Programme, _: Translate) -> list[dict[str, str | Markup]]:
    """What participants need in their own hands: the access-needs form and how to complain."""
    pieces = programme.pieces
    return [
        {"id": "access-needs", "title": pieces.access_needs.title, "html": render_pieces.form(pieces.access_needs, _)},
        {"id": "complaints", "title": pieces.complaints.title, "html": render_pieces.guide(pieces.complaints)},
    ]


def render_pack(programme: Programme, cohort: Cohort, audience: str, parts: list[PackPart], templates: Path) -> str:
    """The pack's HTML: cover, contents, agenda, guidance (facilitators) and the module parts."""
    from jinja2 import Environment, FileSystemLoader

    _ = translator(cohort.language)
    facilitator = audience == "facilitator"
    kind = _("Facilitator pack") if facilitator else _("Cohort pack")
    dates = cohort_dates(cohort)
    # A discreet cohort's pack of workbooks names neither the programme, the group nor a topic
    # on its cover, title, contents, header or footer; the workbooks inside are unchanged.
    discreet = cohort.discreet and not facilitator
    title = _("Workbooks") if discreet else f"{cohort.name}: {kind}"
    if discreet:
        parts = [_neutral_part(programme, part, _) for part in parts]
    # Autoescape: every value is text unless it arrives as Markup (the guidance and the handout parts).
    environment = Environment(loader=FileSystemLoader(templates), autoescape=True)
    languages = [cohort.language, *([cohort.second_language] if cohort.second_language else [])]
    notes = [] if discreet else ["Bridges", cohort.name, dates]
    meta = document_metadata(languages, title, audience, cohort.paper, notes, discreet=discreet)
    # CSS for the <style> element, where HTML entities would not be decoded: built from
    # the shipped fonts and a translated counter that page_counter_css quotes for CSS.
    meta.update(fonts=Markup(meta["fonts"]), page_counter=Markup(meta["page_counter"]), version=__version__)
    return environment.get_template("pack.html.j2").render(
        meta=meta,
        labels={
            "programme": "" if discreet else programme.overview.title,
            "kind": "" if discreet else kind,
            "contents": _("Contents"),
            "agenda": _("Agenda"),
            "time": _("Time"),
            "module": _("Module"),
            "activity": _("Activity"),
            "minutes": _("Minutes"),
            "optional": _("Optional"),
        },
        cohort_name=title if discreet else cohort.name,
        dates=dates,
        agenda=_agenda_rows(programme, cohort, _),
        guidance=facilitator_guidance(programme, _) if facilitator else participant_guidance(programme, _),
        parts=parts,
    )


def _neutral_part(programme: Programme, part: PackPart, _: Translate) -> PackPart:
    """The part listed in the contents as "Workbook 7" instead of by its topic."""
    number = programme.module(part.id.removeprefix("part-")).number
    return replace(part, title=_("Workbook {number}").format(number=number))
