"""One module of a cohort build: execute its notebook once, export both audiences.

Runs inside a worker process. The notebook is executed once, as the
facilitator sees it; the participant workbook is derived from the same
execution by removing what is tagged ``facilitator`` (the design guarantees
facilitator material is tagged and nothing else differs), which halves the
kernel work of a build.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.audience import AUDIENCES
from toolkit.builder.files import Artifact, save_artifact, write_atomic
from toolkit.builder.kernels import discard_kernel, warm_kernel
from toolkit.errors import ModuleBuildFailed

if TYPE_CHECKING:  # nbformat takes over a second to import; a no-op build never needs it
    from nbformat import NotebookNode

WORK_DIR = ".bridges"  # inside the build folder: cache, executed notebooks, kernel logs
# A module's slowest cell takes a few seconds; ten minutes means a cell that will never end,
# and without a limit one hung cell would hold its build worker forever.
DEFAULT_CELL_TIMEOUT = 600


@dataclass(frozen=True)
class ModuleJob:
    slug: str
    stem: str  # the notebook's file stem, e.g. 01-shared-experiences
    notebook: Path
    out: Path
    home: Path
    language: str
    paper: str
    formats: tuple[str, ...]
    second_language: str | None = None
    cell_timeout: int = DEFAULT_CELL_TIMEOUT  # seconds one cell may run before the module fails
    parameters: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)  # written to nb.metadata.bridges
    participant_stem: str = ""  # a discreet cohort's neutral workbook name, e.g. 07-workbook

    @property
    def executed_path(self) -> Path:
        return self.out / WORK_DIR / "executed" / f"{self.stem}.ipynb"

    @property
    def failed_path(self) -> Path:
        return self.out / "failed" / f"{self.stem}.ipynb"

    def body_path(self, audience: str) -> Path:
        """The full handout HTML, kept for the packs whatever formats were asked for."""
        return self.out / WORK_DIR / "html" / f"{self.stem}-{audience}.html"

    def output_path(self, audience: str, fmt: str) -> str:
        stem = self.participant_stem if audience == "participant" and self.participant_stem else self.stem
        return f"{audience}/{stem}.{fmt}"


@cache
def _exporter(audience: str, paper: str) -> Any:
    from toolkit.handouts.exporters import HandoutExporter

    return HandoutExporter(audience=audience, paper_size=paper)


def execute(job: ModuleJob) -> NotebookNode:
    """Run the module notebook with papermill, in this process; keep it on failure."""
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    job.executed_path.parent.mkdir(parents=True, exist_ok=True)
    log = job.out / WORK_DIR / "logs" / f"{job.stem}.log"
    kernel_name = json.loads(job.notebook.read_bytes())["metadata"]["kernelspec"]["name"]  # `check` requires it
    started: list[int] = []  # cells as they start: a timeout names the last one
    try:
        nb: NotebookNode = papermill.execute_notebook(
            str(job.notebook),
            str(job.executed_path),
            parameters=job.parameters,
            progress_bar=False,
            log_output=False,
            # Saving after every cell re-validates the whole notebook each time;
            # papermill still writes it at the end, and on failure before raising.
            request_save_on_cell_execute=False,
            km=warm_kernel(log, kernel_name),
            execution_timeout=job.cell_timeout,
            on_cell_start=lambda cell, cell_index: started.append(cell_index),
        )
    except CellTimeoutError:
        discard_kernel()  # it may still be running the cell: the next notebook gets a fresh kernel
        cell = started[-1] + 1 if started else None
        reason = f"the cell ran longer than {job.cell_timeout} s (raise the limit with --cell-timeout)"
        raise ModuleBuildFailed(job.slug, cell, reason, _keep_failed(job)) from None
    except PapermillExecutionError as exc:
        raise ModuleBuildFailed(job.slug, exc.cell_index + 1, f"{exc.ename}: {exc.evalue}", _keep_failed(job)) from None
    except Exception as exc:  # a kernel that died or never started
        raise ModuleBuildFailed(job.slug, None, f"{type(exc).__name__}: {exc}", _keep_failed(job)) from None
    job.failed_path.unlink(missing_ok=True)
    nb.metadata["bridges"] = {**job.metadata, "module": job.slug}
    return nb


def _keep_failed(job: ModuleJob) -> Path | None:
    if not job.executed_path.exists():
        return None
    job.failed_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(job.executed_path, job.failed_path)
    return job.failed_path


def _artifact(job: ModuleJob, audience: str, fmt: str, data: bytes) -> Artifact:
    return save_artifact(
        job.out,
        job.output_path(audience, fmt),
        data,
        module=job.slug,
        audience=audience,
        language=job.language,
        format=fmt,
        kind="module",
    )


def prepare_worker() -> None:
    """Run once in each worker process before any job.

    jsonschema (under nbformat) checks the "iri" format with rfc3987-syntax
    when it is installed, which builds a grammar at import and costs over a
    second per process. Notebooks have no IRI fields: tell jsonschema the
    package is absent, which it handles by skipping that one format.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def run_module_job(job: ModuleJob) -> list[Artifact]:
    """Execute the notebook once and export every audience's HTML.

    PDFs are separate tasks (``render_module_pdf``) so the pool can lay out
    one module's PDFs while another module's kernel runs.
    """
    # This worker's kernels and exports find the curriculum through the environment.
    os.environ["BRIDGES_HOME"] = str(job.home)
    nb = execute(job)
    if job.second_language:
        # A second run in the other language; its outputs are merged passage by passage.
        from toolkit.handouts.bilingual import merge_bilingual

        second = replace(
            job,
            stem=f"{job.stem}.{job.second_language}",
            parameters={**job.parameters, "language": job.second_language},
        )
        nb = merge_bilingual(nb, execute(second), job.language, job.second_language)
    artifacts = []
    for audience in AUDIENCES:
        html, _ = _exporter(audience, job.paper).from_notebook_node(nb)
        write_atomic(job.body_path(audience), html.encode())
        if "html" in job.formats:
            artifacts.append(_artifact(job, audience, "html", html.encode()))
    return artifacts


def render_module_pdf(job: ModuleJob, audience: str) -> Artifact:
    """Lay out one audience's handout, already rendered as HTML by run_module_job, as PDF."""
    from toolkit.handouts.pdf import html_to_pdf

    return _artifact(job, audience, "pdf", html_to_pdf(job.body_path(audience).read_text()))
