"""When the room's answers may change on screen: only in batches of k people, never one at a time.

A dashboard that redraws after every answer lets anyone watching subtract
one view from the next and read the last person's answer, however well each
view is suppressed on its own (issue 11, point 10). So each exercise has a
*published* set of responses, replaced only when at least k distinct
participants have changed their response to that exercise (answered anew,
changed an answer, passed, or changed consent) since the last replacement.
The dashboard computes every figure, table and word list from the published
set alone, so each new view differs from the one before by the changes of k
people at once.

Three choices keep this honest:

* One participant changing k times counts once: a change is counted per
  participant, never per event, so nobody can force a publication alone.
* Every response event counts, whatever it changed (even nothing): when a
  view is published then depends only on *who* acted, which anyone in the
  room can see, and never on *what* they chose, so the timing tells nothing.
* Batches are cut while events are applied in log order, so a dashboard
  reloaded mid-session replays the log to the same published sets instead of
  showing the pending changes of fewer than k people.

The one thing not batched: a quote whose writer changes anything about it
(narrows consent, changes the answer or passes) leaves the published set at
once, even if the facilitator had revealed it, and comes back only with a
later batch if the writer allows quoting again.
"""

from __future__ import annotations

import dataclasses

from toolkit.events.model import Event, EventType, Sharing
from toolkit.events.projections import LatestResponses, Response

# The events that change what a participant contributes to an exercise.
CHANGE_TYPES = frozenset({EventType.ANSWERED, EventType.PASSED, EventType.SHARING_CHANGED})

ExerciseKey = tuple[str, str, str]  # cohort, module, exercise


class BatchedResponses(LatestResponses):
    """The latest responses, and per exercise the responses as of the last batch of ``k`` changers."""

    def __init__(self, k: int) -> None:
        if k < 1:
            raise ValueError("a batch needs at least one participant")
        super().__init__()
        self.k = k
        self._pending: dict[ExerciseKey, set[str]] = {}
        self._published: dict[ExerciseKey, dict[str, Response]] = {}

    def _apply(self, event: Event) -> None:
        super()._apply(event)
        if event.type not in CHANGE_TYPES or event.module is None or event.exercise is None:
            return
        key = (event.cohort, event.module, event.exercise)
        self._withdraw_quote(key, event.participant)
        pending = self._pending.setdefault(key, set())
        pending.add(event.participant)
        if len(pending) >= self.k:
            self._published[key] = self.for_exercise(*key)
            pending.clear()

    def _withdraw_quote(self, key: ExerciseKey, participant: str) -> None:
        published = self._published.get(key, {})
        shown = published.get(participant)
        if shown is not None and shown.sharing is Sharing.QUOTE and self.get(*key, participant) != shown:
            # Counted as before until the next batch (anything else would show what changed), never quoted.
            narrowed = {**shown.payload, "sharing": Sharing.AGGREGATE.value}
            published[participant] = dataclasses.replace(shown, payload=narrowed)

    def published(self, cohort: str, module: str, exercise: str) -> dict[str, Response]:
        """Responses per participant as of the last completed batch; empty before the first."""
        return dict(self._published.get((cohort, module, exercise), {}))

    def forget(self, cohort: str, participant: str) -> None:
        # Erasure is not batched: the erased answers leave memory, published or not.
        super().forget(cohort, participant)
        for key, responses in self._published.items():
            if key[0] == cohort:
                responses.pop(participant, None)
        for key, pending in self._pending.items():
            if key[0] == cohort:
                pending.discard(participant)
