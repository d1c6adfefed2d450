"""Retention: events older than the cohort's ``retention_days`` are deleted for good.

``bridges purge`` runs this, and so do ``bridges serve`` and ``bridges
report`` before they read anything, so a store never holds answers past
the period the cohort promised its participants. Deleting uses the same
secure delete and WAL checkpoint as erasing a participant.
"""

from __future__ import annotations

import datetime as dt

from toolkit.cohorts import store_url
from toolkit.events.model import utc_now
from toolkit.events.store import EventStore
from toolkit.schema.cohort import Cohort


def retention_cutoff(cohort: Cohort, now: dt.datetime | None = None) -> dt.datetime:
    """Events recorded before this instant are past the cohort's retention period."""
    return (now or utc_now()) - dt.timedelta(days=cohort.retention_days)


def count_before(store: EventStore, cutoff: dt.datetime) -> int:
    """How many events were recorded before ``cutoff``: what a purge would delete."""
    return sum(1 for stored in store.read() if _aware(stored.event.time) < cutoff)


def _aware(time: dt.datetime) -> dt.datetime:
    # The store compares a time without a zone as UTC (SQLite's julianday does); so does this.
    return time if time.tzinfo is not None else time.replace(tzinfo=dt.UTC)


def purge(store: EventStore, cohort: Cohort, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete (or with ``dry_run`` only count) the events past retention; returns how many."""
    cutoff = retention_cutoff(cohort, now)
    if dry_run:
        return count_before(store, cutoff)
    return store.purge_before(cutoff)


def purge_cohort(cohort: Cohort, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Purge the cohort's own store (none yet: nothing to purge); returns how many events went."""
    from toolkit.lifecycle.stores import open_existing_store, store_exists

    if not store_exists(store_url(cohort)):
        return 0
    with open_existing_store(cohort) as store:
        return purge(store, cohort, now, dry_run)
