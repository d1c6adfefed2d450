"""A button's click never overtakes a change the browser still holds back.

ipywidgets sends a control's change only once the kernel has finished with the
previous one, but sends a button's click at once. On a busy laptop a participant
who picks one option, changes their mind and presses Save would save the first
choice. The Bridges template makes clicks wait; this test makes the kernel slow
on purpose so the race happens every time without that wait.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from browser import chromium, voila

SLOW_RADIO_AND_SAVE = """
import time
import ipywidgets as widgets

choice = widgets.RadioButtons(options=["first", "second", "third"], value=None, description="Pick")
said = widgets.HTML(value="nothing saved")
said.add_class("said")
save = widgets.Button(description="Save answer")
# Each change keeps the kernel busy, as a loaded laptop with a room of kernels would.
choice.observe(lambda change: time.sleep(1.5), names="value")
save.on_click(lambda _button: setattr(said, "value", f"saved {choice.value}"))
widgets.VBox([choice, save, said])
"""


@pytest.mark.slow
def test_save_waits_for_the_last_choice_to_reach_the_kernel(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SLOW_RADIO_AND_SAVE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "order.ipynb"
    nbformat.write(notebook, path)
    with voila(path) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url, timeout=90_000)
        page.get_by_role("radio", name="first").wait_for(timeout=90_000)
        page.get_by_role("radio", name="first").check()
        page.get_by_role("radio", name="second").check()  # held back: the kernel is still on "first"
        page.get_by_role("button", name="Save answer").click()
        page.wait_for_function("() => document.querySelector('.said').innerText.startsWith('saved')", timeout=30_000)
        assert page.locator(".said").inner_text() == "saved second"
