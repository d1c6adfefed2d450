"""Opening a cohort's existing store for the coordinators' commands.

``open_store`` creates a missing SQLite file, which is right for a live
session and wrong here: erasing, exporting or reporting on a cohort whose
store does not exist means the cohort file names another store, or nothing
was recorded yet, and an empty new database would hide that.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.cohorts import load_cohort, store_url
from toolkit.errors import StoreError
from toolkit.events.store import EventStore, open_store
from toolkit.events.store import store_exists as store_exists  # the commands ask here whether a store exists
from toolkit.schema.cohort import Cohort

MISSING_STORE = (
    "no event store there: nothing has been recorded for this cohort yet, or the cohort file's "
    "store setting names another file or database"
)


def open_existing_store(cohort: Cohort) -> EventStore:
    """The cohort's store, or StoreError saying it does not exist or cannot be opened."""
    url = store_url(cohort)
    if not store_exists(url):
        raise StoreError(url, MISSING_STORE)
    return open_store(url)


def load(cohort_file: Path) -> Cohort:
    """The cohort file, validated (its store URL made absolute)."""
    return load_cohort(cohort_file)
