"""The dashboard's charts as Chromium draws them: long answer labels, in every script, stay whole inside the chart.

The SVG keeps its text as text (the browser's fonts draw every script), so
matplotlib sizes the figure with its own font's measures; this checks that
the browser's rendering still fits.
"""

from __future__ import annotations

import warnings

import pytest
from browser import chromium

from toolkit.curriculum import programme
from toolkit.i18n import translator
from toolkit.live.charts import bar_chart_svg
from toolkit.live.suppression import suppress

OUTSIDE = """() => {
  const svg = document.querySelector("svg");
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].filter((text) => {
    const r = text.getBoundingClientRect();
    return r.width === 0 || r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
  }).map((text) => text.textContent);
}"""


@pytest.mark.slow
def test_long_labels_stay_whole_inside_the_chart_in_every_script() -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for language in ("en", "ko", "zh-Hans"):
            exercise = next(
                e for e in programme(language).module("shared-experiences").exercises if e.id == "se-agreement-support"
            )
            table = suppress({option: 5 + index for index, option in enumerate(exercise.options)}, k=5)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # matplotlib's own font has no Hangul or Han: the browser draws them
                svg = bar_chart_svg(table, exercise.prompt, translator(language))
            page.set_content(f"<!doctype html><html lang='{language}'><body style='margin:0'>{svg}</body></html>")
            assert page.evaluate(OUTSIDE) == [], language
            # Lines may break inside a word where a script has no spaces: compare without the breaks.
            drawn = "".join("".join(page.locator("svg text").all_text_contents()).split())
            assert all("".join(option.split()) in drawn for option in exercise.options), language
