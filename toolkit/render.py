"""Curriculum content as accessible HTML fragments for notebooks and handouts.

Every function returns ``markupsafe.Markup`` built with ``Markup.format`` and
``Markup("").join``: each plain ``str`` that goes in is escaped on the way,
and a fragment that is already ``Markup`` is kept as it is, so a forgotten
escape cannot let curriculum or participant text become markup. Content is
data, and the same functions later render text that participants typed.
Headings and landmark roles give screen-reader users the page's structure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup

from toolkit.activity_labels import disclosure_labels, grouping_labels, method_labels
from toolkit.agenda import Piece, module_plan
from toolkit.i18n import Translate
from toolkit.region_labels import note_place, region_label
from toolkit.schema.module import Activity, Module
from toolkit.schema.programme import EvaluationDesign, Programme, Resource
from toolkit.schema.regions import Region

EMPTY = Markup("")


def paragraphs(text: str) -> Markup:
    return EMPTY.join(Markup("<p>{}</p>").format(part.strip()) for part in text.split("\n\n") if part.strip())


def list_items(items: Iterable[str | Markup]) -> Markup:
    """``<li>`` elements, one per item: text is escaped, Markup is kept."""
    return EMPTY.join(Markup("<li>{}</li>").format(item) for item in items)


def bullet_list(items: Iterable[str], ordered: bool = False) -> Markup:
    tag = Markup("ol" if ordered else "ul")
    return Markup("<{tag}>{items}</{tag}>").format(tag=tag, items=list_items(items))


def section(title: str, body: Markup, css_class: str, level: int = 2) -> Markup:
    return Markup('<section class="bridges-{}"><h{}>{}</h{}>{}</section>').format(css_class, level, title, level, body)


def overview(module: Module, _: Translate, plan: int = 90) -> Markup:
    return Markup(
        '<header class="bridges-overview"><h1 class="bridges-module-title">{number}: {title}</h1>'
        '<p class="bridges-length">{minutes}</p>{summary}</header>'
    ).format(
        number=_("Module {number}").format(number=module.number),
        title=module.title,
        minutes=_("{minutes} minutes").format(minutes=plan),
        summary=paragraphs(module.summary),
    )


def content_notes(module: Module, _: Translate) -> Markup:
    if not module.content_notes:
        return EMPTY
    return Markup(
        '<aside class="bridges-content-notes" role="note" aria-label="{label}" '
        'style="border-left:4px solid #8b4000;padding:0.5em 1em;background:#fff8f0">'
        "<h2>{label}</h2><p>{intro}</p><ul>{notes}</ul></aside>"
    ).format(
        label=_("Content notes"),
        intro=_("This module touches on topics that may hurt. You can step out, pass, or stop at any time."),
        notes=list_items(note.text for note in module.content_notes),
    )


def activity_content_notes(module: Module, activity: Activity, _: Translate) -> Markup:
    notes = [note for note in module.content_notes if note.id in activity.content_notes]
    if not notes:
        return EMPTY
    return Markup('<div class="bridges-content-note" role="note"><strong>{}:</strong><ul>{}</ul></div>').format(
        _("Content note"), list_items(note.text for note in notes)
    )


def agreements(module: Module, programme: Programme, _: Translate) -> Markup:
    chosen = [a for a in programme.agreements.agreements if a.id in module.agreements]
    items = list_items(Markup("<strong>{}.</strong> {}").format(a.title, a.text) for a in chosen)
    return section(_("Our agreements"), Markup("<ul>{}</ul>").format(items), "agreements")


def questions(module: Module, _: Translate) -> Markup:
    return section(_("Questions we explore"), bullet_list(module.questions), "questions")


def objectives(module: Module, _: Translate) -> Markup:
    intro = Markup("<p>{}</p>").format(_("By the end of this module you will be able to:"))
    return section(
        _("What you will be able to do"), intro + bullet_list(o.text for o in module.objectives), "objectives"
    )


def key_points(module: Module, _: Translate) -> Markup:
    return section(_("Key points"), bullet_list(k.text for k in module.key_points), "key-points")


def prerequisites(module: Module, programme: Programme, _: Translate) -> Markup:
    """The modules to take first: the participants' part of the prerequisites."""
    titles = [programme.module(slug).title for slug in module.prerequisites.modules]
    if not titles:
        return EMPTY
    body = Markup("<p>{}</p>{}").format(_("Before this module:"), bullet_list(titles))
    return section(_("Before you start"), body, "prerequisites")


def prerequisites_notes(module: Module, _: Translate) -> Markup:
    """Materials and the interpreter briefing: the facilitators' part (see toolkit.audience)."""
    body = EMPTY
    if module.prerequisites.materials:
        body += Markup("<p>{}</p>{}").format(_("Materials:"), bullet_list(module.prerequisites.materials))
    body += Markup("<p><strong>{}:</strong> {}</p>").format(_("Interpreters"), module.prerequisites.interpreter_needs)
    return section(_("Materials and interpreters"), body, "facilitator-notes", level=3)


def learner_profiles(module: Module, _: Translate) -> Markup:
    items = list_items(Markup("<strong>{}.</strong> {}").format(p.name, p.summary) for p in module.learner_profiles)
    return section(_("Who might be in the room"), Markup("<ul>{}</ul>").format(items), "learner-profiles")


def facilitator_preparation(module: Module, _: Translate) -> Markup:
    notes = module.facilitator_notes
    parts = [
        (_("Preparation"), notes.preparation),
        (_("Your own identity work"), notes.identity_work),
        (_("Responding to harm"), notes.responding_to_harm),
        (_("Crisis protocol"), notes.crisis_protocol),
        (_("Co-facilitator"), notes.co_facilitator),
    ]
    body = EMPTY.join(Markup("<h3>{}</h3>{}").format(title, paragraphs(text)) for title, text in parts)
    return section(_("Facilitator guide"), body, "facilitator-preparation")


def activity(module: Module, item: Activity, _: Translate, plan: int = 90) -> Markup:
    size = item.group_size
    facts = [
        _("{minutes} minutes").format(minutes=item.minutes_in(plan))
        if item.minutes_in(plan)
        else _("only in the 120-minute plan"),
        grouping_labels(_)[size.grouping],
        *([_("optional")] if item.optional else []),
    ]
    body = Markup(
        '{notes}<p class="bridges-facts">{facts}</p>{summary}{instructions}'
        "<p><strong>{pass_label}:</strong> {how_to_pass}</p>"
        "<p><strong>{still_label}:</strong> {no_movement}</p>"
    ).format(
        notes=activity_content_notes(module, item, _),
        facts=" · ".join(facts),
        summary=paragraphs(item.summary),
        instructions=bullet_list(item.instructions, ordered=True),
        pass_label=_("If you would rather not take part"),
        how_to_pass=item.how_to_pass,
        still_label=_("Without moving around"),
        no_movement=item.no_movement_variant,
    )
    return section(item.title, body, "activity")


def activity_notes(item: Activity, _: Translate) -> Markup:
    notes = item.facilitator_notes
    body = Markup(
        "<h4>{setup_label}</h4>{setup}<h4>{say_label}</h4>{prompts}"
        "<h4>{watch_label}</h4>{watch_for}<h4>{harm_label}</h4>{harm}"
        "<p>{method_label}: {method} · {disclosure_label}: {disclosure} · {size_label}: {low}–{high}</p>"
    ).format(
        setup_label=_("Set-up"),
        setup=paragraphs(notes.setup),
        say_label=_("Say"),
        prompts=EMPTY.join(Markup("<blockquote>{}</blockquote>").format(prompt) for prompt in notes.prompts),
        watch_label=_("Watch for"),
        watch_for=bullet_list(notes.watch_for),
        harm_label=_("If harm happens"),
        harm=paragraphs(notes.responding_to_harm),
        method_label=_("Method"),
        method=method_labels(_)[item.method],
        disclosure_label=_("Disclosure"),
        disclosure=disclosure_labels(_)[item.disclosure],
        size_label=_("Group size"),
        low=item.group_size.min,
        high=item.group_size.max,
    )
    return section(_("Facilitator notes: {title}").format(title=item.title), body, "facilitator-notes", level=3)


def debrief(module: Module, _: Translate, plan: int = 90) -> Markup:
    minutes = _("{minutes} minutes").format(minutes=module.debrief.minutes_in(plan))
    body = Markup('<p class="bridges-facts">{}</p>{}').format(
        minutes, bullet_list(q.question for q in module.debrief.questions)
    )
    return section(_("Debrief"), body, "debrief")


def running_order(module: Module, programme: Programme, plan: int, _: Translate) -> Markup:
    """The facilitator's running order in the cohort's plan: rituals, activities, debrief, retrospective."""
    lines = []
    for item in module_plan(programme, module, plan, _):
        minutes = _("{minutes} minutes").format(minutes=item.minutes)
        facts = " · ".join([minutes, *([_("optional")] if item.optional else [])])
        line = Markup("<strong>{}</strong> ({})").format(item.title, facts)
        if item.kind is Piece.AGREEMENTS:
            line += Markup(" {}").format(
                _("Read the agreements aloud and ask whether anyone wants to add or revisit one.")
            )
        elif item.kind is Piece.RETROSPECTIVE:
            line += Markup(" {}").format(
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
                line += Markup("{}{}").format(
                    _("Then, rated once each, how the programme went for them:"), bullet_list(once)
                )
        elif item.ritual is not None:
            line += Markup(" {}").format(_("Its steps are in the facilitator pack, under the rituals."))
        lines.append(line)
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
    body = Markup("<ol>{}</ol><p>{}</p>").format(list_items(lines), notes)
    return section(title, body, "running-order", level=3)


def debrief_notes(module: Module, _: Translate) -> Markup:
    body = EMPTY.join(
        Markup("<h4>{}</h4><p>{}</p>{}").format(q.question, _("You may hear:"), bullet_list(q.example_responses))
        for q in module.debrief.questions
    )
    body += Markup("<h4>{}</h4>{}").format(_("Common pitfalls"), bullet_list(module.debrief.pitfalls))
    return section(_("Facilitator notes: debrief"), body, "facilitator-notes", level=3)


def resources(module: Module, programme: Programme, regions: Sequence[Region], _: Translate) -> Markup:
    """One support list per region the cohort spans, then international help, then any the module names.

    Every region's list opens with its crisis lines under "In immediate danger", with
    their danger notes: a reader in a crisis must not have to search the page.
    """
    listed = list(dict.fromkeys([*regions, Region.INTERNATIONAL]))
    everything = programme.resources.resources
    body = EMPTY.join(
        support_list(region_label(region, _), [r for r in everything if r.region is region], _) for region in listed
    )
    # Organisations the module's activities mention from other regions: references, not a region's
    # support list, so they carry no immediate-danger line of their own.
    named = [r for r in everything if r.id in module.resources and r.region not in listed]
    if named:
        body += Markup('<section class="bridges-support-named"><h3>{}</h3>{}</section>').format(
            _("Also named in this module"), _resource_items(named, _)
        )
    return section(_("Support"), body, "resources")


def support_list(title: str, entries: Sequence[Resource], _: Translate) -> Markup:
    """A region's titled list: the immediate-danger line first, then every entry, crisis lines first."""
    return Markup('<section class="bridges-support-list"><h3>{}</h3>{}{}</section>').format(
        title, immediate_danger([r for r in entries if r.crisis], _), _resource_items(entries, _)
    )


def _resource_items(entries: Sequence[Resource], _: Translate) -> Markup:
    # Crisis lines keep the file's order (the emergency number first); the rest go by name.
    ordered = sorted(entries, key=lambda r: (not r.crisis, "" if r.crisis else r.name))
    return Markup("<ul>{}</ul>").format(list_items(_resource_item(r, _) for r in ordered))


def immediate_danger(crisis: Sequence[Resource], _: Translate) -> Markup:
    """ "In immediate danger: …" with each crisis line's number (or address) and every danger note."""
    reach = [f"{r.name}: {r.phone or r.url}" if r.phone or r.url else r.name for r in crisis]
    line = "; ".join(reach) if reach else _("call your local emergency number")
    notes = EMPTY.join(
        Markup('<p class="bridges-danger-note">{}</p>').format(r.danger_note) for r in crisis if r.danger_note
    )
    return Markup(
        '<div class="bridges-immediate-danger" role="note" style="border-left:4px solid #8b0000;padding:0.25em 1em">'
        "<p><strong>{}</strong> {}</p>{}</div>"
    ).format(_("In immediate danger:"), line, notes)


def _resource_item(r: Resource, _: Translate) -> Markup:
    # An unverified entry never shows a date: "checked" would vouch for what nobody confirmed.
    checked = _("checked {date}").format(date=r.last_verified.isoformat())
    if r.needs_verification:
        checked = _("not verified")
    phone = Markup("<span class='bridges-phone'>{}</span> ").format(r.phone) if r.phone else EMPTY
    url = Markup("<span class='bridges-url'>{}</span> ").format(r.url) if r.url else EMPTY
    return Markup("<strong>{}</strong> ({}). {} {}{}<small>{}</small>").format(
        r.name, ", ".join(r.languages), r.offers, phone, url, checked
    )


def glossary(programme: Programme, _: Translate) -> Markup:
    """Every glossary term with its definition, regional notes and slur warning, in the page's language."""
    entries = EMPTY
    for term in programme.glossary.terms:
        entries += Markup('<dt id="glossary-{}">{}</dt><dd>{}').format(term.id, term.term, paragraphs(term.definition))
        if term.regional_notes:
            notes = list_items(
                Markup("<strong>{}:</strong> {}").format(note_place(note, _), note.note) for note in term.regional_notes
            )
            entries += Markup('<p>{}</p><ul class="bridges-regional-notes">{}</ul>').format(_("Regional notes:"), notes)
        if term.slur_warning:
            entries += Markup('<p class="bridges-slur-warning"><strong>{}</strong> {}</p>').format(
                _("Slur warning:"), term.slur_warning
            )
        entries += Markup("</dd>")
    return section(_("Glossary"), Markup("<dl>{}</dl>").format(entries), "glossary")
