"""What a person sees while a cohort builds: a progress bar, then a summary table."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from toolkit.builder.module_job import DEFAULT_CELL_TIMEOUT
from toolkit.builder.runner import BuildResult, build_cohort, parse_formats
from toolkit.cohorts import load_cohort
from toolkit.paths import Home

STATUS_STYLE = {"built": "green", "cached": "cyan", "failed": "red", "skipped": "yellow"}


def run_with_progress(
    cohort_file: Path,
    out: Path | None,
    *,
    jobs: int | None,
    formats: str,
    modules: list[str] | None,
    home: Home,
    console: Console | None = None,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
) -> BuildResult:
    console = console or Console()
    chosen = parse_formats(formats)
    out = out or Path("out") / load_cohort(cohort_file).slug
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("Building", total=None)

        def planned(total: int) -> None:
            bar.update(task, total=total)

        def progress(label: str, status: str) -> None:
            bar.update(task, advance=1, description=f"{label}: {status}")

        result = build_cohort(
            cohort_file,
            out,
            jobs=jobs,
            formats=chosen,
            modules=modules,
            home=home,
            progress=progress,
            planned=planned,
            cell_timeout=cell_timeout,
        )
    console.print(summary_table(result))
    if result.packs_skipped:
        console.print(f"[yellow]note[/yellow] {result.packs_skipped}")
    elapsed = time.perf_counter() - started
    console.print(
        f"{len(result.built)} built, {len(result.cached)} unchanged, {len(result.artifacts)} files "
        f"in {elapsed:.1f} s -> {result.out} (manifest: {result.manifest.name if result.manifest else 'none'})"
    )
    return result


def summary_table(result: BuildResult) -> Table:
    """One row per module (and one for the packs): what was written, how big, built or unchanged."""
    table = Table(title=f"Handouts in {result.out}")
    for column in ("Module", "Files", "Size", "Status"):
        table.add_column(column, justify="right" if column == "Size" else "left")
    groups: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for artifact in result.artifacts:
        name = artifact.module or "packs"
        groups.setdefault(name, []).append(artifact.path)
        sizes[name] = sizes.get(name, 0) + artifact.bytes
    for name, paths in groups.items():
        status = "built" if name in result.built else "cached"
        kinds = ", ".join(sorted({Path(path).suffix.lstrip(".") for path in paths}))
        folders = ", ".join(dict.fromkeys(str(Path(path).parent) for path in paths if Path(path).parent != Path()))
        where = f" in {folders}/" if folders else ""
        table.add_row(
            name,
            f"{len(paths)} ({kinds}){where}",
            f"{sizes[name] / 1024:,.0f} KB",
            f"[{STATUS_STYLE[status]}]{status}[/]",
        )
    for failure in result.failures:
        table.add_row(failure.module, "", "", f"[{STATUS_STYLE['failed']}]failed[/]")
    return table
