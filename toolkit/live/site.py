"""What `bridges serve` serves: participant notebooks stripped of facilitator material, and the dashboard.

Voilà shows a notebook as it is (it ignores nbconvert's tag removal), so
facilitator cells are deleted from the served copy, not hidden, and each
copy has the cohort's parameters injected with papermill so nothing is left
to the person opening it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill

from toolkit.audience import FACILITATOR_TAG
from toolkit.builder.files import write_atomic
from toolkit.cohorts import store_url
from toolkit.curriculum import programme as load_programme
from toolkit.lifecycle.evaluation import Phase, items_for
from toolkit.page import page_metadata
from toolkit.paths import Home
from toolkit.schema.cohort import Cohort
from toolkit.schema.programme import Programme

DASHBOARD = "facilitator/dashboard.ipynb"
# The evaluation pages' notebook, shipped in the package: one copy per phase that has questions.
EVALUATION_NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "evaluation.ipynb"


@dataclass(frozen=True)
class Site:
    root: Path
    notebooks: dict[str, str]  # module slug (or evaluation phase's module, evaluation-before...) -> path under root


def _parameterized(notebook: nbformat.NotebookNode, parameters: dict[str, str]) -> nbformat.NotebookNode:
    """The notebook with papermill's injected-parameters cell, not executed (Voilà runs it)."""
    result: nbformat.NotebookNode = papermill.execute_notebook(
        notebook, None, parameters=parameters, prepare_only=True, progress_bar=False, log_output=False
    )
    return result


def _write(notebook: nbformat.NotebookNode, path: Path) -> None:
    write_atomic(path, nbformat.writes(notebook).encode())


def prepare_site(cohort: Cohort, cohort_file: Path, home: Home, root: Path, dashboard: bool = True) -> Site:
    """Write the cohort's participant notebooks and, unless told not to, the dashboard under ``root``.

    A participant's own server on JupyterHub (toolkit.hub) is prepared without the dashboard.
    """
    notebooks: dict[str, str] = {}
    curriculum = load_programme(home=home)
    numbers = {module.slug: module.number for module in curriculum.modules}
    for slug in cohort.module_slugs:
        source = home.module_notebook(slug, numbers[slug])  # a missing one is named, as `check` names it
        notebook = nbformat.read(source, as_version=4)
        notebook.cells = [cell for cell in notebook.cells if FACILITATOR_TAG not in cell.metadata.get("tags", [])]
        notebook = _parameterized(
            notebook,
            {
                "cohort": cohort.slug,
                "language": cohort.language,
                "audience": "participant",
                "store": store_url(cohort),
                "region": ",".join(region.value for region in cohort.support_regions),  # one support list each
                "second_language": cohort.second_language or "",
                "module_minutes": str(cohort.module_minutes),
            },
        )
        notebook.metadata["bridges"] = page_metadata(cohort.language)  # <html lang dir>, loading text
        _write(notebook, root / source.name)
        notebooks[slug] = source.name
    notebooks.update(_evaluation_pages(cohort, curriculum, root))
    if dashboard:
        notebook = nbformat.read(home.root / "examples" / "facilitator-dashboard.ipynb", as_version=4)
        notebook = _parameterized(notebook, {"cohort_file": str(cohort_file.resolve())})
        _write(notebook, root / DASHBOARD)
    return Site(root, notebooks)


def _evaluation_pages(cohort: Cohort, source: Programme, root: Path) -> dict[str, str]:
    """The before, after and follow-up pages (toolkit.evaluation_page), for each phase that asks something."""
    pages: dict[str, str] = {}
    for phase in Phase:
        if not items_for(source, phase):
            continue
        notebook = _parameterized(
            nbformat.read(EVALUATION_NOTEBOOK, as_version=4),
            {
                "phase": phase.value,
                "cohort": cohort.slug,
                "language": cohort.language,
                "store": store_url(cohort),
                "second_language": cohort.second_language or "",
                "region": ",".join(region.value for region in cohort.support_regions),
            },
        )
        notebook.metadata["bridges"] = page_metadata(cohort.language)
        name = f"{phase.module}.ipynb"
        _write(notebook, root / name)
        pages[phase.module] = name
    return pages
