"""Participants' data from start to end, on real SQLite files: erase, journal, purge, and their commands."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.cohorts import load_cohort
from toolkit.curriculum import programme
from toolkit.errors import StoreError, UnknownParticipant
from toolkit.events import Event, EventType, open_store
from toolkit.events.sqlite_store import PRIVATE_FILE_MODE, SQLiteStore
from toolkit.lifecycle.erase import erase
from toolkit.lifecycle.evaluation import Phase
from toolkit.lifecycle.journal import journal_html
from toolkit.lifecycle.purge import purge, retention_cutoff
from toolkit.paths import Home

ALEX, BEA = "river-lotus-4821", "cedar-harbour-1357"
MODULE = "fixture-theme"
NOW = dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC)

Cli = Callable[..., Any]


def write_cohort(folder: Path, **extra: str) -> Path:
    """A cohort file whose store is a file next to it."""
    lines = [
        "name: Lifecycle cohort",
        "slug: lifecycle",
        "language: en",
        "region: uk",
        "store: sqlite:///events.sqlite",
        "sessions:",
        "  - date: 2027-01-09",
        '    start: "18:30"',
        f"    modules: [{MODULE}]",
        *(f"{key}: {value}" for key, value in extra.items()),
    ]
    path = folder / "cohort.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def answered(
    participant: str,
    exercise: str,
    value: Any,
    sharing: str = "private",
    module: str = MODULE,
    time: dt.datetime | None = None,
) -> Event:
    return Event(
        type=EventType.ANSWERED,
        cohort="lifecycle",
        module=module,
        exercise=exercise,
        participant=participant,
        payload={"kind": "free_text", "value": value, "sharing": sharing},
        **({"time": time} if time else {}),
    )


def raw_bytes(database: Path) -> bytes:
    """The database file and its -wal and -shm files, as they are on disk."""
    files = [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]
    return b"".join(path.read_bytes() for path in files if path.exists())


@pytest.fixture
def cohort_yaml(tmp_path: Path) -> Path:
    return write_cohort(tmp_path)


@pytest.fixture
def fixture_home() -> Home:
    return Home(Path(__file__).parent.joinpath("data", "home").resolve())


def test_erase_leaves_no_byte_in_the_database_wal_or_shm(cohort_yaml: Path, cli: Cli) -> None:
    database = cohort_yaml.parent / "events.sqlite"
    secret = "Zanzibar-marmalade-secret-9931"
    # A kernel keeps its connection open throughout, so the -wal and -shm files exist while we look.
    with SQLiteStore(database) as kernel:
        for number in range(30):  # enough rows for several pages: erased cells sit among kept ones
            kernel.append(answered(ALEX, "ft-tradition", f"{secret} {number}"))
            kernel.append(answered(BEA, "ft-tradition", f"Bea keeps this answer {number}"))
        kernel.append(
            Event(type=EventType.PASSED, cohort="lifecycle", module=MODULE, exercise="ft-word", participant=ALEX)
        )
        assert secret.encode() in raw_bytes(database)

        result = cli("erase", str(cohort_yaml), "River Lotus 4821")  # typed as a person would

        assert result.exit_code == 0, result.output
        assert "Erased 31 event(s)" in result.output
        assert database.with_name("events.sqlite-wal").exists()
        data = raw_bytes(database)
        assert secret.encode() not in data
        assert b"Zanzibar" not in data
        assert ALEX.encode() not in data
        assert b"Bea keeps this answer" in data  # the search does see what remains
        assert kernel.read_participant("lifecycle", ALEX) == []
        assert len(kernel.read_participant("lifecycle", BEA)) == 30
        assert not kernel.knows_participant("lifecycle", ALEX)  # the code stops working


def test_erasing_one_module_leaves_the_others_and_the_code(tmp_path: Path) -> None:
    database = tmp_path / "events.sqlite"
    with SQLiteStore(database) as store:
        store.append(answered(ALEX, "ft-tradition", "Quetzal-lullaby-in-this-module"))
        store.append(answered(ALEX, "other-exercise", "kept from another module", module="another-module"))
        store.append(answered(BEA, "ft-tradition", "Bea in this module"))

        assert erase(store, "lifecycle", ALEX, module=MODULE) == 1

        assert b"Quetzal-lullaby" not in raw_bytes(database)
        assert [s.event.module for s in store.read_participant("lifecycle", ALEX)] == ["another-module"]
        assert store.knows_participant("lifecycle", ALEX)  # the code still opens their other answers
        assert len(store.read_participant("lifecycle", BEA)) == 1


def test_erase_of_an_unknown_code_is_an_error_not_zero(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        store.append(answered(BEA, "ft-tradition", "kept"))
        with pytest.raises(UnknownParticipant, match="no participant 'ghost-code-1234'"):
            erase(store, "lifecycle", "ghost-code-1234")
        assert len(store.read()) == 1


def test_cli_erase_reports_unknown_codes_and_stores_it_cannot_open(cohort_yaml: Path, cli: Cli) -> None:
    missing = cli("erase", str(cohort_yaml), ALEX)
    assert missing.exit_code == 1
    assert "no event store there" in missing.output
    assert not (cohort_yaml.parent / "events.sqlite").exists()  # not created by asking

    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        store.append(answered(BEA, "ft-tradition", "kept"))
    unknown = cli("erase", str(cohort_yaml), ALEX)
    assert unknown.exit_code == 1
    assert f"no participant {ALEX!r} in cohort 'lifecycle'" in unknown.output

    (cohort_yaml.parent / "events.sqlite").write_bytes(b"this is a spreadsheet, not a database" * 200)
    for name in ("events.sqlite-wal", "events.sqlite-shm"):
        (cohort_yaml.parent / name).unlink(missing_ok=True)
    broken = cli("erase", str(cohort_yaml), BEA)
    assert broken.exit_code == 1
    assert "not an SQLite database" in broken.output


def old_events(store: SQLiteStore) -> dict[str, Event]:
    """Events at controlled times around a 30-day retention period ending at NOW."""
    ages = {
        "ancient": dt.timedelta(days=400),
        "just-past": dt.timedelta(days=30, seconds=1),
        "just-inside": dt.timedelta(days=29, hours=23),
        "fresh": dt.timedelta(0),
    }
    events = {name: answered(ALEX, "ft-tradition", name, time=NOW - age) for name, age in ages.items()}
    # The same instant written with another offset: compared as instants, not as text.
    events["past-in-seoul"] = answered(
        BEA,
        "ft-tradition",
        "past-in-seoul",
        time=(NOW - dt.timedelta(days=31)).astimezone(dt.timezone(dt.timedelta(hours=9))),
    )
    for event in events.values():
        store.append(event)
    return events


def test_purge_removes_exactly_what_is_past_retention(tmp_path: Path) -> None:
    cohort = load_cohort(write_cohort(tmp_path, retention_days="30"))
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        old_events(store)
        assert purge(store, cohort, now=NOW, dry_run=True) == 3
        assert len(store.read()) == 5  # a dry run deletes nothing

        assert purge(store, cohort, now=NOW) == 3

        kept = sorted(stored.event.payload["value"] for stored in store.read())
        assert kept == ["fresh", "just-inside"]
        assert b"ancient" not in raw_bytes(store.path)
        assert b"past-in-seoul" not in raw_bytes(store.path)
        assert purge(store, cohort, now=NOW) == 0


def test_purge_needs_a_time_zone(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "events.sqlite") as store, pytest.raises(ValueError, match="time zone"):
        store.purge_before(dt.datetime(2027, 1, 1))


def test_retention_cutoff_counts_days_back_from_now(tmp_path: Path) -> None:
    cohort = load_cohort(write_cohort(tmp_path, retention_days="365"))
    assert retention_cutoff(cohort, NOW) == NOW - dt.timedelta(days=365)


def test_cli_purge_dry_run_counts_and_purge_deletes(tmp_path: Path, cli: Cli) -> None:
    cohort_yaml = write_cohort(tmp_path, retention_days="30")
    now = dt.datetime.now(dt.UTC)
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        store.append(answered(ALEX, "ft-tradition", "old", time=now - dt.timedelta(days=31)))
        store.append(answered(ALEX, "ft-tradition", "new", time=now))

    dry = cli("purge", str(cohort_yaml), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Would delete 1 event(s)" in dry.output
    real = cli("purge", str(cohort_yaml))
    assert "Deleted 1 event(s)" in real.output
    with open_store(f"sqlite:///{tmp_path / 'events.sqlite'}") as store:
        assert [s.event.payload["value"] for s in store.read()] == ["new"]


def test_cli_purge_of_a_cohort_without_a_store_deletes_nothing(cohort_yaml: Path, cli: Cli) -> None:
    result = cli("purge", str(cohort_yaml))
    assert result.exit_code == 0
    assert "Deleted 0 event(s)" in result.output


def alex_and_bea(store: SQLiteStore) -> None:
    store.append(answered(ALEX, "ft-tradition", "My grandmother's <script>alert(1)</script> dumplings", "private"))
    store.append(answered(BEA, "ft-tradition", "Bea's lantern festival", "quote"))
    store.append(Event(type=EventType.PASSED, cohort="lifecycle", module=MODULE, exercise="ft-word", participant=ALEX))
    store.append(
        Event(
            type=EventType.ANSWERED,
            cohort="lifecycle",
            module=MODULE,
            exercise="ft-confidence",
            participant=ALEX,
            payload={"kind": "self_rating", "value": {"before": 2, "now": 4}, "sharing": "aggregate"},
        )
    )
    store.append(
        Event(
            type=EventType.ANSWERED,
            cohort="lifecycle",
            module=Phase.AFTER.module,
            exercise="fp-eval-pass",
            participant=ALEX,
            payload={"kind": "evaluation", "value": 5, "sharing": "aggregate"},
        )
    )


def test_journal_has_the_persons_own_answers_and_nobody_elses(
    cohort_yaml: Path, fixture_home: Home, tmp_path: Path
) -> None:
    cohort = load_cohort(cohort_yaml)
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        alex_and_bea(store)
        events = store.read_participant("lifecycle", ALEX)
    html = journal_html(events, cohort, [programme("en", fixture_home)], made=dt.date(2027, 6, 1))

    assert "My grandmother" in html  # private answers are the person's own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "Private: only you see this answer" in html
    assert "You passed this question." in html
    assert "Before: 2" in html and "Now: 4" in html
    assert "Describe a tradition you carry." in html  # prompt by prompt
    assert "Fixture theme" in html  # module by module
    assert "Evaluation at the end" in html and "I felt able to pass." in html
    assert "lantern" not in html and BEA not in html and ALEX not in html


def test_journal_refuses_events_of_several_people(cohort_yaml: Path, fixture_home: Home, tmp_path: Path) -> None:
    cohort = load_cohort(cohort_yaml)
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        alex_and_bea(store)
        events = store.read()
    with pytest.raises(ValueError, match="one participant"):
        journal_html(events, cohort, [programme("en", fixture_home)])


def test_journal_shows_the_sharing_as_it_is_now(cohort_yaml: Path, fixture_home: Home, tmp_path: Path) -> None:
    cohort = load_cohort(cohort_yaml)
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        store.append(answered(ALEX, "ft-tradition", "first thoughts", "quote"))
        store.append(
            Event(
                type=EventType.SHARING_CHANGED,
                cohort="lifecycle",
                module=MODULE,
                exercise="ft-tradition",
                participant=ALEX,
                payload={"sharing": "private"},
            )
        )
        html = journal_html(store.read_participant("lifecycle", ALEX), cohort, [programme("en", fixture_home)])
    assert "Private: only you see this answer" in html
    assert "May be quoted anonymously" not in html


def test_bilingual_journal_gives_prompts_in_both_languages(tmp_path: Path) -> None:
    real = Home(Path(__file__).parent.parent.resolve())
    english = programme("en", real)
    korean = programme("ko", real)
    module = english.modules[0]
    exercise = module.exercises[0]
    translated = next(e for e in korean.module(module.slug).exercises if e.id == exercise.id)
    assert translated.prompt != exercise.prompt, "the Korean curriculum translates this prompt"
    cohort_yaml = write_cohort(tmp_path, second_language="ko")
    cohort_yaml.write_text(cohort_yaml.read_text().replace(MODULE, module.slug), encoding="utf-8")
    cohort = load_cohort(cohort_yaml)
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        store.append(answered(ALEX, exercise.id, "an answer in my words", module=module.slug))
        html = journal_html(store.read_participant("lifecycle", ALEX), cohort, [english, korean])
    assert "an answer in my words" in html
    assert f"<span class='second' lang='ko'>{translated.prompt}" in html.replace("&#x27;", "'")
    assert "Noto Sans CJK KR" in html


def test_cli_journal_writes_a_private_html_file_and_refuses_unknown_codes(
    cohort_yaml: Path, fixture_home: Home, cli: Cli
) -> None:
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        alex_and_bea(store)
    out = cohort_yaml.parent / "alex.html"
    result = cli("journal", str(cohort_yaml), ALEX, "--out", str(out), "--home", str(fixture_home.root))
    assert result.exit_code == 0, result.output
    assert "My grandmother" in out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == PRIVATE_FILE_MODE
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        assert len(store.read()) == 5  # made on request; nothing recorded about it

    unknown = cli("journal", str(cohort_yaml), "ghost-code-1234", "--out", str(out), "--home", str(fixture_home.root))
    assert unknown.exit_code == 1
    assert "no participant 'ghost-code-1234'" in unknown.output

    wrong = cli("journal", str(cohort_yaml), ALEX, "--out", str(cohort_yaml.parent / "alex.docx"))
    assert wrong.exit_code == 2


def test_store_error_names_the_missing_store(cohort_yaml: Path) -> None:
    from toolkit.lifecycle.stores import open_existing_store

    with pytest.raises(StoreError, match="no event store there"):
        open_existing_store(load_cohort(cohort_yaml))


@pytest.mark.slow
def test_cli_journal_pdf_is_tagged_and_holds_the_answers(cohort_yaml: Path, fixture_home: Home, cli: Cli) -> None:
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        alex_and_bea(store)
    out = cohort_yaml.parent / "alex.pdf"
    result = cli("journal", str(cohort_yaml), ALEX, "--out", str(out), "--home", str(fixture_home.root))
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
    assert "My grandmother" in text and "lantern" not in text
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    assert "My journal" in info  # the title, for screen readers


class SiteNotPrepared(Exception):
    """Stands in for everything serve does after purging."""


def test_serve_purges_before_it_prepares_anything(
    tmp_path: Path, fixture_home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.live import launch
    from toolkit.live.kernels import KernelLimits
    from toolkit.live.server import Listen

    cohort_yaml = write_cohort(tmp_path, retention_days="30")
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        store.append(answered(ALEX, "ft-tradition", "old", time=dt.datetime.now(dt.UTC) - dt.timedelta(days=31)))
        store.append(answered(ALEX, "ft-tradition", "new"))

    def stop(*args: object, **kwargs: object) -> None:
        raise SiteNotPrepared

    monkeypatch.setattr(launch, "prepare_site", stop)
    with pytest.raises(SiteNotPrepared):
        launch.serve_cohort(cohort_yaml, fixture_home, Listen(), KernelLimits(0, 0, 1, 0))
    with SQLiteStore(tmp_path / "events.sqlite") as store:
        assert [stored.event.payload["value"] for stored in store.read()] == ["new"]


def test_shared_answers_lists_what_is_shared_now_and_how_it_can_narrow(tmp_path: Path) -> None:
    from toolkit.events.model import Sharing
    from toolkit.lifecycle.consent import shared_answers

    with SQLiteStore(tmp_path / "events.sqlite") as store:
        store.append(answered(ALEX, "ft-tradition", "quoted", "quote"))
        store.append(answered(ALEX, "ft-word", "counted", "aggregate"))
        store.append(answered(ALEX, "ft-confidence", "kept to myself", "private"))
        store.append(answered(ALEX, "ft-other", "shared then narrowed", "quote"))
        store.append(
            Event(
                type=EventType.SHARING_CHANGED,
                cohort="lifecycle",
                module=MODULE,
                exercise="ft-other",
                participant=ALEX,
                payload={"sharing": "private"},
            )
        )
        store.append(answered(BEA, "ft-tradition", "Bea's", "quote"))
        answers = shared_answers(store.read_participant("lifecycle", ALEX), "lifecycle")
    assert [(a.exercise, a.sharing, a.value) for a in answers] == [
        ("ft-tradition", Sharing.QUOTE, "quoted"),
        ("ft-word", Sharing.AGGREGATE, "counted"),
    ]
    assert answers[0].narrower == (Sharing.AGGREGATE, Sharing.PRIVATE)
    assert answers[1].narrower == (Sharing.PRIVATE,)


def test_each_evaluation_page_asks_the_items_of_its_phase(fixture_home: Home) -> None:
    from toolkit.lifecycle.evaluation import items_for, workbook_ratings

    source = programme("en", fixture_home)
    assert [i.id for i in items_for(source, Phase.AFTER)] == ["fp-eval-share", "fp-eval-pass", "fp-eval-harm"]
    assert [i.id for i in items_for(source, Phase.FOLLOW_UP)] == ["fp-followup-share"]
    assert items_for(source, Phase.BEFORE) == []  # no pre_post item in the fixture
    # A module's item is its workbook self-rating, asked on the module's page.
    assert workbook_ratings(source) == {"ft-eval-describe": "ft-confidence"}


@pytest.mark.parametrize(
    "command",
    [["erase", ALEX], ["journal", ALEX, "--out", "j.html"], ["purge"], ["report", "--no-pdf", "--out", "r"]],
)
def test_every_command_says_when_the_store_cannot_be_opened(
    cohort_yaml: Path, fixture_home: Home, cli: Cli, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(cohort_yaml.parent)
    (cohort_yaml.parent / "events.sqlite").write_bytes(b"minutes of the committee meeting, not a database" * 100)
    home = ["--home", str(fixture_home.root)] if command[0] in ("journal", "report") else []
    result = cli(command[0], str(cohort_yaml), *command[1:], *home)
    assert result.exit_code == 1
    assert "event store" in result.output and "not an SQLite database" in result.output
    assert "Traceback" not in result.output
