"""Cohort files: load, validate against the curriculum, and resolve the store."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import ValidationFailed
from toolkit.paths import data_dir
from toolkit.schema.cohort import COHORT_FILE, Cohort
from toolkit.schema.programme import Programme
from toolkit.yamlio import load_document, validate_document


def load_cohort(path: Path, programme: Programme | None = None) -> Cohort:
    """Validate a cohort file; with ``programme``, also check its module slugs exist.

    A relative ``store`` path is resolved against the folder of the cohort
    file, symbolic links followed, so the returned cohort's store is one
    absolute URL however the file was named and wherever a kernel runs.
    """
    doc = load_document(path)
    cohort = validate_document(doc, Cohort, context={COHORT_FILE: path.resolve()})
    if programme is not None:
        slugs = [m.slug for m in programme.modules]
        problems = [
            doc.problem(
                ("sessions", i, "modules", j), f"unknown module slug {slug!r}", f"available: {', '.join(slugs)}"
            )
            for i, session in enumerate(cohort.sessions)
            for j, slug in enumerate(session.modules)
            if slug not in slugs
        ]
        if problems:
            raise ValidationFailed(problems)
    return cohort


def default_store_url(slug: str) -> str:
    """A SQLite file in the cohort's own data folder, outside the source tree.

    Absolute even when BRIDGES_DATA_DIR is relative: kernels run in other folders.
    """
    return f"sqlite:///{(data_dir().absolute() / slug / 'events.sqlite').as_posix()}"


def store_url(cohort: Cohort) -> str:
    """The cohort's event store as one absolute URL: its own setting (made absolute
    by ``load_cohort``), or the default for its slug."""
    return cohort.store or default_store_url(cohort.slug)
