"""What an exercise kind counts of its shared answers, before any suppression.

Each kind tabulates its own answers (``ExerciseWidget.tabulate``); this module
holds what they return and the counting they share. Suppression (hiding small
cells, and words said by fewer than k people) is not done here but by
``toolkit.live.stats``, the same for every kind.

Participant text (words and quotes) loses its bidirectional control
characters before it is counted or shown: an override (U+202E) or isolate
typed into a word would otherwise reorder the dashboard around it, and
"rice" with an invisible mark would be counted apart from "rice".

No ipywidgets here: the evaluation report and journal use ``strip_bidi`` too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.schema.module import Exercise

# Bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069), the left-to-right,
# right-to-left and Arabic letter marks: invisible, and only there to change the layout.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])


def strip_bidi(text: str) -> str:
    """Participant text without bidirectional control characters."""
    return text.translate(BIDI_CONTROLS)


@dataclass(frozen=True)
class Quote:
    """A free-text answer its writer allowed to be quoted, known only by a number."""

    number: int
    text: str
    event_id: str


@dataclass(frozen=True)
class Table:
    """Counts per answer label, in the order the labels are shown."""

    cells: dict[str, int]
    # Whether each response falls in exactly one cell, so the cells add up to the number of
    # shared responses; False where one response ticks several cells (multiple choice).
    one_per_response: bool = True


@dataclass(frozen=True)
class Tally:
    """Everything a kind counts of the shared answers to one exercise."""

    tables: dict[str, Table] = field(default_factory=dict)  # key (captioned by the kind) -> counts
    words: Counter[str] = field(default_factory=Counter)  # word -> people who said it
    quotes: list[Quote] = field(default_factory=list)


def labels(exercise: Exercise) -> list[str]:
    """The answer labels of a table: the scale's points, else the options."""
    if exercise.scale is not None:
        return [str(point) for point in range(exercise.scale.min, exercise.scale.max + 1)]
    return list(exercise.options)


def option_index(exercise: Exercise, value: Any, translations: Mapping[str, list[str]]) -> int | None:
    """The option a stored value names, whatever language the participant's page was in."""
    for options in (exercise.options, *translations.values()):
        if value in options:
            return options.index(value)
    return None


def one_each(exercise: Exercise, values: Iterable[Any], translations: Mapping[str, list[str]]) -> Table:
    """One value falls in one cell (a scale point or an option); values that name neither are left out."""
    names = labels(exercise)
    cells = dict.fromkeys(names, 0)
    for value in values:
        if exercise.scale is not None:
            label = str(value) if str(value) in cells else None
        else:
            index = option_index(exercise, value, translations)
            label = names[index] if index is not None else None
        if label is not None:
            cells[label] += 1
    return Table(cells)
