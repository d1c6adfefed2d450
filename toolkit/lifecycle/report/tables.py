"""The report's figures as CSV tables, for funders' spreadsheets: the same suppressed cells, nothing more."""

from __future__ import annotations

import csv
import io

from toolkit.lifecycle.report.figures import ItemFigures, ReportFigures
from toolkit.live.suppression import Suppressed

PARTICIPATION_HEADER = ("session", "date", "module", "cell", "people")
EVALUATION_HEADER = ("item", "kind", "design", "objective", "table", "cell", "people")


def _csv(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _cells(table: Suppressed) -> list[tuple[str, str]]:
    return [(key, table.label(key)) for key in table.cells]


def participation_csv(figures: ReportFigures) -> str:
    rows: list[tuple[object, ...]] = []
    for row in figures.participation:
        rows.extend((row.session, row.date, row.module, cell, value) for cell, value in _cells(row.table))
    return _csv(PARTICIPATION_HEADER, rows)


def _item_tables(figures: ItemFigures) -> list[tuple[str, Suppressed]]:
    named = [
        ("before", figures.before),
        ("after", figures.after),
        ("change", figures.change),
        ("ratings", figures.single),
    ]
    return [(name, table) for name, table in named if table is not None]


def evaluation_csv(figures: ReportFigures, k: int) -> str:
    rows: list[tuple[object, ...]] = []
    for item_figures in figures.items:
        item = item_figures.item
        head = (item.id, item.kind.value, item.design.value, ",".join(item.objectives))
        if item_figures.people is None:
            rows.append((*head, "people", "", f"fewer than {k}"))
            continue
        rows.append((*head, "people", "", item_figures.people))
        for name, table in _item_tables(item_figures):
            rows.extend((*head, name, cell, value) for cell, value in _cells(table))
        if item_figures.p_value is not None:
            rows.append((*head, "sign test", "p", f"{item_figures.p_value:.4f}"))
    return _csv(EVALUATION_HEADER, rows)
