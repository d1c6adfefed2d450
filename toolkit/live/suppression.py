"""Small-cell suppression: no figure from fewer than k people, and none derivable.

Primary suppression hides every count from 1 to k-1 and labels it "fewer
than k". Complementary suppression then makes sure no hidden count can be
worked out from what is shown: where the table's total is known (printed,
or equal to an answered count printed beside it), hidden counts are tied
together by that total, so while any hidden count is pinned to one value the
smallest shown non-zero count is hidden too (labelled "hidden"). If nothing
is left to hide, every cell is hidden. Zero counts are shown: "nobody chose
this" identifies no one.

The attacker this defends against knows every shown figure, the total when
it is known, that counts are whole numbers, and these rules: a "fewer than
k" cell holds 1 to k-1, a complementary "hidden" cell at least k, and a cell
of a fully hidden table anything from 0. tests/test_suppression.py checks
with random tables that every hidden count keeps at least two possible
values under that knowledge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The smallest k the method itself works with (below 3, "fewer than k" names the value).
# A cohort's k is held to the policy minimum, toolkit.schema.cohort.MIN_K (5), before it gets here.
K_FLOOR = 3


@dataclass(frozen=True)
class Suppressed:
    """A table as it may be shown: None for a hidden count."""

    cells: dict[str, int | None]
    total: int | None  # None when hidden, or when the table has no meaningful total
    k: int
    primary: frozenset[str] = field(default_factory=frozenset)  # hidden because fewer than k
    too_few: bool = False  # fewer than k responses in all: every cell is "fewer than k"

    @property
    def hidden(self) -> list[str]:
        return [key for key, value in self.cells.items() if value is None]

    def label(self, key: str, fewer: str = "fewer than {k}", hidden: str = "hidden") -> str:
        value = self.cells[key]
        if value is not None:
            return str(value)
        return fewer.format(k=self.k) if key in self.primary or self.too_few else hidden


def bounds(table: Suppressed, key: str) -> tuple[int, int]:
    """What the rules alone say about a hidden cell: its least and greatest possible value."""
    if table.too_few:
        return 0, table.k - 1
    if key in table.primary:
        return 1, table.k - 1
    upper = table.total if table.total is not None else 10**9
    if len(table.primary) + sum(1 for v in table.cells.values() if v is not None) == 0:
        return 0, upper  # a fully hidden table says nothing about any cell
    return table.k, upper


def _pinned(table: Suppressed) -> bool:
    """Whether the total pins some hidden cell to a single value."""
    if table.total is None:
        return False
    hidden = table.hidden
    rest = table.total - sum(v for v in table.cells.values() if v is not None)
    limits = {key: bounds(table, key) for key in hidden}
    for key in hidden:
        others_low = sum(limits[o][0] for o in hidden if o != key)
        others_high = sum(limits[o][1] for o in hidden if o != key)
        low = max(limits[key][0], rest - others_high)
        high = min(limits[key][1], rest - others_low)
        if low >= high:
            return True
    return False


def suppress(counts: Mapping[str, int], k: int, total: int | None = None, total_known: bool = True) -> Suppressed:
    """Hide counts below ``k`` and whatever would reveal them.

    ``total`` is the number of responses behind the table (default: the sum of
    the counts, for tables where each response falls in exactly one cell).
    ``total_known`` says whether the cells add up to a figure visible anywhere;
    it is False for multiple choice, where one response ticks several cells.
    """
    if k < K_FLOOR:
        raise ValueError(f"k must be at least {K_FLOOR}")
    if any(count < 0 for count in counts.values()):
        raise ValueError("counts cannot be negative")
    responses = sum(counts.values()) if total is None else total
    if responses < k:
        # Too few responses for any figure: hide the table and its total.
        return Suppressed(dict.fromkeys(counts), None, k, too_few=True)
    primary = frozenset(key for key, count in counts.items() if 0 < count < k)
    cells: dict[str, int | None] = {key: (None if key in primary else count) for key, count in counts.items()}
    table = Suppressed(cells, responses if total_known else None, k, primary)
    while _pinned(table):
        candidates = sorted((count, key) for key, count in counts.items() if table.cells[key] is not None and count > 0)
        if not candidates:
            return Suppressed(dict.fromkeys(counts), table.total, k)
        cells = {**table.cells, candidates[0][1]: None}
        table = Suppressed(cells, table.total, k, primary)
    if (table.primary or table.hidden) and all(value is None for value in table.cells.values()):
        return Suppressed(dict.fromkeys(counts), table.total, k)
    return table
