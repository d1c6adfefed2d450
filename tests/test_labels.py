"""Activity labels (method, grouping, disclosure) are literal interface strings, translated in every full language."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

import pytest

from toolkit import render
from toolkit.activity_labels import disclosure_labels, grouping_labels, method_labels
from toolkit.curriculum import programme
from toolkit.i18n import translator
from toolkit.schema.module import Disclosure, Grouping, Method

FULL_LANGUAGES = ("zh-Hans", "ko", "vi", "tl")
TABLES: list[tuple[Callable[[Any], dict[Any, str]], type[Enum]]] = [
    (grouping_labels, Grouping),
    (method_labels, Method),
    (disclosure_labels, Disclosure),
]


def english(message: str) -> str:
    return message


@pytest.mark.parametrize(("table", "enum"), TABLES, ids=lambda value: getattr(value, "__name__", ""))
def test_every_value_has_a_label(table: Callable[[Any], dict[Any, str]], enum: type[Enum]) -> None:
    assert set(table(english)) == set(enum)


@pytest.mark.parametrize("language", FULL_LANGUAGES)
def test_no_label_prints_in_english_in_a_full_language(language: str) -> None:
    _ = translator(language)
    for table, _enum in TABLES:
        untranslated = [label for value, label in table(english).items() if table(_)[value] == label]
        assert not untranslated, f"{language}: {untranslated}"


@pytest.mark.parametrize("language", FULL_LANGUAGES)
def test_a_guide_shows_the_translated_labels(language: str) -> None:
    _ = translator(language)
    module = programme(language).module("building-solidarity")
    for activity in module.activities:
        facts = render.activity(module, activity, _, 90)
        notes = render.activity_notes(activity, _)
        assert grouping_labels(_)[activity.group_size.grouping] in facts
        assert method_labels(_)[activity.method] in notes
        assert disclosure_labels(_)[activity.disclosure] in notes
        english_grouping = grouping_labels(english)[activity.group_size.grouping]
        assert english_grouping not in facts
