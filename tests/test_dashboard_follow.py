"""The live dashboard follows the log: woken by PostgreSQL's NOTIFY, by polling on SQLite.

The dashboard's follower runs on a real event loop as in a kernel; answers come from
another connection, as from a participant's kernel on another machine.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import conftest_postgres
import pytest

import toolkit.live.dashboard as dashboard_module
from toolkit.events.model import Event, EventType
from toolkit.events.store import open_store
from toolkit.live.dashboard import Dashboard
from toolkit.schema.cohort import Cohort, Session

# The PostgreSQL fixtures, made visible to pytest in this module.
postgres_server = conftest_postgres.postgres_server
postgres_url = conftest_postgres.postgres_url

MODULE = "shared-experiences"
EXERCISE = "se-closing-word"
COHORT = Cohort(
    name="Follow test",
    slug="follow-test",
    sessions=[Session(date=dt.date.today(), start=dt.time(18), modules=[MODULE])],
    k=5,
)


def answer(person: int) -> Event:
    return Event(
        type=EventType.ANSWERED,
        cohort=COHORT.slug,
        module=MODULE,
        exercise=EXERCISE,
        participant=f"person-{1000 + person}",
        payload={"value": "tea", "sharing": "aggregate"},
    )


async def seen_after_append(url: str, deadline: float) -> tuple[float | None, int]:
    """Show a live dashboard, append one answer from another connection; seconds until the
    dashboard's cursor passed it (None if not within ``deadline``), and how often a 20 ms
    ticker ran meanwhile (a follower blocking the loop would starve it)."""
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    with open_store(url) as dashboard_store, open_store(url) as participant:
        dashboard = Dashboard(COHORT, dashboard_store)
        dashboard.show(live=True)
        ticking = asyncio.create_task(ticker())
        await asyncio.sleep(0.3)  # the follower is waiting now
        participant.append(answer(1))
        appended = time.monotonic()
        seen: float | None = None
        while time.monotonic() - appended < deadline:
            if dashboard.responses.cursor >= 1:
                seen = time.monotonic() - appended
                break
            await asyncio.sleep(0.01)
        assert dashboard._task is not None
        dashboard._task.cancel()
        ticking.cancel()
        participant.append(answer(2))  # wakes a follower's thread still waiting, so the loop can close
        await asyncio.sleep(0.05)
        return seen, ticks


def test_on_postgresql_the_dashboard_wakes_on_notify_not_on_its_poll(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A poll this slow would show the answer after 4 s: only the notification can show it sooner.
    monkeypatch.setattr(dashboard_module, "POLL_SECONDS", 4.0)
    seen, ticks = asyncio.run(seen_after_append(postgres_url, deadline=3.0))
    assert seen is not None and seen < 1.0, f"the dashboard saw the answer after {seen} s"
    # The wait ran off the event loop: the ticker kept running (about 15 ticks in 0.3 s + the wait).
    assert ticks >= 10


def test_on_sqlite_the_dashboard_still_polls(tmp_path: Path) -> None:
    seen, ticks = asyncio.run(seen_after_append(f"sqlite:///{tmp_path}/events.sqlite", deadline=5.0))
    assert seen is not None and seen <= dashboard_module.POLL_SECONDS + 0.5
    assert ticks >= 10
