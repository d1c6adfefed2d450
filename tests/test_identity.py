"""Participant codes: valid, random, hard to guess, easy to type back, typos caught."""

from __future__ import annotations

import math
import re
import string
from collections import Counter

import pytest
from pydantic import ValidationError

from toolkit.events import Event, EventType
from toolkit.identity import (
    CHECK_MODULUS,
    DIGITS,
    EXAMPLE_CODE,
    PLACE_WORDS,
    THING_WORDS,
    WORD_LISTS,
    check_value,
    is_valid_code,
    new_code,
    normalise_code,
)

CODE_SHAPE = re.compile(r"^([a-z]+)-([a-z]+)-([a-z]+)-(\d{5})-([a-z])$")
# Every character a well-formed code can hold: a substitution may put any of them anywhere.
ALPHABET = string.ascii_lowercase + string.digits + "-"


@pytest.fixture(scope="module")
def codes() -> list[str]:
    return [new_code() for _ in range(10_000)]


def test_new_codes_are_valid_and_accepted_by_events(codes: list[str]) -> None:
    for code in codes:
        assert CODE_SHAPE.match(code), code
        assert is_valid_code(code), code
        Event(type=EventType.MODULE_STARTED, cohort="demo", participant=code)


def test_new_codes_are_random(codes: list[str]) -> None:
    # About 2^40 codes: a repeat among 10,000 has a chance near 5e-5.
    assert len(set(codes)) == len(codes)
    parts = [CODE_SHAPE.match(code).groups() for code in codes]  # type: ignore[union-attr]
    # Every word is drawn at each place: the chance that one is missed in 10,000 draws is about e^-42.
    for place, words in enumerate(WORD_LISTS):
        assert {part[place] for part in parts} == set(words)
    digits = Counter(digit for part in parts for digit in part[3])
    assert set(digits) == set("0123456789")
    assert max(digits.values()) < 1.1 * min(digits.values())


def _valid_codes_exactly() -> int:
    """How many codes ``new_code`` can return: every body whose check sum has a letter.

    Counted, not estimated. Weights count from the end of the body, so a part's
    share of the sum depends only on how many characters follow it: count by
    (sum, characters so far) from the digits back to the first word.
    """
    states: Counter[tuple[int, int]] = Counter(
        (check_value(f"{number:0{DIGITS}d}"), DIGITS) for number in range(10**DIGITS)
    )
    for words in reversed(WORD_LISTS):
        after: Counter[tuple[int, int]] = Counter()
        for (total, length), count in states.items():
            for word in words:
                # Trailing zeros (worth 0) put the word and its hyphen at their place in the sum.
                share = check_value(f"{word}-{'0' * length}")
                after[((total + share) % CHECK_MODULUS, length + len(word) + 1)] += count
        states = after
    return sum(count for (total, _length), count in states.items() if total < len(string.ascii_lowercase))


def test_codes_carry_at_least_40_bits() -> None:
    valid = _valid_codes_exactly()
    assert valid <= len(PLACE_WORDS) ** 2 * len(THING_WORDS) * 10**DIGITS
    bits = math.log2(valid)  # new_code draws uniformly among these: the entropy is exactly this
    assert bits >= 40.0, bits


def test_check_letter_catches_every_single_substitution_and_adjacent_swap(codes: list[str]) -> None:
    for code in codes[:300]:
        mistypes = {code[:i] + char + code[i + 1 :] for i in range(len(code)) for char in ALPHABET}
        mistypes |= {code[:i] + code[i + 1] + code[i] + code[i + 2 :] for i in range(len(code) - 1)}
        for typed in mistypes:
            canonical = normalise_code(typed)
            if len(canonical) < len(code):
                continue  # a letter next to a hyphen typed as one: a deletion, see below
            # Swapping the check letter with the hyphen before it is the same code once normalised.
            assert canonical == code or not is_valid_code(canonical), (code, typed)


def test_a_lost_first_letter_is_caught_and_other_lost_letters_almost_always(codes: list[str]) -> None:
    missed = tried = 0
    for code in codes[:1000]:
        assert not is_valid_code(code[1:])  # e.g. the first letter typed as a space, then stripped
        for i in range(len(code) - 2):
            tried += 1
            missed += is_valid_code(normalise_code(code[:i] + code[i + 1 :]))
    assert missed / tried < 1.5 / CHECK_MODULUS  # no guarantee, but about one in 29 at worst


def test_the_example_in_the_form_is_not_a_code() -> None:
    assert CODE_SHAPE.match(EXAMPLE_CODE)  # it looks right...
    assert not is_valid_code(EXAMPLE_CODE)  # ...but its check letter is wrong
    assert not is_valid_code(normalise_code(EXAMPLE_CODE))


def test_word_lists_are_long_distinct_and_plain() -> None:
    for words in (PLACE_WORDS, THING_WORDS):
        assert len(words) >= 200
        assert len(set(words)) == len(words), [word for word, n in Counter(words).items() if n > 1]
        assert all(re.fullmatch(r"[a-z]{3,10}", word) for word in words)
    assert set(PLACE_WORDS).isdisjoint(THING_WORDS)


CANONICAL = "river-lotus-meadow-48213-i"


@pytest.mark.parametrize(
    "typed",
    [
        "river-lotus-meadow-48213-i",
        "  River Lotus Meadow 48213 I ",
        "RIVER_LOTUS_MEADOW_48213_I",
        "river  -  lotus__meadow 48213i",  # no separator before the check letter
        "river\u2013lotus\u2014meadow\u221248213-i",  # dashes from smart punctuation
        "\uff52\uff49\uff56\uff45\uff52\u3000lotus\u30fcmeadow\u30fc\uff14\uff18\uff12\uff11\uff13\u3000\uff49",
        "-river-lotus-meadow-48213-i-",
    ],
)
def test_normalise_code(typed: str) -> None:
    assert is_valid_code(CANONICAL)
    assert normalise_code(typed) == CANONICAL


@pytest.mark.parametrize(
    "text",
    [
        "",
        "river",
        "river-lotus-meadow-48213",  # no check letter
        "river-lotus-meadow-48213-n",  # wrong check letter
        "River-Lotus-Meadow-48213-M",  # not normalised
        "river lotus meadow 48213 m",
        "river-lotus-meadow-4821-m",
        "river-lotus-4821",  # the earlier shape: stored events stay readable, but it is not resumed
        "river-lotus-meadow-\u0664\u0668\u0662\u0661\u0663-m",
    ],
)
def test_invalid_codes(text: str) -> None:
    assert not is_valid_code(text)


@pytest.mark.parametrize("code", ["river-lotus-4821", "a-12", CANONICAL, "seed-person-1000"])
def test_event_model_accepts_earlier_and_current_codes(code: str) -> None:
    Event(type=EventType.MODULE_STARTED, cohort="demo", participant=code)


@pytest.mark.parametrize("code", ["river-lotus-1234567", "river--lotus-4821", "river-lotus-4821-mm", "river-m"])
def test_event_model_refuses_other_shapes(code: str) -> None:
    with pytest.raises(ValidationError):
        Event(type=EventType.MODULE_STARTED, cohort="demo", participant=code)
