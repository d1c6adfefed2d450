"""What the room may see of one exercise: counts, distributions, words and quotes, all suppressed.

Built from the latest response per participant (toolkit.events.projections),
so a changed answer or withdrawn consent replaces what was counted before.
Answered and passed counts include every response (that someone answered
says nothing of what they wrote); distributions, words and quotes use only
responses whose owner chose to share them. Nothing here names a participant.

Participant text (words and quotes) loses its bidirectional control
characters before it is counted or shown: an override (U+202E) or isolate
typed into a word would otherwise reorder the dashboard around it, and
"rice" with an invisible mark would be counted apart from "rice".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.events.model import Sharing
from toolkit.events.projections import Response
from toolkit.live.suppression import Suppressed, suppress
from toolkit.schema.module import Exercise, ExerciseKind

# Bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069), the left-to-right,
# right-to-left and Arabic letter marks: invisible, and only there to change the layout.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])


@dataclass(frozen=True)
class Quote:
    """A free-text answer its writer allowed to be quoted, known only by a number."""

    number: int
    text: str
    event_id: str


@dataclass(frozen=True)
class ExerciseView:
    exercise: Exercise
    counts: Suppressed  # answered and passed
    tables: dict[str, Suppressed] = field(default_factory=dict)  # caption -> distribution
    words: list[tuple[str, int]] = field(default_factory=list)  # only words from at least k people
    quotes: list[Quote] = field(default_factory=list)


def strip_bidi(text: str) -> str:
    """Participant text without bidirectional control characters."""
    return text.translate(BIDI_CONTROLS)


def option_index(exercise: Exercise, value: Any, translations: Mapping[str, list[str]]) -> int | None:
    """The option a stored value names, whatever language the participant's page was in."""
    for options in (exercise.options, *translations.values()):
        if value in options:
            return options.index(value)
    return None


def _labels(exercise: Exercise) -> list[str]:
    if exercise.scale is not None:
        return [str(point) for point in range(exercise.scale.min, exercise.scale.max + 1)]
    return list(exercise.options)


def view_exercise(
    exercise: Exercise,
    responses: Iterable[Response],
    k: int,
    translations: Mapping[str, list[str]] | None = None,
) -> ExerciseView:
    """Everything the dashboard shows for one exercise, suppressed for k."""
    translations = translations or {}
    latest = list(responses)
    answered = [r for r in latest if not r.passed]
    passed = len(latest) - len(answered)
    # Their sum is not printed, but the room knows it: anyone watching saw who responded (and, with
    # views published in batches, who is in each view). So it counts as known: "Answered: 10" for
    # eleven people who responded would show that one passed, and with earlier views, who.
    counts = suppress({"answered": len(answered), "passed": passed}, k)
    shared = [r for r in answered if r.sharing in (Sharing.AGGREGATE, Sharing.QUOTE)]
    labels = _labels(exercise)
    tables: dict[str, Suppressed] = {}
    kind = exercise.kind
    if kind in (ExerciseKind.SCALE, ExerciseKind.SINGLE_CHOICE):
        tables["responses"] = _single_table(exercise, labels, [r.value for r in shared], k, translations)
    elif kind is ExerciseKind.SELF_RATING:
        for moment in ("before", "now"):
            values = [r.value.get(moment) for r in shared if isinstance(r.value, dict)]
            tables[moment] = _single_table(exercise, labels, values, k, translations)
    elif kind is ExerciseKind.RANKING:
        firsts = [r.value[0] for r in shared if isinstance(r.value, list) and r.value]
        tables["ranked first"] = _single_table(exercise, labels, firsts, k, translations)
    elif kind is ExerciseKind.MULTIPLE_CHOICE:
        ticks: Counter[str] = Counter()
        for response in shared:
            for value in response.value if isinstance(response.value, list) else []:
                index = option_index(exercise, value, translations)
                if index is not None:
                    ticks[labels[index]] += 1
        # One person ticks several boxes: the cells add up to nothing shown.
        tables["responses"] = suppress(
            {label: ticks[label] for label in labels}, k, total=len(shared), total_known=False
        )
    words: list[tuple[str, int]] = []
    if kind is ExerciseKind.WORD_CONTRIBUTION:
        said = (strip_bidi(str(r.value)).strip().casefold() for r in shared)
        counted = Counter(word for word in said if word)
        words = sorted(((word, n) for word, n in counted.items() if n >= k), key=lambda item: (-item[1], item[0]))
    quotes: list[Quote] = []
    if kind is ExerciseKind.FREE_TEXT:
        consented = sorted((r for r in answered if r.sharing is Sharing.QUOTE), key=lambda r: str(r.event_id))
        quotes = [Quote(n, strip_bidi(str(r.value)), str(r.event_id)) for n, r in enumerate(consented, start=1)]
    return ExerciseView(exercise, counts, tables, words, quotes)


def _single_table(
    exercise: Exercise, labels: list[str], values: list[Any], k: int, translations: Mapping[str, list[str]]
) -> Suppressed:
    """One response falls in one cell: the cells add up to the number of shared responses."""
    cells = dict.fromkeys(labels, 0)
    for value in values:
        if exercise.scale is not None:
            label = str(value) if str(value) in cells else None
        else:
            index = option_index(exercise, value, translations)
            label = labels[index] if index is not None else None
        if label is not None:
            cells[label] += 1
    return suppress(cells, k)
