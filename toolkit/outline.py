"""The programme outline `bridges demo` prints: sessions, modules, activities, minutes."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from toolkit.agenda import clock, cohort_agenda
from toolkit.schema.cohort import Cohort
from toolkit.schema.programme import Programme


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
    for agenda in cohort_agenda(programme, cohort):
        for index, item in enumerate(agenda.items):
            first_of_module = index == 0 or agenda.items[index - 1].module is not item.module
            table.add_row(
                f"{agenda.session.date:%a %d %b %Y}" if index == 0 else "",
                f"{item.module.number}. {item.module.title}" if first_of_module else "",
                clock(item.starts),
                item.activity.title,
                item.activity.method.value.replace("_", " "),
                str(item.activity.minutes),
                "yes" if item.activity.optional else "",
            )
        table.add_section()
    return table


def print_outline(programme: Programme, cohort: Cohort, console: Console | None = None) -> None:
    console = console or Console()
    console.print(outline_table(programme, cohort))
    total = sum(programme.module(slug).minutes for slug in cohort.module_slugs)
    console.print(f"{len(cohort.module_slugs)} modules, {total} minutes in {len(cohort.sessions)} sessions.")
