"""``bridges build``: plan, skip what is current, run the rest in parallel, print packs.

The cache lives in ``DIR/.bridges/cache.json``: per module, the fingerprint
of its inputs and the artifacts it produced. A module is skipped only when
its fingerprint matches *and* every file it wrote still has its checksum,
so an interrupted build or a hand-edited handout is repaired next time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.agenda import cohort_dates
from toolkit.audience import AUDIENCES
from toolkit.builder.files import (
    FORMATS,
    Artifact,
    intact,
    save_artifact,
    sha256_bytes,
    workbook_stem,
    write_atomic,
    write_manifest,
)
from toolkit.builder.fingerprint import fingerprint
from toolkit.builder.module_job import (
    DEFAULT_CELL_TIMEOUT,
    WORK_DIR,
    ModuleJob,
    prepare_worker,
    render_module_pdf,
    run_module_job,
)
from toolkit.cohorts import load_cohort
from toolkit.curriculum import programme as load_programme
from toolkit.errors import BuildFailed, ModuleBuildFailed, ValidationFailed
from toolkit.errors import Problem as _Problem
from toolkit.hashing import curriculum_hash
from toolkit.paths import NBCONVERT_TEMPLATES, Home, find_home
from toolkit.schema.cohort import Cohort
from toolkit.schema.programme import Programme

PACKS = {"participant": "cohort-pack", "facilitator": "facilitator-pack"}

# Called as progress(label, status) with status "built", "cached" or "failed".
StatusReport = Callable[[str, str], None]


@dataclass
class BuildResult:
    out: Path
    manifest: Path | None
    artifacts: list[Artifact]
    built: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failures: list[ModuleBuildFailed] = field(default_factory=list)
    module_seconds: float = 0.0
    pack_seconds: float = 0.0
    packs_skipped: str = ""  # why the packs were not printed, if they were not


@dataclass
class _Cache:
    path: Path
    entries: dict[str, Any]

    @classmethod
    def load(cls, out: Path) -> _Cache:
        path = out / WORK_DIR / "cache.json"
        try:
            entries = json.loads(path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            entries = {}  # a lost or damaged cache only costs a rebuild
        return cls(path, entries)

    def current(self, name: str, key: str, out: Path) -> list[Artifact] | None:
        entry = self.entries.get(name)
        if not entry or entry.get("key") != key:
            return None
        artifacts = [Artifact.from_json(item) for item in entry["artifacts"]]
        if not all(intact(out, artifact) for artifact in artifacts):
            return None
        return artifacts

    def store(self, name: str, key: str, artifacts: list[Artifact]) -> None:
        # Files the last build wrote under other names go: after switching a cohort to
        # discreet, a topic-named workbook must not stay in the folder beside the neutral one.
        kept = {artifact.path for artifact in artifacts}
        for old in self.entries.get(name, {}).get("artifacts", []):
            if old["path"] not in kept:
                (self.path.parent.parent / old["path"]).unlink(missing_ok=True)
        self.entries[name] = {"key": key, "artifacts": [a.to_json() for a in artifacts]}
        write_atomic(self.path, json.dumps(self.entries, indent=1).encode())


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValidationFailed(
            [
                _Problem(
                    "--formats", "", f"unknown format(s): {', '.join(unknown) or '(none)'}", "use html, pdf or html,pdf"
                )
            ]
        )
    return formats


def _jobs_for(
    home: Home,
    programme: Programme,
    cohort: Cohort,
    slugs: list[str],
    out: Path,
    formats: tuple[str, ...],
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
) -> dict[str, tuple[ModuleJob, str]]:
    curriculum = ":".join(
        curriculum_hash(home.curriculum, code) for code in filter(None, [cohort.language, cohort.second_language])
    )
    metadata = {
        "cohort": cohort.slug,
        "cohort_name": cohort.name,
        "dates": cohort_dates(cohort),
        "language": cohort.language,
        "second_language": cohort.second_language,
        "region": cohort.region.value,
        "discreet": cohort.discreet,  # participant workbooks: neutral cover, title, header and footer
    }
    parameters = {
        "cohort": cohort.slug,
        "language": cohort.language,
        "audience": "facilitator",
        # Every support region, the cohort's own first: the page prints one support list for each.
        "region": ",".join(region.value for region in cohort.support_regions),
        "module_minutes": str(cohort.module_minutes),
    }
    planned = {}
    for slug in slugs:
        module = programme.module(slug)  # an unknown slug fails here, naming the ones available
        notebook = home.module_notebook(slug, module.number)
        job = ModuleJob(
            slug=slug,
            stem=notebook.stem,
            notebook=notebook,
            out=out,
            home=home.root,
            language=cohort.language,
            paper=cohort.paper.value,
            formats=formats,
            second_language=cohort.second_language,
            cell_timeout=cell_timeout,
            parameters=parameters,
            metadata=metadata,
            participant_stem=workbook_stem(programme.module(slug).number) if cohort.discreet else "",
        )
        key = fingerprint(
            curriculum=curriculum,
            notebook=sha256_bytes(notebook.read_bytes()),
            parameters=parameters,
            metadata=metadata,
            paper=job.paper,
            formats=formats,
        )
        planned[slug] = (job, key)
    return planned


class _Workers:
    """A pool of worker processes, started only if there is work: a no-op build starts none."""

    def __init__(self, jobs: int | None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the parent holds threads (the progress display)
            # and open files that a forked child must not inherit.
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=get_context("spawn"), initializer=prepare_worker
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def build_cohort(
    cohort_file: Path,
    out: Path,
    *,
    jobs: int | None = None,
    formats: tuple[str, ...] = FORMATS,
    modules: list[str] | None = None,
    home: Home | None = None,
    progress: StatusReport | None = None,
    planned: Callable[[int], None] | None = None,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
) -> BuildResult:
    """Build a cohort's handouts and packs into ``out``; raise BuildFailed if any module failed."""
    home = home or find_home()
    cohort = load_cohort(cohort_file, load_programme(home=home))
    programme = load_programme(cohort.language, home)
    out = out.resolve()
    cache = _Cache.load(out)
    slugs = list(dict.fromkeys([*cohort.module_slugs, *(modules or [])]))
    plan = _jobs_for(home, programme, cohort, slugs, out, formats, cell_timeout)
    selected = modules or cohort.module_slugs
    if planned:
        planned(len(selected) + 2)  # modules, then the packs, then the print kits
    report = progress or (lambda label, status: None)
    result = BuildResult(out, None, [])
    workers = _Workers(jobs)
    try:
        started = time.perf_counter()
        pending: dict[Future[Any], tuple[ModuleJob, str]] = {}
        for slug in selected:
            job, key = plan[slug]
            if cache.current(slug, key, out) is None:
                pending[workers.pool().submit(run_module_job, job)] = (job, key)
            else:
                result.cached.append(slug)
                report(slug, "cached")
        _collect(pending, workers, cache, result, report)
        result.module_seconds = time.perf_counter() - started
        started = time.perf_counter()
        _print_packs(programme, cohort, plan, cache, out, formats, result, workers)
        kits = _print_kits(programme, cohort, plan, selected, cache, out, formats, workers)
        result.pack_seconds = time.perf_counter() - started
    finally:
        workers.close()
    report("packs", "skipped" if result.packs_skipped else ("cached" if "packs" in result.cached else "built"))
    report("kits", kits)
    result.artifacts = [
        Artifact.from_json(item)
        for name in [*cohort.module_slugs, "packs", *(f"kit:{slug}" for slug in cohort.module_slugs)]
        for item in cache.entries.get(name, {}).get("artifacts", [])
    ]
    result.manifest = write_manifest(
        out, cohort.slug, __version__, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), result.artifacts
    )
    if result.failures:
        raise BuildFailed(result.failures)
    return result


def _collect(
    pending: dict[Future[Any], tuple[ModuleJob, str]],
    workers: _Workers,
    cache: _Cache,
    result: BuildResult,
    report: StatusReport,
) -> None:
    """Wait for module tasks; when a notebook has run, queue its PDFs; record finished modules."""
    done: dict[str, list[Artifact]] = {}
    outstanding: dict[str, int] = {}
    while pending:
        future = next(as_completed(pending))
        job, key = pending.pop(future)
        try:
            outcome = future.result()
        except ModuleBuildFailed as failure:
            result.failures.append(failure)
            report(job.slug, "failed")
            continue
        if isinstance(outcome, list):  # the notebook ran and its HTML is written
            done[job.slug] = outcome
            pdfs = [workers.pool().submit(render_module_pdf, job, a) for a in AUDIENCES] if "pdf" in job.formats else []
            outstanding[job.slug] = len(pdfs)
            pending.update({pdf: (job, key) for pdf in pdfs})
        else:
            done[job.slug].append(outcome)
            outstanding[job.slug] -= 1
        if outstanding[job.slug] == 0:
            cache.store(job.slug, key, sorted(done[job.slug], key=lambda a: a.path))
            result.built.append(job.slug)
            report(job.slug, "built")


def _print_packs(
    programme: Programme,
    cohort: Cohort,
    plan: dict[str, tuple[ModuleJob, str]],
    cache: _Cache,
    out: Path,
    formats: tuple[str, ...],
    result: BuildResult,
    workers: _Workers,
) -> None:
    from toolkit.builder.packs import part_from_handout, render_pack
    from toolkit.handouts.pdf import html_to_pdf

    failed = {failure.module for failure in result.failures}
    missing = [slug for slug in cohort.module_slugs if slug not in cache.entries or slug in failed]
    if missing:
        result.packs_skipped = f"packs need every module of the cohort; not built: {', '.join(missing)}"
        return
    keys = {slug: cache.entries[slug]["key"] for slug in cohort.module_slugs}
    key = fingerprint(modules=keys, cohort=cohort.model_dump(mode="json"), formats=formats)
    if cache.current("packs", key, out) is not None:
        result.cached.append("packs")
        return
    pages = {}
    for audience in PACKS:
        parts = [
            part_from_handout(
                slug,
                f"{programme.module(slug).number}. {programme.module(slug).title}",
                plan[slug][0].body_path(audience).read_text(),
            )
            for slug in cohort.module_slugs
        ]
        pages[audience] = render_pack(programme, cohort, audience, parts, NBCONVERT_TEMPLATES / "handout")
    # Each pack is one long document: lay them out side by side in the workers.
    pdfs = (
        {audience: workers.pool().submit(html_to_pdf, html) for audience, html in pages.items()}
        if "pdf" in formats
        else {}
    )
    artifacts = []
    for audience, name in PACKS.items():
        for fmt in formats:
            data = pack_file(fmt, pages[audience], pdfs.get(audience))
            artifacts.append(
                save_artifact(
                    out,
                    f"{name}.{fmt}",
                    data,
                    module=None,
                    audience=audience,
                    language=cohort.language,
                    format=fmt,
                    kind="pack",
                )
            )
    cache.store("packs", key, artifacts)
    result.built.append("packs")


def pack_file(fmt: str, html: str, pdf: Future[bytes] | None) -> bytes:
    """A pack's file in ``fmt``: its HTML page, or the PDF laid out from it in a worker.

    Each format by name: a format added to FORMATS without a case here is an error, not a PDF.
    """
    if fmt == "html":
        return html.encode()
    if fmt == "pdf" and pdf is not None:
        return pdf.result()
    hint = f"use {' or '.join(FORMATS)}"
    raise ValidationFailed([_Problem("--formats", "", f"no pack can be written as {fmt!r}", hint)])


def _print_kits(
    programme: Programme,
    cohort: Cohort,
    plan: dict[str, tuple[ModuleJob, str]],
    selected: list[str],
    cache: _Cache,
    out: Path,
    formats: tuple[str, ...],
    workers: _Workers,
) -> str:
    """Each selected module's print kit as facilitator/NN-slug-kit.pdf; kits are for paper, so PDF only.

    Cached per module under ``kit:<slug>``: a kit depends on its kit file (in
    the curriculum hash of the module's key), the module's title and the cohort
    (language, paper, name). Returns the status to report.
    """
    from toolkit.handouts.kit import kit_pdf

    kits = {slug: kit for slug in selected if (kit := programme.kit(slug)) is not None}
    if "pdf" not in formats or not kits:
        return "skipped"
    pending = {}
    for slug, kit in kits.items():
        key = fingerprint(kit=kit.model_dump(mode="json"), module=plan[slug][1], cohort=cohort.model_dump(mode="json"))
        if cache.current(f"kit:{slug}", key, out) is None:
            pending[slug] = (key, workers.pool().submit(kit_pdf, kit, programme.module(slug), cohort))
    for slug, (key, pdf) in pending.items():
        artifact = save_artifact(
            out,
            f"facilitator/{plan[slug][0].stem}-kit.pdf",
            pdf.result(),
            module=slug,
            audience="facilitator",
            language=cohort.language,
            format="pdf",
            kind="kit",
        )
        cache.store(f"kit:{slug}", key, [artifact])
    return "built" if pending else "cached"
