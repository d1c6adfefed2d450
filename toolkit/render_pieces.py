"""The programme pieces and programme-wide guidance as escaped HTML sections for the packs.

Each function returns one pack section starting with its own ``<h1>``, the way
the pack's other guidance does. Forms print as forms: tick boxes and ruled
lines to write on, every question optional.
"""

from __future__ import annotations

from html import escape

from toolkit.exercises.base import ruled_lines, tick_box
from toolkit.i18n import Translate
from toolkit.render import bullet_list, paragraphs
from toolkit.schema.pieces import Form, Guide, Pieces, Workshop
from toolkit.schema.programme import Programme, Section

# Lines left under a question that has no tick boxes.
WRITING_LINES = 3


def guide(piece: Guide | Section, level: int = 1) -> str:
    """A title, its prose and its numbered steps."""
    steps = bullet_list(piece.steps, ordered=True) if piece.steps else ""
    return f"<h{level}>{escape(piece.title)}</h{level}>{paragraphs(piece.text)}{steps}"


def roles_and_session_plan(programme: Programme, _: Translate) -> str:
    overview = programme.overview
    roles = "".join(f"<h3>{escape(role.title)}</h3>{paragraphs(role.description)}" for role in overview.roles)
    return (
        f"<h1>{escape(_('Roles and session plan'))}</h1>"
        f"<h2>{escape(_('Roles'))}</h2>{roles}"
        f"<h2>{escape(_('How the programme runs'))}</h2>{paragraphs(overview.how_it_runs)}"
        f"<h2>{escape(_('Session plan'))}</h2>{paragraphs(overview.session_plan)}"
    )


def form(piece: Form, _: Translate) -> str:
    """A printable form: its intro, numbered optional questions, and how it is handled."""
    questions = "".join(
        f'<li style="break-inside:avoid"><p>{escape(q.question)}</p>'
        + (
            f'<ul style="padding-left:0">{"".join(tick_box(option) for option in q.options)}</ul>'
            if q.options
            else ruled_lines(WRITING_LINES)
        )
        + "</li>"
        for q in piece.questions
    )
    return (
        f"<h1>{escape(piece.title)}</h1>{paragraphs(piece.intro)}<ol>{questions}</ol>"
        f"<p><strong>{escape(_('What happens to this form'))}:</strong> {escape(piece.handling)}</p>"
    )


def intake(pieces: Pieces, _: Translate) -> str:
    conversation = pieces.intake
    consent = f'<p><a href="#consent">{escape(_("Consent script"))}</a></p>'
    return (
        guide(conversation) + f"<h2>{escape(_('Questions to ask'))}</h2>{bullet_list(conversation.questions)}" + consent
    )


def workshop(piece: Workshop, _: Translate) -> str:
    blocks = "".join(
        f"<h2>{escape(block.title)} ({escape(_('{minutes} minutes').format(minutes=block.minutes))})</h2>"
        f"{paragraphs(block.purpose)}{bullet_list(block.steps, ordered=True)}"
        for block in piece.blocks
    )
    length = escape(_("{minutes} minutes").format(minutes=piece.minutes))
    return f"<h1>{escape(piece.title)}</h1><p><strong>{length}</strong></p>{paragraphs(piece.text)}{blocks}"


def reunion(pieces: Pieces, _: Translate) -> str:
    meeting = pieces.reunion
    when = _("{weeks} weeks after the last session").format(weeks=meeting.weeks_after)
    choices = "".join(f"<h3>{escape(way.title)}</h3>{paragraphs(way.text)}" for way in meeting.stay_in_touch)
    return (
        f"<h1>{escape(meeting.title)}</h1><p><strong>{escape(when)}</strong></p>{paragraphs(meeting.text)}"
        f"{bullet_list(meeting.steps, ordered=True)}"
        f"<h2>{escape(_('Staying in touch: each person chooses'))}</h2>{choices}"
    )


def accessibility(pieces: Pieces, _: Translate) -> str:
    return f"<h1>{escape(_('Accessibility adaptations'))}</h1>" + "".join(
        guide(adaptation, level=2) for adaptation in pieces.accessibility
    )
