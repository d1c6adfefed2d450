"""The "How to add" walks in docs/architecture.md stay true: each place a walk names exists, and
nothing a walk leaves out is hand-copied elsewhere (the kind walk is tested in test_kinds.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import Future
from pathlib import Path

import pytest

from toolkit.builder.files import FORMATS
from toolkit.builder.runner import pack_file
from toolkit.errors import UnsupportedStoreURL, ValidationFailed
from toolkit.events.registry import store_kinds
from toolkit.events.store import open_store
from toolkit.languages import LANGUAGES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_the_readme_lists_exactly_the_languages_the_toolkit_knows() -> None:
    prose = readme_section("Languages")
    assert set(re.findall(r"\(`([A-Za-z-]+)`\)", prose)) == set(LANGUAGES) - {SOURCE_LANGUAGE}
    comment = re.search(r"^language: \S+ +# (.+)$", readme_section("Cohort file"), re.MULTILINE)
    assert comment is not None, "the cohort file example has no language line with its codes"
    assert comment.group(1).split(", ") == list(LANGUAGES)


def test_no_module_notebook_lists_the_language_codes_by_hand() -> None:
    notebooks = sorted((ROOT / "modules").glob("*.ipynb"))
    assert len(notebooks) >= 7
    for path in notebooks:
        cells = json.loads(path.read_text())["cells"]
        parameters = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
        listed = [code for code in LANGUAGES if code != SOURCE_LANGUAGE and code in "".join(parameters["source"])]
        assert not listed, f"{path.name} lists {listed}: a new language would have to be copied there"


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_language_starts_a_catalogue_for_the_named_language() -> None:
    dry = subprocess.run(["make", "-n", "language", "LANG=zh-Hant"], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert "pybabel init -i toolkit/locale/bridges.pot -d toolkit/locale -D bridges -l zh_Hant" in dry.stdout
    # Never make's own LANG from the environment (a shell locale such as C.UTF-8).
    unnamed = subprocess.run(
        ["make", "-n", "language"], cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "LANG": "C"}
    )
    assert unnamed.returncode != 0 and "make language LANG=xx" in unnamed.stderr


def test_every_handout_format_has_a_pack_writer_and_an_unknown_one_is_an_error() -> None:
    pdf: Future[bytes] = Future()
    pdf.set_result(b"%PDF-1.7")
    written = {fmt: pack_file(fmt, "<p>pack</p>", pdf) for fmt in FORMATS}
    assert written == {"html": b"<p>pack</p>", "pdf": b"%PDF-1.7"}
    with pytest.raises(ValidationFailed, match="no pack can be written as 'epub'"):
        pack_file("epub", "<p>pack</p>", pdf)


def test_every_store_scheme_opens_and_is_accepted_in_cohort_files(tmp_path: Path) -> None:
    assert {"sqlite", "postgresql"} <= set(store_kinds())
    with open_store(f"sqlite:///{(tmp_path / 'events.sqlite').as_posix()}") as store:
        assert store.read() == []
    with pytest.raises(UnsupportedStoreURL):
        open_store("mysql://db.example/bridges")
