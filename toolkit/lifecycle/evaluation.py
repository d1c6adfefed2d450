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
``follow_up`` on the follow-up page (``PHASES``).

The phase is in ``module`` rather than in the payload so that the latest
response per (module, exercise) keeps a person's before and after answers
to one item apart, and a sharing change names exactly one of them.

The report counts an answer only if its latest sharing is ``aggregate`` or
``quote``, never a private one, and pairs a person's before and after answers
only when both are shared.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from toolkit.events.model import Sharing
from toolkit.events.projections import LatestResponses, Response
from toolkit.schema.programme import EvaluationDesign, EvaluationItem, Programme

PAYLOAD_KIND = "evaluation"
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


def phase_of(module: str | None) -> Phase | None:
    """The evaluation phase an event's ``module`` names, or None for a curriculum module."""
    if module is None or not module.startswith(MODULE_PREFIX):
        return None
    try:
        return Phase(module.removeprefix(MODULE_PREFIX))
    except ValueError:
        return None


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


def item_answers(latest: LatestResponses, cohort: str, item: EvaluationItem) -> ItemAnswers:
    """The counted answers to ``item``: shared (aggregate or quote), on the scale, and paired where it pairs."""
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
        pairs = []
        for response in _shared(latest, cohort, Phase.AFTER, item).values():
            value = response.value if isinstance(response.value, dict) else {}
            first, second = scale_point(value.get("before"), item), scale_point(value.get("now"), item)
            if first is not None and second is not None:
                pairs.append((first, second))
        return ItemAnswers(item, sorted(pairs), [])
    phase = phases(item)[0]
    values = (scale_point(response.value, item) for response in _shared(latest, cohort, phase, item).values())
    return ItemAnswers(item, [], sorted(value for value in values if value is not None))


def items_for(programme: Programme, phase: Phase, modules: Collection[str] | None = None) -> list[EvaluationItem]:
    """The items the ``phase`` page asks, in curriculum order: programme-wide items, and with
    ``modules`` (a cohort's module slugs) the items of those modules too."""
    wanted = set(modules or ())
    return [
        item
        for item in programme.evaluation
        if phase in phases(item) and (item.module is None or item.module in wanted)
    ]
