"""The door: a module page's code choice is usable at the first paint, before Voilà's front end runs.

Voilà's front end (voila.js) is held back by the test's browser, so every check
here happens in the state a participant sees for the first second or two on a
phone: the door must work, be accessible, and hand each kind of choice over to
the participant panel's widgets once the front end arrives, leaving one set of
controls on the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import bridges_serve, chromium, today_cohort
from playwright.sync_api import expect
from test_accessibility import serious
from test_phone_browser import PHONE

from toolkit.identity import EXAMPLE_CODE

MODULE = "voila/render/01-shared-experiences.ipynb"
FRONT_END = "**/voila/static/voila.js"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Any]]:
    folder = tmp_path_factory.mktemp("door")
    env = {"BRIDGES_DATA_DIR": str(folder / "data")}
    extra = ("--room-size", "6", "--preheat", "2")
    with bridges_serve(today_cohort(folder, "door", "Door cohort"), env, extra=extra) as server, chromium() as browser:
        yield server, browser


class HeldFrontEnd:
    """Opens the module page with voila.js held back until ``release``: the first seconds, made to last."""

    def __init__(self, page: Any, url: str) -> None:
        self.page, self.held = page, []
        page.route(FRONT_END, self._hold)
        page.goto(url, wait_until="commit", timeout=90_000)
        page.locator("#bridges-door").wait_for(timeout=90_000)

    def _hold(self, route: Any) -> None:
        self.held.append(route)

    def release(self) -> None:
        self.page.wait_for_function("() => document.querySelector('#loading')", timeout=10_000)
        for route in self.held:
            route.continue_()
        self.page.unroute(FRONT_END)


def module_url(server: dict[str, Any]) -> str:
    return server["participant"].split("?")[0].rstrip("/") + "/" + MODULE


def panel_message(page: Any) -> Any:
    return page.locator(".bridges-participant-panel [role=status]")


@pytest.mark.slow
def test_a_new_code_chosen_before_the_front_end_arrives(served: tuple[dict[str, Any], Any]) -> None:
    server, browser = served
    with browser.new_context(**PHONE) as context:
        page = context.new_page()
        front_end = HeldFrontEnd(page, module_url(server))
        # Nothing of the widgets exists yet: this is the plain HTML first screen.
        assert page.locator("#rendered_cells .bridges-new-code").count() == 0
        page.get_by_role("button", name="Get a new code").tap()
        expect(page.locator("#bridges-door-status")).to_contain_text("still opening")
        expect(page.get_by_role("button", name="Get a new code")).to_be_disabled()
        front_end.release()
        expect(page.locator(".bridges-code-bar")).to_contain_text("Answering as", timeout=60_000)
        code = page.locator("p.bridges-code").inner_text().strip()
        assert len(code.split("-")) == 5, code
        # The door is gone; one set of controls remains, and focus stands where the choice was made.
        expect(page.locator("#bridges-door")).to_have_count(0)
        expect(page.get_by_role("button", name="Get a new code")).to_have_count(1)
        assert "bridges-new-code" in page.evaluate("document.activeElement.className")
        # The panel's answer is on screen, not left below the fold.
        expect(page.locator("p.bridges-code")).to_be_in_viewport()


@pytest.mark.slow
def test_a_code_typed_into_the_door_resumes_or_is_refused_by_the_panel(served: tuple[dict[str, Any], Any]) -> None:
    server, browser = served
    with browser.new_context(**PHONE) as context:
        page = context.new_page()
        page.goto(module_url(server), timeout=90_000)
        page.get_by_role("button", name="Get a new code").click(timeout=90_000)
        expect(page.locator("p.bridges-code")).to_have_count(1, timeout=60_000)
        code = page.locator("p.bridges-code").inner_text().strip()
    with browser.new_context(**PHONE) as context:
        page = context.new_page()
        front_end = HeldFrontEnd(page, module_url(server))
        page.get_by_label("I have a code").fill(code)
        page.get_by_label("I have a code").press("Enter")  # Enter submits the door's form
        front_end.release()
        expect(panel_message(page)).to_contain_text("Welcome back", timeout=60_000)
        expect(page.locator(".bridges-code-bar")).to_contain_text("Answering as " + "-".join(code.split("-")[:2]))
    with browser.new_context(**PHONE) as context:
        page = context.new_page()
        front_end = HeldFrontEnd(page, module_url(server))
        page.get_by_placeholder(EXAMPLE_CODE).fill(EXAMPLE_CODE)  # the example fails its check letter
        page.get_by_role("button", name="Continue with this code").click()
        front_end.release()
        expect(panel_message(page)).to_contain_text("Check the code for a typo", timeout=60_000)
        expect(page.locator(".bridges-code-bar")).not_to_contain_text("Answering as")


@pytest.mark.slow
def test_text_typed_but_not_sent_moves_to_the_panel_with_the_focus(served: tuple[dict[str, Any], Any]) -> None:
    server, browser = served
    with browser.new_context(**PHONE) as context:
        page = context.new_page()
        front_end = HeldFrontEnd(page, module_url(server))
        page.get_by_label("I have a code").fill("half-typed")
        front_end.release()
        expect(page.locator("#bridges-door")).to_have_count(0, timeout=60_000)
        field = page.locator(".bridges-code-input input")
        expect(field).to_have_value("half-typed")
        expect(field).to_be_focused()
        # Nothing was tried: no refusal, no code.
        expect(panel_message(page)).to_have_text("")


@pytest.mark.slow
@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_door_is_accessible_and_fits_a_phone(served: tuple[dict[str, Any], Any], size: str) -> None:
    server, browser = served
    options = PHONE if size == "phone" else {"viewport": {"width": 1366, "height": 768}}
    with browser.new_context(**options) as context:
        page = context.new_page()
        front_end = HeldFrontEnd(page, module_url(server))
        assert serious(page) == [], "the door before the front end has arrived"
        for control in ("#bridges-door-new", "#bridges-door-code", "#bridges-door-form button"):
            box = page.locator(control).bounding_box()
            assert box is not None and box["height"] >= 44, (control, box)
            assert box["y"] + box["height"] <= options["viewport"]["height"], f"{control} is below the first screen"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # Keyboard: Tab reaches the button first, then the field.
        page.keyboard.press("Tab")
        expect(page.locator("#bridges-door-new")).to_be_focused()
        page.keyboard.press("Tab")
        expect(page.locator("#bridges-door-code")).to_be_focused()
        front_end.release()
        expect(page.locator("#bridges-door")).to_have_count(0, timeout=60_000)
        expect(page.locator(".bridges-code-input input")).to_be_focused()
