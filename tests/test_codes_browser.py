"""Participant codes in a real browser: a shared phone, the form's example and a typo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import bridges_serve, chromium, today_cohort
from playwright.sync_api import expect

from toolkit.events.store import open_store
from toolkit.identity import EXAMPLE_CODE, new_code

SECRET = "PRIVATE-MARKER the name I use at home"


def event_count(store: Path) -> int:
    with open_store(f"sqlite:///{store}") as events:
        return len(events.read())


def get_new_code(page: Any, previous: str = "") -> str:
    page.get_by_role("button", name="Get a new code").click(timeout=90_000)
    shown = page.locator(".bridges-participant-panel strong")
    page.wait_for_function(
        "previous => { const s = document.querySelector('.bridges-participant-panel strong');"
        " return s && s.innerText.trim() && s.innerText.trim() !== previous; }",
        arg=previous,
        timeout=90_000,  # through the door, the click may come before the widgets have rendered
    )
    return str(shown.inner_text()).strip()


def try_code(page: Any, text: str) -> str:
    """Type a code, press Continue, and return the panel's answer once it changed."""
    message = page.locator(".bridges-participant-panel [role=status]")
    before = message.inner_text() if message.count() else ""
    page.get_by_placeholder(EXAMPLE_CODE).fill(text)
    page.get_by_role("button", name="Continue with this code").click()
    page.wait_for_function(
        "before => { const m = document.querySelector('.bridges-participant-panel [role=status]');"
        " return m && m.innerText !== before; }",
        arg=before,
        timeout=30_000,
    )
    return str(message.inner_text())


@pytest.mark.slow
def test_a_shared_phone_and_codes_that_were_never_issued(tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    env = {"BRIDGES_DATA_DIR": str(tmp_path / "data")}
    with (
        bridges_serve(today_cohort(tmp_path, "live-test", "Live test cohort", store), env) as served,
        chromium() as browser,
    ):
        page = browser.new_page()
        page.goto(served["participant"], timeout=90_000)
        page.get_by_role("link", name="Shared experiences").click()

        # Person A gets a code and saves a private answer.
        first = get_new_code(page)
        card = page.locator(".bridges-exercise").filter(has=page.locator("textarea")).first
        card.locator("textarea").fill(SECRET)
        card.get_by_role("button", name="Save answer").click()
        expect(card.locator("[role=status]")).to_contain_text("Saved at", timeout=15_000)

        # Person B, on the same phone, asks for a new code: nothing of A's is left.
        second = get_new_code(page, previous=first)
        assert second != first
        assert card.locator("textarea").input_value() == ""
        assert "Saved" not in card.inner_text()
        assert SECRET not in page.inner_text("body")
        assert first not in page.inner_text("body")

        # The form's own example, a typo of A's code and a code never issued: refused, nothing written.
        written = event_count(store)
        assert "Check the code for a typo" in try_code(
            page, page.get_by_placeholder(EXAMPLE_CODE).get_attribute("placeholder")
        )
        # (Each answer differs from the one before, so the test can see it arrive.)
        assert "We don't recognise this code" in try_code(page, new_code())
        typo = first[:-1] + ("a" if first[-1] != "a" else "b")
        assert "Check the code for a typo" in try_code(page, typo)
        assert event_count(store) == written
        assert card.locator("textarea").input_value() == ""

        # A's own code, typed back, brings A's answer back.
        assert "Welcome back" in try_code(page, first.upper().replace("-", " "))
        page.wait_for_function(
            "secret => [...document.querySelectorAll('textarea')].some(t => t.value === secret)",
            arg=SECRET,
            timeout=15_000,
        )
