"""Every figure the evaluation report shows, suppressed for k before anything is rendered.

What protects whom:

- Fewer than k people in the cohort: no figure at all, and no quote.
- Participation: per module, everyone in the cohort falls in one cell
  (completed, started but not completed, did not start), so no count can
  be subtracted from another to reach a small one; suppressed with the
  cohort's total known.
- An evaluation item's tables come from one set of people: for an item asked
  before and after, only those who shared both answers (the before and the
  after distribution, and the change, are of the same people, so no table
  can be subtracted from another). Fewer than k such people: no table.
- The before and after distributions are each suppressed (primary and
  complementary, ``toolkit.live.suppression``). Two distributions alone say
  nothing about how each person moved, so a hidden cell of one is no better
  known for the other being shown. The change (higher, same, lower) links
  them; it is shown, with its sign test, only when no cell of the three
  tables is hidden, since otherwise it could pin a hidden cell (even a
  change table with no small cell of its own can: tests/test_report.py
  keeps such a case, found by its brute-force attacker).
- Only answers shared as aggregate or quote are counted, and quotes are
  only free-text answers shared as quotes: never a private answer, never
  aggregate-only text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from toolkit.events.model import EventType, Sharing, StoredEvent
from toolkit.events.projections import LatestResponses
from toolkit.lifecycle.evaluation import ItemAnswers, item_answers, workbook_ratings
from toolkit.lifecycle.report.signtest import sign_test
from toolkit.live.suppression import Suppressed, suppress
from toolkit.schema.cohort import Cohort
from toolkit.schema.module import ExerciseKind
from toolkit.schema.programme import EvaluationItem, Programme
from toolkit.tally import strip_bidi

# Cell keys; the report translates them when it shows them.
COMPLETED, STARTED_ONLY, DID_NOT_START = "completed", "started, not completed", "did not start"
HIGHER, SAME, LOWER = "higher after", "same", "lower after"


@dataclass(frozen=True)
class Participation:
    session: int  # 1-based number of the session in the cohort file
    date: str
    module: str  # slug
    title: str
    table: Suppressed


@dataclass(frozen=True)
class ItemFigures:
    item: EvaluationItem
    objective: str  # the objective's text ("" for process and safety items)
    people: int | None  # None when fewer than k: then every table is None
    before: Suppressed | None = None  # paired items
    after: Suppressed | None = None  # paired items
    change: Suppressed | None = None  # only when no cell of before, after and change is hidden
    p_value: float | None = None
    single: Suppressed | None = None  # post and follow-up items


@dataclass(frozen=True)
class QuoteGroup:
    prompt: str
    quotes: list[str]


@dataclass(frozen=True)
class ReportFigures:
    cohort: Cohort
    people: int  # distinct participants; shown only when at least k
    participation: list[Participation] = field(default_factory=list)
    items: list[ItemFigures] = field(default_factory=list)
    quotes: list[QuoteGroup] = field(default_factory=list)

    @property
    def too_few(self) -> bool:
        return self.people < self.cohort.k


def scale_table(values: Iterable[int], points: int, k: int) -> Suppressed:
    """A distribution over the points 1 to ``points`` of a scale; each value falls in one cell."""
    cells = {str(point): 0 for point in range(1, points + 1)}
    for value in values:
        cells[str(value)] += 1
    return suppress(cells, k)


def change_table(pairs: Sequence[tuple[int, int]], k: int) -> Suppressed:
    cells = {
        HIGHER: sum(1 for first, second in pairs if second > first),
        SAME: sum(1 for first, second in pairs if second == first),
        LOWER: sum(1 for first, second in pairs if second < first),
    }
    return suppress(cells, k)


def item_figures(answers: ItemAnswers, objective: str, k: int) -> ItemFigures:
    item = answers.item
    if answers.people < k:
        return ItemFigures(item, objective, None)
    if not answers.paired:
        return ItemFigures(item, objective, answers.people, single=scale_table(answers.single, item.scale_points, k))
    before = scale_table((first for first, _ in answers.pairs), item.scale_points, k)
    after = scale_table((second for _, second in answers.pairs), item.scale_points, k)
    change = change_table(answers.pairs, k)
    if before.hidden or after.hidden or change.hidden:
        return ItemFigures(item, objective, answers.people, before, after)
    higher, lower = change.cells[HIGHER], change.cells[LOWER]
    assert higher is not None and lower is not None  # nothing hidden
    return ItemFigures(item, objective, answers.people, before, after, change, sign_test(higher, lower))


def participants(events: Iterable[StoredEvent], cohort: str) -> set[str]:
    return {stored.event.participant for stored in events if stored.event.cohort == cohort}


def participation(events: Sequence[StoredEvent], cohort: Cohort, titles: dict[str, str]) -> list[Participation]:
    everyone = participants(events, cohort.slug)
    started: dict[str, set[str]] = {}
    completed: dict[str, set[str]] = {}
    for stored in events:
        event = stored.event
        if event.cohort != cohort.slug or event.module is None:
            continue
        if event.type in (EventType.MODULE_STARTED, EventType.MODULE_COMPLETED):
            started.setdefault(event.module, set()).add(event.participant)
        if event.type is EventType.MODULE_COMPLETED:
            completed.setdefault(event.module, set()).add(event.participant)
    rows = []
    for number, session in enumerate(cohort.sessions, start=1):
        for slug in session.modules:
            began, done = started.get(slug, set()), completed.get(slug, set())
            cells = {COMPLETED: len(done), STARTED_ONLY: len(began - done), DID_NOT_START: len(everyone - began)}
            rows.append(
                Participation(number, session.date.isoformat(), slug, titles.get(slug, slug), suppress(cells, cohort.k))
            )
    return rows


def _objective_texts(programme: Programme) -> dict[str, str]:
    texts = {objective.id: objective.text for objective in programme.objectives}
    for module in programme.modules:
        texts.update({objective.id: objective.text for objective in module.objectives})
    return texts


def _quotes(latest: LatestResponses, cohort: Cohort, programme: Programme) -> list[QuoteGroup]:
    groups = []
    for module in programme.modules:
        if module.slug not in cohort.module_slugs:
            continue
        for exercise in module.exercises:
            if exercise.kind is not ExerciseKind.FREE_TEXT:
                continue
            responses = latest.for_exercise(cohort.slug, module.slug, exercise.id).values()
            # Ordered by the text, not by time or code: the order must say nothing about who wrote what.
            quotes = sorted(
                strip_bidi(str(response.value)).strip()
                for response in responses
                if not response.passed and response.sharing is Sharing.QUOTE and str(response.value or "").strip()
            )
            if quotes:
                groups.append(QuoteGroup(exercise.prompt, quotes))
    return groups


def report_figures(
    events: Sequence[StoredEvent], cohort: Cohort, programme: Programme, source: Programme | None = None
) -> ReportFigures:
    """Every figure of the report for ``cohort``, from its events, suppressed for ``cohort.k``.

    ``programme`` is in the report's language; ``source`` (default: the same) is the English one,
    whose wording ties module items to their workbook self-ratings whatever the translation says.
    """
    people = len(participants(events, cohort.slug))
    if people < cohort.k:
        return ReportFigures(cohort, people)
    latest = LatestResponses()
    for stored in events:
        latest.apply(stored)
    objectives = _objective_texts(programme)
    modules = set(cohort.module_slugs)
    ratings = workbook_ratings(source or programme)
    items = [
        item_figures(
            item_answers(latest, cohort.slug, item, ratings.get(item.id)),
            objectives.get(item.objectives[0], "") if item.objectives else "",
            cohort.k,
        )
        for item in programme.evaluation
        if item.module is None or item.module in modules
    ]
    titles = {module.slug: module.title for module in programme.modules}
    return ReportFigures(
        cohort, people, participation(events, cohort, titles), items, _quotes(latest, cohort, programme)
    )
