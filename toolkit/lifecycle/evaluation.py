"""How the app records answers to the evaluation items, and how the report reads them back.

The items are in ``curriculum/evaluation/*.yaml`` (``EvaluationItem``). The
in-app pages record each answer as an ordinary event, so erasing, purging,
the journal and "change my mind" treat it like any other answer:

- event type ``answered`` (or ``passed``: every item can be passed, and a
  pass stores nothing);
- ``module`` names the phase, the page the item was asked on:
  ``evaluation-before`` (start of the first session), ``evaluation-after``
  (end of the last session) or ``evaluation-follow-up`` (the reunion);
- ``exercise`` is the item's id;
- ``payload`` is ``{"kind": "evaluation", "value": V, "sharing": S}`` where
  V is the scale point chosen, a whole number from 1 to the item's
  ``scale_points``, or for a retrospective item (asked once at the end, "before
  the programme" and "now") ``{"before": int, "now": int}``, as the
  workbook's self-ratings record; S is ``private``, ``aggregate`` or
  ``quote`` as for every answer (``aggregate`` is the sensible default the
  page offers; the participant may choose private).
- ``sharing_changed`` events with the same module and exercise change the
  sharing afterwards.

Which page asks which item follows its ``design``: ``pre_post`` on the
before and the after page, ``retrospective`` and ``post`` on the after page,
``follow_up`` on the follow-up page (``PHASES``). These pages ask the
programme-wide items (``module`` empty) only: a module's items are its
workbook's self-ratings, asked in the same words and on the same scale
(``bridges check`` holds them together), so their answers are the module
page's ``self_rating`` answers (``module`` the module's slug, ``exercise``
the self-rating's id, value ``{"before": int, "now": int}``), and the
report reads them there (``workbook_ratings``).

The phase is in ``module`` rather than in the payload so that the latest
response per (module, exercise) keeps a person's before and after answers
to one item apart, and a sharing change names exactly one of them.

The report counts an answer only if its latest sharing is ``aggregate`` or
``quote``, never a private one, and pairs a person's before and after answers
only when both are shared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from toolkit.events.model import Sharing
from toolkit.events.projections import LatestResponses, Response
from toolkit.schema.module import ExerciseKind
from toolkit.schema.programme import EvaluationDesign, EvaluationItem, Programme

PAYLOAD_KIND = "evaluation"  # the payload's "kind" on the evaluation pages
MODULE_PREFIX = "evaluation-"
COUNTED = frozenset({Sharing.AGGREGATE, Sharing.QUOTE})


class Phase(StrEnum):
    BEFORE = "before"
    AFTER = "after"
    FOLLOW_UP = "follow-up"

    @property
    def module(self) -> str:
        """The ``module`` of the events recorded on this phase's page."""
        return MODULE_PREFIX + self.value


PHASES: dict[EvaluationDesign, tuple[Phase, ...]] = {
    EvaluationDesign.PRE_POST: (Phase.BEFORE, Phase.AFTER),
    EvaluationDesign.RETROSPECTIVE: (Phase.AFTER,),
    EvaluationDesign.POST: (Phase.AFTER,),
    EvaluationDesign.FOLLOW_UP: (Phase.FOLLOW_UP,),
}


def phases(item: EvaluationItem) -> tuple[Phase, ...]:
    """The pages that ask ``item``."""
    return PHASES.get(item.design, (Phase.AFTER,))


def scale_point(value: Any, item: EvaluationItem) -> int | None:
    """``value`` if it is a point of the item's scale (1 to ``scale_points``), else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= item.scale_points else None


@dataclass(frozen=True)
class ItemAnswers:
    """The shared answers to one item: pairs (before, after) or single ratings, never who gave them."""

    item: EvaluationItem
    pairs: list[tuple[int, int]]  # before and after from the same person, for pre_post and retrospective items
    single: list[int]  # post and follow-up items

    @property
    def paired(self) -> bool:
        return self.item.design in (EvaluationDesign.PRE_POST, EvaluationDesign.RETROSPECTIVE)

    @property
    def people(self) -> int:
        return len(self.pairs) if self.paired else len(self.single)


def _counted(response: Response | None) -> Response | None:
    if response is None or response.passed or response.sharing not in COUNTED:
        return None
    return response


def _shared(latest: LatestResponses, cohort: str, phase: Phase, item: EvaluationItem) -> Mapping[str, Response]:
    return {
        participant: response
        for participant, response in latest.for_exercise(cohort, phase.module, item.id).items()
        if _counted(response) is not None
    }


def item_answers(
    latest: LatestResponses, cohort: str, item: EvaluationItem, workbook_rating: str | None = None
) -> ItemAnswers:
    """The counted answers to ``item``: shared (aggregate or quote), on the scale, and paired where it pairs.

    ``workbook_rating`` (see ``workbook_ratings``) is the self-rating that asks a module item.
    """
    if item.module is not None:
        if workbook_rating is None:
            return ItemAnswers(item, [], [])
        shared = [
            response
            for response in latest.for_exercise(cohort, item.module, workbook_rating).values()
            if _counted(response) is not None
        ]
        return ItemAnswers(item, _retrospective_pairs(shared, item), [])
    if item.design is EvaluationDesign.PRE_POST:
        before = _shared(latest, cohort, Phase.BEFORE, item)
        after = _shared(latest, cohort, Phase.AFTER, item)
        pairs = []
        for participant in sorted(before.keys() & after.keys()):
            first, second = scale_point(before[participant].value, item), scale_point(after[participant].value, item)
            if first is not None and second is not None:
                pairs.append((first, second))
        return ItemAnswers(item, sorted(pairs), [])
    if item.design is EvaluationDesign.RETROSPECTIVE:
        return ItemAnswers(item, _retrospective_pairs(_shared(latest, cohort, Phase.AFTER, item).values(), item), [])
    phase = phases(item)[0]
    values = (scale_point(response.value, item) for response in _shared(latest, cohort, phase, item).values())
    return ItemAnswers(item, [], sorted(value for value in values if value is not None))


def items_for(programme: Programme, phase: Phase) -> list[EvaluationItem]:
    """The items the ``phase`` page asks, in curriculum order: programme-wide items only
    (a module's items are asked in its workbook)."""
    return [item for item in programme.evaluation if item.module is None and phase in phases(item)]


def workbook_ratings(programme: Programme) -> dict[str, str]:
    """For each module item, the id of the workbook self-rating that asks it.

    The self-rating of the item's module for the item's objective; where an
    objective has two (it names two abilities), the one in the item's words.
    """
    found: dict[str, str] = {}
    modules = {module.slug: module for module in programme.modules}
    for item in programme.evaluation:
        module = modules.get(item.module or "")
        if module is None or len(item.objectives) != 1:
            continue
        ratings = [
            exercise
            for exercise in module.exercises
            if exercise.kind is ExerciseKind.SELF_RATING and exercise.objective == item.objectives[0]
        ]
        same_words = [exercise for exercise in ratings if _words(exercise.prompt) == _words(item.text)]
        chosen = same_words or (ratings if len(ratings) == 1 else [])
        if chosen:
            found[item.id] = chosen[0].id
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def _retrospective_pairs(responses: Iterable[Response], item: EvaluationItem) -> list[tuple[int, int]]:
    """(before, now) from answers that rate both, in sorted order: the order says nothing about who."""
    pairs = []
    for response in responses:
        value = response.value if isinstance(response.value, dict) else {}
        first, second = scale_point(value.get("before"), item), scale_point(value.get("now"), item)
        if first is not None and second is not None:
            pairs.append((first, second))
    return sorted(pairs)
