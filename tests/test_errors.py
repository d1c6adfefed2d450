"""One exception hierarchy: builtin bases, structured attributes, picklable."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
from pathlib import Path

import pytest

import toolkit
from toolkit.code_gate import CodeRefused, Refusal
from toolkit.errors import (
    BridgesError,
    BuildFailed,
    CurriculumNotFound,
    HubMisconfigured,
    InvalidAnswer,
    InvalidParameter,
    InvalidValue,
    ModuleBuildFailed,
    Problem,
    ServeFailed,
    StoreError,
    UnknownLanguageError,
    UnknownModuleError,
    UnknownParticipant,
    UnsupportedStoreURL,
    ValidationFailed,
)
from toolkit.languages import get_language
from toolkit.live.kernels import SessionFull

ERRORS = [
    ValidationFailed([Problem("a.yaml", "title", "Field required", "add the field 'title'", 3)]),
    UnknownLanguageError("xx", ["en", "ko"]),
    UnknownModuleError("ghost", ["one", "two"]),
    CurriculumNotFound([Path("/nowhere")]),
    InvalidValue("store is empty", "write sqlite:///events.sqlite"),
    StoreError("sqlite:///x.sqlite", "disk full"),
    UnsupportedStoreURL("ftp://x"),
    ModuleBuildFailed("shared-experiences", 4, "KeyError: 'x'", Path("kept.ipynb")),
    BuildFailed([ModuleBuildFailed("shared-experiences", None, "timeout", None)]),
    ServeFailed("the certificate does not load", "check --certfile"),
    InvalidParameter("audience", "everyone", "participant or facilitator"),
    InvalidAnswer("Choose a point on the scale, or press Pass."),
    UnknownParticipant("spring-2027", "river-lotus-meadow-48213-k"),
    CodeRefused(Refusal.SERVER_BUSY, 30.0),
    SessionFull(),
    HubMisconfigured("bridges-hub-secrets.json", "others can read this file", "chmod 600 it"),
]


def comparable(value: object) -> object:
    """Exceptions never compare equal: compare nested ones by type and message."""
    if isinstance(value, BaseException):
        return type(value), str(value)
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [comparable(item) for item in value]
    return value


def _every_error_class(root: type[BridgesError]) -> set[type[BridgesError]]:
    found: set[type[BridgesError]] = set()
    for cls in root.__subclasses__():
        found |= {cls, *_every_error_class(cls)}
    return found


def test_every_error_class_is_exercised_here() -> None:
    # Importing every module registers every subclass; a new error must join ERRORS.
    for module in pkgutil.walk_packages(toolkit.__path__, "toolkit."):
        if module.name != "toolkit.__main__":  # running it would run the command line
            importlib.import_module(module.name)
    assert _every_error_class(BridgesError) == {type(error) for error in ERRORS}


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_round_trips_through_pickle(error: BridgesError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert comparable(copy.__dict__) == comparable(error.__dict__)


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_fields_name_the_constructor_arguments(error: BridgesError) -> None:
    # The one __reduce__ rebuilds an error from its fields: each must be an attribute.
    assert all(hasattr(error, name) for name in error.fields)
    own = [cls for cls in type(error).__mro__ if issubclass(cls, BridgesError) and cls is not BridgesError]
    assert not any("__reduce__" in vars(cls) for cls in own)


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
