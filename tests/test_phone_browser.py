"""The participant app on a phone, in a Korean cohort: nothing cut short or wider than the screen,
text and targets big enough for fingers, the code choice on the first screen, `lang` from the cohort.

Korean on purpose: it is the language whose words broke mid-syllable and were drawn with the
Japanese face, and its labels are the hardest to wrap (no spaces are broken inside a word).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import bridges_serve, chromium

from toolkit.curriculum import programme
from toolkit.i18n import translator
from toolkit.participant_panel import shortened

LANG = "ko"
_ = translator(LANG)
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "has_touch": True,
    "is_mobile": True,
}


def phone_cohort(folder: Path, language: str) -> Path:
    """A cohort meeting today with module 1 and module 4 (which has all seven exercise kinds)."""
    path = folder / "phone.yaml"
    path.write_text(
        f"name: Phone test cohort\nslug: phone-test\nlanguage: {language}\nregion: uk\n"
        f'sessions:\n  - date: {dt.date.today().isoformat()}\n    start: "18:00"\n'
        f"    modules: [shared-experiences, building-solidarity]\n"
        f"k: 5\nstore: sqlite:///{folder / 'events.sqlite'}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Any]]:
    folder = tmp_path_factory.mktemp("phone")
    env = {"BRIDGES_DATA_DIR": str(folder / "data")}
    extra = ("--room-size", "10", "--preheat", "1")
    with bridges_serve(phone_cohort(folder, LANG), env, extra=extra) as server, chromium() as browser:
        yield server, browser


def open_module(browser: Any, url: str, slug: str, **context: Any) -> Any:
    page = browser.new_context(**{**PHONE, **context}).new_page()
    page.goto(url, timeout=90_000)
    page.get_by_role("link", name=programme(LANG).module(slug).title).click()
    page.locator(".bridges-exercise").last.wait_for(timeout=90_000)
    return page


def choose_code(page: Any) -> str:
    page.get_by_role("button", name=_("Get a new code")).click()
    code = page.locator(".bridges-participant-panel .bridges-code")
    code.wait_for(timeout=30_000)
    return str(code.inner_text()).strip()


# What must never happen on a narrow screen, for every visible text and control.
LAYOUT_PROBLEMS = """() => {
  const problems = [], width = innerWidth;
  if (document.documentElement.scrollWidth > width) problems.push("the page scrolls sideways");
  const cells = document.getElementById("rendered_cells");
  if (cells && cells.scrollWidth > cells.clientWidth) problems.push("the cells scroll sideways");
  const texts = "label, button, option, summary, a, h1, h2, h3, p, li, .widget-label-basic span, .bridges-exercise";
  for (const e of document.querySelectorAll(texts)) {
    const box = e.getBoundingClientRect(), style = getComputedStyle(e), text = (e.innerText || "").slice(0, 50);
    if (!box.width) continue;  // not shown
    if (style.textOverflow === "ellipsis" && e.scrollWidth > e.clientWidth) problems.push("cut with …: " + text);
    if (style.overflowX !== "visible" && e.scrollWidth > e.clientWidth + 1) problems.push("clipped: " + text);
    if (box.right > width + 0.5 || box.left < -0.5) problems.push("beyond the screen: " + text);
  }
  return problems;
}"""

# Sizes for fingers and eyes: 44 px targets, 24 px radios and checkboxes, 16 px text in controls.
SIZE_PROBLEMS = """() => {
  const problems = [], shown = e => e.getBoundingClientRect().width > 0;
  const targets = "#rendered_cells button, .widget-radio-box label, .widget-label-basic, .bridges-code-bar a, summary";
  for (const e of [...document.querySelectorAll(targets)].filter(shown)) {
    if (e.getBoundingClientRect().height < 44) problems.push("small target: " + e.innerText.slice(0, 40));
  }
  for (const e of [...document.querySelectorAll("input[type=radio], input[type=checkbox]")].filter(shown)) {
    const box = e.getBoundingClientRect();
    if (box.width < 24 || box.height < 24) problems.push("small box: " + box.width + "x" + box.height);
  }
  const controls = "#rendered_cells :is(input:not([type=radio]):not([type=checkbox]), textarea, label, button), p";
  for (const e of [...document.querySelectorAll(controls)].filter(shown)) {
    if (parseFloat(getComputedStyle(e).fontSize) < 16) problems.push("small text: " + (e.innerText || e.tagName));
  }
  for (const e of document.querySelectorAll("textarea")) {
    if (/mono/i.test(getComputedStyle(e).fontFamily)) problems.push("monospace text box");
  }
  return problems;
}"""


@pytest.mark.slow
def test_landing_page_fits_a_phone(served: tuple[dict[str, Any], Any]) -> None:
    server, browser = served
    page = browser.new_context(**PHONE).new_page()
    page.goto(server["participant"], timeout=90_000)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [LANG, "ltr"]
    links = page.locator(".bridges-modules a")
    assert links.first.inner_text() == programme(LANG).module("shared-experiences").title  # numbered once
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 700})
        assert page.evaluate(LAYOUT_PROBLEMS) == []
        assert page.evaluate(SIZE_PROBLEMS) == []
    page.context.close()


@pytest.mark.slow
def test_module_pages_wrap_everything_at_390_and_320_px(served: tuple[dict[str, Any], Any]) -> None:
    server, browser = served
    for slug in ("building-solidarity", "shared-experiences"):
        page = open_module(browser, server["participant"], slug)
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (LANG, "ltr")
        assert page.evaluate("getComputedStyle(document.querySelector('.bridges-prompt')).wordBreak") == "keep-all"
        for chosen in (False, True):
            if chosen:
                choose_code(page)
            for width in (390, 320):
                page.set_viewport_size({"width": width, "height": 844})
                page.wait_for_timeout(200)
                assert page.evaluate(LAYOUT_PROBLEMS) == [], (slug, width, chosen)
                assert page.evaluate(SIZE_PROBLEMS) == [], (slug, width, chosen)
        page.context.close()


@pytest.mark.slow
def test_code_choice_is_on_the_first_screen_and_the_bar_says_who_answers(
    served: tuple[dict[str, Any], Any],
) -> None:
    server, browser = served
    page = open_module(browser, server["participant"], "shared-experiences")
    choose = page.get_by_role("link", name=_("Choose your participant code"))
    assert choose.bounding_box()["y"] < 844  # on the first screen, before any scrolling
    # Content notes are one tap away, folded.
    notes = page.locator("details.bridges-content-notes-toggle")
    assert notes.get_attribute("open") is None
    notes.locator("summary").click()
    assert notes.get_attribute("open") is not None
    choose.click()
    new_code = page.get_by_role("button", name=_("Get a new code"))
    page.wait_for_function(
        "() => { const b = document.querySelector('.bridges-participant-panel .mod-info').getBoundingClientRect();"
        " return b.top >= 0 && b.bottom <= innerHeight; }",
        timeout=5_000,
    )
    new_code.click()
    code = str(page.locator(".bridges-participant-panel .bridges-code").inner_text(timeout=30_000)).strip()
    bar = page.locator(".bridges-code-bar")
    bar.get_by_text(_("Answering as {code}").format(code=shortened(code))).wait_for(timeout=15_000)
    assert code not in bar.inner_text()  # the whole code is shown once, in the panel, not kept on screen
    # The bar stays in view while the participant scrolls, and leads back to the code panel.
    page.locator("#rendered_cells").evaluate("cells => cells.scrollTop = cells.scrollHeight")
    page.wait_for_timeout(300)
    assert bar.bounding_box()["y"] == 0
    bar.get_by_role("link", name=_("Switch code")).click()
    page.wait_for_function(
        "() => { const b = document.querySelector('.bridges-participant-panel .mod-info').getBoundingClientRect();"
        " return b.top >= 0 && b.bottom <= innerHeight; }",
        timeout=5_000,
    )
    page.context.close()


@pytest.mark.slow
def test_screenshots_of_module_one_on_a_phone(served: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    """Pictures to look at (pytest's tmp folder, never committed): before and after choosing a code."""
    server, browser = served
    with browser.new_context(**PHONE) as context:
        page = context.new_page()
        page.goto(server["participant"], timeout=90_000)
        with page.expect_response(lambda response: "/voila/render/" in response.url) as response:
            page.get_by_role("link", name=programme(LANG).module("shared-experiences").title).click()
        # The loading screen speaks the cohort's language, not "Executing 29 of 29".
        loading = _("Opening the page. This takes a few seconds.")
        assert f'<p id="loading_text" role="status">{loading}</p>' in response.value.text()
        page.locator(".bridges-exercise").last.wait_for(timeout=90_000)
        assert page.locator("#loading").count() == 0  # gone once the page is usable
        _pictures(page, tmp_path)


def _pictures(page: Any, tmp_path: Path) -> None:
    before, after = tmp_path / "module-1-390x844-before-code.png", tmp_path / "module-1-390x844-with-code.png"
    page.screenshot(path=str(before))
    choose_code(page)
    page.locator(".bridges-participant-panel .bridges-code").scroll_into_view_if_needed()
    page.screenshot(path=str(after))
    for picture in (before, after):
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 20_000
    print(f"screenshots: {before} {after}")
