"""Schema of a cohort file: one group of participants running the programme."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator

from toolkit.languages import available_codes
from toolkit.schema.common import Id, Strict, Text
from toolkit.schema.regions import PaperSize, Region, default_paper

# Small-cell suppression threshold: below five, counts start to identify people.
MIN_K = 5


def _check_language(code: str) -> str:
    if code not in available_codes():
        raise ValueError(f"unknown language code {code!r}; available: {', '.join(available_codes())}")
    return code


class Session(Strict):
    date: dt.date
    start: dt.time
    modules: Annotated[list[Id], Field(min_length=1)]


class Cohort(Strict):
    name: Text
    # The slug names folders and database files, so it can never be a path.
    slug: Id
    language: str = "en"
    second_language: str | None = None
    region: Region = Region.INTERNATIONAL
    sessions: Annotated[list[Session], Field(min_length=1)]
    module_minutes: Annotated[int, Field(ge=15, le=480)] = 90
    k: int = MIN_K
    store: str | None = None  # event store URL; None means the per-cohort SQLite default
    retention_days: Annotated[int, Field(ge=1, le=3650)] = 365
    paper_size: PaperSize | None = None  # None means the region's usual paper

    @field_validator("language")
    @classmethod
    def _known_language(cls, code: str) -> str:
        return _check_language(code)

    @field_validator("second_language")
    @classmethod
    def _known_second_language(cls, code: str | None) -> str | None:
        return None if code is None else _check_language(code)

    @field_validator("k")
    @classmethod
    def _k_not_below_minimum(cls, k: int) -> int:
        if k < MIN_K:
            raise ValueError(f"k is {k}; it may only be raised, never below {MIN_K}")
        return k

    @model_validator(mode="after")
    def _distinct_languages(self) -> Self:
        if self.second_language == self.language:
            raise ValueError("second_language repeats language; leave it out for one language")
        return self

    @property
    def paper(self) -> PaperSize:
        return self.paper_size or default_paper(self.region)

    @property
    def module_slugs(self) -> list[str]:
        """Every module the cohort runs, in session order, without repeats."""
        seen: dict[str, None] = {}
        for session in self.sessions:
            seen.update(dict.fromkeys(session.modules))
        return list(seen)
