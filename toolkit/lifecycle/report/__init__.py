"""``bridges report``: the evaluation report a coordinator owes the funders.

Figures (``figures``, all suppressed for k) -> HTML with charts and tables
(``html``) -> tagged PDF (``toolkit.handouts.pdf``) and CSV tables
(``tables``). Read from the cohort's events only; nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from toolkit.events.model import StoredEvent
from toolkit.lifecycle.report.figures import report_figures
from toolkit.lifecycle.report.html import report_html
from toolkit.lifecycle.report.tables import evaluation_csv, participation_csv
from toolkit.schema.cohort import Cohort
from toolkit.schema.programme import Programme

HTML_NAME, PDF_NAME = "evaluation-report.html", "evaluation-report.pdf"
PARTICIPATION_NAME, EVALUATION_NAME = "participation.csv", "evaluation.csv"


def write_report(
    events: Sequence[StoredEvent],
    cohort: Cohort,
    programme: Programme,
    out: Path,
    made: dt.date | None = None,
    pdf: bool = True,
    source: Programme | None = None,
) -> list[Path]:
    """Write the report's HTML, PDF (unless ``pdf`` is False) and CSV tables into ``out``; returns the files.

    ``source`` is the English programme when ``programme`` is a translation (see ``report_figures``).
    """
    figures = report_figures(events, cohort, programme, source)
    html = report_html(figures, made or dt.date.today())
    out.mkdir(parents=True, exist_ok=True)
    written = {
        out / HTML_NAME: html,
        out / PARTICIPATION_NAME: participation_csv(figures),
        out / EVALUATION_NAME: evaluation_csv(figures, cohort.k),
    }
    for path, text in written.items():
        path.write_text(text, encoding="utf-8")
    files = list(written)
    if pdf:
        from toolkit.handouts.pdf import html_to_pdf

        (out / PDF_NAME).write_bytes(html_to_pdf(html))
        files.insert(1, out / PDF_NAME)
    return files
