"""Start a live session: prepare the site, print the room's URLs and QR code, run until Ctrl-C."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from toolkit.cohorts import load_cohort
from toolkit.curriculum import programme
from toolkit.live.server import RoomAccess, make_app, room_urls
from toolkit.live.site import prepare_site
from toolkit.paths import Home, data_dir


def qr_text(url: str) -> str:
    """The URL as a QR code drawn with text blocks, to project for the room."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def serve_cohort(cohort_file: Path, home: Home, host: str, port: int, preheat: int) -> None:
    cohort = load_cohort(cohort_file, programme(home=home))
    translated = programme(cohort.language, home)
    titles = {m.slug: f"{m.number}. {m.title}" for m in translated.modules}
    site = prepare_site(cohort, cohort_file, home, data_dir() / cohort.slug / "site")
    access = RoomAccess.for_host(host)
    app = make_app(cohort, site, titles, host, port, access, preheat)
    participant, facilitator = room_urls(host, port, access)
    console = Console(highlight=False)
    console.print(f"[bold]{cohort.name}[/bold]: live session")
    console.print(f"Participants open: {participant}")
    if access.join_code:
        console.print(f"Join code: [bold]{access.join_code}[/bold]")
        console.print(qr_text(participant))
    console.print(f"Facilitator dashboard (keep private): {facilitator}")
    console.print("Stop with Ctrl-C: every kernel is shut down.")
    app.start()
