"""Cross-file rules the schema alone cannot express: ids unique, references
resolve, modules are listed once and in order. (Minutes: toolkit.checks.timings.)"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from toolkit.curriculum import LoadedCurriculum, LoadedFile
from toolkit.errors import UNKNOWN_LANGUAGE, Problem
from toolkit.languages import available_codes
from toolkit.schema.module import Module
from toolkit.schema.programme import EvaluationFile, Overview

MODULE_FILE = re.compile(r"^(\d\d)-([a-z0-9-]+)\.yaml$")


def duplicates(values: Iterable[str]) -> list[str]:
    return [value for value, count in Counter(values).items() if count > 1]


def check_consistency(loaded: LoadedCurriculum) -> list[Problem]:
    return [*_module_problems(loaded), *_programme_problems(loaded)]


def _module_files(loaded: LoadedCurriculum) -> Iterator[tuple[LoadedFile, Module]]:
    for entry in loaded.files.values():
        if isinstance(entry.model, Module):
            yield entry, entry.model


def _module_problems(loaded: LoadedCurriculum) -> Iterator[Problem]:
    programme = loaded.programme
    agreement_ids = {a.id for a in programme.agreements.agreements}
    resource_ids = {r.id for r in programme.resources.resources}
    evaluation_ids = {item.id for item in programme.evaluation}
    order = programme.overview.modules
    for entry, module in _module_files(loaded):
        doc = entry.document
        match = MODULE_FILE.match(doc.path.name)
        expected = f"{module.number:02d}-{module.slug}.yaml"
        if match is None or doc.path.name != expected:
            yield doc.problem(("slug",), "file name does not match number and slug", f"rename the file to {expected}")
        for field, ids in (
            ("activities", [a.id for a in module.activities]),
            ("exercises", [e.id for e in module.exercises]),
            ("objectives", [o.id for o in module.objectives]),
            ("content_notes", [c.id for c in module.content_notes]),
        ):
            for dup in duplicates(ids):
                index = ids.index(dup, ids.index(dup) + 1)
                yield doc.problem((field, index, "id"), f"duplicate id {dup!r}", "give every item its own id")
        objectives = {o.id for o in module.objectives}
        exercises = {e.id for e in module.exercises}
        notes = {c.id for c in module.content_notes}
        placed: list[str] = []
        for i, activity in enumerate(module.activities):
            for j, ref in enumerate(activity.exercises):
                if ref not in exercises:
                    yield doc.problem(
                        ("activities", i, "exercises", j), f"unknown exercise {ref!r}", "use an id from 'exercises'"
                    )
                placed.append(ref)
            for j, ref in enumerate(activity.content_notes):
                if ref not in notes:
                    yield doc.problem(
                        ("activities", i, "content_notes", j),
                        f"unknown content note {ref!r}",
                        "use an id from 'content_notes'",
                    )
        for i, exercise in enumerate(module.exercises):
            if exercise.id not in placed:
                yield doc.problem(
                    ("exercises", i),
                    f"exercise {exercise.id!r} is not placed after any activity",
                    "list it in an activity's 'exercises'",
                )
            if exercise.objective is not None and exercise.objective not in objectives:
                yield doc.problem(
                    ("exercises", i, "objective"),
                    f"unknown objective {exercise.objective!r}",
                    "use an id from 'objectives'",
                )
        for dup in duplicates(placed):
            yield doc.problem(
                ("activities",), f"exercise {dup!r} is placed more than once", "list each exercise under one activity"
            )
        covered = {k.objective for k in module.key_points}
        for i, point in enumerate(module.key_points):
            if point.objective not in objectives:
                yield doc.problem(
                    ("key_points", i, "objective"),
                    f"unknown objective {point.objective!r}",
                    "use an id from 'objectives'",
                )
        for i, objective in enumerate(module.objectives):
            if objective.id not in covered:
                yield doc.problem(
                    ("objectives", i), f"objective {objective.id!r} has no key point", "add a key point that mirrors it"
                )
        for i, ref in enumerate(module.agreements):
            if ref not in agreement_ids:
                yield doc.problem(
                    ("agreements", i), f"unknown agreement {ref!r}", f"use one of: {', '.join(sorted(agreement_ids))}"
                )
        for i, ref in enumerate(module.resources):
            if ref not in resource_ids:
                yield doc.problem(
                    ("resources", i), f"unknown resource {ref!r}", "add it to curriculum/resources.yaml or remove it"
                )
        for i, link in enumerate(module.evaluation_map):
            if link.item not in evaluation_ids:
                yield doc.problem(
                    ("evaluation_map", i, "item"),
                    f"unknown evaluation item {link.item!r}",
                    "add it under curriculum/evaluation/",
                )
            if link.objective not in objectives:
                yield doc.problem(
                    ("evaluation_map", i, "objective"),
                    f"unknown objective {link.objective!r}",
                    "use an id from 'objectives'",
                )
        earlier = order[: order.index(module.slug)] if module.slug in order else []
        for i, ref in enumerate(module.prerequisites.modules):
            if ref not in earlier:
                yield doc.problem(
                    ("prerequisites", "modules", i),
                    f"{ref!r} is not a module taught before {module.slug!r}",
                    f"use one of: {', '.join(earlier) or '(none: this module comes first)'}",
                )
        for code in module.metadata.languages:
            if code not in available_codes():
                yield doc.problem(
                    ("metadata", "languages", code),
                    UNKNOWN_LANGUAGE.format(code=code, available=", ".join(available_codes())),
                    "list only languages the toolkit has",
                )


def _programme_problems(loaded: LoadedCurriculum) -> Iterator[Problem]:
    programme = loaded.programme
    slugs = [m.slug for m in programme.modules]
    overview = next(e for e in loaded.files.values() if isinstance(e.model, Overview))
    order = programme.overview.modules
    for i, slug in enumerate(order):
        if slug not in slugs:
            yield overview.document.problem(
                ("modules", i), f"unknown module slug {slug!r}", f"available: {', '.join(slugs)}"
            )
    for dup in duplicates(order):
        yield overview.document.problem(("modules",), f"module {dup!r} is listed twice", "list each module once")
    for module in programme.modules:
        if module.slug not in order:
            yield overview.document.problem(
                ("modules",), f"module {module.slug!r} is not in the teaching order", "add its slug to 'modules'"
            )
        elif (position := order.index(module.slug) + 1) != module.number:
            yield overview.document.problem(
                ("modules",),
                f"module {module.slug!r} is number {module.number} but listed at position {position}",
                "make the order and the module numbers agree",
            )
    for field, ids in (
        ("glossary", [t.id for t in programme.glossary.terms]),
        ("resources", [r.id for r in programme.resources.resources]),
        ("agreements", [a.id for a in programme.agreements.agreements]),
    ):
        for dup in duplicates(ids):
            yield Problem(f"curriculum/{field}.yaml", field, f"duplicate id {dup!r}", "give every entry its own id")
    module_objectives = {m.slug: {o.id for o in m.objectives} for m in programme.modules}
    programme_objectives = {o.id for o in programme.objectives}
    seen: set[str] = set()
    for entry in loaded.files.values():
        if not isinstance(entry.model, EvaluationFile):
            continue
        for i, item in enumerate(entry.model.items):
            if item.id in seen:
                yield entry.document.problem(
                    ("items", i, "id"), f"duplicate evaluation item {item.id!r}", "give every item its own id"
                )
            seen.add(item.id)
            if item.module is not None and item.module not in module_objectives:
                yield entry.document.problem(
                    ("items", i, "module"), f"unknown module slug {item.module!r}", f"available: {', '.join(slugs)}"
                )
                continue
            # Programme-wide items measure the programme's objectives (evaluation/programme.yaml).
            known = module_objectives.get(item.module, set()) if item.module else programme_objectives
            for j, objective in enumerate(item.objectives):
                if objective not in known:
                    yield entry.document.problem(
                        ("items", i, "objectives", j),
                        f"unknown objective {objective!r}",
                        "name an objective of the item's module, or of the programme for a programme-wide item",
                    )
