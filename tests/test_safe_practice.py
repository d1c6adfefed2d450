"""Safe-practice rules are enforced by `bridges check`, not left to hope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import Editor

MODULE = "curriculum/modules/01-fixture-theme.yaml"


def output_of(cli: Any, home: Path) -> str:
    result = cli("check", "--home", str(home))
    assert result.exit_code == 1, result.output
    return str(result.output)


@pytest.mark.parametrize(
    "prompt",
    [
        "What is your sexual orientation?",
        "Please state your ethnicity.",
        "Tell us your immigration status so we can plan.",
        "Enter your e-mail address to receive the handout.",
        "Write down your legal name.",
    ],
)
def test_exercise_may_not_ask_for_identity(cli: Any, home: Path, edit_yaml: Editor, prompt: str) -> None:
    edit_yaml(home / MODULE, lambda d: d["exercises"][0].__setitem__("prompt", prompt))
    assert "asks for identifying or special-category data" in output_of(cli, home)


def test_sensitive_activity_needs_content_note(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["activities"][1].__setitem__("content_notes", []))
    out = output_of(cli, home)
    assert "activity 'ft-act-pairs' mentions 'disown' (family_rejection) without a content note" in out


def test_content_note_of_the_wrong_topic_does_not_count(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["content_notes"][0].__setitem__("topics", ["racism"]))
    assert "mentions 'disown' (family_rejection)" in output_of(cli, home)


@pytest.mark.parametrize(("field", "value"), [("optional", False), ("visibility", "quote")])
def test_no_file_can_make_an_exercise_compulsory_or_shared_by_default(
    cli: Any, home: Path, edit_yaml: Editor, field: str, value: object
) -> None:
    # Every exercise can be passed and starts private in the app and on paper; there is no switch.
    edit_yaml(home / MODULE, lambda d: d["exercises"][0].__setitem__(field, value))
    assert f"exercises[0].{field}: Extra inputs are not permitted (remove it" in output_of(cli, home)


def test_three_exercise_kinds(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["exercises"][2].__setitem__("kind", "free_text"))
    assert "uses 2 exercise kind(s); at least 3 are needed" in output_of(cli, home)


def test_identity_work_never_first_and_says_voluntary(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["activities"][0].__setitem__("disclosure", "high"))
    out = output_of(cli, home)
    assert "activities[0]: identity work opens the module" in out
    assert "high-disclosure identity work in the first module" in out
    assert "identity activity does not say sharing is voluntary" in out


def test_a_late_session_can_drop_something(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["activities"][1].__setitem__("optional", False))
    assert "no activity is optional" in output_of(cli, home)
