"""Print kits in `bridges check`: each kit belongs to a module and its activities, and no dated claim is stale.

Laws and court rulings change; a fact sheet or history poster printed from
data nobody has looked at for a year may teach last year's picture as
today's, to people whose safety can depend on it. So every dated claim in a
kit carries ``checked`` (the day someone confirmed it against a current
source), and ``bridges check`` lists each claim checked more than
``STALE_AFTER`` ago, with its file, line and id, until someone re-checks it
and updates the date. A stale claim is a notice, not a failure: the kit
prints each claim's "checked on" date for the facilitator, and a check that
started failing on a calendar date would break every build of an unchanged
curriculum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from toolkit.curriculum import LoadedCurriculum
from toolkit.errors import Problem
from toolkit.schema.kit import Kit
from toolkit.yamlio import Document

STALE_AFTER = dt.timedelta(days=365)


def check_kits(loaded: LoadedCurriculum) -> list[Problem]:
    """Kits whose module or activities do not exist."""
    problems: list[Problem] = []
    for entry in loaded.files.values():
        if isinstance(entry.model, Kit):
            problems += _references(loaded, entry.document, entry.model)
    return problems


def stale_claims(loaded: LoadedCurriculum, today: dt.date | None = None) -> list[Problem]:
    """Dated claims last checked more than a year before ``today``: notices for `bridges check` to list."""
    today = today or dt.date.today()
    return [
        problem
        for entry in loaded.files.values()
        if isinstance(entry.model, Kit)
        for problem in _stale(entry.document, entry.model, today)
    ]


def _references(loaded: LoadedCurriculum, doc: Document, kit: Kit) -> Iterator[Problem]:
    modules = {module.slug: module for module in loaded.programme.modules}
    module = modules.get(kit.module)
    if module is None:
        yield doc.problem(("module",), f"no module {kit.module!r}", f"use one of: {', '.join(modules)}")
        return
    expected = f"{module.number:02d}-{module.slug}.yaml"
    if doc.path.name != expected:
        yield doc.problem(("module",), "file name does not match the module", f"rename the file to {expected}")
    activities = {activity.id for activity in module.activities}
    sets: list[tuple[tuple[str | int, ...], str]] = [
        *((("card_sets", index, "id"), part.id) for index, part in enumerate(kit.card_sets)),
        *((("poster_sets", index, "id"), part.id) for index, part in enumerate(kit.poster_sets)),
        *(((name, "id"), part.id) for name, part in (("fact_sheet", kit.fact_sheet), ("wheel", kit.wheel)) if part),
    ]
    for loc, activity in sets:
        if activity not in activities:
            yield doc.problem(
                loc,
                f"module {kit.module!r} has no activity {activity!r}",
                "use the id of the activity it is printed for",
            )


def _stale(doc: Document, kit: Kit, today: dt.date) -> Iterator[Problem]:
    for claim in kit.dated_claims():
        if today - claim.checked > STALE_AFTER:
            yield doc.problem(
                (*claim.loc, "checked"),
                f"claim {claim.id!r} was last checked on {claim.checked.isoformat()}, more than a year ago",
                "check it against a current source, correct the text if the facts changed, "
                "and set 'checked' to the day you checked it",
            )
