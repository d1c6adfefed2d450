"""The programme outline `bridges demo` prints: sessions, modules, activities, minutes."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from toolkit.schema.cohort import Cohort
from toolkit.schema.programme import Programme


def _clock(start: dt.time, minutes: int) -> str:
    moment = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)
    return moment.strftime("%H:%M")


def outline_table(programme: Programme, cohort: Cohort) -> Table:
    """One row per activity, grouped by session and module, with clock times."""
    table = Table(title=f"{programme.overview.title}: {cohort.name}", show_lines=False)
    for column, justify in (
        ("Session", "left"),
        ("Module", "left"),
        ("Time", "left"),
        ("Activity", "left"),
        ("Method", "left"),
        ("Min", "right"),
        ("Optional", "center"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for session in cohort.sessions:
        elapsed = 0
        for slug in session.modules:
            module = programme.module(slug)
            for index, activity in enumerate(module.activities):
                table.add_row(
                    f"{session.date:%a %d %b %Y}" if elapsed == 0 else "",
                    f"{module.number}. {module.title}" if index == 0 else "",
                    _clock(session.start, elapsed),
                    activity.title,
                    activity.method.value.replace("_", " "),
                    str(activity.minutes),
                    "yes" if activity.optional else "",
                )
                elapsed += activity.minutes
            table.add_section()
    return table


def print_outline(programme: Programme, cohort: Cohort, console: Console | None = None) -> None:
    console = console or Console()
    console.print(outline_table(programme, cohort))
    total = sum(programme.module(slug).minutes for slug in cohort.module_slugs)
    console.print(f"{len(cohort.module_slugs)} modules, {total} minutes in {len(cohort.sessions)} sessions.")
