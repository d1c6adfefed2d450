"""The live server as an attacker meets it: a participant with the join code, a passer-by, a hostile page.

One real `bridges serve` on every interface (so the join code is required),
started in a folder holding a hostile voila.json and voila.py, is probed
over HTTP and websockets. Each test says which hole of issue 11 it closes.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import ssl
import stat
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import bridges_serve, today_cohort

pytestmark = pytest.mark.slow

DASHBOARD_SPELLINGS = [
    "voila/render/facilitator/dashboard.ipynb",
    "voila/render//facilitator/dashboard.ipynb",
    "voila/render/./facilitator/dashboard.ipynb",
    "voila/render/%2e/facilitator/dashboard.ipynb",
    "voila/render/%2E/facilitator/dashboard.ipynb",
    "voila/render/x/../facilitator/dashboard.ipynb",
    "voila/render/x/%2e%2e/facilitator/dashboard.ipynb",
    "voila/render/facilitator//dashboard.ipynb",
    "voila/render/facilitator%2fdashboard.ipynb",
    "voila/render/Facilitator/dashboard.ipynb",
    "voila/render/FACILITATOR/DASHBOARD.ipynb",
    "voila/render/facilitator/Dashboard.ipynb",
    "voila/render/facilitator/dashboard.ipynb/",
    "voila/render/facilitator/dashboard.IPYNB",
    "voila/render/./01-shared-experiences.ipynb/../facilitator/dashboard.ipynb",
    "voila//render/facilitator/dashboard.ipynb",
    "facilitator/dashboard",
    "facilitator//dashboard",
    "Facilitator/Dashboard",
    "facilitator/dashboard/",
    "voila/tree/facilitator",
    "voila/files/facilitator/dashboard.ipynb",
    "api/contents/facilitator/dashboard.ipynb",
]


def hostile_folder(folder: Path) -> Path:
    """A working folder whose Voilà config would show tracebacks, load a CDN template and run code."""
    folder.mkdir()
    (folder / "voila.json").write_text(
        json.dumps({"VoilaConfiguration": {"show_tracebacks": True, "template": "lab", "theme": "dark"}}),
        encoding="utf-8",
    )
    marker = folder / "voila-py-ran"
    (folder / "voila.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    return folder


class Browser:
    """One browser: its own cookies, the join code sent once as a real link would."""

    def __init__(self, base: str, host: str | None = None, context: ssl.SSLContext | None = None) -> None:
        self.base, self.host = base, host
        self.cookies = http.cookiejar.CookieJar()
        handlers: list[Any] = [urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
        request = urllib.request.Request(self.base + path, method=method, headers=headers or {})
        if self.host:
            request.add_header("Host", self.host)
        try:
            with self.opener.open(request, timeout=120) as response:
                return int(response.status), response.read().decode("utf-8", "replace"), response.headers
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode("utf-8", "replace"), error.headers

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("security")
    cwd = hostile_folder(folder / "cwd")
    env = {"BRIDGES_DATA_DIR": str(folder / "data")}
    with bridges_serve(
        today_cohort(folder, "security-test", "Security test cohort"), env, host="0.0.0.0", cwd=cwd
    ) as served:
        served["base"] = f"http://127.0.0.1:{served['port']}/"
        served["cwd"] = cwd
        served["data"] = folder / "data" / "security-test"
        yield served


def participant(room: dict[str, Any]) -> Browser:
    browser = Browser(room["base"])
    status, _body, _headers = browser.request(f"?token={room['join_code']}")
    assert status == 200
    return browser


def open_module(browser: Browser) -> str:
    """Open module 1 as a participant's browser does; return the id of the kernel it was given."""
    status, body, _headers = browser.request("voila/render/01-shared-experiences.ipynb")
    assert status == 200, body[:500]
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body)
    assert found, "the page names its kernel"
    return found.group(1)


def test_no_spelling_of_the_dashboard_path_opens_it_with_the_join_code_only(room: dict[str, Any]) -> None:
    browser = participant(room)
    for path in DASHBOARD_SPELLINGS:
        status, body, _headers = browser.request(path)
        assert status in (403, 404), f"{path} answered {status}"
        assert "Reveal" not in body and "Agenda for" not in body, path


def test_the_facilitator_opens_the_dashboard_with_the_key_and_a_wrong_key_is_refused(room: dict[str, Any]) -> None:
    browser = participant(room)
    assert browser.request("facilitator?key=wrong")[0] == 403
    key = re.search(r"key=([^&\s]+)", room["facilitator"])
    assert key is not None
    status, _body, headers = browser.request(f"facilitator?key={key.group(1)}")
    assert status == 302 and headers["Location"].endswith("/facilitator/dashboard")
    cookie = headers.get_all("Set-Cookie")
    assert any("bridges-facilitator=" in c and "HttpOnly" in c and "SameSite=Strict" in c for c in cookie)
    status, body, _headers = browser.request("facilitator/dashboard")
    assert status == 200 and "Facilitator dashboard" in body and "widget-view+json" in body


def test_requests_naming_another_host_are_refused(room: dict[str, Any]) -> None:
    """DNS rebinding: a page on evil.example resolving to this computer sends Host: evil.example."""
    code = room["join_code"]
    for host in ("evil.example", f"evil.example:{room['port']}", "127.0.0.1.evil.example", "localhost.evil"):
        status, body, _headers = Browser(room["base"], host=host).request(f"?token={code}")
        assert status == 403, host
        assert "--allow-host" not in body or "addressed to it" in body
    assert Browser(room["base"], host=f"localhost:{room['port']}").request(f"?token={code}")[0] == 200


def _websocket(room: dict[str, Any], browser: Browser, kernel: str, origin: str) -> int:
    """Open a kernel's channels websocket as ``browser`` from a page at ``origin``; return the HTTP status."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{room['port']}/api/kernels/{kernel}/channels?session_id=test"
    request = HTTPRequest(url, headers={"Origin": origin, "Cookie": browser.cookie_header()})

    async def attempt() -> int:
        try:
            connection = await websocket_connect(request)
        except HTTPClientError as error:
            return int(error.code)
        connection.close()
        return 101

    return asyncio.run(attempt())


def test_a_kernel_answers_only_the_browser_that_opened_it(room: dict[str, Any]) -> None:
    owner, other = participant(room), participant(room)
    kernel = open_module(owner)
    here = f"http://127.0.0.1:{room['port']}"
    token = {"Authorization": f"token {room['join_code']}"}  # no XSRF check stands in for the rule
    assert _websocket(room, owner, kernel, here) == 101
    assert _websocket(room, owner, kernel, "http://evil.example") == 403  # a hostile page, owner's cookies
    assert _websocket(room, other, kernel, here) == 403
    assert other.request(f"api/kernels/{kernel}", "DELETE", token)[0] == 403
    assert other.request(f"voila/api/shutdown/{kernel}", "POST", token)[0] == 403
    assert other.request(f"api/kernels/{kernel}", headers=token)[0] == 403
    assert owner.request(f"api/kernels/{kernel}", headers=token)[0] == 200  # still running
    assert owner.request(f"api/kernels/{kernel}", "DELETE", token)[0] == 204


def test_voila_query_is_not_served(room: dict[str, Any]) -> None:
    browser = participant(room)
    kernel = open_module(browser)
    assert browser.request(f"voila/query/{kernel}")[0] == 404
    assert Browser(room["base"]).request(f"voila/query/{kernel}")[0] in (403, 404)


def test_config_files_in_the_working_folder_are_ignored(room: dict[str, Any]) -> None:
    assert not (room["cwd"] / "voila-py-ran").exists()
    browser = participant(room)
    _status, body, _headers = browser.request("voila/render/01-shared-experiences.ipynb")
    assert "cdn.jsdelivr" not in body and "fonts.googleapis" not in body
    assert ".bridges-code-bar" in body  # the Bridges template's stylesheet, not lab's
    assert "theme-dark" not in body and "jp-mod-dark" not in body


def test_the_terminal_and_the_projector_page_never_carry_the_facilitator_key(room: dict[str, Any]) -> None:
    key = re.search(r"key=([^&\s]+)", room["facilitator"])
    assert key is not None
    assert key.group(1) not in room["log"]()
    assert stat.S_IMODE(room["link_file"].stat().st_mode) == 0o600
    status, body, _headers = participant(room).request("projector")
    assert status == 200
    assert room["join_code"] in body and "<svg" in body
    assert key.group(1) not in body
    assert Browser(room["base"]).request("projector")[0] in (302, 403)  # a passer-by without the code


def test_the_server_log_never_shows_the_join_code_or_the_key(room: dict[str, Any]) -> None:
    browser = Browser(room["base"])
    browser.request(f"no-such-page?token={room['join_code']}")
    browser.request("facilitator?key=guess-1234")
    log = room["log"]()
    assert "no-such-page" in log  # the request was logged...
    assert room["join_code"] not in log.split("Join code:")[1].split("\n", 1)[1]  # ...without the code
    assert "guess-1234" not in log


def test_the_login_page_offers_no_password_set_up(room: dict[str, Any]) -> None:
    status, body, _headers = Browser(room["base"]).request("login")
    assert status == 200
    assert "new_password" not in body and "Setup a Password" not in body


def test_the_cohort_data_folder_is_private(room: dict[str, Any]) -> None:
    for folder in (room["data"], room["data"] / "site", room["data"] / "site" / "facilitator"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_without_tls_beyond_loopback_the_terminal_warns(room: dict[str, Any]) -> None:
    assert "travel unencrypted" in room["log"]()


def test_with_tls_pages_are_https_and_cookies_secure(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
    subprocess.run(
        [*request, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    env = {"BRIDGES_DATA_DIR": str(tmp_path / "data")}
    extra = ("--certfile", str(cert), "--keyfile", str(key), "--preheat", "0")
    with bridges_serve(
        today_cohort(tmp_path, "security-test", "Security test cohort"), env, host="0.0.0.0", extra=extra
    ) as served:
        assert served["participant"].startswith("https://")
        assert "travel unencrypted" not in served["log"]()
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        browser = Browser(f"https://127.0.0.1:{served['port']}/", context=context)
        status, _body, headers = browser.request(f"?token={served['join_code']}")
        assert status == 200
        assert all("secure" in c.lower() for c in headers.get_all("Set-Cookie"))
        with pytest.raises(OSError):  # plain HTTP is not answered (reset or refused)
            urllib.request.urlopen(f"http://127.0.0.1:{served['port']}/", timeout=10)


def test_a_participant_browser_never_reaches_a_reveal_button(room: dict[str, Any]) -> None:
    """The path a participant would try in the address bar, in a real browser with the join code."""
    from browser import chromium

    with chromium() as browser:
        page = browser.new_page()
        page.goto(room["participant"].replace(room["participant"].split("/")[2], f"127.0.0.1:{room['port']}"))
        for path in DASHBOARD_SPELLINGS[:6]:
            response = page.goto(room["base"] + path)
            assert response is not None and response.status in (403, 404), path
            assert page.get_by_role("button", name=re.compile("Reveal")).count() == 0
