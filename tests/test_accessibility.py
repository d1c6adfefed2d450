"""WCAG 2.2 AA in a real browser: axe-core on every kind of page at phone and laptop sizes, and a
participant who uses only the keyboard answering every exercise kind of a module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from browser import bridges_serve, chromium
from test_phone_browser import PHONE, phone_cohort

from toolkit.curriculum import programme
from toolkit.evaluation_page import phase_title
from toolkit.events.model import EventType
from toolkit.events.store import open_store
from toolkit.i18n import translator
from toolkit.lifecycle.evaluation import Phase, items_for
from toolkit.schema.programme import EvaluationDesign

LAPTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 768}}
SIZES: dict[str, dict[str, Any]] = {"phone": PHONE, "laptop": LAPTOP}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Any, Path]]:
    folder = tmp_path_factory.mktemp("a11y")
    env = {"BRIDGES_DATA_DIR": str(folder / "data")}
    extra = ("--room-size", "10", "--preheat", "1")
    with bridges_serve(phone_cohort(folder, "en"), env, extra=extra) as server, chromium() as browser:
        yield server, browser, folder / "events.sqlite"


def serious(page: Any) -> list[str]:
    """axe-core's serious and critical findings, one line per rule with the first elements it names."""
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def loaded(page: Any) -> None:
    page.wait_for_function("() => !document.getElementById('loading')", timeout=90_000)
    page.wait_for_timeout(500)  # widgets render just after the loading screen goes


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_nothing_serious_on_any_page(served: tuple[dict[str, Any], Any, Path], size: str) -> None:
    server, browser, _store = served
    with browser.new_context(**SIZES[size]) as context:
        page = context.new_page()
        page.goto(server["participant"], timeout=90_000)
        assert serious(page) == [], "landing page"
        page.get_by_role("link", name="Shared experiences").click()
        page.locator(".bridges-exercise").last.wait_for(timeout=90_000)
        loaded(page)
        assert serious(page) == [], "module page before a code is chosen"
        page.get_by_role("button", name="Get a new code").click()
        page.locator(".bridges-code").wait_for(timeout=30_000)
        assert serious(page) == [], "module page with a code"
    with browser.new_context(**SIZES[size]) as context:
        page = context.new_page()
        page.goto(server["facilitator"], timeout=90_000)
        loaded(page)
        assert serious(page) == [], "dashboard"


# Where the keyboard is: the focused element and the exercise and radio group around it.
FOCUS = """() => {
  const e = document.activeElement, card = e.closest(".bridges-exercise"), group = e.closest("[role=radiogroup]");
  const label = group && group.parentElement.querySelector(":scope > .widget-label");
  const prompt = card && card.querySelector(".bridges-prompt");
  return {
    tag: e.tagName, type: e.type || "", text: (e.innerText || "").trim(), checked: !!e.checked,
    exercise: prompt ? prompt.id.replace(/-prompt$/, "") : "",
    group: group ? group.dataset.bridgesGroup : "", groupLabel: label ? label.innerText : "",
    groupName: group ? group.getAttribute("aria-labelledby").split(" ")
      .map(id => document.getElementById(id).innerText).join(" ") : "",
  };
}"""


SECOND_CHECKED = """() => {
  const e = document.activeElement, group = e.closest("[role=radiogroup]");
  return !!group && e.checked && [...group.querySelectorAll("input[type=radio]")].indexOf(e) === 1;
}"""


@pytest.mark.slow
def test_keyboard_only_answers_and_saves_every_exercise_kind(served: tuple[dict[str, Any], Any, Path]) -> None:
    server, browser, store = served
    module = programme("en").module("building-solidarity")
    assert len({exercise.kind for exercise in module.exercises}) == 7
    with browser.new_context(**LAPTOP) as context:
        page = context.new_page()
        page.goto(server["participant"], timeout=90_000)
        keys = page.keyboard
        while page.evaluate("document.activeElement.innerText") != "Building solidarity":
            keys.press("Tab")
        keys.press("Enter")
        page.locator(".bridges-exercise").last.wait_for(timeout=90_000)
        loaded(page)

        stops: dict[str, int] = {}  # Tab stops inside each radio group
        names: dict[str, str] = {}
        saved: set[str] = set()
        coded = False
        for _press in range(600):
            keys.press("Tab")
            at = page.evaluate(FOCUS)
            if at["group"]:
                stops[at["group"]] = stops.get(at["group"], 0) + 1
                names[at["group"]] = at["groupName"]
            if not coded:
                if at["tag"] == "A" and at["text"] == "Choose your participant code":
                    keys.press("Enter")  # to the code panel
                elif at["tag"] == "BUTTON" and at["text"] == "Get a new code":
                    keys.press("Enter")
                    page.locator(".bridges-code").wait_for(timeout=30_000)
                    coded = True
                continue
            exercise = at["exercise"]
            if not exercise or exercise in saved:
                continue
            if at["tag"] == "INPUT" and at["type"] == "text":
                keys.type("together")
                keys.press("Enter")  # Enter in a word field saves
                wait_saved(page, exercise)
                saved.add(exercise)
            elif at["tag"] == "TEXTAREA":
                keys.type("Typed with the keyboard only.")
            elif at["type"] == "radio" and at["groupLabel"] != "Who may see this answer?" and not at["checked"]:
                keys.press("Space")  # the first point or option
                keys.press("ArrowDown")  # arrows move the choice inside the group
                # On a loaded machine the widget's echo of the first choice can arrive late; wait
                # until the second radio of the group is the one both focused and checked.
                page.wait_for_function(SECOND_CHECKED, timeout=15_000)
            elif at["type"] == "checkbox" and not at["checked"]:
                keys.press("Space")
            elif at["tag"] == "BUTTON" and at["text"] in ("Move down", "Save answer"):
                keys.press("Enter")
                if at["text"] == "Save answer":
                    wait_saved(page, exercise)
                    saved.add(exercise)
            if saved == {e.id for e in module.exercises}:
                break
        assert saved == {e.id for e in module.exercises}

    # One Tab stop per radio group, and every group named so Before and Now are told apart.
    assert stops and set(stops.values()) == {1}
    assert len(set(names.values())) == len(names)
    rating = next(e for e in module.exercises if e.kind.value == "self_rating")
    assert f"{rating.prompt} Before this module" in names.values()
    assert f"{rating.prompt} Now" in names.values()
    with open_store(f"sqlite:///{store}") as events:
        stored = [e.event for e in events.read()]
    answers = {
        e.exercise: e.payload["value"]
        for e in stored
        if e.type is EventType.ANSWERED and e.module == "building-solidarity" and e.exercise
    }
    assert set(answers) == {e.id for e in module.exercises}
    scale = next(e for e in module.exercises if e.kind.value == "scale")
    assert scale.scale is not None and answers[scale.id] == scale.scale.min + 1  # Space, then one ArrowDown
    ranking = next(e for e in module.exercises if e.kind.value == "ranking")
    # Space chose the first item, ArrowDown the second, and Move down moved that one a place down.
    assert answers[ranking.id][:3] == [ranking.options[0], ranking.options[2], ranking.options[1]]


def wait_saved(page: Any, exercise: str) -> None:
    page.wait_for_function(
        "id => document.getElementById(id + '-prompt').closest('.bridges-exercise')"
        ".querySelector('.bridges-live').innerText.includes('Saved at')",
        arg=exercise,
        timeout=15_000,
    )


def open_evaluation_page(page: Any, server: dict[str, Any]) -> Phase:
    """From the landing page to the evaluation page due today (the cohort's one session is its first and last)."""
    phase = Phase.BEFORE if items_for(programme(), Phase.BEFORE) else Phase.AFTER
    page.goto(server["participant"], timeout=90_000)
    page.get_by_role("link", name=phase_title(phase, translator("en"))).click()
    return phase


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_nothing_serious_on_the_evaluation_page(served: tuple[dict[str, Any], Any, Path], size: str) -> None:
    server, browser, _store = served
    with browser.new_context(**SIZES[size]) as context:
        page = context.new_page()
        open_evaluation_page(page, server)
        page.locator(".bridges-evaluation-item").last.wait_for(timeout=90_000)
        loaded(page)
        assert serious(page) == [], "evaluation page before a code is chosen"
        page.get_by_role("button", name="Get a new code").click()
        page.locator(".bridges-code").wait_for(timeout=30_000)
        assert serious(page) == [], "evaluation page with a code"


# Where the keyboard is on an evaluation page: the focused element, its item and which of the item's scales.
EVALUATION_FOCUS = """() => {
  const e = document.activeElement, item = e.closest(".bridges-evaluation-item");
  const items = [...document.querySelectorAll(".bridges-evaluation-item")];
  const scale = e.closest(".widget-toggle-buttons");
  const group = e.closest("[role=group], [role=radiogroup]");
  const named = group && group.getAttribute("aria-labelledby");
  return {
    tag: e.tagName, text: (e.innerText || e.value || "").trim(),
    item: item ? items.indexOf(item) : -1,
    scale: item && scale ? [...item.querySelectorAll(".widget-toggle-buttons")].indexOf(scale) : -1,
    group: named ? named.split(" ").map(id => document.getElementById(id).innerText.trim()).join(" ") : "",
  };
}"""


PRESSED = """() => {
  const e = document.activeElement, points = [...e.parentElement.querySelectorAll(".widget-toggle-button")];
  return e.getAttribute("aria-pressed") === "true"
    && points.filter(p => p !== e).every(p => p.getAttribute("aria-pressed") === "false");
}"""


def item_says(page: Any, index: int, text: str) -> None:
    page.wait_for_function(
        "([i, text]) => document.querySelectorAll('.bridges-evaluation-item')[i]"
        ".querySelector('.bridges-live').innerText.includes(text)",
        arg=[index, text],
        timeout=15_000,
    )


@pytest.mark.slow
def test_keyboard_only_answers_one_evaluation_item_and_passes_another(
    served: tuple[dict[str, Any], Any, Path],
) -> None:
    server, browser, store = served
    with browser.new_context(**LAPTOP) as context:
        page = context.new_page()
        phase = Phase.BEFORE if items_for(programme(), Phase.BEFORE) else Phase.AFTER
        page.goto(server["participant"], timeout=90_000)
        keys = page.keyboard
        title = phase_title(phase, translator("en"))
        while page.evaluate("document.activeElement.innerText") != title:
            keys.press("Tab")
        keys.press("Enter")
        page.locator(".bridges-evaluation-item").last.wait_for(timeout=90_000)
        loaded(page)
        items = items_for(programme(), phase)
        answered, passed = items[0], items[1]
        retrospective = answered.design is EvaluationDesign.RETROSPECTIVE
        wanted = ["2", "4"] if retrospective else ["4"]  # the point to choose on each scale of the first item

        code = ""
        done: set[str] = set()
        groups: dict[int, set[str]] = {}  # the names a screen reader gives each item's scales and choices
        for _press in range(300):
            keys.press("Tab")
            at = page.evaluate(EVALUATION_FOCUS)
            if not code:
                if at["tag"] == "A" and at["text"] == "Choose your participant code":
                    keys.press("Enter")  # to the code panel
                elif at["tag"] == "BUTTON" and at["text"] == "Get a new code":
                    keys.press("Enter")
                    shown = page.locator(".bridges-participant-panel .bridges-code strong")
                    shown.wait_for(timeout=30_000)
                    code = str(shown.inner_text()).strip()
                continue
            if at["item"] >= 0 and at["group"]:
                groups.setdefault(at["item"], set()).add(at["group"])
            if at["item"] == 0 and at["scale"] >= 0 and at["text"] == wanted[at["scale"]]:
                keys.press("Enter")
                # The choice is said, not only coloured: a screen reader hears "4, pressed".
                page.wait_for_function(PRESSED, timeout=15_000)
                done.add(f"scale {at['scale']}")
            elif at["item"] == 0 and at["text"] == "Save answer" and len(done) == len(wanted):
                keys.press("Enter")
                item_says(page, 0, "Saved.")
                done.add("saved")
            elif at["item"] == 1 and at["text"] == "Pass" and "saved" in done:
                keys.press("Space")
                item_says(page, 1, "Passed.")
                break
        else:
            pytest.fail(f"the keyboard did not reach every control: {sorted(done)}")

    # Each scale and sharing choice is named by its own question, so items are told apart.
    scales = [f"{answered.text} Before the programme", f"{answered.text} Now"] if retrospective else [answered.text]
    assert groups[0] == {*scales, f"{answered.text} Who may see this answer?"}
    assert all(name.startswith(passed.text) for name in groups[1])
    with open_store(f"sqlite:///{store}") as events:
        recorded = {
            (s.event.type, s.event.exercise): s.event.payload
            for s in events.read_participant("phone-test", code)
            if s.event.module == phase.module
        }
    value = {"before": 2, "now": 4} if retrospective else 4
    assert recorded[(EventType.ANSWERED, answered.id)]["value"] == value
    assert recorded[(EventType.PASSED, passed.id)] == {}
