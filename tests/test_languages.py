"""Languages: every full translation builds, reads in its own language, and prints with the right fonts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import REPO
from PIL import Image

from toolkit.builder.runner import build_cohort
from toolkit.curriculum import programme
from toolkit.i18n import LOCALE_DIR, translator
from toolkit.paths import Home

FULL = {"zh-Hans": "Noto-Sans-CJK-SC", "ko": "Noto-Sans-CJK-KR", "vi": "Noto-Sans", "tl": "Noto-Sans"}
INTERFACE_ONLY = ("zh-Hant", "ja", "hi")
SLUG = "shared-experiences"


def cohort(folder: Path, language: str, second: str | None = None) -> Path:
    path = folder / f"cohort-{language}.yaml"
    path.write_text(
        f"name: Cohort {language}\nslug: lang-{language.lower()}\nlanguage: {language}\n"
        + (f"second_language: {second}\n" if second else "")
        + 'sessions:\n  - {date: 2027-03-06, start: "10:00", modules: [shared-experiences]}\n',
        encoding="utf-8",
    )
    return path


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize("language", list(FULL))
def test_demo_cohort_builds_in_each_full_language(language: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    demo = (REPO / "examples" / "demo-cohort.yaml").read_text(encoding="utf-8")
    cohort_file = tmp_path / "demo.yaml"
    cohort_file.write_text(demo.replace("language: en", f"language: {language}"), encoding="utf-8")
    build_cohort(cohort_file, out, home=Home(REPO))
    _ = translator(language)
    for ours, english in zip(programme(language).modules, programme().modules, strict=True):
        stem = f"{ours.number:02d}-{ours.slug}"
        html = (out / "participant" / f"{stem}.html").read_text()
        readable = html.replace("&#39;", "'").replace("&#x27;", "'").replace("&#34;", '"').replace("&amp;", "&")
        assert f'<html lang="{language}">' in html
        assert ours.title in readable and english.title not in readable
        for mine, theirs in zip(ours.exercises, english.exercises, strict=True):
            assert mine.prompt[:12] in readable, (stem, mine.id)
            assert theirs.prompt[:40] not in readable, (stem, theirs.id)
        assert _("Participant workbook") != "Participant workbook"
        assert _("Participant workbook") in html  # interface strings from the catalogue
        assert _("Draft: this text needs review by community facilitators.") in html  # machine-assisted draft
    for pdf in (out / "participant" / "01-shared-experiences.pdf", out / "cohort-pack.pdf"):
        assert FULL[language] in run("pdffonts", str(pdf))
    if FULL[language] == "Noto-Sans":
        # Latin-script text is set in Noto Sans; a CJK face appears only where the text
        # itself quotes CJK words (as module 7 does), never as the main face.
        assert "CJK" not in run("pdffonts", str(out / "participant" / "01-shared-experiences.pdf"))
    text = " ".join(run("pdftotext", str(out / "cohort-pack.pdf"), "-").split())
    assert all(module.title in text for module in programme(language).modules)
    pdf = out / "participant" / "01-shared-experiences.pdf"
    run("pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert sum(page.histogram()[:128]) > 500  # glyphs drawn, not empty boxes or a blank page


@pytest.mark.slow
def test_korean_and_english_bilingual_handout(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_cohort(cohort(tmp_path, "ko", "en"), out, jobs=1, home=Home(REPO))
    html = (out / "participant" / "01-shared-experiences.html").read_text()
    korean, english = programme("ko").module(SLUG), programme().module(SLUG)
    assert '<html lang="ko">' in html
    passages = re.findall(r'<div[^>]*\blang="(ko|en)"[^>]*>', html)
    assert passages.count("ko") >= 10 and passages.count("en") >= 10
    first_ko = re.search(r'<div[^>]*\blang="ko"[^>]*>(.*?)<div[^>]*\blang="en"', html, re.S)
    assert first_ko is not None and korean.title in first_ko.group(1)
    assert english.title in html and korean.title in html
    for ko_exercise, en_exercise in zip(korean.exercises, english.exercises, strict=True):
        assert ko_exercise.prompt[:10] in html and en_exercise.prompt[:10].replace("'", "&#39;") in html
    fonts = run("pdffonts", str(out / "participant" / "01-shared-experiences.pdf"))
    assert "Noto-Sans-CJK-KR" in fonts


def test_interface_catalogues_are_complete_and_compiled() -> None:
    for folder in sorted(LOCALE_DIR.iterdir()):
        if not folder.is_dir():
            continue
        with (folder / "LC_MESSAGES" / "bridges.po").open("rb") as stream:
            catalogue = read_po(stream)
        with (folder / "LC_MESSAGES" / "bridges.mo").open("rb") as stream:
            compiled = read_mo(stream)
        missing = [m.id for m in catalogue if m.id and not m.string]
        assert not missing, f"{folder.name}: untranslated {missing[:5]}"
        stale = [m.id for m in catalogue if m.id and compiled.get(m.id) is None]
        assert not stale, f"{folder.name}: run `make catalogues` to compile {stale[:3]}"
        for message in catalogue:
            if isinstance(message.id, str) and "{" in message.id:
                placeholders = {part.split("}")[0] for part in message.id.split("{")[1:]}
                assert all(f"{{{p}}}" in message.string for p in placeholders), (folder.name, message.id)


@pytest.mark.parametrize("language", [*FULL, *INTERFACE_ONLY])
def test_every_language_translates_the_interface(language: str) -> None:
    _ = translator(language)
    # ("Pass" is not in the list: Tagalog keeps the English word, as Filipino groups say it.)
    for message in ("Save answer", "Get a new code", "Participant workbook", "Only me (private)"):
        assert _(message) != message, f"{language}: {message!r} untranslated"


def test_check_reports_translation_coverage(cli: Any) -> None:
    result = cli("check")
    assert result.exit_code == 0, result.output
    for language in FULL:
        assert f"{language}: 100% of" in result.output
    assert "interface only (curriculum in English): zh-Hant, ja, hi" in result.output


def test_check_lists_what_falls_back(cli: Any, home: Path) -> None:
    folder = home / "curriculum" / "translations" / "ko" / "modules"
    folder.mkdir(parents=True)
    (folder / "01-fixture-theme.yaml").write_text("title: 고정 주제\n", encoding="utf-8")
    result = cli("check", "--home", str(home))
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("ko:"))
    assert "100%" not in line and "text fields translated" in line
    assert "curriculum/modules/01-fixture-theme.yaml" in result.output


def test_a_bilingual_pack_says_it_is_a_draft_and_puts_both_languages_fonts_first(tmp_path: Path) -> None:
    # The pack and the handouts take their metadata from one function (handouts.metadata).
    from toolkit.builder.packs import render_pack
    from toolkit.cohorts import load_cohort
    from toolkit.languages import LANGUAGES
    from toolkit.paths import NBCONVERT_TEMPLATES

    path = tmp_path / "bilingual.yaml"
    demo = (REPO / "examples" / "demo-cohort.yaml").read_text(encoding="utf-8")
    path.write_text(demo.replace("language: en", "language: ko\nsecond_language: zh-Hans"), encoding="utf-8")
    korean = programme("ko")
    html = render_pack(korean, load_cohort(path, programme()), "participant", [], NBCONVERT_TEMPLATES / "handout")
    assert translator("ko")("Draft: this text needs review by community facilitators.") in html
    fonts = re.search(r"font-family:\s*([^;]+);", html)
    assert fonts is not None
    assert fonts.group(1).startswith(f'"{LANGUAGES["ko"].font}", "{LANGUAGES["zh-Hans"].font}"')
