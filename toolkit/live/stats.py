"""What the room may see of one exercise: counts, distributions, words and quotes, all suppressed.

Built from the latest response per participant (toolkit.events.projections),
so a changed answer or withdrawn consent replaces what was counted before.
Answered and passed counts include every response (that someone answered
says nothing of what they wrote); distributions, words and quotes use only
responses whose owner chose to share them, tabulated by the exercise's kind
(``ExerciseWidget.tabulate``, see toolkit.tally). Nothing here names a participant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from toolkit.events.model import Sharing
from toolkit.events.projections import Response
from toolkit.exercises import KINDS
from toolkit.live.suppression import Suppressed, suppress
from toolkit.schema.module import Exercise
from toolkit.tally import Quote


@dataclass(frozen=True)
class ExerciseView:
    exercise: Exercise
    counts: Suppressed  # answered and passed
    tables: dict[str, Suppressed] = field(default_factory=dict)  # key (captioned by the kind) -> distribution
    words: list[tuple[str, int]] = field(default_factory=list)  # only words from at least k people
    quotes: list[Quote] = field(default_factory=list)


def view_exercise(
    exercise: Exercise,
    responses: Iterable[Response],
    k: int,
    translations: Mapping[str, list[str]] | None = None,
) -> ExerciseView:
    """Everything the dashboard shows for one exercise, suppressed for k."""
    latest = list(responses)
    answered = [r for r in latest if not r.passed]
    passed = len(latest) - len(answered)
    # Their sum is not printed, but the room knows it: anyone watching saw who responded (and, with
    # views published in batches, who is in each view). So it counts as known: "Answered: 10" for
    # eleven people who responded would show that one passed, and with earlier views, who.
    counts = suppress({"answered": len(answered), "passed": passed}, k)
    shared = [r for r in answered if r.sharing in (Sharing.AGGREGATE, Sharing.QUOTE)]
    tally = KINDS[exercise.kind].tabulate(exercise, shared, translations or {})
    tables = {
        # One person ticks several boxes: those cells add up to nothing shown.
        key: suppress(table.cells, k)
        if table.one_per_response
        else suppress(table.cells, k, total=len(shared), total_known=False)
        for key, table in tally.tables.items()
    }
    words = sorted(((word, n) for word, n in tally.words.items() if n >= k), key=lambda item: (-item[1], item[0]))
    return ExerciseView(exercise, counts, tables, words, tally.quotes)
