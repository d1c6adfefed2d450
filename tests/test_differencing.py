"""Differencing: an attacker who sees every published view in order, checked by brute force.

The attacker (someone watching the projected dashboard from the room) knows:

* who acted on the exercise, in what order (they saw people tap "Save"), but
  not what each action was: a new answer, a changed answer, a pass, or a
  consent withdrawal;
* every view the dashboard drew after every action, as drawn (each count or
  its "fewer than k" / "hidden" label, totals, words);
* the rules: how views are computed, suppressed and published, and that
  answers come from the small option set of the test.

They enumerate every assignment of actions to the sequence, replay each
through the real publication rule (``BatchedResponses``) and the real views
(``view_exercise``), and keep the assignments that would have drawn exactly
the same views. What these leave possible is all they can know.

What is asserted, and what is not: a table of counts always tells something
when a group is unanimous ("3 of 3 chose A" tells each of them), with or
without differencing, so "every answer keeps two possible values" cannot
hold and is not claimed. Claimed is that nobody is singled out:

1. an answer that was never part of a published view (it was changed again
   before the next batch, or no batch followed yet) keeps at least two
   possible values;
2. an answer the attacker pins down was, in the view that first published
   it, pinned down alike for at least k people: the view said "these k (or
   more) people all chose this", never "this person chose this".

The same check run on the old dashboard (a view after every change) finds
the attacks of issue 11, scenarios A, B and C, so the attacker is not too
weak to see them.

Not claimed, and known to fail: the claim above is checked on a fixed,
derandomized set of histories, not proved. A wider random search (thousands
of histories) found a rare intersection of two nearly unanimous views that
singles someone out despite batching; it is kept below as a known residual
(``test_known_residual_two_unanimous_views_intersect``). Nor does any of this
cover an attacker who controls some of the codes, or who is one of the
participants and knows their own answer: each known answer shrinks the crowd
in (2) by one. Both belong in the residual risks of docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.curriculum import programme
from toolkit.events.model import Event, EventType, StoredEvent
from toolkit.events.projections import Response
from toolkit.live.publishing import BatchedResponses
from toolkit.live.stats import ExerciseView, view_exercise
from toolkit.schema.module import Exercise

K = 3  # the smallest k suppression allows: the search stays small and each batch as small as it gets
COHORT, MODULE = "diff", "shared-experiences"
WITHDRAW = "withdraw consent"
PASS = "pass"
PRIVATE = "private"
EVENTS: dict[tuple[str, int, int, Any], StoredEvent] = {}


def exercise(exercise_id: str) -> Exercise:
    return next(e for e in programme().module(MODULE).exercises if e.id == exercise_id)


@dataclass(frozen=True)
class Case:
    """An exercise and the actions anyone can take on it (the answers restricted to a few)."""

    exercise: Exercise
    actions: tuple[Any, ...]  # an answer (shared), PRIVATE (the first answer, not shared), PASS or WITHDRAW

    def event(self, step: int, person: int, action: Any) -> StoredEvent:
        key = (self.exercise.id, step, person, action)
        if key not in EVENTS:  # made once: the search replays the same events many times
            EVENTS[key] = self._event(step, person, action)
        return EVENTS[key]

    def _event(self, step: int, person: int, action: Any) -> StoredEvent:
        payload: dict[str, Any] = {}
        if action == WITHDRAW:
            kind, payload = EventType.SHARING_CHANGED, {"sharing": "private"}
        elif action == PASS:
            kind = EventType.PASSED
        else:
            value = self.actions[0] if action == PRIVATE else action
            # Multiple choice answers are tuples here (hashable), lists in the store.
            payload["value"] = list(value) if isinstance(value, tuple) else value
            payload["sharing"] = "private" if action == PRIVATE else "aggregate"
            kind = EventType.ANSWERED
        event = Event(
            id=uuid.UUID(int=step),
            type=kind,
            cohort=COHORT,
            module=MODULE,
            exercise=self.exercise.id,
            participant=f"person-{100 + person}",
            time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
            payload=payload,
        )
        return StoredEvent(seq=step + 1, event=event)


def single_choice() -> Case:
    chosen = exercise("se-agreement-support")
    return Case(chosen, (chosen.options[0], chosen.options[1], PRIVATE, PASS, WITHDRAW))


def multiple_choice() -> Case:
    chosen = exercise("se-festival-threads")
    a, b = chosen.options[0], chosen.options[1]
    return Case(chosen, ((a,), (a, b), PRIVATE, PASS, WITHDRAW))


def words() -> Case:
    return Case(exercise("se-closing-word"), ("rice", "tea", PRIVATE, PASS, WITHDRAW))


def drawn(view: ExerciseView) -> Hashable:
    """What the dashboard draws of a view: every label and total as the watcher reads them."""
    tables = [("counts", view.counts), *sorted(view.tables.items())]
    return (
        tuple((name, tuple(t.label(key) for key in t.cells), t.total) for name, t in tables),
        tuple(view.words),
    )


def state(response: Response | None) -> Hashable:
    """What a participant's response is, as far as any view could ever tell."""
    if response is None:
        return None
    if response.passed:
        return PASS
    if response.sharing.value == "private":
        return PRIVATE  # its value is never counted anywhere: only "answered, privately" could leak
    value = response.value
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Replay:
    """A history of actions replayed through the dashboard's projection, and everything it showed."""

    batch: int
    actions: tuple[tuple[int, Any], ...] = ()  # (person, action) in order
    views: tuple[Hashable, ...] = ()  # drawn after each action
    states: tuple[Hashable, ...] = ()  # the acting participant's state after each action
    responses: tuple[Response | None, ...] = ()  # the acting participant's response after each action
    published: tuple[dict[int, Response], ...] = ()  # after each action: each person's published response

    def published_state(self, step: int, person: int) -> Hashable:
        return state(self.published[step].get(person))

    def then(self, case: Case, person: int, action: Any, cache: dict[Any, Hashable]) -> Replay:
        """This history and one more action, replayed from the start through a new projection."""
        actions = (*self.actions, (person, action))
        responses = BatchedResponses(self.batch)
        for step, (someone, something) in enumerate(actions):
            responses.apply(case.event(step, someone, something))
        shown = responses.published(COHORT, MODULE, case.exercise.id)
        key = tuple(sorted((code, state(r)) for code, r in shown.items()))
        if key not in cache:
            cache[key] = drawn(view_exercise(case.exercise, shown.values(), K))
        response = responses.get(COHORT, MODULE, case.exercise.id, f"person-{100 + person}")
        return Replay(
            self.batch,
            actions,
            (*self.views, cache[key]),
            (*self.states, state(response)),
            (*self.responses, response),
            (*self.published, {int(code.rsplit("-", 1)[1]) - 100: r for code, r in shown.items()}),
        )


def replay(case: Case, people: Sequence[int], actions: Sequence[Any], batch: int) -> Replay:
    history = Replay(batch)
    for person, action in zip(people, actions, strict=True):
        history = history.then(case, person, action, {})
    return history


def consistent(case: Case, people: Sequence[int], seen: Replay, batch: int) -> list[Replay]:
    """Every history, over all actions by these people in this order, that draws exactly the views seen.

    Built action by action, dropping a history as soon as a view differs.
    """
    cache: dict[Any, Hashable] = {}
    histories = [Replay(batch)]
    for step, person in enumerate(people):
        # Consent can only be withdrawn from an answer already given.
        allowed = [a for a in case.actions if a != WITHDRAW or person in people[:step]]
        branches = (history.then(case, person, action, cache) for history in histories for action in allowed)
        histories = [branch for branch in branches if branch.views[-1] == seen.views[step]]
    return histories


def singled_out(case: Case, people: Sequence[int], actions: Sequence[Any], batch: int) -> list[str]:
    """Every way the attacker singles someone out (property 1 or 2 broken); empty when none."""
    seen = replay(case, people, actions, batch)
    worlds = consistent(case, people, seen, batch)
    assert any(w.states == seen.states for w in worlds), "the true actions must be among the possible ones"

    def possible_now(step: int) -> set[Hashable]:
        return {w.states[step] for w in worlds}

    def possible_published(step: int, person: int) -> set[Hashable]:
        return {w.published_state(step, person) for w in worlds}

    found = []
    for step, person in enumerate(people):
        later = [s for s in range(step + 1, len(people)) if people[s] == person]
        until = later[0] if later else len(people)
        # Where this action's response first appeared in a published view, if it ever did.
        shown_at = [s for s in range(step, until) if seen.published[s].get(person) == seen.responses[step]]
        possible = possible_now(step)
        if not shown_at:
            if len(possible) < 2:
                found.append(f"step {step}: person {person}'s unpublished answer is {possible}")
        elif len(possible) == 1:
            first = shown_at[0]
            crowd = [p for p in seen.published[first] if possible_published(first, p) == possible]
            if len(crowd) < K:
                found.append(f"step {step}: person {person} alone with {crowd} pinned to {possible}")
    return found


@st.composite
def histories(draw: Callable[..., Any], case: Case) -> tuple[list[int], list[Any]]:
    people = draw(st.lists(st.integers(0, 3), min_size=2 * K, max_size=2 * K))
    actions = []
    for step, person in enumerate(people):
        allowed = [a for a in case.actions if a != WITHDRAW or person in people[:step]]
        actions.append(draw(st.sampled_from(allowed)))
    return people, actions


CASES = {"single choice": single_choice(), "multiple choice": multiple_choice(), "words": words()}


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.data())
def test_no_one_is_singled_out_by_every_published_view_in_order(data: st.DataObject) -> None:
    case = CASES[data.draw(st.sampled_from(sorted(CASES)))]
    people, actions = data.draw(histories(case))
    assert singled_out(case, people, actions, batch=K) == []


def scenario(name: str) -> tuple[Case, list[int], list[Any], str]:
    """Issue 11's scenarios at k = 3: the case, who acted, what they did, and who the old dashboard gave away."""
    if name == "A":  # three choose A, the fourth passes
        case = single_choice()
        a = case.actions[0]
        return case, [0, 1, 2, 3, 0, 1], [a, a, a, PASS, a, a], "person 3"
    if name == "B":  # three and three; one of the second three withdraws consent
        case = single_choice()
        a, b = case.actions[:2]
        return case, [0, 1, 2, 3, 4, 5, 3, 0, 1], [a, a, a, b, b, b, WITHDRAW, a, a], "step 6: person 3"
    case = multiple_choice()  # "C": six tick two boxes, the seventh one
    one, two = case.actions[:2]
    return case, [0, 1, 2, 3, 4, 5, 6], [two, two, two, two, two, two, one], "person 6"


@pytest.mark.parametrize("name", ["A", "B", "C"])
def test_the_attacker_finds_issue_11_scenarios_only_on_a_dashboard_that_redraws_after_every_change(
    name: str,
) -> None:
    case, people, actions, victim = scenario(name)
    assert any(victim in finding for finding in singled_out(case, people, actions, batch=1))
    assert singled_out(case, people, actions, batch=K) == []


def test_an_erased_participant_leaves_the_published_responses_at_once() -> None:
    case = single_choice()
    responses = BatchedResponses(K)
    for step in range(K):
        responses.apply(case.event(step, step, case.actions[0]))
    assert len(responses.published(COHORT, MODULE, case.exercise.id)) == K
    responses.forget(COHORT, "person-100")
    assert sorted(responses.published(COHORT, MODULE, case.exercise.id)) == ["person-101", "person-102"]


def test_known_residual_two_unanimous_views_intersect() -> None:
    """A leak batching does not close (found by a wider search than the property test runs).

    Persons 2, 3 and 0 respond: "Answered: 3 · Passed: 0" says all three answered
    (person 2 wrote "rice", 3 and 0 privately). Then 1, 3 and 0 change: 1 and 0
    write "rice", 3 passes. The new view hides both counts (so someone passed,
    at most three answered) and shows "rice (3)": every answer is "rice". Person
    2, who has not changed since answering, is pinned to "rice"; the others are
    not. Deterministic counts over overlapping groups allow such intersections
    whatever the batch size; only noise (differential privacy) would close them.
    If this test fails, the leak was closed: move the history into the safe ones.
    """
    found = singled_out(words(), [2, 3, 0, 1, 3, 0], ["rice", PRIVATE, PRIVATE, "rice", PASS, "rice"], batch=K)
    assert found == ["step 0: person 2 alone with [2] pinned to {'rice'}"]
