"""One exception hierarchy: builtin bases, structured attributes, picklable."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from toolkit.errors import (
    BridgesError,
    CurriculumNotFound,
    Problem,
    UnknownLanguageError,
    UnknownModuleError,
    ValidationFailed,
)
from toolkit.languages import get_language

ERRORS = [
    ValidationFailed([Problem("a.yaml", "title", "Field required", "add the field 'title'", 3)]),
    UnknownLanguageError("xx", ["en", "ko"]),
    UnknownModuleError("ghost", ["one", "two"]),
    CurriculumNotFound([Path("/nowhere")]),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_round_trips_through_pickle(error: BridgesError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.__dict__ == error.__dict__


@pytest.mark.parametrize(
    ("error", "builtin"),
    [(ERRORS[0], ValueError), (ERRORS[1], LookupError), (ERRORS[2], LookupError), (ERRORS[3], FileNotFoundError)],
)
def test_single_root_and_builtin_base(error: BridgesError, builtin: type[Exception]) -> None:
    assert isinstance(error, BridgesError)
    assert isinstance(error, builtin)


def test_problem_reads_like_a_compiler_message() -> None:
    assert str(ERRORS[0]) == "1 problem found\n  a.yaml:3: title: Field required (add the field 'title')"


def test_unknown_language_lists_choices() -> None:
    with pytest.raises(UnknownLanguageError, match=r"unknown language code 'xx'; available: en, zh-Hans, zh-Hant, ko"):
        get_language("xx")
