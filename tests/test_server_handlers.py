"""Bridges' server handlers in-process, as Voilà tests its own: the real tornado application
that `bridges serve` builds, served on a loopback port from a thread of the test process.

No kernel is started (preheating is off and no module page is opened), so these run in
seconds; tests/test_live_security.py probes a real `bridges serve` process end to end.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import free_port, today_cohort
from test_live_security import DASHBOARD_SPELLINGS, Browser

from toolkit.cohorts import load_cohort
from toolkit.curriculum import programme
from toolkit.live.access import RoomAccess
from toolkit.live.kernels import room_limits
from toolkit.live.server import Listen, make_app
from toolkit.live.site import prepare_site
from toolkit.paths import Home

REPO = Path(__file__).parent.parent
JOIN_CODE, FACILITATOR_KEY = "join-code-for-tests", "facilitator-key-for-tests"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import tornado.httpserver

    folder = tmp_path_factory.mktemp("in-process")
    cohort_file = today_cohort(folder, "in-process", "In-process cohort")
    cohort = load_cohort(cohort_file, programme())
    (folder / "site" / "facilitator").mkdir(parents=True)
    site = prepare_site(cohort, cohort_file, Home(REPO), folder / "site")
    titles = {module.slug: module.title for module in programme().modules}
    port = free_port()
    # Bound beyond loopback, as in a room: every page then needs the join code.
    listen = Listen(host="0.0.0.0", port=port)
    voila = make_app(cohort, site, titles, listen, RoomAccess(JOIN_CODE, FACILITATOR_KEY), room_limits(4, preheat=0))
    app = voila.build_web_app()
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        http = tornado.httpserver.HTTPServer(app)
        http.listen(port, "127.0.0.1")
        loop.call_soon(ready.set)
        loop.run_forever()
        http.stop()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(30)
    yield {"base": f"http://127.0.0.1:{port}/", "port": port}
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def participant(server: dict[str, Any]) -> Browser:
    browser = Browser(server["base"])
    status, body, _headers = browser.request(f"?token={JOIN_CODE}")
    assert status == 200, body[:300]
    return browser


def test_without_the_join_code_nothing_is_served(server: dict[str, Any]) -> None:
    stranger = Browser(server["base"])
    for path in ("", "projector", "voila/render/01-shared-experiences.ipynb", "facilitator/dashboard"):
        status, body, _headers = stranger.request(path)
        assert status in (302, 403), f"{path} answered {status}"
        assert JOIN_CODE not in body and FACILITATOR_KEY not in body
    assert stranger.request("?token=a-wrong-guess")[0] in (302, 403)


def test_the_landing_page_lists_today_with_the_join_code(server: dict[str, Any]) -> None:
    status, body, _headers = participant(server).request("")
    assert status == 200
    assert "Shared experiences" in body and "voila/render/01-shared-experiences.ipynb" in body
    assert FACILITATOR_KEY not in body


def test_no_spelling_of_the_dashboard_path_opens_it(server: dict[str, Any]) -> None:
    browser = participant(server)
    for path in DASHBOARD_SPELLINGS:
        status, body, _headers = browser.request(path)
        assert status in (403, 404), f"{path} answered {status}"
        assert "Reveal" not in body, path


def test_the_facilitator_key_opens_the_dashboard_route_and_a_wrong_key_does_not(server: dict[str, Any]) -> None:
    browser = participant(server)
    assert browser.request("facilitator?key=wrong")[0] == 403
    assert browser.request(f"facilitator?key={FACILITATOR_KEY[:-1]}")[0] == 403  # one character short
    status, _body, headers = browser.request(f"facilitator?key={FACILITATOR_KEY}")
    assert status == 302 and headers["Location"].endswith("/facilitator/dashboard")
    assert browser.cookie("bridges-facilitator")


def test_other_host_names_are_refused(server: dict[str, Any]) -> None:
    for host in ("evil.example", f"evil.example:{server['port']}", "127.0.0.1.evil.example"):
        status, _body, _headers = Browser(server["base"], host=host).request(f"?token={JOIN_CODE}")
        assert status == 403, host
    assert Browser(server["base"], host=f"localhost:{server['port']}").request(f"?token={JOIN_CODE}")[0] == 200


def test_query_trees_contents_and_files_are_not_served(server: dict[str, Any]) -> None:
    browser = participant(server)
    for path in ("voila/query/abc", "voila/tree", "voila/tree/", "api/contents", "voila/files/events.sqlite"):
        status, body, _headers = browser.request(path)
        assert status in (403, 404), f"{path} answered {status}"
        assert JOIN_CODE not in body


def test_only_the_cohorts_own_module_pages_are_named(server: dict[str, Any]) -> None:
    browser = participant(server)
    for path in ("voila/render/02-learning-from-each-other.ipynb", "voila/render/../in-process.yaml"):
        assert browser.request(path)[0] in (403, 404), path


def test_the_projector_page_carries_the_join_code_and_never_the_key(server: dict[str, Any]) -> None:
    status, body, _headers = participant(server).request("projector")
    assert status == 200
    assert JOIN_CODE in body and FACILITATOR_KEY not in body
