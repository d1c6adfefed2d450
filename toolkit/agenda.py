"""A cohort's agenda: every session's running order with clock times.

A module's running order holds more than its activities: the opening ritual
(and, after the first session, the agreements read aloud), the activities, the
debrief, and at the end the closing ritual (and, in the last module, the
programme retrospective). Every piece has minutes in the module's 90-minute and
120-minute plans; a cohort's ``module_minutes`` chooses the plan. Times are
computed from each session's start and those minutes, so the printed packs,
the facilitator guide, the dashboard and the live timer always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from toolkit.i18n import Translate, translator
from toolkit.schema.cohort import Cohort, Session
from toolkit.schema.module import AGREEMENTS_PIECE, PLANS, RETROSPECTIVE_PIECE, Activity, Method, Module
from toolkit.schema.programme import Programme, Ritual


class Piece(StrEnum):
    """What kind of thing a line of the running order is."""

    OPENING_RITUAL = "opening_ritual"
    AGREEMENTS = "agreements"
    ACTIVITY = "activity"
    DEBRIEF = "debrief"
    RETROSPECTIVE = "retrospective"
    CLOSING_RITUAL = "closing_ritual"


# Pieces that open a session; every other programme piece closes it.
OPENING_PIECES = frozenset({Piece.OPENING_RITUAL, Piece.AGREEMENTS})


@dataclass(frozen=True)
class PlanItem:
    """One line of a module's running order in one plan."""

    kind: Piece
    title: str
    minutes: int
    optional: bool = False
    activity: Activity | None = None
    ritual: Ritual | None = None


@dataclass(frozen=True)
class AgendaItem:
    """One line of a session's agenda: a running-order line with its clock times."""

    module: Module
    kind: Piece
    title: str
    minutes: int
    optional: bool
    starts: dt.datetime
    ends: dt.datetime
    activity: Activity | None = None


@dataclass(frozen=True)
class SessionAgenda:
    session: Session
    items: list[AgendaItem]

    @property
    def modules(self) -> list[Module]:
        return list({item.module.slug: item.module for item in self.items}.values())


def clock(moment: dt.datetime | dt.time) -> str:
    return moment.strftime("%H:%M")


def check_plan(plan: int) -> int:
    if plan not in PLANS:
        raise ValueError(f"no {plan}-minute plan; the plans are {', '.join(map(str, PLANS))}")
    return plan


def _placed(programme: Programme, module: Module, plan: int, _: Translate) -> list[PlanItem]:
    """The module's programme pieces (rituals, agreements, retrospective) in the order listed."""
    openings = {r.id: r for r in programme.agreements.opening_rituals}
    closings = {r.id: r for r in programme.agreements.closing_rituals}
    items = []
    for placed in module.rituals:
        minutes = placed.minutes_in(plan)
        if placed.id == AGREEMENTS_PIECE:
            items.append(PlanItem(Piece.AGREEMENTS, _("Our agreements"), minutes))
        elif placed.id == RETROSPECTIVE_PIECE:
            items.append(PlanItem(Piece.RETROSPECTIVE, _("Programme retrospective"), minutes))
        elif (ritual := openings.get(placed.id)) is not None:
            title = _("Opening ritual: {title}").format(title=ritual.title)
            items.append(PlanItem(Piece.OPENING_RITUAL, title, minutes, ritual=ritual))
        elif (ritual := closings.get(placed.id)) is not None:
            title = _("Closing ritual: {title}").format(title=ritual.title)
            items.append(PlanItem(Piece.CLOSING_RITUAL, title, minutes, ritual=ritual))
        # An unknown id is reported by `bridges check` (toolkit.checks.timings); it has no place here.
    return items


def module_plan(programme: Programme, module: Module, plan: int = 90, _: Translate | None = None) -> list[PlanItem]:
    """The module's running order in the ``plan``-minute plan (90 or 120).

    The debrief comes before a closing-circle activity that ends the module, so
    the session ends with quiet writing and the closing ritual, not a discussion.
    """
    _ = _ or translator("en")
    check_plan(plan)
    placed = _placed(programme, module, plan, _)
    # An optional activity with no minutes in this plan is left out of it (see Activity.minutes).
    activities = [
        PlanItem(Piece.ACTIVITY, a.title, a.minutes_in(plan), a.optional, activity=a)
        for a in module.activities
        if a.minutes_in(plan)
    ]
    debrief = PlanItem(Piece.DEBRIEF, _("Debrief"), module.debrief.minutes_in(plan))
    last = activities[-1].activity if activities else None
    closing_circle = last is not None and last.method is Method.CLOSING_CIRCLE and len(activities) > 1
    middle = [*activities[:-1], debrief, activities[-1]] if closing_circle else [*activities, debrief]
    return [
        *(item for item in placed if item.kind in OPENING_PIECES),
        *middle,
        *(item for item in placed if item.kind not in OPENING_PIECES),
    ]


def session_agenda(programme: Programme, session: Session, plan: int = 90, _: Translate | None = None) -> SessionAgenda:
    """Every module's running order back to back from the session's start, modules in the order given."""
    moment = dt.datetime.combine(session.date, session.start)
    items = []
    for slug in session.modules:
        module = programme.module(slug)
        for line in module_plan(programme, module, plan, _):
            ends = moment + dt.timedelta(minutes=line.minutes)
            items.append(
                AgendaItem(module, line.kind, line.title, line.minutes, line.optional, moment, ends, line.activity)
            )
            moment = ends
    return SessionAgenda(session, items)


def cohort_agenda(programme: Programme, cohort: Cohort) -> list[SessionAgenda]:
    """Every session's agenda in the cohort's plan and language."""
    _ = translator(cohort.language)
    return [session_agenda(programme, session, cohort.module_minutes, _) for session in cohort.sessions]


def current_session(cohort: Cohort, today: dt.date) -> int:
    """Index of today's session, else the next one, else the last."""
    for index, session in enumerate(cohort.sessions):
        if session.date >= today:
            return index
    return len(cohort.sessions) - 1


def cohort_dates(cohort: Cohort) -> str:
    """The span of the cohort's sessions, for covers and footers (ISO dates: no locale guessing)."""
    first = min(session.date for session in cohort.sessions)
    last = max(session.date for session in cohort.sessions)
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
