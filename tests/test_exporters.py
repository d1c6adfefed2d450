"""`jupyter nbconvert --to handout` and `--to handout-pdf`, through the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbconvert
import papermill
import pytest
from PIL import Image

from toolkit.handouts.exporters import HandoutExporter, HandoutPDFExporter

JUPYTER = Path(sys.executable).parent / "jupyter"
FIXTURE = Path(__file__).parent / "data" / "home"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture module run once as the facilitator sees it (exports derive both audiences)."""
    folder = tmp_path_factory.mktemp("exported")
    target = folder / "fixture.ipynb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIDGES_HOME", str(FIXTURE))
        papermill.execute_notebook(
            str(FIXTURE / "modules" / "01-fixture-theme.ipynb"),
            str(target),
            parameters={"audience": "facilitator", "region": "uk"},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(folder),
        )
    return target


def convert(notebook: Path, *options: str) -> None:
    env = {**os.environ, "BRIDGES_HOME": str(FIXTURE)}
    subprocess.run([str(JUPYTER), "nbconvert", *options, str(notebook)], check=True, capture_output=True, env=env)


def test_exporters_are_registered_as_nbconvert_entry_points() -> None:
    assert nbconvert.get_exporter("handout") is HandoutExporter
    assert nbconvert.get_exporter("handout-pdf") is HandoutPDFExporter


@pytest.mark.slow
def test_participant_handout_from_the_command_line(executed: Path) -> None:
    convert(executed, "--to", "handout", "--output", "participant")
    convert(executed, "--to", "handout", "--HandoutExporter.audience=facilitator", "--output", "facilitator")
    participant = (executed.parent / "participant.html").read_text()
    facilitator = (executed.parent / "facilitator.html").read_text()
    assert 'class="bridges-facilitator-notes' in facilitator
    assert 'class="bridges-facilitator-notes' not in participant
    assert 'class="bridges-worksheet' in participant
    assert "<script" not in participant
    assert "size: A4" in participant  # the UK prints on A4
    assert "font-size: 11pt" in participant


@pytest.mark.slow
def test_large_print_option(executed: Path) -> None:
    convert(executed, "--to", "handout", "--HandoutExporter.large_print=True", "--output", "large")
    page = (executed.parent / "large.html").read_text()
    assert "font-size: 18pt" in page
    assert "large-print" in page


@pytest.mark.slow
def test_pdf_handout_on_letter_paper_draws_its_pages(executed: Path) -> None:
    convert(executed, "--to", "handout-pdf", "--HandoutPDFExporter.paper_size=Letter", "--output", "letter")
    pdf = executed.parent / "letter.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "612 x 792" in info
    assert "Tagged:          yes" in info
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix(""))], check=True
    )
    page = Image.open(next(executed.parent.glob("letter-*1.png"))).convert("L")
    dark = sum(page.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 500  # text was drawn, not an empty page
