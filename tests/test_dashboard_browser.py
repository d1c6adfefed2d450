"""The dashboard as Chromium draws it: chart labels in every script stay whole inside the chart, and
every control is a 44 px target with text at 4.5:1 or more.

The SVG keeps its text as text (the browser's fonts draw every script), so
matplotlib sizes the figure with its own font's measures; this checks that
the browser's rendering still fits.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from browser import chromium, voila

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


NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "dashboard",
            "metadata": {},
            "outputs": [],
            "source": (
                "import datetime as dt\n"
                "from toolkit.events.store import open_store\n"
                "from toolkit.live.dashboard import Dashboard\n"
                "from toolkit.schema.cohort import Cohort, Session\n"
                "day = dt.date.today()\n"
                "sessions = [Session(date=day, start=dt.time(18), modules=['shared-experiences'])]\n"
                "cohort = Cohort(name='Browser check', slug='browser-check', sessions=sessions, k=5)\n"
                "Dashboard(cohort, open_store('sqlite:///events.sqlite')).show(live=False)\n"
            ),
        }
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}

# Every control's height and its text-to-background contrast as Chromium computes them.
CONTROLS = """() => {
  const rgb = (c) => c.match(/[0-9.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  return [...document.querySelectorAll(".bridges-dashboard button, .bridges-dashboard select")].map((el) => {
    const s = getComputedStyle(el); const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
    const height = el.getBoundingClientRect().height;
    return { text: el.innerText || el.value, height: height, contrast: (a + 0.05) / (b + 0.05) };
  });
}"""


@pytest.mark.slow
def test_dashboard_controls_are_44_px_with_4_5_to_1_text_in_chromium(tmp_path: Path) -> None:
    notebook = tmp_path / "dashboard.ipynb"
    notebook.write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    env = {"BRIDGES_DATA_DIR": str(tmp_path / "data"), "BRIDGES_CACHE_DIR": str(tmp_path / "cache")}
    with voila(notebook, env) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url, timeout=120_000)
        page.get_by_role("button", name="Start").wait_for(timeout=120_000)
        assert page.get_by_label("Session shown").count() == 1  # the picker is labelled
        controls = page.evaluate(CONTROLS)
        assert {c["text"] for c in controls} >= {"Start", "Pause", "Next activity"}
        for control in controls:
            assert control["height"] >= 44 and control["contrast"] >= 4.5, control
