"""The session timer: start, pause, which activity is now, and what to drop when running late.

Pure state and arithmetic (no widgets, no clock of its own: callers pass
``now``), so the facilitator's dashboard and the tests share one truth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from toolkit.agenda import AgendaItem


class Droppable(Protocol):
    """Anything with planned minutes that may be optional: an agenda line or an activity."""

    @property
    def minutes(self) -> int: ...

    @property
    def optional(self) -> bool: ...


D = TypeVar("D", bound=Droppable)


@dataclass
class SessionTimer:
    items: list[AgendaItem]
    index: int = 0  # the activity running now
    started: dt.datetime | None = None
    paused_at: dt.datetime | None = None
    paused: dt.timedelta = field(default_factory=dt.timedelta)
    activity_started: dt.timedelta = field(default_factory=dt.timedelta)  # elapsed time when it began

    def start(self, now: dt.datetime) -> None:
        if self.started is None:
            self.started = now
        elif self.paused_at is not None:
            self.paused += now - self.paused_at
            self.paused_at = None

    def pause(self, now: dt.datetime) -> None:
        if self.started is not None and self.paused_at is None:
            self.paused_at = now

    def elapsed(self, now: dt.datetime) -> dt.timedelta:
        if self.started is None:
            return dt.timedelta()
        until = self.paused_at or now
        return until - self.started - self.paused

    @property
    def running(self) -> bool:
        return self.started is not None and self.paused_at is None

    def activity_left(self, now: dt.datetime) -> dt.timedelta:
        """Planned minutes of the current agenda line not used yet; negative once it runs over."""
        running = self.elapsed(now) - self.activity_started
        return dt.timedelta(minutes=self.current.minutes) - running

    def session_left(self, now: dt.datetime) -> dt.timedelta:
        """The session's planned length minus the time elapsed; negative once it runs over."""
        return self.planned_start(len(self.items)) - self.elapsed(now)

    def next_activity(self, now: dt.datetime) -> None:
        if self.index < len(self.items) - 1:
            self.index += 1
            self.activity_started = self.elapsed(now)

    @property
    def current(self) -> AgendaItem:
        return self.items[self.index]

    def planned_start(self, index: int) -> dt.timedelta:
        return sum((dt.timedelta(minutes=item.minutes) for item in self.items[:index]), dt.timedelta())

    def late_by(self, now: dt.datetime) -> dt.timedelta:
        """How far behind the plan the session is (never negative)."""
        running = self.elapsed(now) - self.activity_started
        overrun = max(dt.timedelta(), running - dt.timedelta(minutes=self.current.minutes))
        behind = self.activity_started - self.planned_start(self.index)
        return max(dt.timedelta(), behind + overrun)

    def proposed_drops(self, now: dt.datetime) -> list[AgendaItem]:
        """Optional activities still to come whose minutes (in the cohort's plan) make up the delay."""
        return propose_drops(self.items[self.index + 1 :], self.late_by(now))


def propose_drops(upcoming: list[D], late: dt.timedelta) -> list[D]:
    """The fewest optional activities, longest first, that win back ``late``; all of them if not enough."""
    if late <= dt.timedelta():
        return []
    chosen: list[D] = []
    won_back = dt.timedelta()
    for activity in sorted((a for a in upcoming if a.optional), key=lambda a: -a.minutes):
        if won_back >= late:
            break
        chosen.append(activity)
        won_back += dt.timedelta(minutes=activity.minutes)
    return chosen
