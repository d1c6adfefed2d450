"""`bridges check` names the file, line, field and fix for each class of error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import Editor

from toolkit.languages import LANGUAGES

MODULE = "curriculum/modules/01-fixture-theme.yaml"


def check(cli: Any, home: Path, *extra: str) -> Any:
    return cli("check", "--home", str(home), *extra)


def line_of(path: Path, text: str) -> int:
    """1-based number of the first line of ``path`` containing ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_valid_fixture_passes(cli: Any, home: Path, cohort_file: Path) -> None:
    result = check(cli, home, str(cohort_file))
    assert result.exit_code == 0, result.output
    assert "ok: 1 modules, 1 notebooks" in result.output
    assert "cohort 'fixture'" in result.output


def test_missing_field_names_file_line_field_and_fix(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["activities"][0].pop("how_to_pass"))
    result = check(cli, home)
    assert result.exit_code == 1
    # A missing field is reported at the start of the mapping that lacks it.
    line = line_of(home / MODULE, "- id: ft-act-circle")
    assert f"{MODULE}:{line}: activities[0].how_to_pass: Field required (add the field 'how_to_pass')" in result.output


def test_wrong_type(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["activities"][1].__setitem__("minutes", "ten"))
    result = check(cli, home)
    assert result.exit_code == 1
    line = line_of(home / MODULE, "minutes: ten")
    assert f"{MODULE}:{line}: activities[1].minutes:" in result.output
    assert "write a whole number" in result.output


def test_unknown_field_is_reported(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d.__setitem__("minuets", 30))
    result = check(cli, home)
    assert result.exit_code == 1
    assert "minuets: Extra inputs are not permitted (remove it, or check its spelling" in result.output


def test_unknown_module_slug_in_cohort(cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor) -> None:
    edit_yaml(cohort_file, lambda d: d["sessions"][0]["modules"].append("no-such-module"))
    result = check(cli, home, str(cohort_file))
    assert result.exit_code == 1
    assert "sessions[0].modules[1]: unknown module slug 'no-such-module' (available: fixture-theme)" in result.output


def test_unknown_module_slug_in_programme_order(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / "curriculum/programme.yaml", lambda d: d["modules"].append("ghost"))
    result = check(cli, home)
    assert result.exit_code == 1
    line = line_of(home / "curriculum/programme.yaml", "ghost")
    assert f"curriculum/programme.yaml:{line}: modules[1]: unknown module slug 'ghost'" in result.output


def test_duplicate_exercise_id(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["exercises"][2].__setitem__("id", "ft-tradition"))
    result = check(cli, home)
    assert result.exit_code == 1
    assert "exercises[2].id: duplicate id 'ft-tradition' (give every item its own id)" in result.output


def test_minutes_must_sum_to_module_length(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["activities"][0].__setitem__("minutes", 25))
    result = check(cli, home)
    assert result.exit_code == 1
    assert "the 90-minute plan sums to 70 minutes (activities 45, debrief 10, rituals 15)" in result.output


@pytest.mark.parametrize("field", ["language", "second_language"])
def test_unknown_language_lists_available(
    cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor, field: str
) -> None:
    edit_yaml(cohort_file, lambda d: d.__setitem__(field, "xx"))
    result = check(cli, home, str(cohort_file))
    assert result.exit_code == 1
    assert f"{field}: unknown language code 'xx'; available: {', '.join(LANGUAGES)}" in result.output


@pytest.mark.parametrize("slug", ["../x", "/etc", "a/b", "..", "Demo"])
def test_cohort_slug_cannot_be_a_path(cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor, slug: str) -> None:
    edit_yaml(cohort_file, lambda d: d.__setitem__("slug", slug))
    result = check(cli, home, str(cohort_file))
    assert result.exit_code == 1
    assert f"{cohort_file}:2: slug: String should match pattern" in result.output
    assert "use lowercase letters, digits and single hyphens only" in result.output


@pytest.mark.parametrize("k", [4, 1, 0, -5])
def test_k_below_five_rejected(cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor, k: int) -> None:
    edit_yaml(cohort_file, lambda d: d.__setitem__("k", k))
    result = check(cli, home, str(cohort_file))
    assert result.exit_code == 1
    assert f"k: k is {k}; it may only be raised, never below 5" in result.output


def test_k_may_be_raised(cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor) -> None:
    edit_yaml(cohort_file, lambda d: d.__setitem__("k", 8))
    assert check(cli, home, str(cohort_file)).exit_code == 0


def test_malformed_yaml_gives_line(cli: Any, home: Path) -> None:
    path = home / "curriculum/glossary.yaml"
    path.write_text("terms:\n  - id: queer\n    term: [unclosed\n", encoding="utf-8")
    result = check(cli, home)
    assert result.exit_code == 1
    assert "curriculum/glossary.yaml:4: malformed YAML" in result.output
    assert "check indentation, colons and quotes" in result.output


def test_every_problem_is_reported_in_one_run(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["activities"][0].pop("how_to_pass"))
    (home / "curriculum/glossary.yaml").write_text("terms: [\n", encoding="utf-8")
    result = check(cli, home)
    assert "how_to_pass" in result.output and "glossary.yaml" in result.output
    assert "2 problem(s) found." in result.output


def test_unresolved_references(cli: Any, home: Path, edit_yaml: Editor) -> None:
    def change(d: Any) -> None:
        d["activities"][0]["exercises"].append("ft-nothing")
        d["key_points"][0]["objective"] = "ft-elsewhere"
        d["resources"].append("no-such-resource")
        d["evaluation_map"][0]["item"] = "no-such-item"

    edit_yaml(home / MODULE, change)
    out = check(cli, home).output
    assert "activities[0].exercises[2]: unknown exercise 'ft-nothing'" in out
    assert "key_points[0].objective: unknown objective 'ft-elsewhere'" in out
    assert "objectives[0]: objective 'ft-describe' has no key point" in out
    assert "resources[1]: unknown resource 'no-such-resource'" in out
    assert "evaluation_map[0].item: unknown evaluation item 'no-such-item'" in out


def test_debug_shows_traceback(cli: Any, home: Path, edit_yaml: Editor) -> None:
    from toolkit.errors import ValidationFailed

    edit_yaml(home / MODULE, lambda d: d.pop("title"))
    with pytest.raises(ValidationFailed):
        cli("--debug", "check", "--home", str(home))


def test_slug_error_prints_the_whole_pattern(cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor) -> None:
    # Rich markup used to eat "[a-z0-9]", printing pattern '^+(-+)*$'.
    edit_yaml(cohort_file, lambda d: d.__setitem__("slug", "Bad Slug"))
    result = check(cli, home, str(cohort_file))
    assert result.exit_code == 1
    assert "slug: String should match pattern '^[a-z0-9]+(-[a-z0-9]+)*$'" in result.output


def test_markup_and_emoji_codes_in_a_message_are_printed_as_written(
    cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor
) -> None:
    edit_yaml(cohort_file, lambda d: d.__setitem__("store", "sqlite:////etc/[red]x[/red]:smile:.sqlite"))
    result = check(cli, home, str(cohort_file))
    assert "store: '/etc/[red]x[/red]:smile:.sqlite' is in the system folder /etc" in result.output


STORE_LINE = 9  # the fixture cohort has eight lines; edit_yaml adds store at the end


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgres://bridges:secret@db.example/bridges",
            "store: unsupported store scheme 'postgres:'; only postgresql: or sqlite: is supported (write sqlite:///",
        ),
        ("postgresql://bridges:secret@db/bridges", "store: the PostgreSQL URL contains a password, which would travel"),
        ("postgresql:///bridges", "store: 'postgresql:///bridges' names no host (write postgresql://bridges@"),
        ("sqlite:////etc/bridges.sqlite", "store: '/etc/bridges.sqlite' is in the system folder /etc (keep responses"),
        ("sqlite:////proc/self/mem", "is in the system folder /proc"),
        ("sqlite:////srv/../sys/x.sqlite", "store: '/sys/x.sqlite' is in the system folder /sys"),
        ("sqlite:////usr/local/x.sqlite", "is in the system folder /usr"),
        ("sqlite:////events.sqlite", "store: '/events.sqlite' is directly in the root folder /"),
        ("sqlite:///../events.sqlite", "store: the relative path '../events.sqlite' uses '..'"),
        ("sqlite:///data/../../events.sqlite", "uses '..'; a relative store stays in the cohort file's folder"),
        ("sqlite:///:memory:", "store: an in-memory database lives and dies with one kernel"),
        ("sqlite:///data/", "store: 'data/' is a folder (name a file in it, e.g. sqlite:///data/events.sqlite)"),
        ("sqlite://host/events.sqlite", "store: 'sqlite://host/events.sqlite' is not a local SQLite file URL"),
        ("sqlite:events.sqlite", "is not a local SQLite file URL (write sqlite:/// and a path relative to"),
        ("sqlite:///events.sqlite?mode=ro", "store: a store URL takes no '?' options or '#' fragment"),
        ("sqlite:///events#1.sqlite", "store: a store URL takes no '?' options or '#' fragment"),
        ("sqlite://", "store: 'sqlite://' is not a local SQLite file URL"),
        ("sqlite:///", "store: the URL names no file"),
        ("events.sqlite", "store: 'events.sqlite' is not a URL: it has no scheme such as sqlite:"),
        ("", "store: store is empty"),
    ],
)
def test_bad_store_urls_are_refused(
    cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor, url: str, message: str
) -> None:
    edit_yaml(cohort_file, lambda d: d.__setitem__("store", url))
    assert line_of(cohort_file, "store:") == STORE_LINE
    result = check(cli, home, str(cohort_file))
    output = " ".join(result.output.split())  # undo terminal wrapping
    assert result.exit_code == 1
    assert f"{cohort_file}:{STORE_LINE}: store: " in output
    assert message in output
    assert "secret" not in output  # a database URL's password is never echoed


@pytest.mark.parametrize("url", ["sqlite:///events.sqlite", "sqlite:///data/events.sqlite", "sqlite:////srv/x.sqlite"])
def test_good_store_urls_pass(cli: Any, home: Path, cohort_file: Path, edit_yaml: Editor, url: str) -> None:
    edit_yaml(cohort_file, lambda d: d.__setitem__("store", url))
    result = check(cli, home, str(cohort_file))
    assert result.exit_code == 0, result.output
