"""Kernels of a live session on a real `bridges serve`: preheated for the room, stopped when a page
closes, capped per browser and in total, culled when idle (issue 12, "Kernels")."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import bridges_serve, chromium, today_cohort
from test_live_security import Browser

pytestmark = pytest.mark.slow

MODULE = "voila/render/01-shared-experiences.ipynb"
ROOM = 2  # pool of 2, at most 2 x 2 = 4 open pages, 3 per browser


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("kernels")
    env = {"BRIDGES_DATA_DIR": str(folder / "data")}
    with bridges_serve(
        today_cohort(folder, "kernel-test", "Kernel test cohort"), env, extra=("--room-size", str(ROOM))
    ) as served:
        served["base"] = f"http://127.0.0.1:{served['port']}/"
        yield served


def open_module(browser: Browser) -> tuple[int, str, str]:
    """Open module 1; the status, the page and the id of the kernel it names (empty if none)."""
    status, body, _headers = browser.request(MODULE)
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body)
    return status, body, found.group(1) if found else ""


def shut_down(browser: Browser, kernel: str) -> int:
    """Voilà's close-page request, as its `beforeunload` beacon sends it: a form with the `_xsrf` value."""
    boundary = uuid.uuid4().hex
    form = f'--{boundary}\r\nContent-Disposition: form-data; name="_xsrf"\r\n\r\n{browser.cookie("_xsrf")}\r\n'
    request = urllib.request.Request(
        f"{browser.base}voila/api/shutdown/{kernel}",
        data=f"{form}--{boundary}--\r\n".encode(),
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        with browser.opener.open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def wait_for(log: Any, text: str, timeout: float, times: int = 1) -> bool:
    """Whether the server's output shows ``text`` (``times`` times) within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log().count(text) >= times:
            return True
        time.sleep(0.2)
    return False


def test_room_size_preheats_the_first_module_before_serving_with_progress(room: dict[str, Any]) -> None:
    log = room["log"]()
    assert f"Preparing 0 of {ROOM} pages…" in log
    assert log.index(f"Prepared {ROOM} pages.") < log.index("Bridges is serving")
    assert f"Kernel pool of 01-shared-experiences.ipynb is filled with {ROOM} kernel(s)" in log
    # A page takes a preheated kernel and the pool fills again behind it.
    browser = Browser(room["base"])
    status, _body, kernel = open_module(browser)
    assert status == 200 and kernel
    assert f"Using pre-heated kernel: {kernel}" in room["log"]()
    assert wait_for(room["log"], f"is filled with {ROOM} kernel(s)", 30, times=2), "the pool refills"
    assert shut_down(browser, kernel) == 204


def test_the_close_page_request_passes_for_the_owner_only(room: dict[str, Any]) -> None:
    owner, other = Browser(room["base"]), Browser(room["base"])
    _status, _body, kernel = open_module(owner)
    _status, _body, others = open_module(other)  # an _xsrf cookie of its own, but not this kernel
    assert shut_down(other, kernel) == 403
    assert f"Kernel shutdown: {kernel}" not in room["log"]()
    assert shut_down(owner, kernel) == 204
    assert wait_for(room["log"], f"Kernel shutdown: {kernel}", 10)
    assert shut_down(other, others) == 204


def test_closing_or_leaving_a_page_shuts_its_kernel_down(room: dict[str, Any]) -> None:
    with chromium() as browser:
        kernels = []
        for leave in ("close", "navigate"):
            page = browser.new_context().new_page()
            page.goto(room["base"] + MODULE, timeout=90_000)
            # The panel's own button: Voilà's front end (which shuts the kernel on leaving) is running.
            page.locator("button.bridges-new-code").wait_for(timeout=90_000)
            found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())
            assert found
            kernels.append(found.group(1))
            assert f"Kernel shutdown: {found.group(1)}" not in room["log"]()
            if leave == "close":
                page.close(run_before_unload=True)
            else:
                page.goto(room["base"], timeout=30_000)
            assert wait_for(room["log"], f"Kernel shutdown: {found.group(1)}", 15), leave


def test_a_fourth_page_of_one_browser_stops_its_oldest_kernel(room: dict[str, Any]) -> None:
    browser = Browser(room["base"])
    kernels = [open_module(browser)[2] for _ in range(3)]
    assert all(kernels) and len(set(kernels)) == 3
    status, _body, fourth = open_module(browser)
    assert status == 200 and fourth
    assert wait_for(room["log"], f"Kernel shutdown: {kernels[0]}", 15)
    log = room["log"]()
    assert f"Kernel shutdown: {kernels[1]}" not in log and f"Kernel shutdown: {kernels[2]}" not in log
    for kernel in (*kernels[1:], fourth):
        assert shut_down(browser, kernel) == 204


def test_a_full_session_refuses_the_next_page_with_503_until_a_page_closes(room: dict[str, Any]) -> None:
    admitted: list[tuple[Browser, str]] = []
    for _ in range(2 * ROOM + 1):
        browser = Browser(room["base"])
        status, body, kernel = open_module(browser)
        if status != 200:
            break
        admitted.append((browser, kernel))
    assert status == 503, "the session has a limit"
    assert len(admitted) == 2 * ROOM, "every page up to twice the room size is admitted"
    assert "The session is full: please ask the facilitator." in body and not kernel
    first, kernel = admitted[0]
    assert shut_down(first, kernel) == 204
    assert wait_for(room["log"], f"Kernel shutdown: {kernel}", 10)
    again = Browser(room["base"])
    status, _body, freed = open_module(again)
    assert status == 200 and freed, "a closed page frees its place"
    for browser, kernel in [*admitted[1:], (again, freed)]:
        assert shut_down(browser, kernel) == 204


def test_a_kernel_whose_page_never_connects_is_culled(tmp_path: Path) -> None:
    env = {"BRIDGES_DATA_DIR": str(tmp_path / "data")}
    with bridges_serve(
        today_cohort(tmp_path, "kernel-test", "Kernel test cohort"), env, extra=("--preheat", "0", "--cull-idle", "3")
    ) as served:
        assert "stops after 3 s" in served["log"]()
        _status, _body, kernel = open_module(Browser(f"http://127.0.0.1:{served['port']}/"))
        assert kernel
        assert wait_for(served["log"], f"Kernel shutdown: {kernel}", 30)
        assert re.search(rf"Culling '\w+' kernel '\w+' \({kernel}\)", served["log"]())
