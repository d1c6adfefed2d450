"""The programme pieces and programme-wide guidance as escaped HTML sections for the packs.

Each function returns one pack section starting with its own ``<h1>``, the way
the pack's other guidance does, as ``Markup`` (see toolkit.render: text is
escaped as it goes in). Forms print as forms: tick boxes and ruled lines to
write on, every question optional.
"""

from __future__ import annotations

from markupsafe import Markup

from toolkit.exercises.base import ruled_lines, tick_box
from toolkit.i18n import Translate
from toolkit.render import EMPTY, bullet_list, paragraphs
from toolkit.schema.pieces import Form, Guide, Pieces, Workshop
from toolkit.schema.programme import Programme, Section

# Lines left under a question that has no tick boxes.
WRITING_LINES = 3


def guide(piece: Guide | Section, level: int = 1) -> Markup:
    """A title, its prose and its numbered steps."""
    steps = bullet_list(piece.steps, ordered=True) if piece.steps else EMPTY
    return Markup("<h{level}>{title}</h{level}>{text}{steps}").format(
        level=level, title=piece.title, text=paragraphs(piece.text), steps=steps
    )


def roles_and_session_plan(programme: Programme, _: Translate) -> Markup:
    overview = programme.overview
    roles = EMPTY.join(
        Markup("<h3>{}</h3>{}").format(role.title, paragraphs(role.description)) for role in overview.roles
    )
    return Markup("<h1>{}</h1><h2>{}</h2>{}<h2>{}</h2>{}<h2>{}</h2>{}").format(
        _("Roles and session plan"),
        _("Roles"),
        roles,
        _("How the programme runs"),
        paragraphs(overview.how_it_runs),
        _("Session plan"),
        paragraphs(overview.session_plan),
    )


def form(piece: Form, _: Translate) -> Markup:
    """A printable form: its intro, numbered optional questions, and how it is handled."""
    questions = EMPTY.join(
        Markup('<li style="break-inside:avoid"><p>{}</p>{}</li>').format(
            q.question,
            Markup('<ul style="padding-left:0">{}</ul>').format(EMPTY.join(tick_box(option) for option in q.options))
            if q.options
            else ruled_lines(WRITING_LINES),
        )
        for q in piece.questions
    )
    return Markup("<h1>{}</h1>{}<ol>{}</ol><p><strong>{}:</strong> {}</p>").format(
        piece.title, paragraphs(piece.intro), questions, _("What happens to this form"), piece.handling
    )


def intake(pieces: Pieces, _: Translate) -> Markup:
    conversation = pieces.intake
    return Markup('{}<h2>{}</h2>{}<p><a href="#consent">{}</a></p>').format(
        guide(conversation), _("Questions to ask"), bullet_list(conversation.questions), _("Consent script")
    )


def workshop(piece: Workshop, _: Translate) -> Markup:
    blocks = EMPTY.join(
        Markup("<h2>{} ({})</h2>{}{}").format(
            block.title,
            _("{minutes} minutes").format(minutes=block.minutes),
            paragraphs(block.purpose),
            bullet_list(block.steps, ordered=True),
        )
        for block in piece.blocks
    )
    return Markup("<h1>{}</h1><p><strong>{}</strong></p>{}{}").format(
        piece.title, _("{minutes} minutes").format(minutes=piece.minutes), paragraphs(piece.text), blocks
    )


def reunion(pieces: Pieces, _: Translate) -> Markup:
    meeting = pieces.reunion
    when = _("{weeks} weeks after the last session").format(weeks=meeting.weeks_after)
    choices = EMPTY.join(
        Markup("<h3>{}</h3>{}").format(way.title, paragraphs(way.text)) for way in meeting.stay_in_touch
    )
    return Markup("<h1>{}</h1><p><strong>{}</strong></p>{}{}<h2>{}</h2>{}").format(
        meeting.title,
        when,
        paragraphs(meeting.text),
        bullet_list(meeting.steps, ordered=True),
        _("Staying in touch: each person chooses"),
        choices,
    )


def accessibility(pieces: Pieces, _: Translate) -> Markup:
    return Markup("<h1>{}</h1>").format(_("Accessibility adaptations")) + EMPTY.join(
        guide(adaptation, level=2) for adaptation in pieces.accessibility
    )
