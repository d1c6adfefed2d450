"""Evaluation items measure what the programme sets out to do, one ability at a time.

The rules `bridges check` enforces (issue 13, section 7):

- an outcome item measures exactly one objective; process and safety items
  measure how the programme ran, so they name none;
- every module objective is measured by at least one item of its module, and
  every item is listed in its module's ``evaluation_map`` (two items share an
  objective only where the objective names two abilities: a double-barrelled
  question is split, never asked as one);
- every programme objective is measured by exactly one end-of-programme item;
- one instrument per objective: each module item is one of the workbook's
  self-ratings for its objective, in the same words and on the same scale, and
  each of those self-ratings is asked by exactly one item; a programme item is
  asked on a scale the workbooks use; each follow-up item repeats, word for
  word and on the same scale, the end-of-programme item for its objective;
- the programme asks process, safety and follow-up items, the follow-up set
  covering every programme objective.

Whether an item's wording joins two abilities with "and" cannot be checked
reliably by code; the split items and the file comments carry that rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.curriculum import LoadedCurriculum
from toolkit.errors import Problem
from toolkit.schema.module import ExerciseKind, Module
from toolkit.schema.programme import EvaluationDesign, EvaluationFile, EvaluationItem, EvaluationKind
from toolkit.yamlio import Document

PROGRAMME_FILE = "curriculum/evaluation/programme.yaml"


@dataclass(frozen=True)
class _Placed:
    """An item with the document and index it came from, for located problems."""

    document: Document
    index: int
    item: EvaluationItem

    def problem(self, field: tuple[str | int, ...], message: str, hint: str) -> Problem:
        return self.document.problem(("items", self.index, *field), message, hint)


def _scale(item: EvaluationItem) -> tuple[int, str, str]:
    return item.scale_points, item.scale_min_label, item.scale_max_label


def _words(text: str) -> str:
    return " ".join(text.split())


def check_evaluation(loaded: LoadedCurriculum) -> list[Problem]:
    placed = [
        _Placed(entry.document, i, item)
        for entry in loaded.files.values()
        if isinstance(entry.model, EvaluationFile)
        for i, item in enumerate(entry.model.items)
    ]
    return [*_item_shape(placed), *_module_coverage(loaded, placed), *_programme_coverage(loaded, placed)]


def _item_shape(placed: list[_Placed]) -> Iterator[Problem]:
    for entry in placed:
        item = entry.item
        if item.kind is EvaluationKind.OUTCOME and len(item.objectives) != 1:
            yield entry.problem(
                ("objectives",),
                f"outcome item {item.id!r} names {len(item.objectives)} objectives",
                "name exactly one objective; split an item that measures two things",
            )
        if item.kind is not EvaluationKind.OUTCOME and item.objectives:
            yield entry.problem(
                ("objectives",),
                f"{item.kind.value} item {item.id!r} names objectives",
                "leave 'objectives' empty: process and safety items measure how the programme ran",
            )
        if item.design is EvaluationDesign.FOLLOW_UP and item.module is not None:
            yield entry.problem(
                ("design",),
                f"follow-up item {item.id!r} belongs to a module",
                "follow-up items are asked at the programme's reunion: move it to evaluation/programme.yaml",
            )


@dataclass(frozen=True)
class _Rating:
    """A workbook self-rating: the words and the scale the evaluation must share."""

    id: str
    prompt: str
    scale: tuple[int, str, str]


def _self_ratings(module: Module) -> dict[str, list[_Rating]]:
    """The workbook's self-ratings per objective (two where the objective names two abilities)."""
    ratings: dict[str, list[_Rating]] = {}
    for exercise in module.exercises:
        if exercise.kind is ExerciseKind.SELF_RATING and exercise.objective is not None and exercise.scale is not None:
            anchors = exercise.scale
            scale = (anchors.max - anchors.min + 1, anchors.min_label, anchors.max_label)
            ratings.setdefault(exercise.objective, []).append(_Rating(exercise.id, exercise.prompt, scale))
    return ratings


def _module_coverage(loaded: LoadedCurriculum, placed: list[_Placed]) -> Iterator[Problem]:
    modules = {module.slug: module for module in loaded.programme.modules}
    measured: set[tuple[str, str]] = set()
    asked: dict[tuple[str, str], int] = {}  # (module, self-rating id) -> items asking it
    for entry in placed:
        item = entry.item
        module = modules.get(item.module or "")
        if module is None or item.kind is not EvaluationKind.OUTCOME or len(item.objectives) != 1:
            continue  # programme items, unknown modules and misshapen items are reported elsewhere
        objective = item.objectives[0]
        measured.add((module.slug, objective))
        ratings = _self_ratings(module).get(objective, [])
        # One instrument: the item asks in the words and on the scale of one workbook self-rating.
        rating = next((r for r in ratings if _words(r.prompt) == _words(item.text)), None)
        if not ratings:
            yield entry.problem(
                ("objectives", 0),
                f"module {module.slug!r} has no workbook self-rating for objective {objective!r}",
                "add a self_rating exercise for it, so the workbook and the evaluation ask the same way",
            )
        elif rating is None:
            yield entry.problem(
                ("text",),
                f"item {item.id!r} is worded differently from the workbook's self-rating "
                f"({', '.join(r.id for r in ratings)})",
                f"use the self-rating's words: {' or '.join(repr(_words(r.prompt)) for r in ratings)}",
            )
        else:
            asked[module.slug, rating.id] = asked.get((module.slug, rating.id), 0) + 1
            if _scale(item) != rating.scale:
                yield entry.problem(
                    ("scale_points",),
                    f"item {item.id!r} is asked on {_scale(item)}, the workbook's self-rating on {rating.scale}",
                    "use the self-rating's number of points and its two labels",
                )
        if not any(link.item == item.id and link.objective == objective for link in module.evaluation_map):
            yield entry.problem(
                ("id",),
                f"item {item.id!r} is not in module {module.slug!r}'s evaluation_map for {objective!r}",
                f"add '- item: {item.id}' with 'objective: {objective}' to the module's evaluation_map",
            )
    for file in loaded.files.values():
        if not isinstance(file.model, Module):
            continue
        module = file.model
        for i, aim in enumerate(module.objectives):
            if (module.slug, aim.id) not in measured:
                yield file.document.problem(
                    ("objectives", i),
                    f"objective {aim.id!r} has no evaluation item",
                    f"add an outcome item for it to curriculum/evaluation/{file.document.path.name}",
                )
        for i, exercise in enumerate(module.exercises):
            count = asked.get((module.slug, exercise.id), 0)
            if (
                exercise.kind is ExerciseKind.SELF_RATING
                and (module.slug, exercise.objective) in measured
                and count != 1
            ):
                yield file.document.problem(
                    ("exercises", i),
                    f"self-rating {exercise.id!r} is asked by {count} evaluation items in its words",
                    f"give it one outcome item, in its words, in curriculum/evaluation/{file.document.path.name}",
                )


def _programme_coverage(loaded: LoadedCurriculum, placed: list[_Placed]) -> Iterator[Problem]:
    programme = loaded.programme
    items = [entry for entry in placed if entry.item.module is None]
    workbook_scales = {
        r.scale for module in programme.modules for ratings in _self_ratings(module).values() for r in ratings
    }
    at_end: dict[str, list[_Placed]] = {}
    follow_ups: dict[str, list[_Placed]] = {}
    for entry in items:
        item = entry.item
        if item.kind is not EvaluationKind.OUTCOME or len(item.objectives) != 1:
            continue
        target = follow_ups if item.design is EvaluationDesign.FOLLOW_UP else at_end
        target.setdefault(item.objectives[0], []).append(entry)
        if workbook_scales and _scale(item) not in workbook_scales:
            yield entry.problem(
                ("scale_points",),
                f"item {item.id!r} is asked on {_scale(item)}, a scale no workbook self-rating uses",
                "use the workbooks' self-rating scale (points and labels)",
            )
    for objective in programme.objectives:
        asked = at_end.get(objective.id, [])
        if len(asked) != 1:
            ids = ", ".join(entry.item.id for entry in asked) or "none"
            yield Problem(
                PROGRAMME_FILE,
                "objectives",
                f"programme objective {objective.id!r} has {len(asked)} end-of-programme items ({ids})",
                "measure each programme objective with exactly one outcome item",
            )
        later = follow_ups.get(objective.id, [])
        if not later:
            yield Problem(
                PROGRAMME_FILE,
                "objectives",
                f"programme objective {objective.id!r} has no follow-up item",
                "add an item with design: follow_up that repeats its end-of-programme item",
            )
        for entry in later:
            if asked and (_words(entry.item.text), _scale(entry.item)) != (
                _words(asked[0].item.text),
                _scale(asked[0].item),
            ):
                yield entry.problem(
                    ("text",),
                    f"follow-up item {entry.item.id!r} is worded or scaled differently from {asked[0].item.id!r}",
                    "ask the follow-up in the same words and on the same scale, so the two can be compared",
                )
    for kind in (EvaluationKind.PROCESS, EvaluationKind.SAFETY):
        if not any(entry.item.kind is kind for entry in items):
            yield Problem(
                PROGRAMME_FILE,
                "items",
                f"no {kind.value} item",
                f"add a programme-wide item with kind: {kind.value} (for example: felt able to pass, experienced harm)",
            )
    if not any(entry.item.design is EvaluationDesign.FOLLOW_UP for entry in items):
        yield Problem(
            PROGRAMME_FILE, "items", "no follow-up item", "add items with design: follow_up, asked at the reunion"
        )
