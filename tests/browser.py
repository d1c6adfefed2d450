"""Real-browser helpers: Debian's Chromium driven by Playwright, and a Voilà server.

Never a downloaded browser: Playwright is pointed at /usr/bin/chromium.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
JUPYTER_DATA = Path(__file__).resolve().parent.parent / "toolkit" / "jupyter_data"
# Chromium's own background traffic would fail on a closed network; turn it off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TEST_ROOM_SIZE = 2


def today_cohort(folder: Path, slug: str, name: str, store: Path | None = None) -> Path:
    """A cohort file with one session today (module 1), for a live server in a test."""
    path = folder / f"{slug}.yaml"
    path.write_text(
        f"name: {name}\nslug: {slug}\nlanguage: en\nregion: uk\n"
        f'sessions:\n  - date: {dt.date.today().isoformat()}\n    start: "18:00"\n    modules: [shared-experiences]\n'
        f"k: 5\nstore: sqlite:///{store or folder / 'events.sqlite'}\n",
        encoding="utf-8",
    )
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def voila(notebook: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve one notebook with Voilà on a free loopback port; stop it and its kernels after."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(notebook),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--template=bridges",
            "--VoilaConfiguration.show_tracebacks=True",
        ],
        cwd=notebook.parent,
        env={**os.environ, "JUPYTER_PATH": str(JUPYTER_DATA), **(env or {})},
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_server(port, process)
        yield url
    finally:
        stop_group(process, signal.SIGTERM, 15)


def stop_group(process: subprocess.Popen[Any], sig: int, grace: float) -> None:
    """Send ``sig`` to the process group; kill it if it has not exited after ``grace`` seconds."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_server(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"voila exited early:\n{output}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"voila did not listen on port {port} within {timeout} s")


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def bridges_serve(
    cohort: Path,
    env: dict[str, str],
    host: str = "127.0.0.1",
    extra: tuple[str, ...] = (),
    cwd: Path | None = None,
    timeout: float = 120.0,
) -> Iterator[dict[str, Any]]:
    """Run `bridges serve` for a cohort; yield its URLs and process; stop it with Ctrl-C (SIGINT).

    Its output goes to a file (a pipe nobody reads would fill and stall the server);
    ``seen["log"]()`` reads everything it printed so far. The facilitator's link is read
    from the private file the server names, as a facilitator would.
    """
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bridges-serve-", suffix=".log")[1])
    # A small room unless a test sizes it: the default room's pool would take a minute to preheat.
    room = () if "--room-size" in extra else ("--room-size", str(TEST_ROOM_SIZE))
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "toolkit", "serve", str(cohort), "--host", host, "--port", str(port), *room, *extra],
            env={**os.environ, "COLUMNS": "200", **env},
            cwd=cwd,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    seen: dict[str, Any] = {"process": process, "port": port, "log": lambda: log.read_text(encoding="utf-8")}
    try:
        deadline = time.monotonic() + timeout
        while "Bridges is serving" not in seen["log"]():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("bridges serve did not start:\n" + seen["log"]())
            time.sleep(0.2)
        for line in seen["log"]().splitlines():
            if line.startswith("Participants open:"):
                seen["participant"] = line.split(": ", 1)[1].strip()
            elif line.startswith("Facilitator link file:"):
                seen["link_file"] = Path(line.split(": ", 1)[1].strip())
                seen["facilitator"] = seen["link_file"].read_text(encoding="utf-8").strip()
            elif line.startswith("Join code:"):
                seen["join_code"] = line.split(": ", 1)[1].strip()
        _wait_server(port, process)
        yield seen
    finally:
        stop_group(process, signal.SIGINT, 30)  # Ctrl-C, as a facilitator stops it
        seen["output"] = seen["log"]()
        log.unlink(missing_ok=True)
