"""Time that adds up (issue 13 §2): both plans sum, rituals and the retrospective are placed,
a 120-minute cohort gets the longer plan, and no 90-minute session promises a break."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import papermill
import pytest
from conftest import REPO, Editor
from pydantic import ValidationError

from toolkit.agenda import Piece, cohort_agenda, module_plan
from toolkit.checks.timings import check_timings
from toolkit.curriculum import LoadedCurriculum, load_curriculum, programme
from toolkit.errors import Problem
from toolkit.live.timer import SessionTimer
from toolkit.paths import Home
from toolkit.render import activity, debrief, running_order
from toolkit.schema.cohort import Cohort
from toolkit.schema.module import PLANS, Activity, Debrief

MODULE_7 = "curriculum/modules/07-challenging-heteronormativity.yaml"
MODULE_1 = "curriculum/modules/01-shared-experiences.yaml"


@pytest.fixture
def curriculum_copy(tmp_path: Path) -> Path:
    """A writable copy of the real curriculum: the rules are about its timings."""
    target = tmp_path / "home"
    shutil.copytree(REPO / "curriculum", target / "curriculum")
    return target


def timing_problems(root: Path) -> list[Problem]:
    loaded: LoadedCurriculum = load_curriculum(Home(root))
    return check_timings(loaded)


def test_the_repository_timings_pass() -> None:
    assert timing_problems(REPO) == []


@pytest.mark.parametrize(("field", "plan"), [("minutes", 90), ("minutes_120", 120)])
def test_a_plan_that_does_not_sum_fails(curriculum_copy: Path, edit_yaml: Editor, field: str, plan: int) -> None:
    def longer(data: dict) -> None:  # type: ignore[type-arg]
        data["activities"][1][field] += 3  # the 120 value stays at least the 90 one either way
        if field == "minutes":
            data["activities"][1]["minutes_120"] += 3

    edit_yaml(curriculum_copy / MODULE_1, longer)
    problems = [p for p in timing_problems(curriculum_copy) if p.file == MODULE_1]
    messages = [p.message for p in problems]
    assert any(f"the {plan}-minute plan sums to {plan + 3} minutes" in m for m in messages), messages
    assert all(p.field == "activities" and p.line for p in problems)


def test_the_debrief_counts_in_the_sum(curriculum_copy: Path, edit_yaml: Editor) -> None:
    edit_yaml(curriculum_copy / MODULE_1, lambda d: d["debrief"].__setitem__("minutes_120", 20))
    messages = [p.message for p in timing_problems(curriculum_copy)]
    assert any("the 120-minute plan sums to 130 minutes" in m and "debrief 20" in m for m in messages), messages


def test_every_ritual_and_the_retrospective_must_be_placed(curriculum_copy: Path, edit_yaml: Editor) -> None:
    def drop_pieces(data: dict) -> None:  # type: ignore[type-arg]
        data["rituals"] = [r for r in data["rituals"] if r["id"] not in {"retrospective", "thread-of-thanks"}]
        data["activities"][0]["minutes"] += 14  # keep both sums right: only placement is wrong
        data["activities"][0]["minutes_120"] += 18

    edit_yaml(curriculum_copy / MODULE_7, drop_pieces)
    problems = timing_problems(curriculum_copy)
    text = "\n".join(str(p) for p in problems)
    assert "retrospective items are asked nowhere" in text
    assert "the session does not end with a closing ritual" in text
    assert "sums to" not in text
    # thread-of-thanks is also used by modules 1, 3 and 5, so it is still placed somewhere.
    assert "placed in no module's session" not in text


def test_an_unknown_or_too_short_ritual_is_reported(curriculum_copy: Path, edit_yaml: Editor) -> None:
    def wrong(data: dict) -> None:  # type: ignore[type-arg]
        data["rituals"][0]["minutes"] = 2  # word-from-home takes 7
        data["rituals"][0]["minutes_120"] = 9
        data["rituals"][1]["id"] = "group-hug"

    edit_yaml(curriculum_copy / MODULE_1, wrong)
    text = "\n".join(str(p) for p in timing_problems(curriculum_copy))
    assert "rituals[0].minutes: 2 minutes for 'A word from home', which takes 7" in text
    assert "rituals[1].id: unknown ritual 'group-hug'" in text


def test_debrief_minutes_are_at_least_five() -> None:
    question = {"question": "What did you notice?", "example_responses": ["A lot."]}
    with pytest.raises(ValidationError, match="greater than or equal to 5"):
        Debrief.model_validate({"minutes": 4, "minutes_120": 6, "questions": [question], "pitfalls": ["Rushing."]})
    with pytest.raises(ValidationError, match="minutes_120 \\(6\\) is shorter than minutes \\(8\\)"):
        Debrief.model_validate({"minutes": 8, "minutes_120": 6, "questions": [question], "pitfalls": ["Rushing."]})
    for module in programme().modules:
        assert module.debrief.minutes >= 5 and module.debrief.minutes_120 >= 5, module.slug


def test_only_an_optional_activity_can_be_left_out_of_the_90_minute_plan() -> None:
    data = programme().module("learning-from-each-other").activities[0].model_dump(mode="json")
    with pytest.raises(ValidationError, match="only an optional activity"):
        Activity.model_validate({**data, "minutes": 0, "optional": False})
    assert Activity.model_validate({**data, "minutes": 0, "optional": True}).minutes_in(120) == data["minutes_120"]


def cohort(minutes: int) -> Cohort:
    english = programme()
    sessions = [
        {"date": dt.date(2027, 3, 6) + dt.timedelta(weeks=i), "start": "10:00", "modules": [m.slug]}
        for i, m in enumerate(english.modules)
    ]
    return Cohort.model_validate(
        {"name": "Timing cohort", "slug": "timing", "sessions": sessions, "module_minutes": minutes}
    )


@pytest.mark.parametrize("minutes", PLANS)
def test_every_session_of_a_cohort_lasts_its_plan(minutes: int) -> None:
    for agenda in cohort_agenda(programme(), cohort(minutes)):
        start = agenda.items[0].starts
        assert agenda.items[-1].ends - start == dt.timedelta(minutes=minutes), agenda.session.modules
        assert all(a.ends == b.starts for a, b in zip(agenda.items, agenda.items[1:], strict=False))
        timer = SessionTimer(agenda.items)
        assert timer.session_left(start) == dt.timedelta(minutes=minutes)


def test_a_120_minute_cohort_gets_the_longer_activity_timings() -> None:
    english = programme()
    short, long = (cohort_agenda(english, cohort(m)) for m in PLANS)
    for agenda_90, agenda_120 in zip(short, long, strict=True):
        module = agenda_120.modules[0]
        timed_90 = {i.activity.id: i.minutes for i in agenda_90.items if i.activity is not None}
        timed_120 = {i.activity.id: i.minutes for i in agenda_120.items if i.activity is not None}
        assert timed_120 == {a.id: a.minutes_120 for a in module.activities if a.minutes_120}
        assert timed_90 == {a.id: a.minutes for a in module.activities if a.minutes}
        assert sum(timed_120.values()) > sum(timed_90.values()), module.slug
    # The printed guide shows the cohort's plan: the activity's and the debrief's minutes.
    story = english.module("shared-experiences").activities[2]
    assert f"{story.minutes_120} minutes" in activity(english.module("shared-experiences"), story, english_, 120)
    assert f"{story.minutes} minutes" in activity(english.module("shared-experiences"), story, english_, 90)
    module = english.module("shared-experiences")
    assert f"{module.debrief.minutes_120} minutes" in debrief(module, english_, 120)


def english_(text: str) -> str:
    return text


def test_rituals_and_the_retrospective_appear_in_the_agenda() -> None:
    english = programme()
    agendas = cohort_agenda(english, cohort(90))
    for agenda in agendas:
        kinds = [item.kind for item in agenda.items]
        assert kinds[0] is Piece.OPENING_RITUAL, agenda.session.modules
        assert kinds[-1] is Piece.CLOSING_RITUAL, agenda.session.modules
        assert kinds.count(Piece.DEBRIEF) == 1
    titles = [item.title for agenda in agendas for item in agenda.items]
    rituals = english.agreements
    for ritual in rituals.opening_rituals:
        assert f"Opening ritual: {ritual.title}" in titles
    for ritual in rituals.closing_rituals:
        assert f"Closing ritual: {ritual.title}" in titles
    last = [item.kind for item in agendas[-1].items]
    assert Piece.RETROSPECTIVE in last and last.index(Piece.RETROSPECTIVE) < last.index(Piece.CLOSING_RITUAL)
    assert Piece.AGREEMENTS in [item.kind for item in agendas[1].items]
    # The facilitator's running order lists the retrospective's statements.
    module = english.modules[-1]
    order = running_order(module, english, 90, english_)
    assert "Programme retrospective" in order
    for item in (e for e in english.evaluation if e.module is None and e.design.value != "follow_up"):
        assert item.text.split()[0] in order  # follow-up items wait for the reunion
    assert module_plan(english, module, 120)[-1].kind is Piece.CLOSING_RITUAL


BREAK = re.compile(r"\bthe\s+break\b|\bnext\s+break\b|쉬는\s+시간|giờ\s+giải\s+lao|休息时|\bsa\s+break\b", re.I)


def test_no_module_or_translation_promises_a_break() -> None:
    # Modules, and the programme texts that speak of a session's time (a prayer break planned
    # with the group, in facilitation.yaml, is a different thing and is not "the break").
    names = ["modules/*.yaml", "programme.yaml", "agreements.yaml", "facilitation.yaml"]
    folders = [REPO / "curriculum", *(REPO / "curriculum" / "translations").glob("*/")]
    files = [path for folder in folders for name in names for path in folder.glob(name)]
    assert len(files) == 5 * 10
    found = [
        f"{path.relative_to(REPO)}: {match.group(0)!r}"
        for path in files
        for match in BREAK.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.slow
def test_a_facilitator_guide_run_with_the_120_minute_plan_shows_it(tmp_path: Path) -> None:
    """A real papermill run of module 7 with the cohort's plan as the notebook parameter."""
    notebook = REPO / "modules" / "07-challenging-heteronormativity.ipynb"
    out = tmp_path / "07.ipynb"
    papermill.execute_notebook(
        str(notebook),
        str(out),
        parameters={"audience": "facilitator", "module_minutes": "120", "store": f"sqlite:///{tmp_path / 'e.sqlite'}"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for cell in cells for o in cell.get("outputs", []))
    module = programme().module("challenging-heteronormativity")
    assert "Running order: 120 minutes" in html
    assert "Programme retrospective" in html and "Closing ritual: Thread of thanks" in html
    future = next(a for a in module.activities if a.minutes == 0)
    assert f"{future.minutes_120} minutes" in html  # in the 120-minute plan, the future table has its time
    assert "only in the 120-minute plan" not in html
    assert f'<p class="bridges-facts">{module.debrief.minutes_120} minutes</p>' in html
