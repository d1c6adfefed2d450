"""Small-cell suppression: properties over random tables, checked by a brute-force attacker."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.live.suppression import Suppressed, bounds, suppress

K = 5


def possible_values(table: Suppressed) -> dict[str, set[int]]:
    """Every value each hidden cell can take, given what is shown and the rules.

    Exhaustive over whole numbers (dynamic programming over the sums the other
    hidden cells can make), independent of how suppress() reasons.
    """
    hidden = table.hidden
    if table.total is None:
        # Nothing ties the cells together: each keeps its whole range (capped for the search).
        return {key: set(range(bounds(table, key)[0], min(bounds(table, key)[1], 200) + 1)) for key in hidden}
    rest = table.total - sum(v for v in table.cells.values() if v is not None)
    ranges = {key: range(bounds(table, key)[0], min(bounds(table, key)[1], rest) + 1) for key in hidden}
    seen: dict[str, set[int]] = {}
    for key in hidden:
        sums = {0}
        for other in hidden:
            if other != key:
                sums = {total + value for total in sums for value in ranges[other] if total + value <= rest}
        seen[key] = {value for value in ranges[key] if rest - value in sums}
    return seen


tables = st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 14), min_size=2, max_size=5)


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_hidden_count_can_be_recovered_when_the_total_is_known(counts: dict[str, int]) -> None:
    table = suppress(counts, K)
    values = possible_values(table)
    for key in table.hidden:
        assert counts[key] in values[key], "the rules must describe the real value"
        assert len(values[key]) >= 2, f"{key}={counts[key]} recoverable from {table}"


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_count_below_k_is_ever_shown(counts: dict[str, int]) -> None:
    table = suppress(counts, K)
    for key, value in table.cells.items():
        assert value is None or value == 0 or value >= K
        if value is not None:
            assert value == counts[key]
    if sum(counts.values()) < K:
        assert table.total is None and table.hidden == list(counts)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_multiple_choice_tables_hide_only_small_cells(counts: dict[str, int]) -> None:
    table = suppress(counts, K, total=max(counts.values()) + 5, total_known=False)
    assert set(table.hidden) == {key for key, count in counts.items() if 0 < count < K}
    for key in table.hidden:
        assert len(possible_values(table)[key]) >= 2


def test_labels_say_fewer_than_k_or_hidden() -> None:
    table = suppress({"agree": 12, "unsure": 2, "disagree": 7}, K)
    assert table.label("unsure") == "fewer than 5"
    assert table.label("disagree") == "hidden"  # complementary: else 12 + 7 + x = 21 reveals x
    assert table.label("agree") == "12"


def test_too_few_responses_say_fewer_than_k_everywhere() -> None:
    table = suppress({"answered": 2, "passed": 0}, K, total_known=False)
    assert table.label("answered") == table.label("passed") == "fewer than 5"
    assert table.total is None


def test_k_below_three_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        suppress({"a": 1}, 2)
