"""A live session in a real browser: three participants in Voilà, the facilitator's dashboard beside them."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import psutil
import pytest
from browser import bridges_serve, chromium, today_cohort
from playwright.sync_api import expect

from toolkit.events.model import Event, EventType
from toolkit.events.store import open_store

PRIVATE = "PRIVATE-MARKER my mother's kitchen in Ipoh"
HOSTILE = '<img src=x onerror="window.__pwned = 1">a quote'
SCALE = "How close to your own life"
STORY = "The object, dish or custom you chose"


def seed_answers(store: Path, exercise: str, value: object, count: int, first: int = 1000) -> None:
    """Other people in the room, answering through the toolkit's API."""
    with open_store(f"sqlite:///{store}") as events:
        for number in range(first, first + count):
            events.append(
                Event(
                    type=EventType.ANSWERED,
                    cohort="live-test",
                    module="shared-experiences",
                    exercise=exercise,
                    participant=f"seed-person-{number}",
                    payload={
                        "kind": "free_text" if isinstance(value, str) else "scale",
                        "value": value,
                        "sharing": "aggregate",
                    },
                )
            )


def exercise_card(dashboard: Any, prompt: str) -> Any:
    return dashboard.locator(".widget-vbox").filter(has=dashboard.locator(f"h3:has-text('{prompt}')")).last


def join(browser: Any, url: str) -> Any:
    page = browser.new_page()
    page.goto(url, timeout=90_000)
    page.get_by_role("link", name="Shared experiences").click()
    page.get_by_role("button", name="Get a new code").click(timeout=90_000)
    # The page's door takes the click at once; the code is chosen once the widgets have taken it over.
    expect(page.locator(".bridges-code-bar")).to_contain_text("Answering as", timeout=90_000)
    return page


def answer_story(page: Any, text: str, sharing: str) -> None:
    card = page.locator(".bridges-exercise").filter(has=page.locator("textarea")).first
    card.locator("textarea").fill(text)
    card.get_by_label(sharing).check()
    card.get_by_role("button", name="Save answer").click()
    expect(card.locator("[role=status]")).to_contain_text("Saved at", timeout=15_000)


@pytest.mark.slow
def test_dashboard_follows_the_room_safely(tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    seed_answers(store, "se-closeness-scale", 4, 5)
    env = {"BRIDGES_DATA_DIR": str(tmp_path / "data")}
    with (
        bridges_serve(today_cohort(tmp_path, "live-test", "Live test cohort", store), env) as served,
        chromium() as browser,
    ):
        dashboard = browser.new_page()
        dashboard.goto(served["facilitator"], timeout=90_000)
        scale = exercise_card(dashboard, SCALE)
        assert "Answered: 5" in scale.inner_text(timeout=90_000)

        first, second, third = (join(browser, served["participant"]) for _ in range(3))
        answer_story(first, PRIVATE, "Only me (private)")
        answer_story(second, HOSTILE, "It may be quoted anonymously")
        card = third.locator(".bridges-exercise").filter(has=third.get_by_text(SCALE)).first
        card.locator(".widget-radio-box").first.locator("input").nth(2).check()
        card.get_by_label("Count it in the anonymous summary").check()
        card.get_by_role("button", name="Save answer").click()
        expect(card.locator("[role=status]")).to_contain_text("Saved at", timeout=15_000)

        # One new answer is never published alone: a watcher could subtract one view from the next.
        dashboard.wait_for_timeout(3_000)  # six polls of the dashboard
        assert "Answered: 5" in scale.inner_text() and "Answered: 6" not in dashboard.inner_text("body")
        # Once k people have changed their answers since the last view, the figures move together.
        seed_answers(store, "se-closeness-scale", 4, 4, first=2000)
        seed_answers(store, "se-story-carry", "a story told in a room", 3, first=3000)
        dashboard.wait_for_function("() => document.body.innerText.includes('Answered: 10')", timeout=10_000)
        story = exercise_card(dashboard, STORY)
        dashboard.wait_for_function("() => document.body.innerText.includes('Reveal quote 1')", timeout=10_000)
        assert "Answered: 5" in story.inner_text()  # private, quote and three others: counted, never shown
        assert "PRIVATE-MARKER" not in dashboard.content()
        assert "a quote" not in dashboard.inner_text("body")  # not revealed yet

        dashboard.get_by_role("button", name="Reveal quote 1").click()
        dashboard.wait_for_function("() => document.body.innerText.includes('a quote')", timeout=10_000)
        assert HOSTILE in dashboard.inner_text("body")  # shown as text
        assert dashboard.evaluate("window.__pwned === undefined")
        assert dashboard.locator("img[src=x]").count() == 0
        assert "PRIVATE-MARKER" not in dashboard.content()
        # Participants never see one another's answers.
        assert "PRIVATE-MARKER" not in second.content() and "onerror" not in first.inner_text("body")


@pytest.mark.slow
def test_beyond_loopback_the_join_code_and_facilitator_token_are_required(tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    env = {"BRIDGES_DATA_DIR": str(tmp_path / "data")}
    with bridges_serve(today_cohort(tmp_path, "live-test", "Live test cohort", store), env, host="0.0.0.0") as served:
        base = f"http://127.0.0.1:{served['port']}/"
        code = served["join_code"]
        server = psutil.Process(served["process"].pid)

        def status(path: str) -> int:
            request = urllib.request.Request(base + path)
            try:
                with urllib.request.urlopen(request) as response:
                    return int(response.status)
            except urllib.error.HTTPError as error:
                return int(error.code)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(base)
            refused = False
        except urllib.error.HTTPError as error:
            refused = error.code in (302, 403)
        assert refused, "the landing page must not open without the join code"
        assert status("api/kernels") in (403, 404)
        assert status(f"?token={code}") == 200
        assert status(f"voila/render/facilitator/dashboard.ipynb?token={code}") == 404
        assert status(f"facilitator/dashboard?token={code}") == 403
        assert status(f"facilitator?key=wrong&token={code}") == 403
        kernels = [child.pid for child in server.children(recursive=True)]
        assert kernels, "preheated kernels are running"
    # Ctrl-C stopped the server and every kernel it started.
    assert not [pid for pid in kernels if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
