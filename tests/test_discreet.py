"""Discreet print: a workbook carried home names neither its topic nor the group.

A real build (papermill, nbconvert, WeasyPrint) of a discreet cohort, read
back with poppler's pdfinfo and pdftotext page by page.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from toolkit.builder.runner import build_cohort
from toolkit.curriculum import programme
from toolkit.handouts.metadata import css_string, page_counter_css
from toolkit.paths import Home

REPO = Path(__file__).parent.parent
SLUG = "challenging-heteronormativity"
# A group name that itself says what the group is: it must not reach the workbook's outside either.
COHORT_NAME = "Queer Asian Family Circle"


def cohort_file(folder: Path, discreet: bool) -> Path:
    path = folder / f"cohort-{discreet}.yaml"
    path.write_text(
        f"name: {COHORT_NAME}\nslug: circle\nlanguage: en\nregion: international\n"
        f"discreet: {str(discreet).lower()}\n"
        f"sessions:\n  - date: 2027-04-17\n    start: '10:00'\n    modules: [{SLUG}]\n"
    )
    return path


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]  # every page ends with a form feed


def pdf_info(path: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(path)], check=True, capture_output=True, text=True).stdout


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def words(text: str) -> str:
    return " ".join(text.split())


def test_page_counter_keeps_each_languages_word_order() -> None:
    assert page_counter_css("page {page} of {pages}") == '"page " counter(page) " of " counter(pages)'
    assert page_counter_css("{pages}쪽 중 {page}쪽") == 'counter(pages) "쪽 중 " counter(page) "쪽"'
    # A translation can never close the style element or the CSS string.
    assert css_string('a"</style>') == '"a\\22 \\3c /style\\3e "'


def test_discreet_metadata_is_neutral_for_participants_only() -> None:
    import nbformat

    from toolkit.handouts.metadata import handout_metadata

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["bridges"] = {"module": SLUG, "discreet": True, "cohort_name": COHORT_NAME, "dates": "2027"}
    workbook = handout_metadata(notebook, "participant", None, False)
    assert workbook["title"] == "Workbook 7"
    assert workbook["discreet"] is True
    assert COHORT_NAME not in workbook["footer"] and "Bridges" not in workbook["footer"]
    guide = handout_metadata(notebook, "facilitator", None, False)
    assert guide["title"] == f"{programme().module(SLUG).title}: Facilitator guide"
    assert guide["discreet"] is False and COHORT_NAME in guide["footer"]


def test_discreet_pack_cover_title_and_contents_name_no_topic(tmp_path: Path) -> None:
    import re

    from markupsafe import Markup

    from toolkit.builder.packs import PackPart, render_pack
    from toolkit.cohorts import load_cohort
    from toolkit.paths import NBCONVERT_TEMPLATES

    english = programme()
    cohort = load_cohort(cohort_file(tmp_path, True), english)
    title = english.module(SLUG).title
    part = PackPart(f"part-{SLUG}", f"7. {title}", Markup("<p>The workbook itself</p>"))
    html = render_pack(english, cohort, "participant", [part], NBCONVERT_TEMPLATES / "handout")
    outside = re.search(r"<head>.*?</nav>", html, re.S)  # metadata, header, cover and contents
    cover = re.search(r'<section class="bridges-cover">.*?</section>', html, re.S)
    assert outside is not None and cover is not None
    for word in (title, COHORT_NAME):
        assert word not in outside.group(0)
    assert english.overview.title not in cover.group(0)
    assert "<title>Workbooks</title>" in html
    assert ">Workbook 7</a>" in outside.group(0)
    assert "<p>The workbook itself</p>" in html  # the content is unchanged
    guide = render_pack(english, cohort, "facilitator", [part], NBCONVERT_TEMPLATES / "handout")
    assert COHORT_NAME in guide and f"7. {title}</a>" in guide


@pytest.mark.slow
def test_discreet_cohort_prints_neutral_workbooks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    home = Home(REPO)
    # Built first as usual, then switched to discreet in the same folder.
    build_cohort(cohort_file(tmp_path, False), out, jobs=1, formats=("html",), home=home)
    assert (out / "participant" / f"07-{SLUG}.html").exists()
    build_cohort(cohort_file(tmp_path, True), out, jobs=1, home=home)
    module = programme().module(SLUG)
    topic_words = [module.title, SLUG, "heteronormativ", COHORT_NAME]

    # File names: neutral for participants, and the topic-named files of the earlier build are gone.
    participant_files = sorted(p.name for p in (out / "participant").iterdir())
    assert participant_files == ["07-workbook.html", "07-workbook.pdf"]
    assert (out / "facilitator" / f"07-{SLUG}.pdf").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    paths = {(a["audience"], a["kind"], a["format"]): a["path"] for a in manifest["artifacts"]}
    assert paths[("participant", "module", "pdf")] == "participant/07-workbook.pdf"
    assert paths[("participant", "module", "html")] == "participant/07-workbook.html"
    assert paths[("facilitator", "module", "pdf")] == f"facilitator/07-{SLUG}.pdf"

    # Metadata: the title is "Workbook 7" and nothing names the topic.
    workbook = out / "participant" / "07-workbook.pdf"
    info = pdf_info(workbook) + pdf_info(workbook, "-meta")  # the document info and the XMP stream
    assert "Title:           Workbook 7\n" in info
    assert '<rdf:li xml:lang="x-default">Workbook 7</rdf:li>' in info
    for word in topic_words:
        assert word.lower() not in info.lower()
    html = (out / "participant" / "07-workbook.html").read_text()
    assert "<title>Workbook 7</title>" in html

    # Every page: the neutral header on top, "Workbook 7 · page N of M" at the foot, no topic in either.
    pages = pdf_pages(workbook)
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        found = lines(page)
        assert found[0] == "Workbook 7", (number, found[:3])
        assert found[-1] == f"Workbook 7 · page {number} of {len(pages)}", (number, found[-3:])
        for word in topic_words:
            assert word.lower() not in (found[0] + found[-1]).lower()
    # The neutral cover names nothing else.
    assert set(lines(pages[0])) <= {"Workbook 7", f"Workbook 7 · page 1 of {len(pages)}"}
    # Inside, the content is unchanged: the module's title and every prompt.
    body = words(" ".join(pages))
    assert module.title in body
    for exercise in module.exercises:
        assert words(exercise.prompt)[:40] in body, exercise.id

    # The facilitator guide is as before.
    guide_info = pdf_info(out / "facilitator" / f"07-{SLUG}.pdf")
    assert f"Title:           {module.title}: Facilitator guide" in guide_info

    # The participants' cohort pack: neutral title and cover; the facilitator pack unchanged.
    pack = out / "cohort-pack.pdf"
    assert "Title:           Workbooks\n" in pdf_info(pack)
    pack_pages = pdf_pages(pack)
    cover_and_contents = " ".join(pack_pages[:2])
    for word in topic_words:
        assert word.lower() not in cover_and_contents.lower()
    assert "Workbook 7" in pack_pages[1]  # the contents list the workbook by number
    assert COHORT_NAME in pdf_info(out / "facilitator-pack.pdf")
