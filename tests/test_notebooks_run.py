"""Every module notebook runs under papermill, in a real kernel, for both audiences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import papermill
import pytest
from conftest import REPO

from toolkit.cohorts import load_cohort, store_url

NOTEBOOKS = sorted((REPO / "modules").glob("*.ipynb"))


def run(notebook: Path, tmp_path: Path, **parameters: Any) -> dict[str, Any]:
    out = tmp_path / f"{notebook.stem}-{parameters.get('audience', 'participant')}.ipynb"
    papermill.execute_notebook(
        str(notebook), str(out), parameters=parameters, kernel_name="python3", progress_bar=False, cwd=str(tmp_path)
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def outputs(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for cell in notebook["cells"] for o in cell.get("outputs", [])]


def html_of(notebook: dict[str, Any]) -> str:
    return "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs(notebook))


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_module_runs_for_both_audiences(notebook: Path, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'events.sqlite'}"
    participant = run(notebook, tmp_path, audience="participant", store=store, region="uk")
    facilitator = run(notebook, tmp_path, audience="facilitator", store=store, region="uk")

    for result in (participant, facilitator):
        assert not [o for o in outputs(result) if o["output_type"] == "error"]
        # Every exercise shows its printable worksheet, whatever renders the notebook.
        assert html_of(result).count('class="bridges-worksheet') == sum(
            1 for cell in result["cells"] if "page.exercise(" in "".join(cell["source"])
        )

    tagged = [o for o in outputs(facilitator) if "facilitator" in o.get("metadata", {}).get("tags", [])]
    assert tagged, "facilitator notes are tagged so exports can remove them"
    assert "Facilitator notes:" in html_of(facilitator)
    assert not [o for o in outputs(participant) if "facilitator" in o.get("metadata", {}).get("tags", [])]
    assert "Facilitator notes:" not in html_of(participant)
    assert "Facilitator guide" not in html_of(participant)
    # Rendering a workbook records nothing and creates no store.
    assert not (tmp_path / "events.sqlite").exists()


@pytest.mark.slow
def test_module_runs_with_a_cohorts_parameters(tmp_path: Path) -> None:
    cohort = load_cohort(REPO / "examples/demo-cohort.yaml")
    result = run(
        NOTEBOOKS[0],
        tmp_path,
        cohort=cohort.slug,
        language=cohort.language,
        region=cohort.region.value,
        store=store_url(cohort),
        audience="participant",
    )
    assert "Support" in html_of(result)
    assert not [o for o in outputs(result) if o["output_type"] == "error"]


@pytest.mark.slow
def test_bad_parameter_fails_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(papermill.PapermillExecutionError, match="parameter audience='student' is not valid"):
        run(NOTEBOOKS[0], tmp_path, audience="student")


def test_help_notebook_documents_every_parameter() -> None:
    params = papermill.inspect_notebook(str(NOTEBOOKS[0]))
    assert set(params) >= {"cohort", "language", "audience", "participant", "store", "region"}
    assert all(p["help"] for p in params.values())
