"""Benchmark: `bridges build` against the pipeline a coordinator would otherwise script.

Same work on both sides: the demo cohort's 7 modules x 2 audiences, each as
HTML and PDF (28 files). The naive pipeline runs, per module and audience,
the `papermill` CLI, then `jupyter nbconvert --to html` (facilitator tag
removed for participants, inputs hidden), then the `weasyprint` CLI. Both
run in this one process's lifetime, one after the other, on this machine.

Prints both times, the ratio, the unchanged-rebuild time (the `bridges`
command end to end, process start included) and the packs' time, which the
naive pipeline has no counterpart for.

    python benchmarks/build.py [--skip-naive]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO = REPO / "examples" / "demo-cohort.yaml"


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(part) for part in command], check=True, capture_output=True, env=env)


def naive(work: Path) -> float:
    env = {**os.environ, "BRIDGES_HOME": str(REPO), "BRIDGES_DATA_DIR": str(work / "data")}
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for notebook in sorted((REPO / "modules").glob("[0-9][0-9]-*.ipynb")):
        for audience in ("participant", "facilitator"):
            executed = work / f"{notebook.stem}-{audience}.ipynb"
            run(BIN / "papermill", notebook, executed, "-p", "cohort", "demo", "-p", "audience", audience, env=env)
            removal = ["--TagRemovePreprocessor.remove_cell_tags=facilitator"] if audience == "participant" else []
            removal += ["--TagRemovePreprocessor.remove_single_output_tags=facilitator"] if removal else []
            run(BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", *removal, executed, env=env)
            run(BIN / "weasyprint", executed.with_suffix(".html"), executed.with_suffix(".pdf"), env=env)
    return time.perf_counter() - started


def bridges(work: Path) -> tuple[float, float, float, float]:
    from toolkit.builder.runner import build_cohort
    from toolkit.paths import Home

    out = work / "bridges"
    started = time.perf_counter()
    result = build_cohort(DEMO, out, home=Home(REPO))
    total = time.perf_counter() - started
    started = time.perf_counter()
    run(BIN / "bridges", "build", DEMO, "--out", out, "--home", REPO)
    noop = time.perf_counter() - started
    return total, result.module_seconds, result.pack_seconds, noop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-naive", action="store_true", help="only time bridges build")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # Each side starts without warm caches of ours.
        os.environ["BRIDGES_CACHE_DIR"] = str(work / "cache")
        total, modules, packs, noop = bridges(work)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"bridges build, 14 module handouts (html+pdf): {modules:7.1f} s")
        print(f"bridges build, cohort + facilitator packs:     {packs:7.1f} s")
        print(f"bridges build, whole first build:              {total:7.1f} s")
        print(f"bridges build, unchanged rebuild (CLI):        {noop:7.2f} s")
        if not options.skip_naive:
            naive_seconds = naive(work / "naive")
            print(f"naive CLI pipeline, 14 module handouts:        {naive_seconds:7.1f} s")
            print(f"speed-up on the module handouts:               {naive_seconds / modules:7.1f} x")


if __name__ == "__main__":
    main()
