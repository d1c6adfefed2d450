"""Benchmark: a live session with 30 participants, the dashboard following, and Voilà start-up.

- save-to-dashboard latency: 30 participant processes save answers through
  the toolkit's API (ParticipantSession, as the widgets do) while the real
  Dashboard follows the event log from its cursor every POLL_SECONDS; the
  latency is the time from an event's save to the refresh that showed it.
- time-to-interactive: `bridges serve` in Debian's Chromium, from navigation
  to the participant-code button being usable, without and with preheated kernels.
- memory per participant kernel: resident set size of the kernels serving pages.
- the room's pages: the same arrivals as plain HTTP requests, seconds to each whole page
  (the server's share, without 30 browsers competing with it for the two cores).
- the room's front ends: the same arrivals speaking Voilà's front end's protocol (page, kernel
  websocket, every widget's state, a click on "Get a new code", the code back), without
  rendering: what a room of phones asks of the laptop.
- a room: ROOM participants (one Chromium, a context each) open module 1
  within ROOM_SPREAD seconds and choose codes; time-to-usable per page, peak
  memory and kernel count, and the kernels left LINGER seconds after the
  pages close, with a pool sized to the room and with a pool of 2.

    python benchmarks/live.py [dashboard] [tti] [pages] [frontends] [room] [pool2]
        (default: all but pool2, which adds the room with a pool of 2)
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

PARTICIPANTS = 30
ANSWERS_EACH = 6
ROOM = int(os.environ.get("BRIDGES_BENCH_ROOM", "30"))
ROOM_SPREAD = 2.0  # seconds over which the room's navigations start
LINGER = 60.0  # seconds after the pages close before kernels are counted
MODULE_URL = "voila/render/01-shared-experiences.ipynb"


def cohort_yaml(folder: Path, store: Path) -> Path:
    path = folder / "bench.yaml"
    path.write_text(
        f"name: Benchmark cohort\nslug: bench\nlanguage: en\nsessions:\n  - date: {dt.date.today().isoformat()}\n"
        f'    start: "18:00"\n    modules: [shared-experiences]\nstore: sqlite:///{store}\n',
        encoding="utf-8",
    )
    return path


def participant(number: int, store_url: str) -> None:
    from toolkit.events.model import EventType
    from toolkit.identity import new_code
    from toolkit.session import ParticipantSession

    session = ParticipantSession("bench", "shared-experiences", store_url, participant=new_code())
    rng = random.Random(number)
    for _ in range(ANSWERS_EACH):
        time.sleep(rng.uniform(0.2, 1.5))
        payload = {"kind": "scale", "value": rng.randint(1, 5), "sharing": "aggregate"}
        session.record(EventType.ANSWERED, "se-closeness-scale", payload)


def save_to_dashboard(folder: Path) -> list[float]:
    from toolkit.cohorts import load_cohort
    from toolkit.events.store import open_store
    from toolkit.live.dashboard import POLL_SECONDS, Dashboard

    store = folder / "events.sqlite"
    cohort = load_cohort(cohort_yaml(folder, store))
    events = open_store(f"sqlite:///{store}")
    dashboard = Dashboard(cohort, events)
    dashboard.widget()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=participant, args=(n, f"sqlite:///{store}")) for n in range(PARTICIPANTS)]
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    while any(worker.is_alive() for worker in workers) or len(latencies) < PARTICIPANTS * ANSWERS_EACH:
        before = dashboard.responses.cursor
        dashboard.refresh()
        seen = dt.datetime.now(dt.UTC)
        for stored in events.read(since=before, limit=dashboard.responses.cursor - before or None):
            if stored.seq <= dashboard.responses.cursor:
                latencies.append((seen - stored.event.time).total_seconds())
        if len(latencies) >= PARTICIPANTS * ANSWERS_EACH and not any(w.is_alive() for w in workers):
            break
        time.sleep(POLL_SECONDS)
    for worker in workers:
        worker.join()
    return latencies


def time_to_interactive(folder: Path, preheat: int) -> tuple[float, float, list[int]]:
    """Seconds to a usable code button (the page's door), to the panel's own widgets, and kernel memory."""
    import psutil
    from browser import chromium, free_port

    port = free_port()
    env = {**os.environ, "BRIDGES_DATA_DIR": str(folder / f"data-{preheat}")}
    import subprocess

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toolkit",
            "serve",
            str(cohort_yaml(folder, folder / "tti.sqlite")),
            "--port",
            str(port),
            "--preheat",
            str(preheat),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(20 if preheat else 8)  # let the pool fill, as it would before the room arrives
        with chromium() as browser:
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/{MODULE_URL}", timeout=90_000, wait_until="commit")
            page.get_by_role("button", name="Get a new code").wait_for(timeout=90_000)
            door = time.perf_counter() - started
            page.locator("button.bridges-new-code").wait_for(timeout=90_000)
            widgets = time.perf_counter() - started
            kernels = [
                p for p in psutil.Process(process.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())
            ]
            memory = [p.memory_full_info().uss for p in kernels]
        return door, widgets, memory
    finally:
        import signal

        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)


class Sampler:
    """Peak memory (RSS of the server and its kernels) and peak kernel count, sampled every 0.25 s."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.peak_bytes, self.peak_kernels = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            processes, kernels = server_processes(self.pid)
            total = 0
            for process in processes:
                try:
                    total += process.memory_info().rss
                except Exception:  # a kernel that exited between listing and reading
                    continue
            self.peak_bytes, self.peak_kernels = max(self.peak_bytes, total), max(self.peak_kernels, kernels)
            self._stop.wait(0.25)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def server_processes(pid: int) -> tuple[list[Any], int]:
    """The server and its descendants, and how many of them are kernels."""
    import psutil

    try:
        server = psutil.Process(pid)
        processes = [server, *server.children(recursive=True)]
    except psutil.NoSuchProcess:
        return [], 0
    kernels = 0
    for process in processes:
        try:
            kernels += "ipykernel" in " ".join(process.cmdline())
        except psutil.Error:
            continue
    return processes, kernels


async def room_participant(browser: Any, base: str, delay: float) -> tuple[float, float]:
    """One participant: open module 1 after ``delay`` s, wait for a usable code button, choose a code at once.

    Returns the seconds to the usable button and to the chosen code on screen (the panel's answer,
    after the door handed the choice over to the widgets).
    """
    import asyncio

    await asyncio.sleep(delay)
    context = await browser.new_context()
    page = await context.new_page()
    started = time.perf_counter()
    await page.goto(base + MODULE_URL, timeout=120_000, wait_until="commit")
    button = page.get_by_role("button", name="Get a new code")  # the door first, the panel's once handed over
    await button.wait_for(timeout=120_000)
    usable = time.perf_counter() - started
    try:
        await button.click(timeout=120_000)
        await page.wait_for_function(
            "() => { const s = document.querySelector('.bridges-participant-panel strong');"
            " return s && s.innerText.trim(); }",
            timeout=120_000,
        )
        chosen = time.perf_counter() - started
    except Exception:  # a page usable but too slow to show its code still counts as usable
        chosen = math.inf
    await page.close(run_before_unload=True)
    await context.close()
    return usable, chosen


async def room_browser(base: str) -> list[tuple[float, float]]:
    import asyncio

    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            spread = [ROOM_SPREAD * n / ROOM for n in range(ROOM)]
            results = await asyncio.gather(
                *(room_participant(browser, base, delay) for delay in spread), return_exceptions=True
            )
            return [r if isinstance(r, tuple) else (math.inf, math.inf) for r in results]
        finally:
            await browser.close()


@contextmanager
def room_server(folder: Path, name: str, preheat: int | None) -> Iterator[tuple[int, int, float]]:
    """`bridges serve --room-size ROOM` until its pools are ready: yields (port, pid, seconds to ready)."""
    import signal
    import subprocess

    from browser import free_port

    port, log = free_port(), folder / f"{name}.log"
    pool = ["--preheat", str(preheat)] if preheat is not None else []
    command = [sys.executable, "-m", "toolkit", "serve", str(cohort_yaml(folder, folder / f"{name}.sqlite"))]
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--room-size", str(ROOM), *pool],
            env={**os.environ, "BRIDGES_DATA_DIR": str(folder / f"data-{name}")},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        while "Bridges is serving" not in log.read_text():
            if process.poll() is not None:
                raise RuntimeError(log.read_text())
            time.sleep(0.2)
        ready = time.perf_counter() - started
        time.sleep(3)  # the server's first culling and pool checks settle
        yield port, process.pid, ready
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=180)  # Ctrl-C stops every kernel, one after another
        except subprocess.TimeoutExpired:
            print(f"the server took over 180 s to stop its kernels after Ctrl-C; killed ({log})")
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def room(folder: Path, preheat: int | None) -> dict[str, float]:
    """The room scenario in Chromium against `bridges serve --room-size ROOM` (``preheat`` overrides the pool)."""
    import asyncio

    with room_server(folder, f"room-{preheat}", preheat) as (port, pid, ready):
        sampler = Sampler(pid)
        times = asyncio.run(room_browser(f"http://127.0.0.1:{port}/"))
        sampler.stop()
        time.sleep(LINGER)
        left = server_processes(pid)[1]
    failed = sum(math.isinf(t) for t, _ in times)
    unchosen = sum(math.isinf(t) for _, t in times)
    usable = sorted(t for t, _ in times)
    chosen = sorted(t for _, t in times)
    return {
        "ready": ready,
        "p50": statistics.median(usable),
        "p95": statistics.quantiles(usable, n=20)[18],
        "chosen_p95": statistics.quantiles(chosen, n=20)[18],
        "peak_gb": sampler.peak_bytes / 2**30,
        "peak_kernels": sampler.peak_kernels,
        "left": left,
        "failed": failed,
        "unchosen": unchosen,
    }


def room_pages(folder: Path) -> list[float]:
    """The server's side of the room: ROOM requests for module 1 within ROOM_SPREAD s, seconds to each whole page.

    No browser: on this machine ROOM Chromium pages starve the server and each other of the two
    cores, while in a room every phone renders its own page. The page carries the door, so a
    phone can act as soon as it has painted what arrived (the single-page figure above).
    """
    import asyncio

    import tornado.httpclient

    async def one(port: int, delay: float) -> float:
        await asyncio.sleep(delay)
        client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
        started = time.perf_counter()
        response = await client.fetch(f"http://127.0.0.1:{port}/{MODULE_URL}", request_timeout=120)
        if b'id="bridges-door"' not in response.body:
            raise RuntimeError(f"module page without its door (HTTP {response.code})")
        return time.perf_counter() - started

    async def everyone(port: int) -> list[float]:
        return await asyncio.gather(*(one(port, ROOM_SPREAD * n / ROOM) for n in range(ROOM)))

    with room_server(folder, "room-pages", None) as (port, _pid, _ready):
        return sorted(asyncio.run(everyone(port)))


async def protocol_participant(port: int, delay: float) -> tuple[float, float, float]:
    """One phone's front end at the protocol level: (page, widget state, code on screen) in seconds.

    What Voilà's front end asks of the server and the kernel, without rendering anything:
    the page, the kernel's channels websocket, every widget's state through ipywidgets'
    control comm, then a click on the participant panel's "Get a new code" button, until
    the kernel sends the panel's message holding the code.
    """
    import asyncio
    import json
    import re
    import uuid
    from http.cookies import SimpleCookie

    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    await asyncio.sleep(delay)
    started = time.perf_counter()
    base = f"127.0.0.1:{port}"
    response = await AsyncHTTPClient(force_instance=True).fetch(f"http://{base}/{MODULE_URL}", request_timeout=120)
    page = time.perf_counter() - started
    cookies = SimpleCookie()
    for header in response.headers.get_list("Set-Cookie"):
        cookies.load(header)
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', response.body.decode())
    if kernel is None:
        raise RuntimeError("the module page names no kernel")
    session = uuid.uuid4().hex
    channels = await websocket_connect(
        HTTPRequest(
            f"ws://{base}/api/kernels/{kernel.group(1)}/channels?session_id={session}",
            headers={"Origin": f"http://{base}", "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookies.items())},
        )
    )

    def send(msg_type: str, content: dict[str, Any], metadata: dict[str, str] | None = None) -> Any:
        header = {"msg_id": uuid.uuid4().hex, "session": session, "msg_type": msg_type, "version": "5.3"}
        message = {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}
        return channels.write_message(json.dumps({**message, "channel": "shell"}))

    async def comm_data() -> dict[str, Any]:
        """The data of the next comm message from the kernel (binary frames: the JSON part only)."""
        while True:
            raw = await channels.read_message()
            if raw is None:
                raise RuntimeError("the kernel's websocket closed")
            if isinstance(raw, bytes):
                count = int.from_bytes(raw[:4], "big")
                offsets = [int.from_bytes(raw[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(count)]
                raw = raw[offsets[0] : offsets[1] if count > 1 else None].decode()
            message = json.loads(raw)
            if message.get("msg_type", message["header"]["msg_type"]) == "comm_msg":
                data: dict[str, Any] = message["content"]["data"]
                return data

    control = uuid.uuid4().hex
    opening = {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}
    await send("comm_open", opening, {"version": "1.0.0"})  # ipywidgets' control protocol
    await send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    while (data := await comm_data()).get("method") != "update_states":
        pass
    state = time.perf_counter() - started
    button = next(
        model
        for model, widget in data["states"].items()
        if "bridges-new-code" in widget["state"].get("_dom_classes", [])
    )
    await send("comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}})
    while 'class="bridges-code"' not in str((await comm_data()).get("state", {}).get("value", "")):
        pass
    chosen = time.perf_counter() - started
    channels.close()
    return page, state, chosen


def room_protocol(folder: Path) -> list[tuple[float, float, float]]:
    """ROOM phones' front ends at the protocol level against `bridges serve --room-size ROOM`."""
    import asyncio

    async def everyone(port: int) -> list[tuple[float, float, float]]:
        return await asyncio.gather(*(protocol_participant(port, ROOM_SPREAD * n / ROOM) for n in range(ROOM)))

    with room_server(folder, "room-protocol", None) as (port, _pid, _ready):
        return asyncio.run(everyone(port))


def main() -> None:
    parts = set(sys.argv[1:]) or {"dashboard", "tti", "pages", "frontends", "room"}
    parts |= {"room"} if "pool2" in parts else set()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores; load average at start {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["BRIDGES_DATA_DIR"] = str(folder / "data")
        if "dashboard" in parts:
            latencies = save_to_dashboard(folder)
            quantiles = statistics.quantiles(latencies, n=20)
            print(f"{PARTICIPANTS} participant processes x {ANSWERS_EACH} saves")
            print(f"save-to-dashboard latency: p50 {statistics.median(latencies):.2f} s, p95 {quantiles[18]:.2f} s")
        if "tti" in parts:
            for preheat in (0, 2):
                door, widgets, memory = time_to_interactive(folder, preheat=preheat)
                print(
                    f"time-to-interactive, module 1, {preheat} preheated kernels: usable code button (the door) "
                    f"{door:.2f} s; the panel's widgets {widgets:.2f} s"
                )
            if memory:
                mean = statistics.mean(memory) / 2**20
                print(f"memory per participant kernel (USS): {mean:.0f} MB (n={len(memory)})")
        if "pages" in parts:
            pages = room_pages(folder)
            print(
                f"room of {ROOM} within {ROOM_SPREAD:.0f} s, the server's side (no browser): whole module page, "
                f"door included, p50 {statistics.median(pages):.3f} s, "
                f"p95 {statistics.quantiles(pages, n=20)[18]:.3f} s"
            )
        if "frontends" in parts:
            runs = room_protocol(folder)

            def spread(values: list[float]) -> str:
                return f"p50 {statistics.median(values):.2f} s, p95 {statistics.quantiles(values, n=20)[18]:.2f} s"

            print(
                f"room of {ROOM} within {ROOM_SPREAD:.0f} s, front ends at the protocol level (no rendering): "
                f"page {spread([r[0] for r in runs])}; widget state {spread([r[1] for r in runs])}; "
                f"code on screen after an immediate click {spread([r[2] for r in runs])}"
            )
        if "room" in parts:
            for preheat in (None, 2) if "pool2" in parts else (None,):
                r = room(folder, preheat)
                label = f"pool {ROOM} (room size)" if preheat is None else f"pool {preheat}"
                print(
                    f"room of {ROOM} within {ROOM_SPREAD:.0f} s, {label}: ready to serve after {r['ready']:.0f} s; "
                    f"time-to-usable p50 {r['p50']:.2f} s, p95 {r['p95']:.2f} s; code chosen p95 "
                    f"{r['chosen_p95']:.2f} s; peak {r['peak_gb']:.1f} GB in {r['peak_kernels']:.0f} kernels; "
                    f"{r['left']} kernels left {LINGER:.0f} s after the pages closed; "
                    f"{r['failed']} pages not usable within 120 s, {r['unchosen']} without a code 120 s after the click"
                )
        load = os.getloadavg()
        print(f"load average at end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
