"""`bridges build`: real papermill runs, real nbconvert exports, real WeasyPrint PDFs, read back with poppler."""

from __future__ import annotations

import json
import re
import subprocess
import time
from html import unescape
from pathlib import Path
from typing import Any

import nbformat
import pytest

from toolkit.agenda import module_plan
from toolkit.builder.files import sha256_file, write_atomic
from toolkit.builder.runner import BuildResult, build_cohort
from toolkit.curriculum import programme
from toolkit.errors import BuildFailed, UnknownModuleError
from toolkit.paths import Home

REPO = Path(__file__).parent.parent
DEMO = REPO / "examples" / "demo-cohort.yaml"
AUDIENCES = ("participant", "facilitator")


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    out = tmp_path_factory.mktemp("demo-build")
    return out, build_cohort(DEMO, out, jobs=2, home=Home(REPO))


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text())
    return data


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_manifest_lists_every_handout_and_pack_with_checksums(demo_build: tuple[Path, BuildResult]) -> None:
    out, _ = demo_build
    data = manifest(out)
    assert data["cohort"] == "demo"
    assert data["toolkit_version"]
    modules = [a for a in data["artifacts"] if a["kind"] == "module"]
    packs = [a for a in data["artifacts"] if a["kind"] == "pack"]
    slugs = {m.slug for m in programme().modules}
    assert {(a["module"], a["audience"], a["format"]) for a in modules} == {
        (slug, audience, fmt) for slug in slugs for audience in AUDIENCES for fmt in ("html", "pdf")
    }
    assert {(a["module"], a["audience"], a["format"]) for a in packs} == {
        (None, audience, fmt) for audience in AUDIENCES for fmt in ("html", "pdf")
    }
    for artifact in data["artifacts"]:
        path = out / artifact["path"]
        assert artifact["language"] == "en"
        assert path.stat().st_size == artifact["bytes"]
        assert sha256_file(path) == artifact["sha256"]


@pytest.mark.slow
def test_participant_workbook_has_worksheets_but_no_facilitator_material(
    demo_build: tuple[Path, BuildResult],
) -> None:
    out, _ = demo_build
    module = programme().module("shared-experiences")
    participant = (out / "participant" / "01-shared-experiences.html").read_text()
    facilitator = (out / "facilitator" / "01-shared-experiences.html").read_text()
    setup = module.activities[0].facilitator_notes.setup[:60]
    assert setup in unescape(facilitator)
    assert setup not in unescape(participant)
    assert module.learner_profiles[0].summary[:40] not in participant
    for exercise in module.exercises:
        assert exercise.prompt[:30].replace("'", "&#39;") in participant or exercise.prompt[:30] in participant
    assert participant.count('class="bridges-worksheet') == len(module.exercises)
    # Printable and private: no scripts, no stylesheets or images from elsewhere, no widget state.
    for html in (participant, facilitator):
        assert "<script" not in html
        assert "<link" not in html
        assert 'src="http' not in html
        assert "application/vnd.jupyter.widget" not in html
        assert '<html lang="en">' in html


@pytest.mark.slow
def test_pdf_handouts_are_tagged_titled_and_draw_their_text(demo_build: tuple[Path, BuildResult]) -> None:
    out, _ = demo_build
    pdf = out / "participant" / "03-breaking-stereotypes.pdf"
    info = pdf_info(pdf)
    assert "Tagged:          yes" in info
    assert "Breaking stereotypes: Participant workbook" in info
    assert "595.276 x 841.89" in info  # A4 for an international cohort
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Noto-Sans" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded
    text = pdf_text(pdf)
    assert "Breaking stereotypes" in text
    assert "Participant workbook" in text  # the running header
    facilitator_text = pdf_text(out / "facilitator" / "03-breaking-stereotypes.pdf")
    assert "Facilitator guide" in facilitator_text
    assert len(facilitator_text) > len(text)


@pytest.mark.slow
def test_cohort_pack_has_cover_agenda_with_clock_times_contents_and_workbooks(
    demo_build: tuple[Path, BuildResult],
) -> None:
    out, _ = demo_build
    text = pdf_text(out / "cohort-pack.pdf")
    first_page = text.split("\f")[0]
    assert "Bridges demo cohort" in first_page
    assert "2027-03-06 – 2027-04-17" in first_page
    assert "Contents" in text and "Agenda" in text
    assert not re.search(r"\b\d+\. \d+\. ", text), "the contents number modules once, not twice"
    english = programme()
    first = module_plan(english, english.module("shared-experiences"))
    assert f"10:00–10:{first[0].minutes:02d}" in text
    end = 10 * 60 + sum(line.minutes for line in first)
    assert f"{end // 60:02d}:{end % 60:02d}" in text
    for module in english.modules:
        assert module.title in text
    setup = english.module("shared-experiences").activities[0].facilitator_notes.setup[:40]
    assert setup not in " ".join(text.split())


@pytest.mark.slow
def test_facilitator_pack_has_agreements_consent_crisis_protocol_and_guides(
    demo_build: tuple[Path, BuildResult],
) -> None:
    out, _ = demo_build
    text = " ".join(pdf_text(out / "facilitator-pack.pdf").split())
    english = programme()
    assert "Consent script" in text
    assert english.facilitation.crisis_protocol.title in text
    assert " ".join(english.agreements.consent_script.who_sees_it.split())[:50] in text
    for module in english.modules:
        assert " ".join(module.activities[0].facilitator_notes.setup.split())[:40] in text


@pytest.mark.slow
def test_unchanged_rebuild_only_verifies(demo_build: tuple[Path, BuildResult]) -> None:
    out, _ = demo_build
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*.pdf")}
    result = build_cohort(DEMO, out, jobs=2, home=Home(REPO))
    assert result.built == []
    assert set(result.cached) == {m.slug for m in programme().modules} | {"packs"}
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*.pdf")} == before


@pytest.mark.slow
def test_damaged_or_missing_output_is_rebuilt(demo_build: tuple[Path, BuildResult]) -> None:
    out, _ = demo_build
    (out / "participant" / "02-learning-from-each-other.pdf").write_bytes(b"%PDF-1.7 truncated")
    (out / "facilitator" / "05-promoting-intersectionality.html").unlink()
    result = build_cohort(DEMO, out, jobs=2, home=Home(REPO))
    assert sorted(result.built) == ["learning-from-each-other", "promoting-intersectionality"]
    for artifact in manifest(out)["artifacts"]:
        assert sha256_file(out / artifact["path"]) == artifact["sha256"]


@pytest.mark.slow
def test_interrupted_write_keeps_the_old_file_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"complete old handout")

    def disk_full(_: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"half a new handout")
    assert target.read_bytes() == b"complete old handout"
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def _fixture_build(home: Path, cohort_file: Path, out: Path, **options: Any) -> BuildResult:
    return build_cohort(cohort_file, out, jobs=1, home=Home(home), **options)


@pytest.mark.slow
def test_failing_module_names_module_cell_and_exception_and_keeps_the_notebook(
    home: Path, cohort_file: Path, tmp_path: Path
) -> None:
    notebook_path = home / "modules" / "01-fixture-theme.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells.insert(3, nbformat.v4.new_code_cell('raise RuntimeError("the projector caught fire")'))
    nbformat.write(notebook, notebook_path)
    out = tmp_path / "out"
    with pytest.raises(BuildFailed) as caught:
        _fixture_build(home, cohort_file, out)
    message = str(caught.value)
    assert "module 'fixture-theme'" in message
    assert "in cell 5" in message  # papermill injects a parameters cell before it
    assert "RuntimeError: the projector caught fire" in message
    kept = out / "failed" / "01-fixture-theme.ipynb"
    assert kept.exists() and str(kept) in message
    assert not (out / "participant").exists()
    # Nothing claims success: the manifest lists no artifacts for the failed module.
    assert manifest(out)["artifacts"] == []


@pytest.mark.slow
def test_a_hung_cell_fails_its_module_after_the_cell_timeout_naming_the_cell(
    home: Path, cohort_file: Path, tmp_path: Path
) -> None:
    notebook_path = home / "modules" / "01-fixture-theme.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells.insert(3, nbformat.v4.new_code_cell("import time\ntime.sleep(600)"))
    nbformat.write(notebook, notebook_path)
    started = time.perf_counter()
    with pytest.raises(BuildFailed) as caught:
        _fixture_build(home, cohort_file, tmp_path / "out", cell_timeout=3)
    assert time.perf_counter() - started < 120  # not the ten minutes the cell asks for
    message = str(caught.value)
    assert "module 'fixture-theme' failed in cell 5" in message
    assert "longer than 3 s" in message and "--cell-timeout" in message


@pytest.mark.slow
def test_the_kernel_is_the_one_the_notebook_declares(home: Path, cohort_file: Path, tmp_path: Path) -> None:
    notebook_path = home / "modules" / "01-fixture-theme.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata["kernelspec"]["name"] = "no-such-kernel"
    nbformat.write(notebook, notebook_path)
    with pytest.raises(BuildFailed, match="NoSuchKernel"):
        _fixture_build(home, cohort_file, tmp_path / "out")


@pytest.mark.slow
def test_fixture_cohort_in_the_uk_prints_on_a4_and_html_only_when_asked(
    home: Path, cohort_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _fixture_build(home, cohort_file, out, formats=("html",))
    assert {a.format for a in result.artifacts} == {"html"}
    assert not list(out.rglob("*.pdf"))
    page = (out / "participant" / "01-fixture-theme.html").read_text()
    assert "size: A4" in page
    assert "Fixture cohort" in page  # cohort name in the footer note


@pytest.mark.slow
def test_us_cohort_prints_on_letter(home: Path, cohort_file: Path, tmp_path: Path, edit_yaml: Any) -> None:
    edit_yaml(cohort_file, lambda data: data.__setitem__("region", "us"))
    out = tmp_path / "out"
    _fixture_build(home, cohort_file, out, formats=("pdf",))
    assert "612 x 792" in pdf_info(out / "participant" / "01-fixture-theme.pdf")


@pytest.mark.slow
def test_cli_build_prints_a_summary_and_rejects_unknown_formats(
    cli: Any, home: Path, cohort_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = cli("build", str(cohort_file), "--out", str(out), "--formats", "html", "--jobs", "1", "--home", str(home))
    assert result.exit_code == 0, result.output
    assert "fixture-theme" in result.output and "built" in result.output
    assert (out / "manifest.json").exists()
    bad = cli("build", str(cohort_file), "--out", str(out), "--formats", "docx", "--home", str(home))
    assert bad.exit_code == 1
    assert "unknown format(s): docx" in bad.output and "use html, pdf" in bad.output


def test_unknown_module_in_modules_option_is_a_clear_error(home: Path, cohort_file: Path, tmp_path: Path) -> None:
    with pytest.raises(UnknownModuleError, match="unknown module 'no-such-theme'; available: fixture-theme"):
        _fixture_build(home, cohort_file, tmp_path / "out", modules=["no-such-theme"])


@pytest.mark.slow
def test_a_reused_kernel_starts_every_notebook_with_an_empty_namespace(tmp_path: Path) -> None:
    from toolkit.builder import kernels

    manager = kernels.warm_kernel(tmp_path / "kernel.log", "python3")
    try:
        client = manager.blocking_client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.execute_interactive("left_over = 'from the last module'", timeout=60)
        client.stop_channels()
        assert kernels.warm_kernel(tmp_path / "kernel.log", "python3") is manager  # the same warm kernel
        client = manager.blocking_client()
        client.start_channels()
        reply = client.execute_interactive("left_over", timeout=60, output_hook=lambda message: None)
        client.stop_channels()
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "NameError"
    finally:
        kernels.discard_kernel()
