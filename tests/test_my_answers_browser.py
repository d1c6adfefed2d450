"""A participant's own data on a phone, in a real browser: journal, sharing, delete, evaluation page.

Playwright drives Debian's Chromium against `bridges serve`; every check reads the real SQLite store
or the real PDF (pdftotext), never the page's word for it.
"""

from __future__ import annotations

import base64
import contextlib
import subprocess
from pathlib import Path
from typing import Any

import pytest
from browser import bridges_serve, chromium, today_cohort
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from test_phone_browser import LAYOUT_PROBLEMS

from toolkit.curriculum import programme
from toolkit.events import LatestResponses
from toolkit.events.model import EventType, StoredEvent
from toolkit.events.store import open_store
from toolkit.lifecycle.evaluation import PAYLOAD_KIND, Phase, items_for
from toolkit.schema.programme import EvaluationDesign

COHORT, MODULE = "mine-test", "shared-experiences"
STORY = "The lantern my grandmother folded for me"
WORD = "courage"
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "has_touch": True,
    "is_mobile": True,
}


def events_of(store: Path, code: str) -> list[StoredEvent]:
    with open_store(f"sqlite:///{store}") as events:
        return events.read_participant(COHORT, code)


def get_new_code(page: Any) -> str:
    page.get_by_role("button", name="Get a new code").click(timeout=90_000)
    shown = page.locator(".bridges-participant-panel .bridges-code strong")
    shown.wait_for(timeout=90_000)  # through the door, the click may come before the widgets have rendered
    return str(shown.inner_text()).strip()


def save(card: Any, sharing: str) -> None:
    card.get_by_label(sharing).check()
    card.get_by_role("button", name="Save answer").click()
    expect(card).to_contain_text("Saved at", timeout=15_000)


@pytest.mark.slow
def test_journal_sharing_delete_and_the_evaluation_page_on_a_phone(tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    env = {"BRIDGES_DATA_DIR": str(tmp_path / "data")}
    with (
        bridges_serve(today_cohort(tmp_path, COHORT, "My answers test", store), env) as served,
        chromium() as browser,
    ):
        page = browser.new_context(**PHONE).new_page()
        page.goto(served["participant"], timeout=90_000)
        page.get_by_role("link", name="Shared experiences").click()
        code = get_new_code(page)
        mine = page.locator(".bridges-my-answers")
        expect(mine).to_be_visible()

        # Two answers: a story counted in the summary, a word kept private.
        story = page.locator(".bridges-exercise").filter(has=page.locator("textarea")).first
        story.locator("textarea").fill(STORY)
        save(story, "Count it in the anonymous summary")
        word = page.locator(".bridges-exercise").filter(has_text="One word or short phrase you are taking home")
        word.locator("input[type=text]").fill(WORD)
        save(word, "Only me (private)")

        # The journal comes as a data: link: a real PDF holding the private answer too.
        mine.get_by_role("button", name="Take my journal home").click()
        link = mine.locator('a[download="journal.pdf"]')
        link.wait_for(timeout=60_000)
        href = str(link.get_attribute("href"))
        assert href.startswith("data:application/pdf;base64,")
        pdf = base64.b64decode(href.split(",", 1)[1])
        assert pdf.startswith(b"%PDF")
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert STORY in " ".join(text.split()) and WORD in text
        assert mine.locator('a[download="journal.html"]').count() == 1
        assert page.evaluate(LAYOUT_PROBLEMS) == []  # the area with its list and links fits the phone

        # "What I have shared" lists the story only, and narrows it at once.
        shared = mine.locator(".widget-vbox").filter(has_text=STORY).last
        shared.get_by_role("button", name="Change to: Only me (private)").click()
        expect(mine).to_contain_text("Nothing: all your saved answers are private", timeout=15_000)
        latest = LatestResponses()
        for stored in events_of(store, code):
            latest.apply(stored)
        response = latest.get(COHORT, MODULE, "se-story-carry", code)
        assert response is not None and response.sharing.value == "private"
        expect(story.get_by_label("Only me (private)")).to_be_checked()  # the form on the page follows

        # Delete this page's answers: asked once more, then gone from the store, and the page is cleared.
        mine.get_by_role("button", name="Delete my answers to this page").click()
        assert any(s.event.type is EventType.ANSWERED for s in events_of(store, code))
        page.get_by_role("button", name="Yes, delete").click()
        expect(page.locator(".bridges-participant-panel")).to_contain_text("are deleted", timeout=15_000)
        assert not [s for s in events_of(store, code) if s.event.module == MODULE]
        assert story.locator("textarea").input_value() == ""
        assert STORY not in page.inner_text("body")
        page.context.close()

        # The evaluation page due today: an answer and a pass, recorded as lifecycle/evaluation.py says.
        page = browser.new_context(**PHONE).new_page()
        page.goto(served["participant"], timeout=90_000)
        before_items = items_for(programme(), Phase.BEFORE)
        assert (page.get_by_role("link", name="Before we start").count() == 1) == bool(before_items)
        phase = Phase.BEFORE if before_items else Phase.AFTER
        page.get_by_role("link", name="Before we start" if before_items else "At the end").click()
        items = items_for(programme(), phase)
        answered, passed = items[0], items[1]
        evaluator = get_new_code(page)
        page.set_viewport_size({"width": 320, "height": 700})
        # The scales fit a small phone, once the page has laid itself out again at the new width
        # (the widgets still being rendered can lag a frame behind the resize).
        settled = f"() => ({LAYOUT_PROBLEMS})().length === 0"
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(settled, timeout=5_000)
        assert page.evaluate(LAYOUT_PROBLEMS) == []
        form = page.locator(".bridges-evaluation-item").filter(has_text=answered.text)
        scales = form.locator(".widget-toggle-buttons")
        retrospective = answered.design is EvaluationDesign.RETROSPECTIVE
        if retrospective:
            scales.nth(0).get_by_role("button", name="2", exact=True).click()
        scales.last.get_by_role("button", name="4", exact=True).click()
        form.get_by_role("button", name="Save answer").click()
        expect(form).to_contain_text("Saved.", timeout=15_000)
        skipped = page.locator(".bridges-evaluation-item").filter(has_text=passed.text)
        skipped.get_by_role("button", name="Pass").click()
        expect(skipped).to_contain_text("Passed.", timeout=15_000)
        recorded = {
            (s.event.type, s.event.exercise): s.event.payload
            for s in events_of(store, evaluator)
            if s.event.module == phase.module
        }
        value = {"before": 2, "now": 4} if retrospective else 4
        assert recorded[(EventType.ANSWERED, answered.id)] == {
            "kind": PAYLOAD_KIND,
            "value": value,
            "sharing": "aggregate",
        }
        assert recorded[(EventType.PASSED, passed.id)] == {}
