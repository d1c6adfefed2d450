"""Schema of a cohort file: one group of participants running the programme."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import SplitResult, urlsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator

from toolkit.errors import UNKNOWN_LANGUAGE, InvalidValue
from toolkit.events.registry import store_kinds
from toolkit.languages import available_codes
from toolkit.schema.common import Id, Strict, Text
from toolkit.schema.regions import PaperSize, Region, default_paper

# Small-cell suppression threshold: below five, counts start to identify people.
MIN_K = 5


def _check_language(code: str) -> str:
    if code not in available_codes():
        raise ValueError(UNKNOWN_LANGUAGE.format(code=code, available=", ".join(available_codes())))
    return code


# The validation context key under which ``toolkit.cohorts.load_cohort`` passes
# the cohort file's resolved path: relative store paths are resolved against its folder.
COHORT_FILE = "cohort_file"

# Store URLs are checked by the kind of store their scheme names (toolkit.events.registry).

# Folders of the operating system: an event store has no business there, and a
# cohort file that points at one is a mistake or an attack (SQLite would
# chmod, lock or append to whatever file it was given).
SYSTEM_FOLDERS = tuple(
    Path(folder)
    for folder in (
        "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin",
        "/sys", "/usr", "/var/run", "/var/lock", "/System", "/private/etc", "/private/var/run",
    )
)  # fmt: skip

STORE_EXAMPLE = "sqlite:///events.sqlite for a file next to the cohort file, or leave store out for the default"
ABSOLUTE_EXAMPLE = "four slashes for an absolute path, e.g. sqlite:////srv/bridges/events.sqlite"


def _system_folder(path: Path) -> Path | None:
    """The system folder ``path`` lies in, as written or once symbolic links are followed."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: judge the path as written
        resolved = path
    for candidate in (path, resolved):
        if candidate.parent == Path(candidate.anchor):
            return candidate.parent  # directly in the root folder
        for folder in SYSTEM_FOLDERS:
            if candidate.is_relative_to(folder):
                return folder
    return None


def check_sqlite_url(url: str, parts: SplitResult, cohort_file: Path | None) -> str:
    """One SQLite file every kernel can name: an absolute path outside the system's folders.

    As in SQLAlchemy, three slashes start a path relative to the cohort file's
    folder (not to whichever working folder a kernel happens to have: the
    participants' and the dashboard's differ) and four an absolute one.
    """
    rest = url.split(":", 1)[1]
    if parts.netloc or not rest.startswith("///"):
        raise InvalidValue(
            f"{url!r} is not a local SQLite file URL",
            f"write sqlite:/// and a path relative to the cohort file's folder, or {ABSOLUTE_EXAMPLE}",
        )
    if "?" in url or "#" in url:
        raise InvalidValue(
            "a store URL takes no '?' options or '#' fragment",
            "remove them; name a file whose path has no '?' or '#'",
        )
    written = rest[3:]
    if not written:
        raise InvalidValue("the URL names no file", f"write {STORE_EXAMPLE}")
    if any(ord(char) < 32 or ord(char) == 127 for char in written):
        raise InvalidValue("the path contains a control character", "remove it")
    if ":memory:" in written:
        raise InvalidValue(
            "an in-memory database lives and dies with one kernel: the dashboard would see no answers",
            f"name a file: {STORE_EXAMPLE}",
        )
    if written.endswith("/"):
        raise InvalidValue(f"{written!r} is a folder", f"name a file in it, e.g. sqlite:///{written}events.sqlite")
    path = Path(written)
    if written.startswith("~"):
        try:
            path = path.expanduser()
        except RuntimeError:
            raise InvalidValue(f"cannot find the home folder in {written!r}", f"use {ABSOLUTE_EXAMPLE}") from None
    if not path.is_absolute():
        if ".." in path.parts:
            raise InvalidValue(
                f"the relative path {written!r} uses '..'; a relative store stays in the cohort file's folder",
                f"write a path inside that folder, or {ABSOLUTE_EXAMPLE}",
            )
        if cohort_file is None:
            raise InvalidValue(
                f"the relative path {written!r} can only be resolved against a cohort file",
                f"load the cohort from its file, or use {ABSOLUTE_EXAMPLE}",
            )
        path = cohort_file.parent / path
    path = Path(os.path.normpath(path))
    if "?" in path.as_posix() or "#" in path.as_posix():  # from the cohort file's folder or the home folder
        raise InvalidValue(
            f"the store's full path {path.as_posix()!r} contains '?' or '#', which a store URL cannot carry",
            f"move the cohort file to a folder without them, or use {ABSOLUTE_EXAMPLE}",
        )
    if (system := _system_folder(path)) is not None:
        where = "directly in the root folder /" if system == Path(system.anchor) else f"in the system folder {system}"
        raise InvalidValue(
            f"{path.as_posix()!r} is {where}",
            f"keep responses in a folder of your own: {STORE_EXAMPLE}",
        )
    try:
        is_folder = path.is_dir()
        is_cohort_file = cohort_file is not None and path.resolve() == cohort_file
    except (OSError, RuntimeError):
        is_folder = is_cohort_file = False  # unreadable or a link loop: the store reports it when it opens
    if is_folder:
        raise InvalidValue(
            f"{path.as_posix()!r} is a folder", f"name a file in it, e.g. {path.as_posix()}/events.sqlite"
        )
    if is_cohort_file:
        raise InvalidValue("the store would overwrite the cohort file itself", f"write {STORE_EXAMPLE}")
    return f"sqlite:///{path.as_posix()}"


def check_store_url(url: str, cohort_file: Path | None) -> str:
    """``url`` in its one absolute spelling, or InvalidValue saying what is wrong and what to write."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidValue(f"not a URL ({exc})", f"write {STORE_EXAMPLE}") from None
    kinds = store_kinds()
    supported = " or ".join(f"{name}:" for name in kinds)
    if not url.strip():
        raise InvalidValue("store is empty", f"write {STORE_EXAMPLE}")
    if not parts.scheme:
        raise InvalidValue(f"{url!r} is not a URL: it has no scheme such as sqlite:", f"write {STORE_EXAMPLE}")
    kind = kinds.get(parts.scheme)
    if kind is None:
        # Only the scheme is repeated: the rest of a database URL may hold a password.
        raise InvalidValue(
            f"unsupported store scheme {parts.scheme + ':'!r}; only {supported} is supported", f"write {STORE_EXAMPLE}"
        )
    return kind.check(url, parts, cohort_file)


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
    region: Region = Region.INTERNATIONAL  # where the cohort meets: paper size and the first support list
    # Further regions whose support lists are printed too: an online cohort spans countries.
    regions: list[Region] = []
    sessions: Annotated[list[Session], Field(min_length=1)]
    # Every module has a 90-minute and a 120-minute plan (interpreted sessions need the longer one).
    module_minutes: Literal[90, 120] = 90
    # Participant workbooks with a neutral cover, file name, title, header and footer:
    # a workbook carried home must not name its topic.
    discreet: bool = False
    k: int = MIN_K
    # Event store URL, absolute once validated with the cohort file's path in the
    # context (see check_store_url); None means the per-cohort SQLite default.
    store: str | None = None
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

    @field_validator("store")
    @classmethod
    def _supported_store(cls, url: str | None, info: ValidationInfo) -> str | None:
        if url is None:
            return None
        cohort_file = (info.context or {}).get(COHORT_FILE)
        return check_store_url(url, None if cohort_file is None else Path(cohort_file))

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
    def support_regions(self) -> list[Region]:
        """The regions whose support lists the cohort's handouts print, its own region first."""
        return list(dict.fromkeys([self.region, *self.regions]))

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
