"""An installed wheel finds its curriculum without a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import REPO


@pytest.mark.slow
def test_wheel_installed_in_fresh_venv_runs_check(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("bridges_curriculum-*.whl")

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    # Dependencies come from the test environment (appended after the venv's own
    # site-packages, so the wheel's toolkit wins); the toolkit itself only from the wheel.
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"BRIDGES_HOME", "PYTHONPATH"}}
    # The borrowed packages' data files (nbconvert's base templates) stay in this
    # venv's share/jupyter, where pip put them; point Jupyter there as well.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    where = subprocess.run(
        [python, "-c", "import toolkit.paths as p; print(p.PACKAGE_DIR); print(p.find_home().root)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert where[0].startswith(str(env_dir)), "toolkit must be imported from the wheel"
    assert where[1] == str(Path(where[0]) / "_data")

    result = subprocess.run(
        [env_dir / "bin" / "bridges", "check"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 7 modules, ")

    # A build from the wheel: its notebooks, nbconvert templates and catalogues all ship inside it.
    wide = {**env, "COLUMNS": "200"}  # keep the summary table on one line per module
    cohort = Path(where[1]) / "examples" / "demo-cohort.yaml"
    build = subprocess.run(
        [env_dir / "bin" / "bridges", "build", cohort, "--modules", "shared-experiences", "--out", "out"],
        cwd=elsewhere,
        env=wide,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    assert "shared-experiences" in build.stdout and "built" in build.stdout
    assert (elsewhere / "out" / "participant" / "01-shared-experiences.pdf").stat().st_size > 10_000
