"""A cohort's agenda: every session's modules and activities with clock times.

Times are computed from each session's start and the activities' minutes, so
the printed packs, the dashboard and the live timer always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.schema.cohort import Cohort, Session
from toolkit.schema.module import Activity, Module
from toolkit.schema.programme import Programme


@dataclass(frozen=True)
class AgendaItem:
    module: Module
    activity: Activity
    starts: dt.datetime
    ends: dt.datetime


@dataclass(frozen=True)
class SessionAgenda:
    session: Session
    items: list[AgendaItem]

    @property
    def modules(self) -> list[Module]:
        return list({item.module.slug: item.module for item in self.items}.values())


def clock(moment: dt.datetime | dt.time) -> str:
    return moment.strftime("%H:%M")


def session_agenda(programme: Programme, session: Session) -> SessionAgenda:
    """Activities back to back from the session's start, modules in the order given."""
    moment = dt.datetime.combine(session.date, session.start)
    items = []
    for slug in session.modules:
        module = programme.module(slug)
        for activity in module.activities:
            ends = moment + dt.timedelta(minutes=activity.minutes)
            items.append(AgendaItem(module, activity, moment, ends))
            moment = ends
    return SessionAgenda(session, items)


def cohort_agenda(programme: Programme, cohort: Cohort) -> list[SessionAgenda]:
    return [session_agenda(programme, session) for session in cohort.sessions]


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
