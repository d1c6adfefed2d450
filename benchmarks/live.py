"""Benchmark: a live session with 30 participants, the dashboard following, and Voilà start-up.

- save-to-dashboard latency: 30 participant processes save answers through
  the toolkit's API (ParticipantSession, as the widgets do) while the real
  Dashboard follows the event log from its cursor every POLL_SECONDS; the
  latency is the time from an event's save to the refresh that showed it.
- time-to-interactive: `bridges serve` in Debian's Chromium, from navigation
  to the participant-code button being usable, without and with preheated kernels.
- memory per participant kernel: resident set size of the kernels serving pages.

    python benchmarks/live.py
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

PARTICIPANTS = 30
ANSWERS_EACH = 6


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


def time_to_interactive(folder: Path, preheat: int) -> tuple[float, list[int]]:
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
            page.goto(f"http://127.0.0.1:{port}/voila/render/01-shared-experiences.ipynb", timeout=90_000)
            page.get_by_role("button", name="Get a new code").wait_for(timeout=90_000)
            elapsed = time.perf_counter() - started
            kernels = [
                p for p in psutil.Process(process.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())
            ]
            memory = [p.memory_full_info().uss for p in kernels]
        return elapsed, memory
    finally:
        import signal

        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["BRIDGES_DATA_DIR"] = str(folder / "data")
        latencies = save_to_dashboard(folder)
        quantiles = statistics.quantiles(latencies, n=20)
        print(f"machine: {os.cpu_count()} cores; {PARTICIPANTS} participant processes x {ANSWERS_EACH} saves")
        print(f"save-to-dashboard latency: p50 {statistics.median(latencies):.2f} s, p95 {quantiles[18]:.2f} s")
        cold, _ = time_to_interactive(folder, preheat=0)
        warm, memory = time_to_interactive(folder, preheat=2)
        print(f"time-to-interactive, module 1: {cold:.2f} s without preheated kernels, {warm:.2f} s with")
        if memory:
            print(f"memory per participant kernel (USS): {statistics.mean(memory) / 2**20:.0f} MB (n={len(memory)})")


if __name__ == "__main__":
    main()
