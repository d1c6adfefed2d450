"""Hostile input: YAML built to hang, crash or exhaust the toolkit, and store URLs that split or misplace a cohort.

Every hostile file goes through the real commands (`bridges check` and
`bridges build`) under a deadline, as a cohort file and as a curriculum file:
each must end in a one-line `file: what is wrong (what to do)` and exit code
1, quickly, with no traceback.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from conftest import REPO
from pydantic import ValidationError

from toolkit import yamlio
from toolkit.cohorts import load_cohort, store_url
from toolkit.errors import BridgesError, InvalidValue, ValidationFailed
from toolkit.events.registry import StoreKind, store_kinds
from toolkit.paths import Home
from toolkit.schema.cohort import Cohort

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero and SIGALRM are POSIX")

DEADLINE_SECONDS = 30  # today's billion laughs runs for minutes; refused, it takes well under a second
CURRICULUM_FILE = "curriculum/glossary.yaml"


class Overran(BaseException):
    """Not an Exception, so no `except Exception` in the code under test can swallow it."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Overran(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def write(text: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return make


def make_huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(4 * 1024**3)  # sparse: 4 GiB that no disk holds and no reader may load


def make_over_cap(path: Path) -> None:
    path.write_text("# " + "x" * yamlio.MAX_BYTES + "\n", encoding="utf-8")


# name -> (how to make the file at a path, what the person is told)
HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "billion-laughs": (
        write(billion_laughs()),
        "aliases (*name) expand to more than 20,000 values (write the values out instead of repeating anchors)",
    ),
    "deep-flow-nesting": (
        write("x: " + "[" * 50_000 + "]" * 50_000 + "\n"),
        "nested more than 32 levels deep (flatten the structure; no Bridges file needs this)",
    ),
    "deep-block-nesting": (
        write("".join("  " * level + "a:\n" for level in range(200)) + "  " * 200 + "b\n"),
        "nested more than 32 levels deep (flatten the structure; no Bridges file needs this)",
    ),
    "deep-through-aliases": (
        write("a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 100))),
        "nested more than 32 levels deep",
    ),
    "alias-cycle": (write("x: &a [*a]\n"), "alias *a is inside the value it refers to (remove the alias)"),
    "dev-zero": (
        lambda path: path.symlink_to("/dev/zero"),
        "is not a regular file (a device, pipe or socket) (give the path of an ordinary .yaml file)",
    ),
    "named-pipe": (
        os.mkfifo,
        "is not a regular file (a device, pipe or socket) (give the path of an ordinary .yaml file)",
    ),
    "folder": (lambda path: path.mkdir(), "is a folder, not a YAML file (give the path of a .yaml file)"),
    "sparse-4-GiB": (make_huge, "is larger than 512 KB, far more than any cohort or curriculum file"),
    "just-over-the-cap": (make_over_cap, "is larger than 512 KB, far more than any cohort or curriculum file"),
    "impossible-date": (
        write("d: 2027-02-30\n"),
        "a value YAML cannot read: day is out of range for month (check dates, numbers and !!tags)",
    ),
    "integer-of-5000-digits": (write("n: " + "9" * 5000 + "\n"), "a value YAML cannot read: Exceeds the limit"),
    "unknown-bool": (write("x: !!bool maybe\n"), "a value YAML cannot read"),
}


def assert_refused(result: Any, where: str, message: str) -> None:
    output = " ".join(result.output.split())  # undo terminal wrapping of long messages
    assert result.exit_code == 1, result.output
    assert f"{where}:" in output and message in output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", HOSTILE)
def test_check_refuses_a_hostile_cohort_file(cli: Any, home: Path, tmp_path: Path, kind: str) -> None:
    make, message = HOSTILE[kind]
    cohort = tmp_path / "cohort.yaml"
    make(cohort)
    with deadline(DEADLINE_SECONDS):
        result = cli("check", "--home", str(home), str(cohort))
    assert_refused(result, str(cohort), message)


@pytest.mark.parametrize("kind", HOSTILE)
def test_check_refuses_a_hostile_curriculum_file(cli: Any, home: Path, kind: str) -> None:
    make, message = HOSTILE[kind]
    (home / CURRICULUM_FILE).unlink()
    make(home / CURRICULUM_FILE)
    with deadline(DEADLINE_SECONDS):
        result = cli("check", "--home", str(home))
    assert_refused(result, CURRICULUM_FILE, message)


@pytest.mark.parametrize("kind", [kind for kind in HOSTILE if kind != "folder"])
def test_build_refuses_a_hostile_cohort_file(cli: Any, home: Path, tmp_path: Path, kind: str) -> None:
    make, message = HOSTILE[kind]
    cohort = tmp_path / "cohort.yaml"
    make(cohort)
    with deadline(DEADLINE_SECONDS):
        result = cli("build", str(cohort), "--home", str(home), "--out", str(tmp_path / "out"), "--formats", "html")
    assert_refused(result, str(cohort), message)
    assert not (tmp_path / "out").exists()


def test_build_refuses_a_folder_as_cohort_file_before_reading_it(cli: Any, home: Path, tmp_path: Path) -> None:
    # `build` declares its argument a file, so the command line refuses a folder as a usage error.
    with deadline(DEADLINE_SECONDS):
        result = cli("build", str(tmp_path), "--home", str(home), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "Invalid value for 'cohort'" in result.output
    assert "Traceback" not in result.output


# A 4 GiB curriculum file is left out here: `bridges build` hashes the curriculum
# (toolkit.hashing) before it parses anything, and that reads every file whole.
@pytest.mark.parametrize("kind", [kind for kind in HOSTILE if kind != "sparse-4-GiB"])
def test_build_refuses_a_hostile_curriculum_file(
    cli: Any, home: Path, cohort_file: Path, tmp_path: Path, kind: str
) -> None:
    make, message = HOSTILE[kind]
    (home / CURRICULUM_FILE).unlink()
    make(home / CURRICULUM_FILE)
    with deadline(DEADLINE_SECONDS):
        result = cli(
            "build", str(cohort_file), "--home", str(home), "--out", str(tmp_path / "out"), "--formats", "html"
        )
    assert_refused(result, CURRICULUM_FILE, message)


def test_dev_zero_itself_as_the_cohort_file(cli: Any, home: Path, tmp_path: Path) -> None:
    with deadline(DEADLINE_SECONDS):
        for args in (("check", "--home", str(home), "/dev/zero"), ("build", "/dev/zero", "--home", str(home))):
            assert_refused(cli(*args), "/dev/zero", "is not a regular file")


def test_too_many_values_are_refused(cli: Any, home: Path, tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text("x: [" + ", ".join(["1"] * (yamlio.MAX_VALUES + 10)) + "]\n", encoding="utf-8")
    with deadline(DEADLINE_SECONDS):
        result = cli("check", "--home", str(home), str(cohort))
    assert_refused(result, f"{cohort}:1", "more than 20,000 values in one file")


def test_anchors_and_aliases_within_the_limits_still_work(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("a: &x [1, 2]\nb: *x\nc: {<<: {q: 1}, r: 2}\n", encoding="utf-8")
    assert yamlio.load_document(path).data == {"a": [1, 2], "b": [1, 2], "c": {"r": 2, "q": 1}}


def test_windows_line_endings_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"a: 1\r\nb:\r\n  c: 2\r\n")
    doc = yamlio.load_document(path)
    assert doc.data == {"a": 1, "b": {"c": 2}}
    assert doc.line_of(("b", "c")) == 3


def test_the_limits_leave_room_for_the_real_curriculum() -> None:
    # The caps are meant to be invisible to real files: at least four times the largest.
    largest = max(path.stat().st_size for path in (REPO / "curriculum").rglob("*.yaml"))
    assert largest * 4 < yamlio.MAX_BYTES


# -- store URLs ------------------------------------------------------------------------------


def cohort_with_store(folder: Path, store: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cohort.yaml"
    text = (REPO / "tests/data/cohort.yaml").read_text(encoding="utf-8")
    path.write_text(f"{text}store: '{store}'\n", encoding="utf-8")
    return path


def test_relative_store_is_resolved_against_the_cohort_file(tmp_path: Path) -> None:
    cohort_file = cohort_with_store(tmp_path / "cohorts", "sqlite:///data/events.sqlite")
    expected = f"sqlite:///{(tmp_path.resolve() / 'cohorts/data/events.sqlite').as_posix()}"
    assert store_url(load_cohort(cohort_file)) == expected


def test_one_store_however_the_cohort_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cohort_file = cohort_with_store(tmp_path / "cohorts", "sqlite:///events.sqlite")
    link = tmp_path / "elsewhere" / "linked.yaml"
    link.parent.mkdir()
    link.symlink_to(cohort_file)
    urls = {store_url(load_cohort(cohort_file)), store_url(load_cohort(link))}
    for folder in (tmp_path, cohort_file.parent, link.parent):
        monkeypatch.chdir(folder)
        urls |= {store_url(load_cohort(Path(os.path.relpath(cohort_file)))), store_url(load_cohort(link))}
    assert urls == {f"sqlite:///{(tmp_path.resolve() / 'cohorts/events.sqlite').as_posix()}"}


def injected_parameters(notebook: Path) -> dict[str, Any]:
    """The values papermill injected into a prepared notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    source = "".join(next(c for c in cells if "injected-parameters" in c["metadata"].get("tags", []))["source"])
    assignments = [line.split(" = ", 1) for line in source.splitlines() if " = " in line]
    return {name.strip(): ast.literal_eval(value) for name, value in assignments}


def test_participants_and_dashboard_are_given_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The split of issue 11: participants' kernels run in site/, the dashboard's in site/facilitator/."""
    from toolkit.live.site import DASHBOARD, prepare_site

    cohort_file = tmp_path / "cohort" / "demo.yaml"
    cohort_file.parent.mkdir()
    shutil.copy(REPO / "examples/demo-cohort.yaml", cohort_file)
    with cohort_file.open("a", encoding="utf-8") as handle:
        handle.write("store: sqlite:///data/events.sqlite\n")
    monkeypatch.chdir(tmp_path)
    cohort = load_cohort(Path("cohort/demo.yaml"))
    (tmp_path / "site" / "facilitator").mkdir(parents=True)
    site = prepare_site(cohort, Path("cohort/demo.yaml"), Home(REPO), tmp_path / "site")

    expected = f"sqlite:///{(tmp_path.resolve() / 'cohort/data/events.sqlite').as_posix()}"
    assert site.notebooks
    for name in site.notebooks.values():
        assert injected_parameters(tmp_path / "site" / name)["store"] == expected
    cohort_file = injected_parameters(tmp_path / "site" / DASHBOARD)["cohort_file"]
    for folder in (tmp_path / "site", tmp_path / "site" / "facilitator"):  # each kernel's working folder
        monkeypatch.chdir(folder)
        assert store_url(load_cohort(Path(cohort_file))) == expected


def test_a_cohort_not_loaded_from_a_file_takes_only_absolute_stores(tmp_path: Path) -> None:
    data = {"name": "x", "slug": "x", "sessions": [{"date": "2027-01-09", "start": "18:30", "modules": ["m"]}]}
    with pytest.raises(ValidationError, match="can only be resolved against a cohort file"):
        Cohort.model_validate({**data, "store": "sqlite:///events.sqlite"})
    absolute = f"sqlite:///{(tmp_path / 'events.sqlite').as_posix()}"
    assert Cohort.model_validate({**data, "store": absolute}).store == absolute


def test_store_in_a_system_folder_through_a_symbolic_link(cli: Any, home: Path, tmp_path: Path) -> None:
    (tmp_path / "config").symlink_to("/etc")
    cohort_file = cohort_with_store(tmp_path, "sqlite:///config/bridges.sqlite")
    result = cli("check", "--home", str(home), str(cohort_file))
    assert result.exit_code == 1
    assert f"{cohort_file}:9: store: " in result.output
    assert "is in the system folder /etc" in result.output


def test_store_may_not_be_the_cohort_file_or_an_existing_folder(cli: Any, home: Path, tmp_path: Path) -> None:
    cohort_file = cohort_with_store(tmp_path, "sqlite:///cohort.yaml")
    output = cli("check", "--home", str(home), str(cohort_file)).output
    assert "the store would overwrite the cohort file itself" in output
    (tmp_path / "data").mkdir()
    cohort_file = cohort_with_store(tmp_path, "sqlite:///data")
    output = " ".join(cli("check", "--home", str(home), str(cohort_file)).output.split())
    assert f"store: '{(tmp_path.resolve() / 'data').as_posix()}' is a folder (name a file in it" in output


def test_a_third_store_needs_only_a_registered_kind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cohort_file = cohort_with_store(tmp_path, "example://bridges@db/bridges")
    with pytest.raises(ValidationFailed, match="only postgresql: or sqlite: is supported"):
        load_cohort(cohort_file)
    kind = StoreKind(check=lambda url, parts, cohort_file: url, open=lambda url: pytest.fail("not opened"))
    monkeypatch.setitem(store_kinds(), "example", kind)
    assert store_url(load_cohort(cohort_file)) == "example://bridges@db/bridges"


def test_invalid_value_is_a_picklable_bridges_value_error() -> None:
    error = InvalidValue("what is wrong", "what to do")
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, InvalidValue) and isinstance(copy, BridgesError) and isinstance(copy, ValueError)
    assert (str(copy), copy.hint) == ("what is wrong", "what to do")
