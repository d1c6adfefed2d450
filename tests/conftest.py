"""Shared fixtures: a copy of the small valid home to break, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def _session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bridges-cache")


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _session_cache_dir: Path
) -> None:
    # Tests never write event stores or caches into the real user folders.
    monkeypatch.setenv("BRIDGES_DATA_DIR", str(tmp_path_factory.mktemp("bridges-data")))
    monkeypatch.setenv("BRIDGES_CACHE_DIR", str(_session_cache_dir))
    monkeypatch.delenv("BRIDGES_HOME", raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A writable copy of tests/data/home (one valid module, one notebook)."""
    target = tmp_path / "home"
    shutil.copytree(DATA / "home", target)
    return target


@pytest.fixture
def cohort_file(tmp_path: Path) -> Path:
    target = tmp_path / "cohort.yaml"
    shutil.copy(DATA / "cohort.yaml", target)
    return target


Editor = Callable[[Path, Callable[[Any], None]], None]


@pytest.fixture
def edit_yaml() -> Editor:
    """Change a YAML file in place through a function, keeping its layout."""

    def edit(path: Path, change: Callable[[Any], None]) -> None:
        yaml = YAML(typ="rt")
        data = yaml.load(path.read_text(encoding="utf-8"))
        change(data)
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)

    return edit


@pytest.fixture
def cli() -> Iterator[Callable[..., Any]]:
    from toolkit.cli import app

    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, list(args), catch_exceptions=False)

    yield invoke
