"""From a cohort file to files on disk: a participant's journal, the evaluation report.

The glue the command line needs (load the cohort and the programme, open
the existing store, purge before reporting); the app calls ``journal`` and
``report`` directly with the store it has open.
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.cohorts import load_cohort
from toolkit.curriculum import programme
from toolkit.events.sqlite_store import PRIVATE_FILE_MODE
from toolkit.lifecycle.journal import journal_pdf, participant_journal
from toolkit.lifecycle.purge import purge
from toolkit.lifecycle.report import write_report
from toolkit.lifecycle.stores import open_existing_store
from toolkit.paths import Home


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a file only this account can read: a journal is one person's answers."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        os.fchmod(handle.fileno(), PRIVATE_FILE_MODE)  # an existing file keeps its old mode otherwise
        handle.write(data)


def write_journal(cohort_file: Path, code: str, out: Path, home: Home) -> None:
    """Write the journal of participant ``code`` to ``out`` (.pdf or .html, by its suffix)."""
    cohort = load_cohort(cohort_file, programme(home=home))
    languages = [cohort.language, *([cohort.second_language] if cohort.second_language else [])]
    programmes = [programme(language, home) for language in languages]
    with open_existing_store(cohort) as store:
        html = participant_journal(store, cohort, code, programmes)
    data = journal_pdf(html) if out.suffix.lower() == ".pdf" else html.encode("utf-8")
    write_private_bytes(out, data)


def write_cohort_report(cohort_file: Path, out: Path | None, home: Home, pdf: bool = True) -> list[Path]:
    """Purge what is past retention, then write the report into ``out`` (default out/<slug>/report)."""
    cohort = load_cohort(cohort_file, programme(home=home))
    with open_existing_store(cohort) as store:
        purge(store, cohort)
        events = [stored for stored in store.read() if stored.event.cohort == cohort.slug]
    folder = out if out is not None else Path("out") / cohort.slug / "report"
    return write_report(events, cohort, programme(cohort.language, home), folder, pdf=pdf, source=programme(home=home))
