"""Start a live session: prepare the site, print what the room needs, run until Ctrl-C.

What is printed is safe to project: the participants' address, join code and
QR code. The facilitator's private link goes to a file only its owner can
read (mode 0600), never to the terminal, which is the screen most likely to
end up on the projector.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from toolkit.cohorts import load_cohort
from toolkit.curriculum import programme
from toolkit.events.sqlite_store import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, make_private_dirs
from toolkit.lifecycle.purge import purge_cohort
from toolkit.live.access import RoomAccess, is_loopback
from toolkit.live.kernels import KernelLimits
from toolkit.live.server import Listen, PreheatProgress, make_app
from toolkit.live.site import prepare_site
from toolkit.paths import Home, data_dir

FACILITATOR_LINK_FILE = "facilitator-link.txt"


def qr_text(url: str) -> str:
    """The URL as a QR code drawn with text blocks, to project for the room."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only this account can read, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), PRIVATE_FILE_MODE)  # an existing file keeps its old mode otherwise
        handle.write(text)


def preheat_progress(console: Console) -> PreheatProgress:
    """Report kernels getting ready: one line redrawn on a terminal, a line per step in a log."""

    def report(ready: int, wanted: int) -> None:
        line = f"Preparing {ready} of {wanted} pages…" if ready < wanted else f"Prepared {wanted} pages."
        if console.is_terminal:
            console.file.write(f"\r{line}" + ("\n" if ready >= wanted else ""))
            console.file.flush()
        else:
            console.print(line)

    return report


def serve_cohort(cohort_file: Path, home: Home, listen: Listen, limits: KernelLimits) -> None:
    cohort = load_cohort(cohort_file, programme(home=home))
    purge_cohort(cohort)  # nothing past the cohort's retention period is served, or kept
    translated = programme(cohort.language, home)
    titles = {m.slug: m.title for m in translated.modules}
    cohort_dir = data_dir() / cohort.slug
    for folder in (cohort_dir, cohort_dir / "site", cohort_dir / "site" / "facilitator"):
        make_private_dirs(folder)
        folder.chmod(PRIVATE_DIR_MODE)  # also a folder an older version made 0755
    site = prepare_site(cohort, cohort_file, home, cohort_dir / "site")
    access = RoomAccess.for_host(listen.host)
    app = make_app(cohort, site, titles, listen, access, limits)
    participant = app.participant_url()
    link_file = cohort_dir / FACILITATOR_LINK_FILE
    code = f"&token={access.join_code}" if access.join_code else ""
    write_private(link_file, f"{listen.base_url}facilitator?key={access.facilitator_token}{code}\n")

    console = Console(highlight=False)
    console.print(f"[bold]{escape(cohort.name)}[/bold]: live session")
    console.print(f"Participants open: {escape(participant)}")
    if access.join_code:
        console.print(f"Join code: [bold]{escape(access.join_code)}[/bold]")
        console.print(qr_text(participant), markup=False)
    console.print(f"Projector page (QR code and join code, large): {escape(listen.base_url)}projector")
    console.print(f"Facilitator link file: {escape(str(link_file))}")
    console.print("  Open the link in that file on this computer only; it is private and never shown here.")
    if not is_loopback(listen.host) and not listen.tls and not (listen.public_url or "").startswith("https:"):
        console.print(
            "[bold]Warning:[/bold] no TLS. Answers, the join code and cookies travel unencrypted over this "
            "network: use it only on a network you trust, or serve with --certfile and --keyfile (see README)."
        )
    console.print(
        f"Kernels: {limits.pool} kept ready for today's first module; at most {limits.total} open pages "
        f"({limits.per_browser} per browser); a kernel whose page is gone stops after {limits.cull_idle} s."
    )
    console.print("Stop with Ctrl-C: every kernel is shut down.")
    app.preheat_progress = preheat_progress(console)
    app.start()
