"""The session timer: elapsed time with pauses, lateness, and which optional activities to drop."""

from __future__ import annotations

import datetime as dt

from toolkit.agenda import session_agenda
from toolkit.curriculum import programme
from toolkit.live.timer import SessionTimer, propose_drops
from toolkit.schema.cohort import Session

T0 = dt.datetime(2027, 3, 6, 10, 0)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def timer() -> SessionTimer:
    session = Session(date=T0.date(), start=T0.time(), modules=["shared-experiences"])
    return SessionTimer(session_agenda(programme(), session).items)


def test_pauses_do_not_count() -> None:
    clock = timer()
    clock.start(T0)
    clock.pause(T0 + minutes(5))
    assert clock.elapsed(T0 + minutes(30)) == minutes(5)
    clock.start(T0 + minutes(30))
    assert clock.elapsed(T0 + minutes(32)) == minutes(7)


def test_running_over_makes_the_session_late_and_proposes_optional_drops() -> None:
    clock = timer()
    first = clock.current.minutes
    clock.start(T0)
    assert clock.late_by(T0 + minutes(first)) == dt.timedelta()
    assert clock.proposed_drops(T0 + minutes(first)) == []
    clock.next_activity(T0 + minutes(first + 12))  # the opening ritual ran 12 minutes over
    assert clock.late_by(T0 + minutes(first + 12)) == minutes(12)
    drops = clock.proposed_drops(T0 + minutes(first + 12))
    upcoming = clock.items[clock.index + 1 :]
    assert drops and all(a.optional and a in upcoming for a in drops)
    assert sum(a.minutes for a in drops) >= 12 or len(drops) == sum(1 for a in upcoming if a.optional)


def test_propose_drops_takes_the_fewest_longest_optional_activities() -> None:
    module = programme().module("shared-experiences")
    optional = [a for a in module.activities if a.optional]
    assert optional, "module 1 has an optional activity to drop"
    assert propose_drops(module.activities, minutes(1)) == [max(optional, key=lambda a: a.minutes)]
    assert propose_drops(module.activities, minutes(0)) == []
    assert propose_drops([a for a in module.activities if not a.optional], minutes(30)) == []


def test_time_left_in_the_activity_and_the_session_counts_down_without_pauses() -> None:
    clock = timer()
    first = clock.current.minutes
    total = sum(item.minutes for item in clock.items)
    assert (clock.activity_left(T0), clock.session_left(T0)) == (minutes(first), minutes(total))  # not started
    clock.start(T0)
    clock.pause(T0 + minutes(2))
    assert clock.activity_left(T0 + minutes(40)) == minutes(first - 2)  # a pause stops both
    clock.start(T0 + minutes(40))
    assert clock.running and clock.session_left(T0 + minutes(41)) == minutes(total - 3)
    clock.next_activity(T0 + minutes(40 + first + 1))  # the first activity ran a minute over
    second = clock.current.minutes
    assert clock.activity_left(T0 + minutes(40 + first + 1)) == minutes(second)
    assert clock.session_left(T0 + minutes(40 + first + 1)) == minutes(total - first - 3)
    assert clock.session_left(T0 + minutes(38 + total + 5)) == minutes(-5)  # over: negative
