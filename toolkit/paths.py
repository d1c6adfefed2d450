"""Find curriculum/ and modules/ from a checkout or an installed wheel.

Order: the BRIDGES_HOME environment variable, then the source checkout this
package sits in, then the copy shipped inside the wheel (toolkit/_data).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import CurriculumNotFound, Problem, ValidationFailed

PACKAGE_DIR = Path(__file__).resolve().parent
# Templates found by nbconvert (handout, and the packs built on it) and Voilà (bridges).
JUPYTER_DATA = PACKAGE_DIR / "jupyter_data"
NBCONVERT_TEMPLATES = JUPYTER_DATA / "nbconvert" / "templates"


@dataclass(frozen=True)
class Home:
    """A folder holding ``curriculum/`` and ``modules/``."""

    root: Path

    @property
    def curriculum(self) -> Path:
        return self.root / "curriculum"

    @property
    def modules(self) -> Path:
        return self.root / "modules"

    @property
    def demo_cohort(self) -> Path:
        return self.root / "examples" / "demo-cohort.yaml"

    def module_notebooks(self) -> dict[str, Path]:
        """Module slug -> its notebook, from the NN-slug.ipynb names in modules/."""
        return {path.stem.split("-", 1)[1]: path for path in sorted(self.modules.glob("[0-9][0-9]-*.ipynb"))}

    def module_notebook(self, slug: str, number: int) -> Path:
        """Module ``slug``'s notebook, or ValidationFailed naming the file to create."""
        found = self.module_notebooks().get(slug)
        if found is None:
            raise ValidationFailed([self.missing_notebook(slug, number)])
        return found

    def missing_notebook(self, slug: str, number: int) -> Problem:
        """The problem `check`, `build` and `serve` all report for a module without its notebook."""
        return Problem(
            f"modules/{number:02d}-{slug}.ipynb",
            "",
            f"module {slug!r} is in the curriculum but has no notebook",
            "create it (copy another module's notebook and change its ids) or remove the module's YAML",
        )

    def is_complete(self) -> bool:
        return (self.curriculum / "programme.yaml").is_file() and self.modules.is_dir()


def candidate_homes() -> list[Home]:
    homes = []
    if env := os.environ.get("BRIDGES_HOME"):
        homes.append(Home(Path(env).expanduser().resolve()))
    homes += [Home(PACKAGE_DIR.parent), Home(PACKAGE_DIR / "_data")]
    return homes


def find_home() -> Home:
    """The first complete home, or an error listing every place looked at."""
    homes = candidate_homes()
    for home in homes:
        if home.is_complete():
            return home
    raise CurriculumNotFound([home.root for home in homes])


def data_dir() -> Path:
    """Where cohort data (event stores) live unless a cohort file says otherwise.

    Outside the source tree on purpose: responses are personal data and must
    never end up in a commit.
    """
    if env := os.environ.get("BRIDGES_DATA_DIR"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bridges"


def cache_dir() -> Path:
    """Where derived, disposable data is kept (BRIDGES_CACHE_DIR, else the XDG cache folder)."""
    if env := os.environ.get("BRIDGES_CACHE_DIR"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bridges"
