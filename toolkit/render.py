"""Curriculum content as accessible HTML fragments for notebooks and handouts.

Every string from the curriculum is escaped: content is data, and the same
functions later render text that participants typed. Headings and landmark
roles give screen-reader users the page's structure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from toolkit.agenda import Piece, module_plan
from toolkit.i18n import Translate
from toolkit.region_labels import note_place, region_label
from toolkit.schema.module import Activity, Module
from toolkit.schema.programme import EvaluationDesign, Programme, Resource
from toolkit.schema.regions import Region


def paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())


def bullet_list(items: Iterable[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{escape(item)}</li>" for item in items) + f"</{tag}>"


def section(title: str, body: str, css_class: str, level: int = 2) -> str:
    return f'<section class="bridges-{css_class}"><h{level}>{escape(title)}</h{level}>{body}</section>'


def overview(module: Module, _: Translate, plan: int = 90) -> str:
    head = f'<h1 class="bridges-module-title">{escape(_("Module {number}").format(number=module.number))}: '
    head += f"{escape(module.title)}</h1>"
    minutes = escape(_("{minutes} minutes").format(minutes=plan))
    summary = paragraphs(module.summary)
    return f'<header class="bridges-overview">{head}<p class="bridges-length">{minutes}</p>{summary}</header>'


def content_notes(module: Module, _: Translate) -> str:
    if not module.content_notes:
        return ""
    notes = "".join(f"<li>{escape(note.text)}</li>" for note in module.content_notes)
    intro = escape(_("This module touches on topics that may hurt. You can step out, pass, or stop at any time."))
    return (
        f'<aside class="bridges-content-notes" role="note" aria-label="{escape(_("Content notes"))}" '
        f'style="border-left:4px solid #8b4000;padding:0.5em 1em;background:#fff8f0">'
        f"<h2>{escape(_('Content notes'))}</h2><p>{intro}</p><ul>{notes}</ul></aside>"
    )


def activity_content_notes(module: Module, activity: Activity, _: Translate) -> str:
    notes = [note for note in module.content_notes if note.id in activity.content_notes]
    if not notes:
        return ""
    items = "".join(f"<li>{escape(note.text)}</li>" for note in notes)
    label = escape(_("Content note"))
    return f'<div class="bridges-content-note" role="note"><strong>{label}:</strong><ul>{items}</ul></div>'


def agreements(module: Module, programme: Programme, _: Translate) -> str:
    chosen = [a for a in programme.agreements.agreements if a.id in module.agreements]
    items = "".join(f"<li><strong>{escape(a.title)}.</strong> {escape(a.text)}</li>" for a in chosen)
    return section(_("Our agreements"), f"<ul>{items}</ul>", "agreements")


def questions(module: Module, _: Translate) -> str:
    return section(_("Questions we explore"), bullet_list(module.questions), "questions")


def objectives(module: Module, _: Translate) -> str:
    intro = f"<p>{escape(_('By the end of this module you will be able to:'))}</p>"
    return section(
        _("What you will be able to do"), intro + bullet_list(o.text for o in module.objectives), "objectives"
    )


def key_points(module: Module, _: Translate) -> str:
    return section(_("Key points"), bullet_list(k.text for k in module.key_points), "key-points")


def prerequisites(module: Module, programme: Programme, _: Translate) -> str:
    """The modules to take first: the participants' part of the prerequisites."""
    titles = [programme.module(slug).title for slug in module.prerequisites.modules]
    if not titles:
        return ""
    body = f"<p>{escape(_('Before this module:'))}</p>{bullet_list(titles)}"
    return section(_("Before you start"), body, "prerequisites")


def prerequisites_notes(module: Module, _: Translate) -> str:
    """Materials and the interpreter briefing: the facilitators' part (see toolkit.audience)."""
    body = ""
    if module.prerequisites.materials:
        body += f"<p>{escape(_('Materials:'))}</p>{bullet_list(module.prerequisites.materials)}"
    body += f"<p><strong>{escape(_('Interpreters'))}:</strong> {escape(module.prerequisites.interpreter_needs)}</p>"
    return section(_("Materials and interpreters"), body, "facilitator-notes", level=3)


def learner_profiles(module: Module, _: Translate) -> str:
    items = "".join(f"<li><strong>{escape(p.name)}.</strong> {escape(p.summary)}</li>" for p in module.learner_profiles)
    return section(_("Who might be in the room"), f"<ul>{items}</ul>", "learner-profiles")


def facilitator_preparation(module: Module, _: Translate) -> str:
    notes = module.facilitator_notes
    parts = [
        (_("Preparation"), notes.preparation),
        (_("Your own identity work"), notes.identity_work),
        (_("Responding to harm"), notes.responding_to_harm),
        (_("Crisis protocol"), notes.crisis_protocol),
        (_("Co-facilitator"), notes.co_facilitator),
    ]
    body = "".join(f"<h3>{escape(title)}</h3>{paragraphs(text)}" for title, text in parts)
    return section(_("Facilitator guide"), body, "facilitator-preparation")


def activity(module: Module, item: Activity, _: Translate, plan: int = 90) -> str:
    size = item.group_size
    facts = [
        _("{minutes} minutes").format(minutes=item.minutes_in(plan))
        if item.minutes_in(plan)
        else _("only in the 120-minute plan"),
        _(size.grouping.value.replace("_", " ")),
        *([_("optional")] if item.optional else []),
    ]
    body = (
        activity_content_notes(module, item, _)
        + f'<p class="bridges-facts">{escape(" · ".join(facts))}</p>'
        + paragraphs(item.summary)
        + bullet_list(item.instructions, ordered=True)
        + f"<p><strong>{escape(_('If you would rather not take part'))}:</strong> {escape(item.how_to_pass)}</p>"
        + f"<p><strong>{escape(_('Without moving around'))}:</strong> {escape(item.no_movement_variant)}</p>"
    )
    return section(item.title, body, "activity")


def activity_notes(item: Activity, _: Translate) -> str:
    notes = item.facilitator_notes
    body = (
        f"<h4>{escape(_('Set-up'))}</h4>{paragraphs(notes.setup)}"
        f"<h4>{escape(_('Say'))}</h4>"
        + "".join(f"<blockquote>{escape(prompt)}</blockquote>" for prompt in notes.prompts)
        + f"<h4>{escape(_('Watch for'))}</h4>{bullet_list(notes.watch_for)}"
        f"<h4>{escape(_('If harm happens'))}</h4>{paragraphs(notes.responding_to_harm)}"
        f"<p>{escape(_('Method'))}: {escape(item.method.value.replace('_', ' '))} · "
        f"{escape(_('Disclosure'))}: {escape(item.disclosure.value)} · "
        f"{escape(_('Group size'))}: {item.group_size.min}–{item.group_size.max}</p>"
    )
    return section(_("Facilitator notes: {title}").format(title=item.title), body, "facilitator-notes", level=3)


def debrief(module: Module, _: Translate, plan: int = 90) -> str:
    minutes = _("{minutes} minutes").format(minutes=module.debrief.minutes_in(plan))
    body = f'<p class="bridges-facts">{escape(minutes)}</p>' + bullet_list(q.question for q in module.debrief.questions)
    return section(_("Debrief"), body, "debrief")


def running_order(module: Module, programme: Programme, plan: int, _: Translate) -> str:
    """The facilitator's running order in the cohort's plan: rituals, activities, debrief, retrospective."""
    lines = []
    for item in module_plan(programme, module, plan, _):
        minutes = _("{minutes} minutes").format(minutes=item.minutes)
        facts = " · ".join([minutes, *([_("optional")] if item.optional else [])])
        line = f"<strong>{escape(item.title)}</strong> ({escape(facts)})"
        if item.kind is Piece.AGREEMENTS:
            line += " " + escape(_("Read the agreements aloud and ask whether anyone wants to add or revisit one."))
        elif item.kind is Piece.RETROSPECTIVE:
            line += " " + escape(
                _(
                    "Each person rates each statement twice, for now and for before the programme began, "
                    "privately and on paper or screen; every statement can be passed."
                )
            )
            # Follow-up items wait for the reunion; process and safety items are rated once, for now.
            asked = [e for e in programme.evaluation if e.module is None]
            line += bullet_list(e.text for e in asked if e.design is EvaluationDesign.RETROSPECTIVE)
            once = [e.text for e in asked if e.design in (EvaluationDesign.POST, EvaluationDesign.PRE_POST)]
            if once:
                line += escape(_("Then, rated once each, how the programme went for them:")) + bullet_list(once)
        elif item.ritual is not None:
            line += " " + escape(_("Its steps are in the facilitator pack, under the rituals."))
        lines.append(f"<li>{line}</li>")
    notes = _(
        "The debrief comes before the closing activity; choose the debrief questions that fit its minutes. "
        "The closing ritual always ends the session, because it "
        "readies people for the way home: when time is short, drop an optional activity or shorten the closing "
        "activity's round, never the closing ritual."
    )
    if plan != 90:
        notes += " " + _(
            "This is the 120-minute plan, for interpreted sessions: every piece has more time. It has no "
            "scheduled break; anyone can step out at any time."
        )
    title = _("Running order: {minutes} minutes").format(minutes=plan)
    return section(title, f"<ol>{''.join(lines)}</ol><p>{escape(notes)}</p>", "running-order", level=3)


def debrief_notes(module: Module, _: Translate) -> str:
    body = "".join(
        f"<h4>{escape(q.question)}</h4><p>{escape(_('You may hear:'))}</p>{bullet_list(q.example_responses)}"
        for q in module.debrief.questions
    )
    body += f"<h4>{escape(_('Common pitfalls'))}</h4>{bullet_list(module.debrief.pitfalls)}"
    return section(_("Facilitator notes: debrief"), body, "facilitator-notes", level=3)


def resources(module: Module, programme: Programme, regions: Sequence[Region], _: Translate) -> str:
    """One support list per region the cohort spans, then international help, then any the module names.

    Every region's list opens with its crisis lines under "In immediate danger", with
    their danger notes: a reader in a crisis must not have to search the page.
    """
    listed = list(dict.fromkeys([*regions, Region.INTERNATIONAL]))
    everything = programme.resources.resources
    body = "".join(
        support_list(region_label(region, _), [r for r in everything if r.region is region], _) for region in listed
    )
    # Organisations the module's activities mention from other regions: references, not a region's
    # support list, so they carry no immediate-danger line of their own.
    named = [r for r in everything if r.id in module.resources and r.region not in listed]
    if named:
        title = escape(_("Also named in this module"))
        body += f'<section class="bridges-support-named"><h3>{title}</h3>{_resource_items(named, _)}</section>'
    return section(_("Support"), body, "resources")


def support_list(title: str, entries: Sequence[Resource], _: Translate) -> str:
    """A region's titled list: the immediate-danger line first, then every entry, crisis lines first."""
    return (
        f'<section class="bridges-support-list"><h3>{escape(title)}</h3>'
        f"{immediate_danger([r for r in entries if r.crisis], _)}{_resource_items(entries, _)}</section>"
    )


def _resource_items(entries: Sequence[Resource], _: Translate) -> str:
    # Crisis lines keep the file's order (the emergency number first); the rest go by name.
    ordered = sorted(entries, key=lambda r: (not r.crisis, "" if r.crisis else r.name))
    return "<ul>" + "".join(f"<li>{_resource_item(r, _)}</li>" for r in ordered) + "</ul>"


def immediate_danger(crisis: Sequence[Resource], _: Translate) -> str:
    """ "In immediate danger: …" with each crisis line's number (or address) and every danger note."""
    reach = [f"{r.name}: {r.phone or r.url}" if r.phone or r.url else r.name for r in crisis]
    line = "; ".join(reach) if reach else _("call your local emergency number")
    notes = "".join(f'<p class="bridges-danger-note">{escape(r.danger_note)}</p>' for r in crisis if r.danger_note)
    return (
        f'<div class="bridges-immediate-danger" role="note" style="border-left:4px solid #8b0000;padding:0.25em 1em">'
        f"<p><strong>{escape(_('In immediate danger:'))}</strong> {escape(line)}</p>{notes}</div>"
    )


def _resource_item(r: Resource, _: Translate) -> str:
    # An unverified entry never shows a date: "checked" would vouch for what nobody confirmed.
    checked = _("checked {date}").format(date=r.last_verified.isoformat())
    if r.needs_verification:
        checked = _("not verified")
    phone = f"<span class='bridges-phone'>{escape(r.phone)}</span> " if r.phone else ""
    url = f"<span class='bridges-url'>{escape(str(r.url))}</span> " if r.url else ""
    return (
        f"<strong>{escape(r.name)}</strong> ({escape(', '.join(r.languages))}). {escape(r.offers)} "
        f"{phone}{url}<small>{escape(checked)}</small>"
    )


def glossary(programme: Programme, _: Translate) -> str:
    """Every glossary term with its definition, regional notes and slur warning, in the page's language."""
    entries = ""
    for term in programme.glossary.terms:
        entries += f'<dt id="glossary-{escape(term.id)}">{escape(term.term)}</dt><dd>{paragraphs(term.definition)}'
        if term.regional_notes:
            notes = "".join(
                f"<li><strong>{escape(note_place(note, _))}:</strong> {escape(note.note)}</li>"
                for note in term.regional_notes
            )
            entries += f'<p>{escape(_("Regional notes:"))}</p><ul class="bridges-regional-notes">{notes}</ul>'
        if term.slur_warning:
            entries += f'<p class="bridges-slur-warning"><strong>{escape(_("Slur warning:"))}</strong> '
            entries += f"{escape(term.slur_warning)}</p>"
        entries += "</dd>"
    return section(_("Glossary"), f"<dl>{entries}</dl>", "glossary")
