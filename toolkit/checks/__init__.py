"""``bridges check``: every rule over curriculum/, modules/ and a cohort file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.checks.audience import check_audience
from toolkit.checks.claims import check_kits, stale_claims
from toolkit.checks.consistency import check_consistency
from toolkit.checks.evaluation import check_evaluation
from toolkit.checks.notebooks import check_notebooks
from toolkit.checks.personas import check_personas
from toolkit.checks.pieces import check_pieces
from toolkit.checks.safe_practice import check_safe_practice
from toolkit.checks.support import check_support
from toolkit.checks.timings import check_timings
from toolkit.cohorts import load_cohort
from toolkit.curriculum import LoadedCurriculum, load_curriculum
from toolkit.errors import Problem, ValidationFailed
from toolkit.paths import Home
from toolkit.schema.cohort import Cohort


@dataclass(frozen=True)
class CheckResult:
    loaded: LoadedCurriculum | None
    cohort: Cohort | None
    problems: list[Problem]
    notebooks: int
    notices: list[Problem] = field(default_factory=list)  # listed, but the check still passes

    @property
    def ok(self) -> bool:
        return not self.problems


def run_check(home: Home, cohort_path: Path | None = None) -> CheckResult:
    """Validate everything; collect every problem rather than stopping at the first."""
    problems: list[Problem] = []
    notices: list[Problem] = []
    loaded: LoadedCurriculum | None = None
    cohort: Cohort | None = None
    try:
        loaded = load_curriculum(home)
    except ValidationFailed as exc:
        problems += exc.problems
    if loaded is not None:
        problems += check_consistency(loaded)
        problems += check_kits(loaded)
        notices += stale_claims(loaded)
        problems += check_personas(loaded)
        problems += check_safe_practice(loaded)
        problems += check_support(loaded)
        problems += check_evaluation(loaded)
        problems += check_pieces(loaded)
        problems += check_timings(loaded)
        problems += check_notebooks(home, loaded.programme)
        problems += check_audience(home.modules, home.root)
    if cohort_path is not None:
        try:
            cohort = load_cohort(cohort_path, loaded.programme if loaded else None)
        except ValidationFailed as exc:
            problems += exc.problems
    notebooks = len(list(home.modules.glob("*.ipynb"))) if home.modules.is_dir() else 0
    return CheckResult(loaded, cohort, problems, notebooks, notices)
