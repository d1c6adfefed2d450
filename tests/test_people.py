"""The people the curriculum names (issue 13 §4, §8, §9): who is present, one name per person, places in words."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Editor

from toolkit.checks import run_check
from toolkit.checks.personas import check_personas, pronoun_kind
from toolkit.curriculum import LoadedCurriculum, load_curriculum
from toolkit.i18n import translator
from toolkit.i18n_extract import extract_ast
from toolkit.paths import Home
from toolkit.region_labels import region_labels
from toolkit.render import glossary
from toolkit.schema.kit import Kit
from toolkit.schema.regions import Region

TRANSLATED = ("ko", "zh-Hans", "vi", "tl")
REGION_LABELS = REPO / "toolkit" / "region_labels.py"


@pytest.fixture(scope="module")
def loaded() -> LoadedCurriculum:
    return load_curriculum(Home(REPO))


def module_text(loaded: LoadedCurriculum, slug: str) -> str:
    """Everything a module prints, its print kit included, as one string."""
    programme = loaded.programme
    parts: list[Any] = [programme.module(slug).model_dump(mode="json")]
    if (kit := programme.kit(slug)) is not None:
        parts.append(kit.model_dump(mode="json"))
    return " ".join(_strings(parts))


def _strings(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [data] if isinstance(data, str) else []


def flat(text: str) -> str:
    return " ".join(text.split())


# Who is present


@pytest.mark.parametrize("language", TRANSLATED)
def test_glossary_names_bi_pan_ace_aro_and_intersex_in_every_language(language: str) -> None:
    english = {t.id: t for t in load_curriculum(Home(REPO)).programme.glossary.terms}
    translated = {t.id: t for t in load_curriculum(Home(REPO), language).programme.glossary.terms}
    for term_id in ("bisexual", "pansexual", "asexual", "aromantic", "intersex"):
        assert term_id in english, term_id
        assert translated[term_id].definition != english[term_id].definition, (language, term_id)


def test_bisexual_entry_warns_against_the_intersex_near_word(loaded: LoadedCurriculum) -> None:
    bisexual = next(t for t in loaded.programme.glossary.terms if t.id == "bisexual")
    notes = " ".join(note.note for note in bisexual.regional_notes)
    assert "双性恋" in notes and "间性人" in notes


def test_intersex_people_appear_in_modules_5_and_7(loaded: LoadedCurriculum) -> None:
    for slug in ("promoting-intersectionality", "challenging-heteronormativity"):
        assert "intersex" in module_text(loaded, slug).lower(), slug


def test_module_6_gives_south_asian_examples_of_indirect_speech(loaded: LoadedCurriculum) -> None:
    module = loaded.programme.module("creating-dialogue")
    spectrum = flat(next(a for a in module.activities if a.id == "cd-act-spectrum").facilitator_notes.setup)
    assert 'in Hindi and Urdu "log kya kahenge?" ("what will people say?")' in spectrum
    assert "South Asian izzat (family honour)" in spectrum
    assert "travels through a sibling, a cousin or an aunt" in spectrum
    assert "izzat" in flat(" ".join(point.text for point in module.key_points))


def test_online_fishbowl_warns_that_a_voice_identifies(loaded: LoadedCurriculum) -> None:
    module = loaded.programme.module("creating-dialogue")
    online = flat(next(a for a in module.activities if a.id == "cd-act-fishbowl").no_movement_variant)
    assert "A voice can identify someone as surely as a face" in online
    assert "type what you would say in the chat" in online
    assert "co-facilitator, who reads it out without your name" in online


def test_migration_status_is_named_and_never_asked(loaded: LoadedCurriculum) -> None:
    for slug in ("building-solidarity", "promoting-intersectionality"):
        preparation = flat(loaded.programme.module(slug).facilitator_notes.preparation)
        assert "asylum seekers" in preparation and "undocumented people" in preparation, slug
        assert "Never ask anyone about their" in preparation, slug
        assert "photographed" in preparation, slug


def test_trans_men_and_mixed_heritage_are_people_not_mentions(loaded: LoadedCurriculum) -> None:
    profiles = {p.name: flat(p.summary) for m in loaded.programme.modules for p in m.learner_profiles}
    assert profiles["Lintang"].startswith("Indonesian trans man")
    assert "Japanese American on his father's side and Mexican American on his mother's" in profiles["Hiro"]
    with_trans_men = [m.slug for m in loaded.programme.modules if "trans man" in module_text(loaded, m.slug)]
    assert len(with_trans_men) >= 2, with_trans_men


# One person, one name


def test_the_programme_has_no_persona_problem(loaded: LoadedCurriculum) -> None:
    assert check_personas(loaded) == []


def _persona_problems(home: Path) -> list[str]:
    return [str(p) for p in run_check(Home(home)).problems if "learner_profiles" in p.field or "card_sets" in p.field]


def test_a_name_given_to_two_people_fails(home: Path, edit_yaml: Editor) -> None:
    module = home / "curriculum/modules/01-fixture-theme.yaml"
    assert _persona_problems(home) == []

    def rename(data: Any) -> None:
        data["learner_profiles"][1]["name"] = "Ana"

    edit_yaml(module, rename)
    problems = _persona_problems(home)
    assert len(problems) == 1
    assert "learner_profiles[1].name: 'Ana' is already a different person" in problems[0]


def test_the_same_person_met_again_passes(home: Path, edit_yaml: Editor) -> None:
    def same(data: Any) -> None:
        data["learner_profiles"][1].update(name="Ana", summary="A participant.")

    edit_yaml(home / "curriculum/modules/01-fixture-theme.yaml", same)
    assert _persona_problems(home) == []


def test_a_translation_keeping_an_old_name_fails(home: Path, edit_yaml: Editor) -> None:
    def named(data: Any) -> None:
        data["learner_profiles"][0]["summary"] = "Ana is a participant."
        data["learner_profiles"][1]["summary"] = "Bo is another participant."

    edit_yaml(home / "curriculum/modules/01-fixture-theme.yaml", named)
    translation = home / "curriculum/translations/ko/modules/01-fixture-theme.yaml"
    translation.parent.mkdir(parents=True)
    translation.write_text(
        "learner_profiles:\n  - summary: Bo는 참가자입니다.\n  - summary: Bo는 또 다른 참가자입니다.\n",
        encoding="utf-8",
    )
    problems = _persona_problems(home)
    assert len(problems) == 1
    assert "translations/ko/modules/01-fixture-theme.yaml" in problems[0]
    assert "learner_profiles[0].summary: the English summary names Ana; this one names Bo instead" in problems[0]


def test_a_character_card_with_other_pronouns_than_its_profile_fails(home: Path, edit_yaml: Editor) -> None:
    def pronouns(data: Any) -> None:
        data["learner_profiles"][0]["summary"] = "Ana is a participant; they came with their sister."

    edit_yaml(home / "curriculum/modules/01-fixture-theme.yaml", pronouns)
    kit = home / "curriculum/kits/01-fixture-theme.yaml"
    kit.parent.mkdir()
    kit.write_text(
        "module: fixture-theme\ntitle: Fixture kit\ncard_sets:\n  - id: ft-act-circle\n    kind: character\n"
        "    title: Character cards\n    cards:\n      - id: ft-card-ana\n        title: Ana, 30, in Lisbon\n"
        "        text: Ana tells her story.\n",
        encoding="utf-8",
    )
    problems = _persona_problems(home)
    assert len(problems) == 1
    assert "Ana is 'she' here but 'they' in the learner profile" in problems[0]
    kit.write_text(kit.read_text(encoding="utf-8").replace("her story", "their story"), encoding="utf-8")
    assert _persona_problems(home) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Their grandmother asks when Wen will marry.", "they"),
        ("Her parents accepted her, though they still use the old word.", "she"),
        ("He goes to Mass with his mother; she is devout.", None),  # two people: no guess
        ("A Korean international student on a visa.", None),
    ],
)
def test_pronouns_are_read_only_where_the_reading_is_safe(text: str, kind: str | None) -> None:
    assert pronoun_kind(text) == kind


# Places in the reader's language


def test_every_region_has_a_label() -> None:
    assert set(region_labels(str)) == set(Region)


def test_every_region_label_is_a_literal_message_the_catalogues_receive() -> None:
    with REGION_LABELS.open("rb") as source:
        extracted = {message for _, _, message, _ in extract_ast(source, None, None, None)}
    assert set(region_labels(str).values()) <= extracted
    marked = region_labels(lambda message: f"«{message}»")
    assert all(label.startswith("«") for label in marked.values())


def test_a_regional_note_names_a_region_or_an_area_never_both(home: Path, edit_yaml: Editor) -> None:
    def both(data: Any) -> None:
        data["terms"][0]["regional_notes"] = [{"region": "india", "area": "South Asia", "note": "A note."}]

    edit_yaml(home / "curriculum/glossary.yaml", both)
    problems = [str(p) for p in run_check(Home(home)).problems]
    assert any("exactly one of 'region' and 'area'" in p for p in problems), problems


def test_korean_glossary_shows_no_english_place_name() -> None:
    """Areas come from the Korean glossary file; Region labels from the Korean interface catalogue."""
    programme = load_curriculum(Home(REPO), "ko").programme
    html = glossary(programme, translator("ko"))
    places = re.findall(r"<li><strong>([^<]*):</strong>", html)
    assert len(places) == sum(len(t.regional_notes) for t in programme.glossary.terms)
    english_areas = {
        note.area for t in load_curriculum(Home(REPO)).programme.glossary.terms for note in t.regional_notes
    }
    english = (english_areas | set(region_labels(str).values())) - {None}
    shown_in_english = sorted({place for place in places if place in english})
    assert shown_in_english == [], f"English place names in the Korean glossary: {shown_in_english}"


def _with_anh_card_titled(loaded: LoadedCurriculum, title: str) -> LoadedCurriculum:
    """The real curriculum with module 6's journaling card for Anh retitled."""
    label, entry = next(
        (label, entry)
        for label, entry in loaded.files.items()
        if isinstance(entry.model, Kit) and entry.model.module == "creating-dialogue"
    )
    kit = entry.model
    assert isinstance(kit, Kit)
    card_sets = [
        card_set.model_copy(
            update={
                "cards": [
                    card.model_copy(update={"title": title}) if card.id == "cd-character-anh" else card
                    for card in card_set.cards
                ]
            }
        )
        for card_set in kit.card_sets
    ]
    files = {**loaded.files, label: replace(entry, model=kit.model_copy(update={"card_sets": card_sets}))}
    return replace(loaded, files=files)


@pytest.mark.parametrize("title", ["Anh, in Melbourne", "Anh, 25, in Melbourne"])
def test_a_card_in_another_module_must_show_it_is_the_profiles_person(loaded: LoadedCurriculum, title: str) -> None:
    problems = [str(p) for p in check_personas(_with_anh_card_titled(loaded, title))]
    assert len(problems) == 1, problems
    assert "cards[0].title: Anh is a learner profile in curriculum/modules/01-shared-experiences.yaml" in problems[0]
    assert check_personas(_with_anh_card_titled(loaded, "Anh, 24, in Melbourne")) == []


def test_glossary_prints_region_notes_through_the_page_translator(loaded: LoadedCurriculum) -> None:
    html = glossary(loaded.programme, lambda message: f"«{message}»")
    places = re.findall(r"<li><strong>([^<]*):</strong>", html)
    notes = [note for term in loaded.programme.glossary.terms for note in term.regional_notes]
    expected = [f"«{region_labels(str)[n.region]}»" if n.region else n.area for n in notes]
    assert places == expected
    assert any(n.region for n in notes) and any(n.area for n in notes)
