"""Module notebooks: parameters documented, committed clean, references resolve."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest

from toolkit.cohorts import load_cohort
from toolkit.errors import ValidationFailed
from toolkit.live.site import prepare_site
from toolkit.paths import Home

NOTEBOOK = "modules/01-fixture-theme.ipynb"


def edit_notebook(home: Path, change: Callable[[Any], None]) -> None:
    path = home / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    change(notebook)
    nbformat.write(notebook, path)


def output_of(cli: Any, home: Path) -> str:
    result = cli("check", "--home", str(home))
    assert result.exit_code == 1, result.output
    return str(result.output)


def test_parameter_without_help_comment(cli: Any, home: Path) -> None:
    def change(nb: Any) -> None:
        nb.cells[0].source = nb.cells[0].source.replace('store = ""  # event store URL', 'store = "#not-a-comment"')

    edit_notebook(home, change)
    out = output_of(cli, home)
    assert f"{NOTEBOOK}:5: parameters.store: has no trailing help comment" in out


def test_required_parameter_missing(cli: Any, home: Path) -> None:
    edit_notebook(
        home,
        lambda nb: setattr(
            nb.cells[0],
            "source",
            nb.cells[0].source.replace('audience = "participant"  # participant or facilitator\n', ""),
        ),
    )
    assert "parameters.audience: required parameter is missing" in output_of(cli, home)


def test_no_parameters_cell(cli: Any, home: Path) -> None:
    edit_notebook(home, lambda nb: nb.cells[0].metadata.__setitem__("tags", []))
    assert "0 cells tagged 'parameters'; exactly one is needed" in output_of(cli, home)


def test_committed_outputs_and_counts(cli: Any, home: Path) -> None:
    def change(nb: Any) -> None:
        nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="hello")]
        nb.cells[2].execution_count = 3

    edit_notebook(home, change)
    out = output_of(cli, home)
    assert "cells[2].outputs: outputs are committed" in out
    assert "cells[2].execution_count: execution count is committed" in out


def test_saved_widget_state(cli: Any, home: Path) -> None:
    edit_notebook(
        home, lambda nb: nb.metadata.__setitem__("widgets", {"application/vnd.jupyter.widget-state+json": {}})
    )
    assert "metadata.widgets: saved widget state is committed" in output_of(cli, home)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('page.exercise("ft-nope")', "unknown exercise 'ft-nope'"),
        ('page.activity("ft-act-nope")', "unknown activity 'ft-act-nope'"),
        ('page.section("appendix")', "unknown section 'appendix'"),
    ],
)
def test_unknown_references(cli: Any, home: Path, source: str, message: str) -> None:
    edit_notebook(home, lambda nb: nb.cells.append(nbformat.v4.new_code_cell(source)))
    out = output_of(cli, home)
    assert message in out
    assert f"{NOTEBOOK}:1: cells[8]" in out


def test_notebook_for_another_module(cli: Any, home: Path) -> None:
    edit_notebook(
        home, lambda nb: setattr(nb.cells[1], "source", nb.cells[1].source.replace('"fixture-theme"', '"other-theme"'))
    )
    assert "unknown module 'other-theme'" in output_of(cli, home)


def test_content_notes_must_precede_activities(cli: Any, home: Path) -> None:
    edit_notebook(home, lambda nb: nb.cells.insert(2, nb.cells.pop(3)))
    assert "an activity is shown before the content notes" in output_of(cli, home)


def test_file_name_must_match_a_module(cli: Any, home: Path) -> None:
    (home / NOTEBOOK).rename(home / "modules/01-unknown.ipynb")
    assert "file name is not NN-slug.ipynb for a curriculum module" in output_of(cli, home)


def test_every_activity_and_exercise_is_shown(cli: Any, home: Path) -> None:
    edit_notebook(home, lambda nb: nb.cells.pop(7))
    assert "exercise 'ft-word' is never shown (add a cell calling page.exercise('ft-word'))" in output_of(cli, home)


def test_notebook_without_kernel(cli: Any, home: Path) -> None:
    edit_notebook(home, lambda nb: nb.metadata.pop("kernelspec"))
    out = output_of(cli, home)
    assert "metadata.kernelspec: no kernel named" in out
    assert '"name": "python3"' in out


def test_kernel_that_is_not_installed(cli: Any, home: Path) -> None:
    edit_notebook(home, lambda nb: nb.metadata.kernelspec.__setitem__("name", "python2"))
    out = output_of(cli, home)
    assert "metadata.kernelspec.name: kernel 'python2' is not installed here (use one of:" in out
    assert "python3" in out


def test_notebook_that_breaks_the_format(cli: Any, home: Path) -> None:
    # Readable JSON, but a cell without its source: papermill and Voilà would refuse it.
    path = home / NOTEBOOK
    path.write_text(path.read_text().replace('"source"', '"sauce"', 1))
    assert f"{NOTEBOOK}: not a valid notebook (" in output_of(cli, home)


# What `check` reports, `build` and `serve` report the same way instead of failing deep inside.
MISSING = "modules/01-fixture-theme.ipynb: module 'fixture-theme' is in the curriculum but has no notebook"


def test_module_without_a_notebook_fails_check_build_and_serve(cli: Any, home: Path, cohort_file: Path) -> None:
    (home / NOTEBOOK).unlink()
    assert MISSING in output_of(cli, home)
    built = cli("build", str(cohort_file), "--home", str(home), "--out", str(home / "out"))
    assert built.exit_code == 1 and MISSING in built.output, built.output
    with pytest.raises(ValidationFailed, match="has no notebook"):
        prepare_site(load_cohort(cohort_file), cohort_file, Home(home), home / "site")
