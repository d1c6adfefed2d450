"""The kinds of event store, chosen by a store URL's scheme.

Each kind is a ``StoreKind`` registered under its scheme in the entry point group
``bridges.stores`` (as papermill registers its engines), so a package can add a
store without an edit here or in any caller: ``open_store`` opens URLs through
it and the cohort schema checks URLs through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import SplitResult

from toolkit.errors import BridgesError

if TYPE_CHECKING:
    from toolkit.events.store import EventStore

ENTRY_POINT_GROUP = "bridges.stores"

# A store URL checker: given the URL, its parts and the resolved cohort file (None
# when the cohort does not come from a file), return the URL in the one spelling
# every kernel and the dashboard will use, or raise InvalidValue saying what to write.
StoreCheck = Callable[[str, SplitResult, Path | None], str]


@dataclass(frozen=True)
class StoreKind:
    """One kind of event store: how cohort files may name it, how to open it, and whether it exists.

    ``exists`` says whether the store at a URL was created (a SQLite file, PostgreSQL's events
    table): the coordinators' commands never open a missing store, since opening creates it
    and an empty new store would hide a wrong URL. A kind without it is assumed to exist.
    """

    check: StoreCheck
    open: Callable[[str], EventStore]
    exists: Callable[[str], bool] | None = None


@cache
def store_kinds() -> dict[str, StoreKind]:
    """Every registered kind of store, by URL scheme."""
    kinds: dict[str, StoreKind] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        kind = entry.load()
        if not isinstance(kind, StoreKind):
            raise BridgesError(f"the {ENTRY_POINT_GROUP} entry point {entry.name!r} ({entry.value}) is not a StoreKind")
        kinds[entry.name] = kind
    if not kinds:
        # The toolkit registers its own stores: none at all means stale package metadata.
        raise BridgesError(
            f"no event store is registered in the {ENTRY_POINT_GROUP} entry points; "
            "reinstall the toolkit (pip install -e . in a checkout)"
        )
    return kinds
