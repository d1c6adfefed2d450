"""Benchmark: many servers, one store. 4 server processes, 120 participants, one dashboard following.

Each server process stands for one `bridges serve` (or hub single-user servers):
its participants save through the toolkit's API (ParticipantSession, as the
widgets do), each with a store connection of its own, as each page's kernel has.
The real Dashboard follows the log from its cursor in this process, with its own
follow loop (woken by NOTIFY on PostgreSQL, polling every POLL_SECONDS on SQLite).

Two phases, on PostgreSQL (its own server, started here as the tests start
theirs, with fsync on), on the same server through a proxy that delays every
packet by NETWORK_DELAY each way (as a server on another machine), and then on
SQLite, side by side:

- room: every participant saves ROOM_ANSWERS answers, thinking 1-4 s before each
  (a busy room); save-to-dashboard latency is from an answer's creation to the
  end of the dashboard refresh that applied it.
- burst: every participant saves BURST_ANSWERS answers back to back: the store's
  throughput (events/s) with 120 writers, and the dashboard's latency under it.

    python benchmarks/scale.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

SERVERS = 4
PARTICIPANTS = 120
ROOM_ANSWERS = 5
ROOM_THINK = (1.0, 4.0)  # seconds before each answer
BURST_ANSWERS = 10
MODULE = "shared-experiences"
EXERCISE = "se-closeness-scale"
SLUG = "scale"
# A real server's durability (the tests turn fsync off), and a connection for each participant.
POSTGRES_SETTINGS = "-c fsync=on -c max_connections=200"
# Each way, for the run through a proxy: a PostgreSQL server on the local network or in the same cloud region.
NETWORK_DELAY = 0.001
PHASES: tuple[tuple[str, int, tuple[float, float]], ...] = (
    ("room", ROOM_ANSWERS, ROOM_THINK),
    ("burst", BURST_ANSWERS, (0.0, 0.0)),
)


def cohort_yaml(folder: Path, store_url: str) -> Path:
    path = folder / f"{SLUG}.yaml"
    path.write_text(
        f"name: Scale benchmark\nslug: {SLUG}\nlanguage: en\nsessions:\n  - date: {dt.date.today().isoformat()}\n"
        f'    start: "18:00"\n    modules: [{MODULE}]\nstore: "{store_url}"\n',
        encoding="utf-8",
    )
    return path


def participant_saves(session: Any, seed: int, answers: int, think: tuple[float, float]) -> tuple[list[float], float]:
    """One participant's answers in a phase: how long each save took, and when the first began."""
    from toolkit.events.model import EventType

    rng = random.Random(seed)
    saves: list[float] = []
    started = time.time()
    for _ in range(answers):
        time.sleep(rng.uniform(*think))
        before = time.perf_counter()
        session.record(EventType.ANSWERED, EXERCISE, {"kind": "scale", "value": rng.randint(1, 5)})
        saves.append(time.perf_counter() - before)
    return saves, started


def server(number: int, store_url: str, participants: int, phases: Any, barrier: Any, results: Any) -> None:
    """One server's participants: a thread and a store connection each; every phase starts at the barrier."""
    from toolkit.identity import new_code
    from toolkit.session import ParticipantSession

    sessions = [ParticipantSession(SLUG, MODULE, store_url, participant=new_code()) for _ in range(participants)]
    for session in sessions:
        session.store  # noqa: B018 - connect now, as a kernel does when its page opens
    with ThreadPoolExecutor(max_workers=participants) as pool:
        for phase, answers, think in phases:
            barrier.wait()  # every server ready: go
            done = list(
                pool.map(
                    participant_saves,
                    sessions,
                    [number * 1000 + index for index in range(participants)],
                    [answers] * participants,
                    [think] * participants,
                )
            )
            saves = [seconds for own, _started in done for seconds in own]
            results.put((phase, saves, min(started for _own, started in done), time.time()))
            barrier.wait()  # every server done with this phase
    for session in sessions:
        session.close()


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    refreshes: int = 0  # dashboard refreshes that applied answers
    dashboard_cpu: float = 0.0  # CPU seconds of this process (the dashboard) during the phase
    saves: list[float] = field(default_factory=list)
    started: float = float("inf")
    ended: float = 0.0


def timed_dashboard(cohort_file: Path) -> Any:
    """The real Dashboard, noting when each answer it applies was saved and when its refresh ended."""
    from toolkit.events.model import EventType, StoredEvent
    from toolkit.live.dashboard import Dashboard

    class TimedDashboard(Dashboard):
        phase: Phase
        answers_seen = 0

        def refresh(self) -> bool:
            saved: list[dt.datetime] = []
            apply = self.responses.apply

            def noting(stored: StoredEvent) -> None:
                if stored.seq > self.responses.cursor and stored.event.type is EventType.ANSWERED:
                    saved.append(stored.event.time)
                apply(stored)

            self.responses.apply = noting  # type: ignore[method-assign]
            try:
                changed = super().refresh()
            finally:
                del self.responses.apply
            seen = dt.datetime.now(dt.UTC)
            self.phase.latencies.extend((seen - time).total_seconds() for time in saved)
            self.phase.refreshes += bool(saved)
            self.answers_seen += len(saved)
            return changed

    return TimedDashboard.for_cohort(cohort_file)


async def run_phases(dashboard: Any, barrier: Any, results: Any, phases: list[Phase]) -> None:
    loop = asyncio.get_running_loop()
    follower = asyncio.create_task(dashboard.follow())
    expected = 0
    for phase, (_name, answers, _think) in zip(phases, PHASES, strict=True):
        dashboard.phase = phase
        expected += PARTICIPANTS * answers
        await loop.run_in_executor(None, barrier.wait)  # go
        cpu = time.process_time()
        await loop.run_in_executor(None, barrier.wait)  # every server done
        for _ in range(SERVERS):
            _phase, saves, started, ended = await loop.run_in_executor(None, results.get)
            phase.saves += saves
            phase.started, phase.ended = min(phase.started, started), max(phase.ended, ended)
        deadline = time.monotonic() + 120
        while dashboard.answers_seen < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        phase.dashboard_cpu = time.process_time() - cpu
    follower.cancel()


def run(store_url: str, folder: Path) -> list[Phase]:
    from toolkit.events.store import open_store

    with open_store(store_url):
        pass  # migrated once, before the servers start
    phases = [Phase(name) for name, _answers, _think in PHASES]
    dashboard = timed_dashboard(cohort_yaml(folder, store_url))
    dashboard.phase = phases[0]
    dashboard.widget()  # draws the first view, as the page does
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(SERVERS + 1), context.Queue()
    each = PARTICIPANTS // SERVERS
    servers = [
        context.Process(target=server, args=(n, store_url, each, PHASES, barrier, results)) for n in range(SERVERS)
    ]
    for process in servers:
        process.start()
    try:
        asyncio.run(run_phases(dashboard, barrier, results, phases))
    finally:
        for process in servers:
            process.join(60)
        dashboard.store.close()
    return phases


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figures(phase: Phase) -> dict[str, str]:
    """One column of the report: a phase's figures on one store."""
    return {
        "answers saved / shown by the dashboard": f"{len(phase.saves)} / {len(phase.latencies)}",
        "save-to-dashboard p50 / p95 (s)": (
            f"{statistics.median(phase.latencies):.3f} / {percentile(phase.latencies, 0.95):.3f}"
        ),
        "save-to-dashboard max (s)": f"{max(phase.latencies):.3f}",
        "dashboard refreshes that drew answers": f"{phase.refreshes}",
        "dashboard CPU (s)": f"{phase.dashboard_cpu:.1f}",
        "one save p50 / p95 (ms)": (
            f"{statistics.median(phase.saves) * 1000:.0f} / {percentile(phase.saves, 0.95) * 1000:.0f}"
        ),
        "store throughput (events/s)": f"{len(phase.saves) / (phase.ended - phase.started):.0f}",
    }


def report(runs: dict[str, list[Phase]], load: tuple[float, float]) -> None:
    names = list(runs)
    print(f"\n{SERVERS} servers, {PARTICIPANTS} participants, one dashboard; {os.cpu_count()} CPUs,")
    print(f"load average (1 min) {load[0]:.1f} before and {load[1]:.1f} after\n")
    print(f"{'':44}" + "".join(f"{name:>16}" for name in names))
    for index, (phase, answers, _think) in enumerate(PHASES):
        columns = [figures(runs[name][index]) for name in names]
        for label in columns[0]:
            print(f"{phase + ': ' + label:44}" + "".join(f"{column[label]:>16}" for column in columns))
        print(f"  ({PARTICIPANTS} x {answers} answers)")


def delaying_proxy(target_port: int, delay: float, ports: Any) -> None:
    """Forward loopback TCP to ``target_port``, holding each chunk ``delay`` seconds each way."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await asyncio.sleep(delay)
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def connect(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    async def serve() -> None:
        server = await asyncio.start_server(connect, "127.0.0.1", 0)
        ports.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(serve())


def main() -> None:
    from conftest_postgres import running_postgres

    load_before = os.getloadavg()[0]
    runs: dict[str, list[Phase]] = {}
    with tempfile.TemporaryDirectory(prefix="bridges-scale-") as name:
        folder = Path(name)
        with running_postgres(POSTGRES_SETTINGS) as postgres:
            print("PostgreSQL…", flush=True)
            runs["PostgreSQL"] = run(postgres.create_database("scale"), folder)
            # The same server as if on another machine: every connection through a proxy in its own process.
            context = multiprocessing.get_context("spawn")
            ports = context.Queue()
            proxy = context.Process(target=delaying_proxy, args=(postgres.port, NETWORK_DELAY, ports), daemon=True)
            proxy.start()
            far = postgres.create_database("scale_far").replace(f":{postgres.port}/", f":{ports.get(timeout=60)}/")
            print(f"PostgreSQL, {NETWORK_DELAY * 2000:.0f} ms away…", flush=True)
            try:
                runs[f"PG {NETWORK_DELAY * 2000:.0f} ms away"] = run(far, folder)
            finally:
                proxy.terminate()
        print("SQLite…", flush=True)
        runs["SQLite"] = run(f"sqlite:///{(folder / 'events.sqlite').as_posix()}", folder)
    report(runs, (load_before, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
