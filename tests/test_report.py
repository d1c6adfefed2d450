"""The evaluation report: only shared answers, nothing below k, nothing derivable, on real SQLite stores."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from itertools import combinations_with_replacement, product
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.cohorts import load_cohort
from toolkit.curriculum import programme
from toolkit.events import Event, EventType
from toolkit.events.sqlite_store import SQLiteStore
from toolkit.lifecycle.evaluation import PAYLOAD_KIND, ItemAnswers, Phase
from toolkit.lifecycle.report import EVALUATION_NAME, HTML_NAME, PARTICIPATION_NAME, write_report
from toolkit.lifecycle.report.figures import (
    HIGHER,
    LOWER,
    SAME,
    ItemFigures,
    change_table,
    item_figures,
    report_figures,
)
from toolkit.lifecycle.report.signtest import format_p, sign_test
from toolkit.live.suppression import Suppressed, bounds, suppress
from toolkit.paths import Home
from toolkit.schema.programme import EvaluationDesign, EvaluationItem

K = 5
MODULE = "fixture-theme"
HOME = Home(Path(__file__).parent.joinpath("data", "home").resolve())
Cli = Callable[..., Any]


def code(number: int) -> str:
    return f"person-{1000 + number}"


def write_cohort(folder: Path, **extra: str) -> Path:
    lines = [
        "name: Report cohort",
        "slug: report",
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


def event(person: int, type: EventType, module: str, exercise: str | None = None, **payload: Any) -> Event:
    return Event(
        type=type, cohort="report", module=module, exercise=exercise, participant=code(person), payload=payload
    )


def free_text(person: int, text: str, sharing: str) -> Event:
    return event(person, EventType.ANSWERED, MODULE, "ft-tradition", kind="free_text", value=text, sharing=sharing)


def rating(person: int, item: str, value: Any, sharing: str = "aggregate", phase: Phase = Phase.AFTER) -> Event:
    return event(person, EventType.ANSWERED, phase.module, item, kind=PAYLOAD_KIND, value=value, sharing=sharing)


SECRETS = ("PRIVATE-kiwi", "AGGREGATE-mango", "WITHDRAWN-guava")


def a_cohort_that_answered(store: SQLiteStore, people: int = 8) -> None:
    """``people`` participants: attendance, free text with every sharing, and evaluation answers."""
    for person in range(people):
        store.append(event(person, EventType.MODULE_STARTED, MODULE))
        if person < people - 2:
            store.append(event(person, EventType.MODULE_COMPLETED, MODULE))
    texts = [
        free_text(0, "PRIVATE-kiwi answer", "private"),
        free_text(1, "AGGREGATE-mango answer", "aggregate"),
        free_text(2, "QUOTE-papaya: I found <b>words</b> for it", "quote"),
        free_text(3, "WITHDRAWN-guava answer", "quote"),
        event(3, EventType.SHARING_CHANGED, MODULE, "ft-tradition", sharing="private"),
        event(4, EventType.PASSED, MODULE, "ft-tradition"),
    ]
    for text in texts:
        if text.participant in {code(person) for person in range(people)}:
            store.append(text)
    for person in range(people - 1):
        store.append(rating(person, "fp-eval-share", {"before": 2, "now": 4 if person % 3 else 3}))
        store.append(rating(person, "fp-eval-pass", 5 if person < 6 else 2))
    store.append(rating(people - 1, "fp-eval-share", {"before": 1, "now": 5}, sharing="private"))
    for person in range(people):  # the module's item, asked as the workbook's self-rating
        sharing = "private" if person == 0 else "aggregate"
        value = {"before": 2, "now": 4}
        store.append(
            event(person, EventType.ANSWERED, MODULE, "ft-confidence", kind="self_rating", value=value, sharing=sharing)
        )
    store.append(rating(0, "fp-eval-harm", 1))  # one answer: fewer than k


def every_table(figures_items: list[ItemFigures]) -> Iterator[Suppressed]:
    for item in figures_items:
        yield from (t for t in (item.before, item.after, item.change, item.single) if t is not None)


@pytest.fixture
def cohort_yaml(tmp_path: Path) -> Path:
    return write_cohort(tmp_path)


def test_report_shows_consented_quotes_only_never_private_or_aggregate_text(cohort_yaml: Path) -> None:
    cohort = load_cohort(cohort_yaml)
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        a_cohort_that_answered(store)
        events = store.read()
    out = cohort_yaml.parent / "report"
    write_report(events, cohort, programme("en", HOME), out, made=dt.date(2027, 6, 1), pdf=False)
    html = (out / HTML_NAME).read_text(encoding="utf-8")
    tables = (out / EVALUATION_NAME).read_text() + (out / PARTICIPATION_NAME).read_text()

    assert "QUOTE-papaya: I found &lt;b&gt;words&lt;/b&gt; for it" in html
    for secret in SECRETS:
        assert secret not in html and secret not in tables
    for person in range(8):
        assert code(person) not in html and code(person) not in tables
    assert "People who took part: 8" in html


def test_report_counts_only_shared_answers_and_hides_every_cell_below_k(cohort_yaml: Path) -> None:
    cohort = load_cohort(cohort_yaml)
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        a_cohort_that_answered(store)
        figures = report_figures(store.read(), cohort, programme("en", HOME))
    by_id = {f.item.id: f for f in figures.items}
    assert by_id["fp-eval-share"].people == 7  # the private answer is not counted
    assert by_id["ft-eval-describe"].people == 7  # from the workbook's self-rating, private one left out
    assert by_id["fp-eval-harm"].people is None  # one answer: no table at all
    process = by_id["fp-eval-pass"].single
    assert process is not None and process.label("2") == "fewer than 5"
    tables = [*every_table(figures.items), *(row.table for row in figures.participation)]
    assert tables
    for table in tables:
        for value in table.cells.values():
            assert value is None or value == 0 or value >= K
    participation = figures.participation[0].table
    assert participation.cells["did not start"] == 0
    assert participation.label("started, not completed") == "fewer than 5"  # two left early
    assert participation.label("completed") == "hidden"  # else 8 - 6 would give them away


def test_every_figure_in_the_csv_is_zero_or_at_least_k(cohort_yaml: Path) -> None:
    cohort = load_cohort(cohort_yaml)
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        a_cohort_that_answered(store)
        events = store.read()
    out = cohort_yaml.parent / "report"
    write_report(events, cohort, programme("en", HOME), out, pdf=False)
    for name in (EVALUATION_NAME, PARTICIPATION_NAME):
        rows = list(csv.DictReader(io.StringIO((out / name).read_text())))
        assert rows
        for row in rows:
            if row["people"].isdigit():
                assert int(row["people"]) == 0 or int(row["people"]) >= K, row


def test_a_cohort_with_too_few_people_gets_no_figures(cohort_yaml: Path) -> None:
    cohort = load_cohort(cohort_yaml)
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        a_cohort_that_answered(store, people=4)
        events = store.read()
    out = cohort_yaml.parent / "report"
    write_report(events, cohort, programme("en", HOME), out, pdf=False)
    html = (out / HTML_NAME).read_text(encoding="utf-8")
    assert "Fewer than 5 people took part, so this report shows no figures" in html
    assert "<table" not in html and "<svg" not in html and "papaya" not in html
    assert (out / EVALUATION_NAME).read_text().strip().count("\n") == 0  # the header only


def test_sign_test_is_exact_and_two_sided() -> None:
    assert sign_test(9, 1) == pytest.approx(2 * (1 + 10) / 1024)  # P(X <= 1), X ~ Bin(10, 1/2), both tails
    assert sign_test(1, 9) == sign_test(9, 1)
    assert sign_test(0, 0) == 1.0
    assert sign_test(3, 3) == 1.0
    assert format_p(0.0004) == "p < 0.001" and format_p(0.0215) == "p = 0.021"


def test_a_change_is_shown_with_its_test_only_when_nothing_is_hidden() -> None:
    item = pre_post_item()
    clear = item_figures(ItemAnswers(item, [(1, 2)] * 5 + [(2, 2)] * 5, []), "", K)
    assert clear.change is not None and clear.change.cells == {HIGHER: 5, SAME: 5, LOWER: 0}
    assert clear.p_value == pytest.approx(sign_test(5, 0))
    murky = item_figures(ItemAnswers(item, [(1, 2)] * 5 + [(2, 2)] * 4 + [(2, 1)], []), "", K)
    assert murky.before is not None and murky.change is None and murky.p_value is None


# The attacker: knows every shown figure of an item, the number of people, how suppression labels
# cells, and the rule that the change is shown only when no cell is hidden; searches every
# set of (before, after) pairs that would show the same, and asks whether a hidden count is pinned.

POINTS = 3
PAIR_TYPES = list(product(range(1, POINTS + 1), repeat=2))


def pre_post_item() -> EvaluationItem:
    return EvaluationItem(
        id="x-eval",
        text="How confident are you?",
        scale_min_label="Not at all",
        scale_max_label="Very",
        scale_points=POINTS,
        design=EvaluationDesign.PRE_POST,
        source="original",
    )


Summary = tuple[tuple[int, ...], tuple[int, ...], tuple[int, int, int]]


def summary(pairs: tuple[tuple[int, int], ...]) -> Summary:
    before, after = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    change = (sum(b > a for a, b in pairs), sum(b == a for a, b in pairs), sum(b < a for a, b in pairs))
    points = range(1, POINTS + 1)
    return tuple(before[p] for p in points), tuple(after[p] for p in points), change


@cache
def candidates(people: int) -> list[Summary]:
    """What every possible group of ``people`` would have answered, as its three tables' counts."""
    return list({summary(pairs) for pairs in combinations_with_replacement(PAIR_TYPES, people)})


def agrees(table: Suppressed, counts: tuple[int, ...]) -> bool:
    for key, count in zip(table.cells, counts, strict=True):
        shown = table.cells[key]
        if shown is not None and shown != count:
            return False
        low, high = bounds(table, key)
        if shown is None and not low <= count <= high:
            return False
    return True


def change_would_show(candidate: Summary) -> bool:
    before, after, change = candidate
    tables = [suppress({str(i): c for i, c in enumerate(counts)}, K) for counts in (before, after)]
    tables.append(suppress(dict(zip((HIGHER, SAME, LOWER), change, strict=True)), K))
    return not any(table.hidden for table in tables)


def derivable(figures: ItemFigures, real: Summary, change_rule: Callable[[Summary], bool]) -> list[str]:
    """The hidden counts of an item the attacker can pin to one value; ``change_rule`` says when a change shows."""
    assert figures.before is not None and figures.after is not None
    shown_change = figures.change
    consistent = [
        candidate
        for candidate in candidates(sum(real[0]))
        if agrees(figures.before, candidate[0])
        and agrees(figures.after, candidate[1])
        and (shown_change is not None) == change_rule(candidate)
        and (shown_change is None or agrees(shown_change, candidate[2]))
    ]
    assert real in consistent, "the attacker's rules must describe the real answers"
    pinned = []
    for index, table in enumerate((figures.before, figures.after)):
        for position, key in enumerate(table.cells):
            if table.cells[key] is None and len({candidate[index][position] for candidate in consistent}) < 2:
                pinned.append(f"{('before', 'after')[index]} {key}")
    if shown_change is None:
        # The change is not shown; no small change count may follow from the distributions either.
        for position, key in enumerate((HIGHER, SAME, LOWER)):
            values = {candidate[2][position] for candidate in consistent}
            if len(values) == 1 and 0 < next(iter(values)) < K:
                pinned.append(f"change {key}")
    return pinned


pairs_strategy = st.lists(st.tuples(st.integers(1, POINTS), st.integers(1, POINTS)), min_size=K, max_size=9)


@settings(max_examples=80, deadline=None)
@given(pairs_strategy)
def test_no_hidden_count_of_an_item_can_be_derived_from_its_tables(pairs: list[tuple[int, int]]) -> None:
    figures = item_figures(ItemAnswers(pre_post_item(), sorted(pairs), []), "", K)
    assert derivable(figures, summary(tuple(pairs)), change_would_show) == [], figures


# Found by the attacker: showing the change whenever its own cells are all at least k pins a count.
LEAKY_PAIRS = [(1, 1), *[(1, 2)] * 4, (2, 2), (2, 2), (2, 3), (3, 3), (3, 3), (3, 3)]


def test_a_change_that_would_pin_a_hidden_count_is_not_shown() -> None:
    answers = ItemAnswers(pre_post_item(), sorted(LEAKY_PAIRS), [])
    figures = item_figures(answers, "", K)
    assert figures.change is None and figures.p_value is None
    assert derivable(figures, summary(tuple(LEAKY_PAIRS)), change_would_show) == []

    change = change_table(answers.pairs, K)
    assert change.cells == {HIGHER: 5, SAME: 6, LOWER: 0}  # nothing of its own to hide
    leaky = replace(figures, change=change, p_value=sign_test(5, 0))

    def shown_when_its_own_cells_are(candidate: Summary) -> bool:
        return not suppress(dict(zip((HIGHER, SAME, LOWER), candidate[2], strict=True)), K).hidden

    assert derivable(leaky, summary(tuple(LEAKY_PAIRS)), shown_when_its_own_cells_are) != []


def test_cli_report_purges_first_and_writes_html_and_csv(cohort_yaml: Path, cli: Cli) -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        a_cohort_that_answered(store)
        store.append(Event(**{**free_text(5, "ANCIENT-fig answer", "quote").model_dump(), "time": old}))
    out = cohort_yaml.parent / "out"
    result = cli("report", str(cohort_yaml), "--out", str(out), "--no-pdf", "--home", str(HOME.root))
    assert result.exit_code == 0, result.output
    assert {path.name for path in out.iterdir()} == {HTML_NAME, EVALUATION_NAME, PARTICIPATION_NAME}
    assert "ANCIENT-fig" not in (out / HTML_NAME).read_text(encoding="utf-8")
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        assert all("ANCIENT" not in str(stored.event.payload) for stored in store.read())


def test_cli_report_on_a_cohort_without_a_store_is_an_error(cohort_yaml: Path, cli: Cli) -> None:
    result = cli("report", str(cohort_yaml), "--out", str(cohort_yaml.parent / "out"), "--home", str(HOME.root))
    assert result.exit_code == 1
    assert "no event store there" in result.output


@pytest.mark.slow
def test_cli_report_pdf_is_tagged_and_shows_only_what_may_be_shown(cohort_yaml: Path, cli: Cli) -> None:
    with SQLiteStore(cohort_yaml.parent / "events.sqlite") as store:
        a_cohort_that_answered(store)
    out = cohort_yaml.parent / "out"
    result = cli("report", str(cohort_yaml), "--out", str(out), "--home", str(HOME.root))
    assert result.exit_code == 0, result.output
    pdf = out / "evaluation-report.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "QUOTE-papaya" in text and "Participation" in text
    assert not any(secret in text for secret in SECRETS)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info and "Report cohort: evaluation report" in info


def test_every_module_item_of_the_curriculum_is_read_from_a_workbook_self_rating() -> None:
    from toolkit.lifecycle.evaluation import workbook_ratings

    curriculum = programme("en", Home(Path(__file__).parent.parent.resolve()))
    ratings = workbook_ratings(curriculum)
    module_items = [item.id for item in curriculum.evaluation if item.module is not None]
    assert module_items and sorted(ratings) == sorted(module_items)
    assert len(set(ratings.values())) == len(ratings)  # one self-rating per item, as bridges check holds
