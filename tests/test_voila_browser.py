"""A participant completes part of a module in Voilà, in a real browser, and resumes with their code."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import nbformat
import pytest
from browser import chromium, voila
from conftest import REPO
from papermill.parameterize import parameterize_notebook
from playwright.sync_api import expect

from toolkit.identity import is_valid_code

REFLECTION = "할머니의 김치 레시피를 배우며 가족과 가까워졌어요 🌈"


def prepared_notebook(tmp_path: Path, store: Path) -> Path:
    notebook = nbformat.read(REPO / "modules/01-shared-experiences.ipynb", as_version=4)
    notebook.metadata["papermill"] = {}
    notebook = parameterize_notebook(
        notebook, {"cohort": "demo", "store": f"sqlite:///{store}", "audience": "participant"}
    )
    path = tmp_path / "module.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.mark.slow
def test_participant_saves_passes_reloads_and_resumes(tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    requests: list[str] = []
    with voila(prepared_notebook(tmp_path, store)) as url, chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url, timeout=90_000)
        page.get_by_role("button", name="Get a new code").click(timeout=90_000)
        code_text = page.locator(".bridges-participant-panel strong").inner_text(timeout=10_000)
        assert is_valid_code(code_text)

        free_text = page.locator(".bridges-exercise").filter(has=page.locator("textarea")).first
        free_text.locator("textarea").fill(REFLECTION)
        free_text.get_by_role("button", name="Save answer").click()
        expect(free_text.locator("[role=status]")).to_contain_text("Saved at", timeout=10_000)

        other = page.locator(".bridges-exercise").filter(has=page.locator("input[type=text]")).first
        other.get_by_role("button", name="Pass").click()
        expect(other.locator("[role=status]")).to_contain_text("Nothing from this question was stored", timeout=10_000)

        page.reload()
        page.get_by_label("I have a code").fill(code_text, timeout=90_000)
        page.get_by_role("button", name="Continue with this code").click()
        restored = page.locator(".bridges-exercise").filter(has=page.locator("textarea")).first
        page.wait_for_function(
            "text => [...document.querySelectorAll('textarea')].some(t => t.value === text)",
            arg=REFLECTION,
            timeout=15_000,
        )
        assert restored.locator("textarea").input_value() == REFLECTION

    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT type, participant, payload FROM events ORDER BY seq").fetchall()
    types = [row[0] for row in rows]
    assert "answered" in types and "passed" in types and "module_started" in types
    assert all(row[1] == code_text for row in rows)
    answered = next(row for row in rows if row[0] == "answered")
    assert REFLECTION in answered[2].encode().decode("unicode_escape") or REFLECTION in answered[2]
    passed = next(row for row in rows if row[0] == "passed")
    assert passed[2] in ("{}", "null")
    # Nothing the app loads comes from anywhere but this machine.
    external = [r for r in requests if not (r.startswith(url) or r.startswith(("data:", "blob:", "ws://127.0.0.1")))]
    assert requests and not external, external


@pytest.mark.slow
def test_interface_is_translated_in_the_app(tmp_path: Path) -> None:
    from toolkit.curriculum import programme
    from toolkit.i18n import translator

    _ = translator("ko")
    notebook = nbformat.read(REPO / "modules/01-shared-experiences.ipynb", as_version=4)
    notebook.metadata["papermill"] = {}
    notebook = parameterize_notebook(
        notebook,
        {"cohort": "demo", "store": f"sqlite:///{tmp_path / 'events.sqlite'}", "language": "ko"},
    )
    path = tmp_path / "module.ipynb"
    nbformat.write(notebook, path)
    with voila(path) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url, timeout=90_000)
        page.get_by_role("button", name=_("Get a new code")).click(timeout=90_000)
        assert page.get_by_role("button", name=_("Pass")).first.is_visible()
        assert page.get_by_role("button", name=_("Save answer")).first.is_visible()
        body = page.inner_text("body")
        assert programme("ko").module("shared-experiences").title in body
        assert "Save answer" not in body and "Get a new code" not in body
