"""A cohort on PostgreSQL, as the README tells a coordinator: `store: postgresql://…`, `bridges check
--connect`, `bridges serve`; a participant answers in a real browser, other servers' answers arrive
in the same database, and the facilitator's dashboard follows them all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import conftest_postgres
import pytest
from browser import bridges_serve, chromium, today_cohort
from test_live_browser import answer_story, exercise_card, join

from toolkit.events.model import Event, EventType
from toolkit.events.store import open_store, store_exists

# The PostgreSQL fixtures, made visible to pytest in this module.
postgres_server = conftest_postgres.postgres_server
postgres_url = conftest_postgres.postgres_url

STORY = "The object, dish or custom you chose"


def cohort_on_postgresql(folder: Path, url: str) -> Path:
    """A cohort with a session today, its store line changed to the PostgreSQL URL as the README shows."""
    path = today_cohort(folder, "pg-live", "PostgreSQL live cohort")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("store:")]
    path.write_text("\n".join([*lines, f"store: {url}"]) + "\n", encoding="utf-8")
    return path


def answers_from_another_server(url: str, count: int) -> None:
    """People in the same cohort answering on another `bridges serve`: the same database."""
    with open_store(url) as store:
        for number in range(count):
            store.append(
                Event(
                    type=EventType.ANSWERED,
                    cohort="pg-live",
                    module="shared-experiences",
                    exercise="se-story-carry",
                    participant=f"elsewhere-{1000 + number}",
                    payload={"kind": "free_text", "value": "a story", "sharing": "aggregate"},
                )
            )


@pytest.mark.slow
def test_a_cohort_on_postgresql_checks_serves_and_follows(cli: Any, tmp_path: Path, postgres_url: str) -> None:
    import psycopg

    cohort = cohort_on_postgresql(tmp_path, postgres_url)
    checked = cli("check", str(cohort), "--connect")
    assert checked.exit_code == 0, checked.output
    assert "does not exist yet" in checked.output and not store_exists(postgres_url)

    env = {"BRIDGES_DATA_DIR": str(tmp_path / "data")}
    with bridges_serve(cohort, env) as served, chromium() as browser:
        dashboard = browser.new_page()
        dashboard.goto(served["facilitator"], timeout=90_000)
        story = exercise_card(dashboard, STORY)
        assert "Answered: fewer than 5" in story.inner_text(timeout=90_000)
        assert store_exists(postgres_url)  # the served dashboard opened (and so created) the store
        with psycopg.connect(postgres_url) as db:
            listening = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bridges' AND query LIKE 'LISTEN %'"
            ).fetchone()
        assert listening is not None and listening[0] >= 1  # the dashboard waits on NOTIFY

        participant = join(browser, served["participant"])
        answer_story(participant, "what the dish carries", "Count it in the anonymous summary")
        with open_store(postgres_url) as store:
            saved = [e.event for e in store.read() if e.event.type is EventType.ANSWERED]
        assert [e.exercise for e in saved] == ["se-story-carry"]  # the participant's kernel wrote to PostgreSQL
        answers_from_another_server(postgres_url, 4)
        dashboard.wait_for_function("() => document.body.innerText.includes('Answered: 5')", timeout=15_000)
        assert "what the dish carries" not in dashboard.content()  # counted, never shown

    checked = cli("check", str(cohort), "--connect")
    assert checked.exit_code == 0 and f"store answers: {postgres_url}" in checked.output
