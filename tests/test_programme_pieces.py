"""Programme pieces (issue 13 §6) and the facilitator pack's contents (§3): the data, the
no-identity-data rule, the translations, and the packs people print."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import Editor

from toolkit.curriculum import load_curriculum, programme
from toolkit.i18n import translator
from toolkit.languages import SOURCE_LANGUAGE
from toolkit.paths import Home
from toolkit.schema.pieces import Guide
from toolkit.schema.programme import Programme

REPO = Path(__file__).parent.parent
DEMO = REPO / "examples" / "demo-cohort.yaml"
PIECES = "curriculum/programme-pieces.yaml"
TRANSLATIONS = ("ko", "zh-Hans", "vi", "tl")


def words(text: str) -> str:
    return " ".join(text.split())


def check(cli: Any, home: Path) -> str:
    result = cli("check", "--home", str(home))
    assert result.exit_code == 1, result.output
    return words(result.output)


# The curriculum's pieces


def test_the_pieces_a_real_programme_needs_are_there() -> None:
    pieces = programme().pieces
    blocks = {block.id for block in pieces.preparation_workshop.blocks}
    assert {"ouch-and-educate", "repair", "crisis-role-plays", "interpreter-protocol", "caste-and-colourism"} <= blocks
    assert 180 <= pieces.preparation_workshop.minutes <= 240  # a half day
    assert 4 <= pieces.reunion.weeks_after <= 8
    assert {way.id for way in pieces.reunion.stay_in_touch} >= {"nothing", "group-channel"}
    adaptations = {adaptation.id for adaptation in pieces.accessibility}
    assert {"sign-language", "easy-read", "captions", "neurodivergent", "prayer-times"} <= adaptations
    assert any("consent script" in step.lower() for step in pieces.intake.steps)
    assert "____" in pieces.complaints.text  # the coordinator's contact is filled in per cohort
    assert "miss" in pieces.catch_up.title.lower()
    assert len(pieces.co_facilitator_plan.questions) >= 8


def test_every_language_translates_every_piece() -> None:
    for language in TRANSLATIONS:
        loaded = load_curriculum(language=language)
        assert loaded.fallback[PIECES] == [], language
        assert loaded.programme.pieces.intake.title != programme().pieces.intake.title, language


# The no-identity-data rule


def test_the_curriculums_pieces_ask_for_no_identity_data() -> None:
    from toolkit.checks.pieces import IDENTITY_WORDS, check_pieces

    assert check_pieces(load_curriculum()) == []
    options = [option for q in programme().pieces.access_needs.questions for option in q.options]
    assert "An all-gender or single-stall toilet" in options  # an access need, not a question about gender
    assert not IDENTITY_WORDS.search("An all-gender or single-stall toilet")
    assert IDENTITY_WORDS.search("Gender (optional)") and IDENTITY_WORDS.search("Your e-mail address")


@pytest.mark.parametrize(
    ("place", "change", "asked"),
    [
        ("intake.questions[1]", lambda d: d["intake"]["questions"].append("What is your sexuality?"), "sexuality"),
        (
            "access_needs.questions[0].options[2]",
            lambda d: d["access_needs"]["questions"][0]["options"].append("Ethnicity"),
            "Ethnicity",
        ),
        (
            "access_needs.questions[1].question",
            lambda d: d["access_needs"]["questions"].append({"id": "visa", "question": "Your visa type"}),
            "visa",
        ),
        (
            "co_facilitator_plan.questions[0].question",
            lambda d: d["co_facilitator_plan"]["questions"][0].__setitem__("question", "Each participant's gender?"),
            "gender",
        ),
    ],
)
def test_a_piece_that_asks_for_identity_data_fails_the_check(
    cli: Any, home: Path, edit_yaml: Editor, place: str, change: Any, asked: str
) -> None:
    edit_yaml(home / PIECES, change)
    out = check(cli, home)
    assert f"{PIECES}:" in out
    assert f"{place}: asks about '{asked}', which is identity data" in out
    assert "collect no identity data" in out


def test_the_workshop_blocks_fill_the_half_day(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / PIECES, lambda d: d["preparation_workshop"]["blocks"][0].__setitem__("minutes", 60))
    assert "preparation_workshop: blocks' minutes sum to 150, but the workshop lasts 180" in check(cli, home)


def test_the_reunion_comes_four_to_eight_weeks_later(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / PIECES, lambda d: d["reunion"].__setitem__("weeks_after", 12))
    assert "reunion.weeks_after: Input should be less than or equal to 8" in check(cli, home)


def test_the_pieces_file_is_required(cli: Any, home: Path) -> None:
    (home / PIECES).unlink()
    assert PIECES in check(cli, home)


# What the packs carry


def _render(audience: str, english: Programme | None = None) -> str:
    from toolkit.builder.packs import render_pack
    from toolkit.cohorts import load_cohort
    from toolkit.paths import NBCONVERT_TEMPLATES

    english = english or programme()
    cohort = load_cohort(DEMO, english)
    return render_pack(english, cohort, audience, [], NBCONVERT_TEMPLATES / "handout")


def _contents(html: str) -> list[str]:
    return re.findall(r'<li><a href="#([^"]+)"', html)


def test_participants_get_the_access_form_and_complaints_process_only() -> None:
    contents = _contents(_render("participant"))
    assert "access-needs" in contents and "complaints" in contents
    for facilitator_only in ("intake", "preparation-workshop", "co-facilitator-plan", "glossary", "crisis-protocol"):
        assert facilitator_only not in contents


def test_the_facilitator_pack_lists_every_guide_and_piece() -> None:
    contents = _contents(_render("facilitator"))
    for section in (
        "agreements",
        "consent",
        "crisis-protocol",
        "roles-and-session-plan",
        "before-the-first-session",
        "identity-work",
        "co-facilitation",
        "intake",
        "access-needs",
        "preparation-workshop",
        "co-facilitator-plan",
        "supervision",
        "catch-up",
        "complaints",
        "closing-celebration",
        "reunion",
        "accessibility",
        "glossary",
    ):
        assert section in contents, section
    assert contents.index("crisis-protocol") < contents.index("roles-and-session-plan")


def test_pieces_are_escaped_like_the_rest() -> None:
    english = programme()
    hostile = "<script>alert(1)</script>"
    pieces = english.pieces.model_copy(
        update={"supervision": Guide(title=hostile, text=f"Say {hostile}", steps=[hostile])}
    )
    html = _render("facilitator", english.model_copy(update={"pieces": pieces}))
    assert hostile not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_intake_links_to_the_consent_script_in_the_same_pack() -> None:
    html = _render("facilitator")
    assert 'id="consent"' in html and '<a href="#consent">' in html


# The printed facilitator pack, built for real


def _pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return words(text)


@pytest.mark.slow
def test_built_facilitator_pack_prints_glossary_roles_plan_checklist_identity_work_and_pieces(
    tmp_path: Path,
) -> None:
    from toolkit.builder.runner import build_cohort
    from toolkit.region_labels import note_place

    # The demo cohort with its first session only: the packs are the same, the build is short.
    demo = DEMO.read_text(encoding="utf-8")
    first_session = re.sub(r"(  - date: 2027-03-13.*?)(?=\nmodule_minutes)", "", demo, flags=re.S)
    assert first_session.count("- date:") == 1
    cohort_file = tmp_path / "demo-one.yaml"
    cohort_file.write_text(first_session, encoding="utf-8")
    out = tmp_path / "out"
    build_cohort(cohort_file, out, jobs=1, formats=("pdf",), home=Home(REPO))
    text = _pdf_text(out / "facilitator-pack.pdf")
    english = programme()
    _ = translator(SOURCE_LANGUAGE)

    def printed(snippet: str, length: int = 50) -> None:
        assert words(snippet)[:length] in text, snippet[:length]

    # Glossary: every term, with its regional notes and where they apply.
    for term in english.glossary.terms:
        printed(term.term)
    noted = [t for t in english.glossary.terms if t.regional_notes]
    for term in noted[:5]:
        note = term.regional_notes[0]
        printed(f"{note_place(note, _)}: {note.note}", 60)
    # Roles and the session plan.
    for role in english.overview.roles:
        printed(role.title)
        printed(role.description)
    printed(english.overview.session_plan)
    # The before-the-first-session checklist, identity-work questions, co-facilitation guidance.
    facilitation = english.facilitation
    printed(facilitation.preparation.title)
    for step in facilitation.preparation.steps:
        printed(step)
    for question in facilitation.identity_work.steps:
        printed(question)
    printed(facilitation.co_facilitation.text)
    for step in facilitation.co_facilitation.steps:
        printed(step)
    # The programme pieces.
    pieces = english.pieces
    for piece in (pieces.intake, pieces.supervision, pieces.closing_celebration, pieces.catch_up, pieces.complaints):
        printed(piece.title)
        printed(piece.text)
    for question in pieces.access_needs.questions:
        printed(question.question)
    for block in pieces.preparation_workshop.blocks:
        printed(block.title)
    for adaptation in pieces.accessibility:
        printed(adaptation.text)
    for way in pieces.reunion.stay_in_touch:
        printed(way.text)

    participant = _pdf_text(out / "cohort-pack.pdf")
    assert words(pieces.access_needs.intro)[:50] in participant
    assert words(pieces.complaints.text)[:50] in participant
    assert words(pieces.intake.text)[:50] not in participant
    assert words(english.glossary.terms[0].definition)[:50] not in participant
