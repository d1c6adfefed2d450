"""The ``bridges`` command line.

Heavy libraries are imported inside commands so that ``bridges --help`` and
small commands start fast. Only this module turns toolkit errors into exit
codes and one-line messages; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from toolkit import __version__
from toolkit.builder.module_job import DEFAULT_CELL_TIMEOUT
from toolkit.errors import BridgesError, CurriculumNotFound, ValidationFailed
from toolkit.hub.defaults import DEFAULT_BIND_URL, DEFAULT_IDLE_SERVER_TIMEOUT, DEFAULT_MAX_SERVERS, DEFAULT_PUBLIC_URL
from toolkit.live.kernels import DEFAULT_CULL_IDLE, DEFAULT_ROOM_SIZE
from toolkit.paths import Home, find_home

if TYPE_CHECKING:
    from toolkit.schema.cohort import Cohort


class _OneErrorBoundary(TyperGroup):
    """The one place toolkit errors become exit codes: every command just raises."""

    # Any: newer typer releases vendor click, so the context's class depends on the version installed.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BridgesError as error:
            if ctx.meta.get(DEBUG):
                raise
            raise typer.Exit(code=_report(error)) from None


app = typer.Typer(
    name="bridges",
    help="Bridges: a curriculum toolkit for cultural exchange between Asian LGBTQ+ groups.",
    cls=_OneErrorBoundary,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Where --debug is kept: the click context's meta, shared by the group and every command.
DEBUG = "bridges.debug"

HomeOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional on Python 3.11
    typer.Option("--home", help="Folder with curriculum/ and modules/ (default: found automatically)."),
]


def _report(error: BridgesError) -> int:
    """Print an error for a person, not a programmer; return the exit code."""
    from rich.console import Console
    from rich.markup import escape

    # Messages quote file contents (a slug pattern's [a-z0-9], a path): escaped,
    # and without :emoji: codes, every character reaches the terminal as written.
    console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    if isinstance(error, ValidationFailed):
        for problem in error.problems:
            console.print(f"[red]error[/red] {escape(str(problem))}", markup=True)
        console.print(f"{len(error.problems)} problem(s) found.")
    else:
        console.print(f"[red]error[/red] {escape(str(error))}", markup=True)
    return 1


def _home(path: Path | None) -> Home:
    if path is None:
        return find_home()
    home = Home(path.resolve())
    if not home.is_complete():
        raise CurriculumNotFound([home.root])
    return home


@app.callback()
def main(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    ctx.meta[DEBUG] = debug


@app.command()
def version() -> None:
    """Print the toolkit version."""
    typer.echo(__version__)


@app.command()
def check(
    cohort: Annotated[Optional[Path], typer.Argument(help="A cohort YAML file to validate too.")] = None,  # noqa: UP045
    home: HomeOption = None,
    connect: Annotated[
        bool, typer.Option("--connect", help="Also open the cohort's event store to check that it answers.")
    ] = False,
) -> None:
    """Validate curriculum/, modules/ and, if given, a cohort file."""
    from toolkit.checks import run_check

    if connect and cohort is None:
        raise BridgesError("--connect checks a cohort's event store: name the cohort file")
    resolved = _home(home)
    result = run_check(resolved, cohort)
    if not result.ok:
        raise ValidationFailed(result.problems)
    assert result.loaded is not None
    programme = result.loaded.programme
    parts = [
        f"{len(programme.modules)} modules",
        f"{result.notebooks} notebooks",
        f"{len(programme.resources.resources)} resources",
    ]
    if result.cohort is not None:
        parts.append(f"cohort {result.cohort.slug!r}")
    typer.echo(f"ok: {', '.join(parts)}")
    for notice in result.notices:
        typer.echo(f"note {notice}")
    if connect and result.cohort is not None:
        _check_store_answers(result.cohort)
    _report_translations(resolved)


def _check_store_answers(cohort: Cohort) -> None:
    """Open the cohort's store and read from it; a StoreError says what failed."""
    from toolkit.cohorts import store_url
    from toolkit.events.store import open_store
    from toolkit.lifecycle.stores import store_exists

    url = store_url(cohort)
    if not store_exists(url):  # opening would create an empty file: a check changes nothing
        typer.echo(f"note store {url} does not exist yet; the first saved answer creates it")
        return
    with open_store(url) as store:
        store.read(limit=1)
    typer.echo(f"store answers: {url}")


def _report_translations(home: Home) -> None:
    from toolkit.checks.translations import translation_coverage

    covered, interface_only = translation_coverage(home)
    for coverage in covered:
        typer.echo(
            f"{coverage.language}: {coverage.share:.0%} of {coverage.total} text fields translated ({coverage.status})"
        )
        for line in coverage.lines():
            typer.echo(line)
    if interface_only:
        typer.echo(f"interface only (curriculum in English): {', '.join(interface_only)}")


@app.command()
def build(
    cohort: Annotated[Path, typer.Argument(help="The cohort YAML file.", exists=True, dir_okay=False)],
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", help="Output folder (default: out/<cohort slug>)."),
    ] = None,
    jobs: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--jobs", min=1, help="Notebooks run at once (default: CPU cores)."),
    ] = None,
    formats: Annotated[str, typer.Option("--formats", help="Comma-separated: html, pdf.")] = "html,pdf",
    modules: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--modules", help="Comma-separated module slugs (default: the cohort's modules)."),
    ] = None,
    cell_timeout: Annotated[
        int, typer.Option("--cell-timeout", min=1, help="Seconds one notebook cell may run before its module fails.")
    ] = DEFAULT_CELL_TIMEOUT,
    home: HomeOption = None,
) -> None:
    """Build a cohort's participant workbooks, facilitator guides and printable packs."""
    _build(cohort, out, jobs, formats, modules, _home(home), cell_timeout)


@app.command()
def serve(
    cohort: Annotated[Path, typer.Argument(help="The cohort YAML file.", exists=True, dir_okay=False)],
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; beyond loopback a join code is required.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8866,
    room_size: Annotated[
        int,
        typer.Option(
            "--room-size", min=1, help="People expected: sizes the kernels kept ready and the limit of open pages."
        ),
    ] = DEFAULT_ROOM_SIZE,
    preheat: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--preheat", min=0, help="Kernels kept ready for today's first module (default: room size)."),
    ] = None,
    cull_idle: Annotated[
        int,
        typer.Option("--cull-idle", min=0, help="Seconds before a kernel whose page is gone is stopped (0: never)."),
    ] = DEFAULT_CULL_IDLE,
    certfile: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--certfile", exists=True, dir_okay=False, help="TLS certificate (PEM): serve over HTTPS."),
    ] = None,
    keyfile: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--keyfile", exists=True, dir_okay=False, help="Private key (PEM) of --certfile."),
    ] = None,
    public_url: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--public-url", help="Address the room uses, e.g. a reverse proxy's https://name/."),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Serve the participant app (Voilà) and the facilitator dashboard for a live session."""
    from toolkit.live.kernels import room_limits
    from toolkit.live.launch import serve_cohort
    from toolkit.live.server import Listen

    if keyfile is not None and certfile is None:
        raise typer.BadParameter("--keyfile needs --certfile", param_hint="--keyfile")
    listen = Listen(host=host, port=port, certfile=certfile, keyfile=keyfile, public_url=public_url)
    serve_cohort(cohort, _home(home), listen, room_limits(room_size, cull_idle, preheat))


CohortArgument = Annotated[Path, typer.Argument(help="The cohort YAML file.", exists=True, dir_okay=False)]
CodeArgument = Annotated[str, typer.Argument(help="The participant's code, as they have it.")]


@app.command()
def erase(cohort: CohortArgument, code: CodeArgument) -> None:
    """Erase every answer of one participant for good; their code stops working."""
    from rich.console import Console

    from toolkit.lifecycle.erase import erase as erase_participant
    from toolkit.lifecycle.stores import load, open_existing_store

    loaded = load(cohort)
    with open_existing_store(loaded) as store:
        count = erase_participant(store, loaded.slug, code)
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"Erased {count} event(s) of that participant from the store of cohort {loaded.slug}.")
    console.print("Copies outside the store (backups, paper, exported files) are not reached: see docs/privacy.md.")


@app.command()
def journal(
    cohort: CohortArgument,
    code: CodeArgument,
    out: Annotated[
        Path, typer.Option("--out", help="FILE.pdf or FILE.html: the journal to hand to the participant.")
    ] = Path("journal.pdf"),
    home: HomeOption = None,
) -> None:
    """Write one participant's journal (their own answers, private ones included) as PDF or HTML."""
    from rich.console import Console
    from rich.markup import escape

    from toolkit.lifecycle.export import write_journal

    if out.suffix.lower() not in (".pdf", ".html"):
        raise typer.BadParameter("name a .pdf or .html file", param_hint="--out")
    write_journal(cohort, code, out, _home(home))
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"Journal written to {escape(str(out))} (readable by this account only).")


@app.command()
def purge(
    cohort: CohortArgument,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be deleted.")] = False,
) -> None:
    """Delete every event older than the cohort's retention_days (serve and report run this first)."""
    from rich.console import Console

    from toolkit.lifecycle.purge import purge_cohort, retention_cutoff
    from toolkit.lifecycle.stores import load

    loaded = load(cohort)
    count = purge_cohort(loaded, dry_run=dry_run)
    cutoff = retention_cutoff(loaded).date().isoformat()
    verb = "Would delete" if dry_run else "Deleted"
    Console(highlight=False, soft_wrap=True).print(
        f"{verb} {count} event(s) recorded before {cutoff} ({loaded.retention_days} days of retention)."
    )


@app.command()
def report(
    cohort: CohortArgument,
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", help="Output folder (default: out/<cohort slug>/report)."),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write the tagged PDF.")] = True,
    home: HomeOption = None,
) -> None:
    """Write the evaluation report (HTML, PDF, CSV tables), every figure suppressed for k."""
    from rich.console import Console
    from rich.markup import escape

    from toolkit.lifecycle.export import write_cohort_report

    files = write_cohort_report(cohort, out, _home(home), pdf)
    console = Console(highlight=False, soft_wrap=True)
    for path in files:
        console.print(f"wrote {escape(str(path))}")


@app.command("hub-config")
def hub_config(
    cohort: CohortArgument,
    out: Annotated[Path, typer.Option("--out", help="The JupyterHub configuration to write.")] = Path(
        "jupyterhub_config.py"
    ),
    public_url: Annotated[
        str, typer.Option("--public-url", help="Address people open, e.g. https://hub.example.org/.")
    ] = DEFAULT_PUBLIC_URL,
    bind_url: Annotated[
        str, typer.Option("--bind-url", help="Where the hub listens: loopback, behind a TLS proxy for the public URL.")
    ] = DEFAULT_BIND_URL,
    cull_idle: Annotated[
        int, typer.Option("--cull-idle", min=60, help="Seconds without traffic before a person's server is stopped.")
    ] = DEFAULT_IDLE_SERVER_TIMEOUT,
    max_servers: Annotated[
        int, typer.Option("--max-servers", min=1, help="Servers running at once; more sign-ins wait.")
    ] = DEFAULT_MAX_SERVERS,
    home: HomeOption = None,
) -> None:
    """Write a jupyterhub_config.py for an online cohort (its store must be PostgreSQL)."""
    from rich.console import Console
    from rich.markup import escape

    from toolkit.hub.config import write_hub_config

    written = write_hub_config(cohort, out, _home(home), public_url, bind_url, cull_idle, max_servers)
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"wrote {escape(str(written.config))}")
    state = "new" if written.new_secrets else "kept"
    console.print(f"Join code and facilitator token ({state}): {escape(str(written.secrets))}, readable by you only.")
    console.print(f"Join code for participants: [bold]{escape(written.join_code)}[/bold]")
    console.print("Start the hub with: jupyterhub -f " + escape(str(written.config)))


@app.command("hub-singleuser", hidden=True)
def hub_singleuser(cohort: CohortArgument, home: HomeOption = None) -> None:
    """One person's server on the cohort's JupyterHub (the hub's spawner runs this)."""
    from toolkit.hub.singleuser import serve_hub_user

    serve_hub_user(cohort, _home(home))


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out/demo"),
    home: HomeOption = None,
) -> None:
    """Build the demo cohort: every handout and both packs, in out/demo."""
    resolved = _home(home)
    _build(resolved.demo_cohort, out, None, "html,pdf", None, resolved)


def _build(
    cohort: Path,
    out: Path | None,
    jobs: int | None,
    formats: str,
    modules: str | None,
    home: Home,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
) -> None:
    from toolkit.builder.report import run_with_progress

    run_with_progress(
        cohort,
        out,
        jobs=jobs,
        formats=formats,
        modules=[m.strip() for m in modules.split(",") if m.strip()] if modules else None,
        home=home,
        cell_timeout=cell_timeout,
    )
