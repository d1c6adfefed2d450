"""Time that adds up: both plans of every module sum exactly, and every ritual has a place.

A module's minutes are its activities, its debrief and the programme pieces
placed in its session (rituals, the agreements read aloud, the retrospective),
in the 90-minute plan (``minutes``) and in the 120-minute plan (``minutes_120``).
"""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.checks.consistency import duplicates
from toolkit.curriculum import LoadedCurriculum, LoadedFile
from toolkit.errors import Problem
from toolkit.schema.module import AGREEMENTS_PIECE, PLANS, RETROSPECTIVE_PIECE, Module
from toolkit.schema.programme import Agreements

STANDARD_PLAN = PLANS[0]


def check_timings(loaded: LoadedCurriculum) -> list[Problem]:
    return [*_module_problems(loaded), *_programme_problems(loaded)]


def _modules(loaded: LoadedCurriculum) -> Iterator[tuple[LoadedFile, Module]]:
    for entry in loaded.files.values():
        if isinstance(entry.model, Module):
            yield entry, entry.model


def plan_total(module: Module, plan: int) -> int:
    """The module's minutes in one plan: activities, debrief and placed programme pieces."""
    return (
        sum(a.minutes_in(plan) for a in module.activities)
        + module.debrief.minutes_in(plan)
        + sum(r.minutes_in(plan) for r in module.rituals)
    )


def _module_problems(loaded: LoadedCurriculum) -> Iterator[Problem]:
    agreements = loaded.programme.agreements
    openings = {r.id: r for r in agreements.opening_rituals}
    closings = {r.id: r for r in agreements.closing_rituals}
    known = [*openings, *closings, AGREEMENTS_PIECE, RETROSPECTIVE_PIECE]
    for entry, module in _modules(loaded):
        doc = entry.document
        if module.minutes != STANDARD_PLAN:
            yield doc.problem(
                ("minutes",),
                f"the module lasts {module.minutes} minutes, but a session is planned for {STANDARD_PLAN}",
                f"set 'minutes: {STANDARD_PLAN}'; the longer plan is given by each item's 'minutes_120'",
            )
        for plan in PLANS:
            total = plan_total(module, plan)
            if total != plan:
                field = "minutes" if plan == STANDARD_PLAN else f"minutes_{plan}"
                yield doc.problem(
                    ("activities",),
                    f"the {plan}-minute plan sums to {total} minutes (activities "
                    f"{sum(a.minutes_in(plan) for a in module.activities)}, debrief "
                    f"{module.debrief.minutes_in(plan)}, rituals {sum(r.minutes_in(plan) for r in module.rituals)})",
                    f"change '{field}' of activities, the debrief or the rituals so they add up to exactly {plan}",
                )
        ids = [r.id for r in module.rituals]
        for dup in duplicates(ids):
            yield doc.problem(("rituals",), f"{dup!r} is placed twice", "place each piece once per session")
        for i, placed in enumerate(module.rituals):
            ritual = openings.get(placed.id) or closings.get(placed.id)
            if placed.id not in known:
                yield doc.problem(
                    ("rituals", i, "id"), f"unknown ritual {placed.id!r}", f"use one of: {', '.join(known)}"
                )
            elif ritual is not None and placed.minutes < ritual.minutes:
                yield doc.problem(
                    ("rituals", i, "minutes"),
                    f"{placed.minutes} minutes for {ritual.title!r}, which takes {ritual.minutes} (agreements.yaml)",
                    f"give it at least {ritual.minutes} minutes",
                )
        if not any(i in openings for i in ids):
            yield doc.problem(
                ("rituals",),
                "the session has no opening ritual",
                f"place one of: {', '.join(openings)} (with minutes and minutes_120)",
            )
        if not any(i in closings for i in ids):
            yield doc.problem(
                ("rituals",),
                "the session does not end with a closing ritual (it readies people for outside)",
                f"place one of: {', '.join(closings)} (with minutes and minutes_120)",
            )


def _programme_problems(loaded: LoadedCurriculum) -> Iterator[Problem]:
    programme = loaded.programme
    placed = {r.id for m in programme.modules for r in m.rituals}
    agreements_file = next((e for e in loaded.files.values() if isinstance(e.model, Agreements)), None)
    if agreements_file is not None:
        for field, rituals in (
            ("opening_rituals", programme.agreements.opening_rituals),
            ("closing_rituals", programme.agreements.closing_rituals),
        ):
            for i, ritual in enumerate(rituals):
                if ritual.id not in placed:
                    yield agreements_file.document.problem(
                        (field, i),
                        f"ritual {ritual.id!r} is placed in no module's session, so no agenda gives it time",
                        "add it to a module's 'rituals' with minutes and minutes_120",
                    )
    order = programme.overview.modules
    programme_items = [item for item in programme.evaluation if item.module is None]
    if not programme_items or not order:
        return
    last = next(((e, m) for e, m in _modules(loaded) if m.slug == order[-1]), None)
    if last is not None and RETROSPECTIVE_PIECE not in {r.id for r in last[1].rituals}:
        yield last[0].document.problem(
            ("rituals",),
            f"the {len(programme_items)} programme retrospective items are asked nowhere: "
            "the last module's session does not place the retrospective",
            f"add {{id: {RETROSPECTIVE_PIECE}, minutes: ..., minutes_120: ...}} to 'rituals'",
        )
