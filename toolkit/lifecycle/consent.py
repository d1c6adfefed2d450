"""What a participant has shared, for the app's "change my mind" list.

One place lists every saved answer whose sharing is wider than private,
with its current choice (sharing changes applied), so a participant can
narrow it; widening asks again on the page, as the exercise widgets do.
Built from that participant's events only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.events.model import Sharing, StoredEvent
from toolkit.events.projections import LatestResponses

# Narrowing never needs a second yes: from quote to aggregate or private, from aggregate to private.
NARROWER: dict[Sharing, tuple[Sharing, ...]] = {
    Sharing.QUOTE: (Sharing.AGGREGATE, Sharing.PRIVATE),
    Sharing.AGGREGATE: (Sharing.PRIVATE,),
    Sharing.PRIVATE: (),
}


@dataclass(frozen=True)
class SharedAnswer:
    module: str  # a module slug, or an evaluation phase's module (toolkit.lifecycle.evaluation)
    exercise: str
    sharing: Sharing
    value: Any

    @property
    def narrower(self) -> tuple[Sharing, ...]:
        """The choices this answer can be narrowed to without asking again."""
        return NARROWER[self.sharing]


def shared_answers(events: Sequence[StoredEvent], cohort: str) -> list[SharedAnswer]:
    """Every answer of the one participant whose events these are that is shared now, in the order saved."""
    if len({stored.event.participant for stored in events}) > 1:
        raise ValueError("a list of shared answers is made from one participant's events")
    latest = LatestResponses()
    for stored in events:
        latest.apply(stored)
    keys = dict.fromkeys(
        (stored.event.module, stored.event.exercise)
        for stored in events
        if stored.event.cohort == cohort and stored.event.module and stored.event.exercise
    )
    participant = events[0].event.participant if events else ""
    answers = []
    for module, exercise in keys:
        assert module is not None and exercise is not None
        response = latest.get(cohort, module, exercise, participant)
        if response is not None and not response.passed and response.sharing is not Sharing.PRIVATE:
            answers.append(SharedAnswer(module, exercise, response.sharing, response.value))
    return answers
