"""Audience routing: nothing written for facilitators reaches a participant's page or workbook.

The render-level tests run the real ModulePage for every module, collecting
what it displays instead of sending it to a kernel. The slow test builds
module 1's handouts (papermill, nbconvert, WeasyPrint) and reads the PDFs back.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import comm
import pytest

from toolkit import page as page_module
from toolkit.audience import (
    FACILITATOR_TAG,
    ROUTES,
    VIEW_FIELDS,
    Audience,
    facilitator_only_texts,
    route,
    unrouted_fields,
)
from toolkit.builder.runner import build_cohort
from toolkit.curriculum import programme
from toolkit.exercises import ExerciseWidget
from toolkit.notebook_contract import SECTIONS
from toolkit.page import open_module
from toolkit.paths import Home

REPO = Path(__file__).parent.parent
# From the file names, so collecting the tests never needs the whole curriculum to load.
MODULES = [path.stem[3:] for path in sorted((REPO / "curriculum" / "modules").glob("[0-9][0-9]-*.yaml"))]
# Sections that show widgets for a live participant, not curriculum text.
LIVE_ONLY = {"participant-code", "progress"}


class SilentComm:
    """Widgets need a comm to exist; these tests have no kernel and send nothing."""

    comm_id = "silent"
    kernel = None

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def open(self, *args: Any, **kwargs: Any) -> None: ...

    def on_msg(self, *args: Any, **kwargs: Any) -> None: ...

    def close(self, *args: Any, **kwargs: Any) -> None: ...

    def send(self, *args: Any, **kwargs: Any) -> None: ...


@pytest.fixture(autouse=True)
def silent_comm(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: SilentComm())
    yield


def displayed(slug: str, audience: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, bool]]:
    """(HTML, tagged facilitator) for every output the module's page shows, in notebook order."""
    shown: list[tuple[str, bool]] = []

    def capture(obj: Any, metadata: dict[str, Any] | None = None) -> None:
        tagged = FACILITATOR_TAG in (metadata or {}).get("tags", [])
        if isinstance(obj, ExerciseWidget):
            shown.append((obj.static_html(), tagged))  # what every export prints
        elif hasattr(obj, "data"):
            shown.append((str(obj.data), tagged))

    monkeypatch.setattr(page_module, "display", capture)
    page = open_module(slug, cohort="routing", audience=audience, store=f"sqlite:///{tmp_path / 'events.sqlite'}")
    for name in SECTIONS:
        if name not in LIVE_ONLY:
            page.section(name)
    for activity in page.module.activities:
        page.activity(activity.id)
    for exercise in page.module.exercises:
        page.exercise(exercise.id)
    return shown


def text_of(fragment: str) -> str:
    """Visible text with tags removed, entities decoded and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def prose(texts: list[str]) -> list[str]:
    """Facilitator-only texts long enough that finding one in a page cannot be chance."""
    return [" ".join(t.split()) for t in texts if len(t) >= 20 and " " in t.strip()]


def test_every_field_of_a_module_has_an_audience() -> None:
    assert unrouted_fields() == []
    assert route("prerequisites.materials") is Audience.FACILITATORS
    assert route("prerequisites.interpreter_needs") is Audience.FACILITATORS
    assert route("activities.facilitator_notes.setup") is Audience.FACILITATORS
    assert route("debrief.questions.example_responses") is Audience.FACILITATORS
    assert route("activities.how_to_pass") is Audience.EVERYONE


def test_views_name_only_fields_the_table_routes() -> None:
    for view, fields in VIEW_FIELDS.items():
        for field in fields:
            assert any(field == key or field.startswith(f"{key}.") for key in ROUTES), (view, field)


@pytest.mark.parametrize("slug", MODULES)
def test_participant_views_hold_no_facilitator_only_text(
    slug: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    module = programme().module(slug)
    secrets = prose(facilitator_only_texts(module))
    # The materials list and the interpreter briefing are among what must stay out.
    assert " ".join(module.prerequisites.interpreter_needs.split()) in secrets
    # 1. A participant's own page (the app).
    participant = text_of(" ".join(html for html, _ in displayed(slug, "participant", monkeypatch, tmp_path)))
    # 2. The workbook: the facilitator's run with facilitator-tagged outputs removed, as the build does.
    facilitator_run = displayed(slug, "facilitator", monkeypatch, tmp_path)
    workbook = text_of(" ".join(html for html, tagged in facilitator_run if not tagged))
    guide = text_of(" ".join(html for html, _ in facilitator_run))
    for secret in secrets:
        assert secret not in participant, f"{slug}: participant page shows {secret[:60]!r}"
        assert secret not in workbook, f"{slug}: workbook shows {secret[:60]!r}"
    # The guide keeps what the workbook leaves out (so the check above can fail).
    assert " ".join(module.prerequisites.interpreter_needs.split()) in guide
    for material in module.prerequisites.materials:
        assert " ".join(material.split()) in guide
    for activity in module.activities:
        assert " ".join(activity.how_to_pass.split()) in workbook
        assert " ".join(activity.facilitator_notes.setup.split()) in guide


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_module_one_workbook_pdf_has_no_materials_or_interpreter_briefing(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text(
        "name: Routing test\nslug: routing\nlanguage: en\nregion: international\n"
        "sessions:\n  - date: 2027-03-06\n    start: '10:00'\n    modules: [shared-experiences]\n"
    )
    out = tmp_path / "out"
    build_cohort(cohort, out, jobs=1, formats=("pdf",), home=Home(REPO))
    module = programme().module("shared-experiences")
    participant = words(pdf_text(out / "participant" / "01-shared-experiences.pdf"))
    facilitator = words(pdf_text(out / "facilitator" / "01-shared-experiences.pdf"))
    briefing = words(module.prerequisites.interpreter_needs)[:50]
    # pdftotext may hyphenate or break a long line: compare opening words.
    assert briefing in facilitator
    assert briefing not in participant
    assert "Materials:" in facilitator and "Materials:" not in participant
    for material in module.prerequisites.materials:
        opening = words(material)[:25]
        assert opening not in participant, opening
    assert words(module.activities[0].how_to_pass)[:40] in participant


# -- the paper face of the exercises ----------------------------------------------------------

SCALE = {"min": 1, "max": 5, "min_label": "Not at all confident", "max_label": "Very confident"}


def worksheet(kind: str, **fields: Any) -> str:
    from toolkit.exercises import make_exercise
    from toolkit.schema.module import Exercise

    spec = Exercise.model_validate({"id": f"t-{kind.replace('_', '-')}", "kind": kind, "prompt": "Prompt", **fields})
    return make_exercise(spec, None, lambda text: text).static_html()


def rows_of(fragment: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", fragment, re.S)


def test_self_rating_rows_line_up_and_labels_stay_apart() -> None:
    page = worksheet("self_rating", scale=SCALE, objective="obj-1")
    before, now = rows_of(page)
    for row, label in ((before, "Before this module"), (now, "Now")):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        # One label cell, then one cell per point holding exactly that point's circle.
        assert text_of(cells[0]) == label
        assert [text_of(cell) for cell in cells[1:]] == ["1", "2", "3", "4", "5"]
        assert all('class="bridges-circle"' in cell for cell in cells[1:])
        assert "confident" not in row  # anchor words never sit between a label and its circles
    assert "1 = Not at all confident · 5 = Very confident" in text_of(page)
    assert page.count('class="bridges-scale-table"') == 1  # both rows share one table's columns


def test_scale_prints_one_unlabelled_row() -> None:
    (row,) = rows_of(worksheet("scale", scale=SCALE))
    assert "<th" not in row
    assert row.count('class="bridges-circle"') == 5


def test_ranking_prints_one_numbered_line_with_a_box_per_item() -> None:
    options = ["Family", "Faith, and its places", "Friends"]
    page = worksheet("ranking", options=options)
    items = re.findall(r"<li[^>]*>(.*?)</li>", page.split('class="bridges-slots"')[1].split("</ol>")[0], re.S)
    assert [text_of(item) for item in items] == options
    assert all('class="bridges-rank-box"' in item for item in items)
    assert "Family, Faith" not in text_of(page)  # no comma-joined list


def test_sharing_choices_print_as_tick_boxes_with_paper_collection() -> None:
    quotable = text_of(worksheet("free_text"))
    counted = text_of(worksheet("word_contribution"))
    for page in (quotable, counted):
        assert "Only me (private)" in page and "Count it in the anonymous summary" in page
        assert "copy it onto a blank slip" in page and "write no name" in page
    assert "It may be quoted anonymously" in quotable
    assert "It may be quoted anonymously" not in counted  # only words a person wrote can be quoted
    assert "the word cloud is made from the slips in the box" in counted


# -- `bridges check` keeps the routing complete and the notebooks tagged ---------------------


def test_check_names_a_facilitator_section_in_an_untagged_cell(home: Path) -> None:
    import nbformat

    from toolkit.checks.audience import check_audience

    notebook_path = home / "modules" / "01-fixture-theme.ipynb"
    assert check_audience(home / "modules", home) == []
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('page.section("learner-profiles")'))
    notebook.cells.append(
        nbformat.v4.new_code_cell('page.section("facilitator-preparation")', metadata={"tags": [FACILITATOR_TAG]})
    )
    notebook.cells.append(nbformat.v4.new_code_cell('page.section("prerequisites")'))  # mixed: outputs are tagged
    nbformat.write(notebook, notebook_path)
    (problem,) = check_audience(home / "modules", home)
    assert problem.file == "modules/01-fixture-theme.ipynb"
    assert problem.field == f"cells[{len(notebook.cells) - 3}]"
    assert "learner-profiles" in problem.message and "facilitator" in problem.hint


def test_check_names_a_module_field_without_an_audience(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit import audience
    from toolkit.checks.audience import check_audience

    routes = dict(ROUTES)
    del routes["prerequisites.interpreter_needs"]
    monkeypatch.setattr(audience, "ROUTES", routes)
    problems = check_audience(REPO / "modules", REPO)
    assert [p.field for p in problems] == ["ROUTES['prerequisites.interpreter_needs']"]
    assert problems[0].file == "toolkit/audience.py"


@pytest.mark.slow
def test_agenda_captions_stay_with_their_tables(tmp_path: Path) -> None:
    """Each session's caption prints on the same page as its table's head and rows (WeasyPrint)."""
    from toolkit.builder.packs import render_pack
    from toolkit.cohorts import load_cohort
    from toolkit.handouts.pdf import html_to_pdf
    from toolkit.paths import NBCONVERT_TEMPLATES

    english = programme()
    # The demo's 120-minute plan on Letter paper left "Session 3" alone at a page's foot.
    demo = (REPO / "examples" / "demo-cohort.yaml").read_text()
    longer = demo.replace("module_minutes: 90", "module_minutes: 120")
    (tmp_path / "cohort.yaml").write_text(f"{longer}paper_size: Letter\n")
    cohort = load_cohort(tmp_path / "cohort.yaml", english)
    assert cohort.module_minutes == 120
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(html_to_pdf(render_pack(english, cohort, "participant", [], NBCONVERT_TEMPLATES / "handout")))
    captions = 0
    for page in pdf_text(pdf).split("\f"):
        found = [line.strip() for line in page.splitlines() if line.strip()]
        for index, line in enumerate(found):
            if re.match(r"Session \d+: \d{4}-\d\d-\d\d", line):
                captions += 1
                rest = found[index + 1 :]
                assert "Time" in rest and any(re.match(r"\d\d:\d\d–\d\d:\d\d", item) for item in rest), line
    assert captions == len(cohort.sessions)
