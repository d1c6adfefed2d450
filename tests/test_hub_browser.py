"""An online cohort on a real JupyterHub: two participants and the facilitator, in Chromium.

The hub is started from the configuration `bridges hub-config` writes, with
configurable-http-proxy from npm and local process spawners on loopback; the
cohort's store is the test PostgreSQL. Both participants' answers reach the
facilitator's dashboard through PostgreSQL; neither participant can open
another's server or the dashboard.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import conftest_postgres
import psutil
import pytest
from browser import chromium, free_port, stop_group
from playwright.sync_api import expect

from toolkit.events.model import Event, EventType
from toolkit.events.store import open_store

postgres_server = conftest_postgres.postgres_server
postgres_url = conftest_postgres.postgres_url

REPO = Path(__file__).resolve().parent.parent
NPM_BIN = REPO / ".npm" / "node_modules" / ".bin"  # where `make system-deps` installs configurable-http-proxy
COHORT = "hub-test"
SCALE = "How close to your own life"


def proxy_folder() -> Path:
    """The folder holding configurable-http-proxy: the project's npm install, or PATH."""
    if (NPM_BIN / "configurable-http-proxy").exists():
        return NPM_BIN
    found = shutil.which("configurable-http-proxy")
    if found is None:
        pytest.fail("configurable-http-proxy is not installed: run make hub-proxy (npm package)")
    return Path(found).parent


def cohort_file(folder: Path, store: str) -> Path:
    path = folder / f"{COHORT}.yaml"
    path.write_text(
        f"name: Hub test cohort\nslug: {COHORT}\nlanguage: en\nregion: uk\n"
        f'sessions:\n  - date: {dt.date.today().isoformat()}\n    start: "18:00"\n    modules: [shared-experiences]\n'
        f'k: 5\nstore: "{store}"\n',
        encoding="utf-8",
    )
    return path


def seed(store: str, count: int, first: int) -> None:
    """Other people in the cohort, answering the closeness scale through the toolkit's API."""
    with open_store(store) as events:
        for number in range(first, first + count):
            events.append(
                Event(
                    type=EventType.ANSWERED,
                    cohort=COHORT,
                    module="shared-experiences",
                    exercise="se-closeness-scale",
                    participant=f"seed-person-{number}",
                    payload={"kind": "scale", "value": 4, "sharing": "aggregate"},
                )
            )


@dataclass
class RunningHub:
    log: Callable[[], str]
    left_running: list[str] = field(default_factory=list)  # filled once the hub has stopped


@contextmanager
def jupyterhub(config: Path, env: dict[str, str]) -> Iterator[RunningHub]:
    """Run JupyterHub with ``config`` on loopback; stop it after, and kill whatever it left running."""
    log_path = config.parent / "hub.log"
    command = [
        sys.executable,
        "-m",
        "jupyterhub",
        "-f",
        str(config),
        f"--JupyterHub.hub_port={free_port()}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=config.parent, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    running = RunningHub(log=lambda: log_path.read_text(encoding="utf-8", errors="replace"))
    try:
        deadline = time.monotonic() + 60
        while "JupyterHub is now running" not in running.log():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("JupyterHub did not start:\n" + running.log())
            time.sleep(0.2)
        yield running
    finally:
        # The proxy and the servers run in sessions of their own: the hub must stop them itself.
        spawned = psutil.Process(process.pid).children(recursive=True) if process.poll() is None else []
        stop_group(process, signal.SIGTERM, 30)
        for child in spawned:
            with contextlib.suppress(psutil.NoSuchProcess):  # it may end while being looked at
                if child.status() != psutil.STATUS_ZOMBIE:
                    running.left_running.append(" ".join(child.cmdline()))
                    child.kill()


def sign_in(browser: Any, hub: str, code: str) -> Any:
    page = browser.new_context().new_page()
    page.goto(f"{hub}hub/login")
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Join").click()
    return page


def answer_scale(page: Any) -> None:
    page.get_by_role("link", name="Shared experiences").click(timeout=120_000)
    page.get_by_role("button", name="Get a new code").click(timeout=90_000)
    # The page's door takes the click at once; the code is chosen once the widgets have taken it over.
    expect(page.locator(".bridges-code-bar")).to_contain_text("Answering as", timeout=120_000)
    card = page.locator(".bridges-exercise").filter(has=page.get_by_text(SCALE)).first
    card.locator(".widget-radio-box").first.locator("input").nth(3).check()
    card.get_by_label("Count it in the anonymous summary").check()
    card.get_by_role("button", name="Save answer").click()
    expect(card.locator("[role=status]")).to_contain_text("Saved at", timeout=15_000)


@pytest.mark.slow
def test_online_cohort_on_jupyterhub(tmp_path: Path, postgres_url: str) -> None:
    hub_dir = Path(tempfile.mkdtemp(prefix="bridges-hub-"))  # short paths: the hub's sockets live here
    port = free_port()
    hub = f"http://127.0.0.1:{port}/"
    cohort = cohort_file(tmp_path, postgres_url)
    env = {
        **os.environ,
        "PATH": f"{proxy_folder()}{os.pathsep}{os.environ['PATH']}",
        "BRIDGES_DATA_DIR": str(tmp_path / "data"),
    }
    config = hub_dir / "jupyterhub_config.py"
    addresses = ["--public-url", hub, "--bind-url", hub]
    subprocess.run(
        [sys.executable, "-m", "toolkit", "hub-config", str(cohort), "--out", str(config), *addresses],
        check=True,
        env=env,
    )
    secrets = json.loads((hub_dir / "bridges-hub-secrets.json").read_text(encoding="utf-8"))
    seed(postgres_url, 5, first=1000)
    try:
        with jupyterhub(config, env) as running, chromium() as browser:
            facilitator = sign_in(browser, hub, secrets["facilitator_token"])
            expect(facilitator).to_have_url(f"{hub}user/facilitator/facilitator/dashboard", timeout=120_000)
            scale = facilitator.locator(".widget-vbox").filter(has=facilitator.locator(f"h3:has-text('{SCALE}')")).last
            expect(scale).to_contain_text("Answered: 5", timeout=120_000)

            first, second = (sign_in(browser, hub, secrets["join_code"]) for _ in range(2))
            for page in (first, second):
                answer_scale(page)
            names = [page.url.split("/user/", 1)[1].split("/", 1)[0] for page in (first, second)]
            assert all(name.startswith("participant-") and len(name) == len("participant-") + 8 for name in names)
            assert names[0] != names[1]

            # Two new answers are fewer than k: the figures wait. Three more from elsewhere make k:
            # the count moves to 10 only if both participants' answers came through PostgreSQL.
            seed(postgres_url, 3, first=2000)
            expect(scale).to_contain_text("Answered: 10", timeout=30_000)

            # A participant reaches neither another participant's server nor the dashboard.
            for url in (f"{hub}user/{names[1]}/", f"{hub}user/facilitator/facilitator/dashboard"):
                response = first.goto(url)
                assert response is not None and response.status == 403, url
                assert "Answered" not in first.content()
            response = first.goto(f"{hub}user/{names[0]}/facilitator/dashboard")
            assert response is not None and response.status == 404  # not in a participant's server at all

            # A wrong code is refused, in plain words.
            stranger = sign_in(browser, hub, "not-the-code")
            expect(stranger.locator(".login_error")).to_contain_text("That code is not right")
        log = running.log()
        assert secrets["join_code"] not in log and secrets["facilitator_token"] not in log
        assert re.search(r"200 GET /hub/api/users.*\(idle-culler@", log), "the culler lists users with its role"
        assert not running.left_running, "stopping the hub stops the proxy, the servers and their kernels"
    finally:
        shutil.rmtree(hub_dir, ignore_errors=True)
