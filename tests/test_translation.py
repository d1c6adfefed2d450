"""Translations overlay English field by field and cannot change structure."""

from __future__ import annotations

from pathlib import Path

from conftest import Editor

from toolkit.curriculum import load_curriculum
from toolkit.paths import Home
from toolkit.translation import overlay

BASE = {
    "title": "Shared experiences",
    "minutes": 90,
    "activities": [
        {"id": "a-one", "title": "Story circle", "method": "story_circle"},
        {"id": "a-two", "title": "Pairs", "method": "think_pair_share"},
    ],
    "questions": ["What do we share?", "What differs?"],
}


def test_text_is_taken_and_missing_fields_fall_back() -> None:
    merged = overlay(
        BASE,
        {"title": "共同经历", "activities": [{"id": "a-two", "title": "两人一组"}], "questions": ["我们共享什么？"]},
    )
    assert merged.data["title"] == "共同经历"
    assert merged.data["activities"][0]["title"] == "Story circle"  # matched by id, not position
    assert merged.data["activities"][1]["title"] == "两人一组"
    assert merged.data["questions"] == ["我们共享什么？", "What differs?"]
    assert merged.translated == ["title", "activities[1].title", "questions[0]"]
    assert merged.fallback == ["activities[0].title", "questions[1]"]


def test_structure_cannot_be_translated() -> None:
    merged = overlay(BASE, {"minutes": 10, "activities": [{"id": "a-one", "method": "fishbowl"}]})
    assert merged.data["minutes"] == 90
    assert merged.data["activities"][0]["method"] == "story_circle"


def test_empty_translation_falls_back() -> None:
    merged = overlay(BASE, {"title": "   "})
    assert merged.data["title"] == "Shared experiences"
    assert "title" in merged.fallback


def test_translated_file_loads_with_fallback(home: Path, edit_yaml: Editor) -> None:
    target = home / "curriculum/translations/ko/modules/01-fixture-theme.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(
        "title: 테스트 주제\nexercises:\n  - id: ft-word\n    prompt: 집을 뜻하는 한 단어.\n", encoding="utf-8"
    )
    loaded = load_curriculum(Home(home), "ko")
    module = loaded.programme.module("fixture-theme")
    assert module.title == "테스트 주제"
    assert module.exercises[2].prompt == "집을 뜻하는 한 단어."
    assert module.exercises[0].prompt == "Describe a tradition you carry."
    assert "exercises[0].prompt" in loaded.fallback["curriculum/modules/01-fixture-theme.yaml"]
