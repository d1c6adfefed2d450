"""Evaluation items (issue 13 §7): one ability per item, tied to objectives, one wording per objective,
process, safety and follow-up items; and the `bridges check` rules that keep them so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import Editor

from toolkit.checks.evaluation import check_evaluation
from toolkit.curriculum import LoadedCurriculum, load_curriculum
from toolkit.schema.module import ExerciseKind
from toolkit.schema.programme import EvaluationDesign, EvaluationKind

PROGRAMME = "curriculum/evaluation/programme.yaml"
MODULE_ITEMS = "curriculum/evaluation/01-fixture-theme.yaml"
MODULE = "curriculum/modules/01-fixture-theme.yaml"


@pytest.fixture(scope="module")
def loaded() -> LoadedCurriculum:
    return load_curriculum()


def check(cli: Any, home: Path) -> str:
    result = cli("check", "--home", str(home))
    assert result.exit_code == 1, result.output
    return " ".join(result.output.split())


# The curriculum itself


def test_the_curriculum_passes_the_evaluation_rules(loaded: LoadedCurriculum) -> None:
    assert check_evaluation(loaded) == []


def test_double_barrelled_items_are_split_into_one_ability_each(loaded: LoadedCurriculum) -> None:
    items = {item.id: item for item in loaded.programme.evaluation}
    for first, second, objective in (
        ("se-eval-threads", "se-eval-differences", "se-obj-threads"),
        ("pi-eval-explain", "pi-eval-origin", "pi-obj-explain"),
        ("pi-eval-identify", "pi-eval-crossings", "pi-obj-identify"),
    ):
        assert items[first].objectives == items[second].objectives == [objective]
        for item_id in (first, second):
            assert " and " not in items[item_id].text, items[item_id].text
    assert "share" in items["se-eval-threads"].text and "differ" in items["se-eval-differences"].text
    assert "who named" not in items["pi-eval-explain"].text


def test_module_items_are_the_workbooks_self_ratings(loaded: LoadedCurriculum) -> None:
    """One instrument per objective: each module item is one workbook self-rating, word for word."""
    items = {
        (item.module, item.objectives[0], " ".join(item.text.split())): item
        for item in loaded.programme.evaluation
        if item.module is not None
    }
    ratings = 0
    for module in loaded.programme.modules:
        for exercise in module.exercises:
            if exercise.kind is not ExerciseKind.SELF_RATING or exercise.scale is None:
                continue
            item = items.pop((module.slug, exercise.objective, " ".join(exercise.prompt.split())))
            assert (item.scale_points, item.scale_min_label, item.scale_max_label) == (
                exercise.scale.max - exercise.scale.min + 1,
                exercise.scale.min_label,
                exercise.scale.max_label,
            )
            ratings += 1
    assert items == {}  # no item asks anything the workbook does not
    assert ratings >= 29


def test_the_workbook_splits_the_same_double_barrelled_self_ratings(loaded: LoadedCurriculum) -> None:
    for slug, objective in (
        ("shared-experiences", "se-obj-threads"),
        ("promoting-intersectionality", "pi-obj-explain"),
        ("promoting-intersectionality", "pi-obj-identify"),
    ):
        prompts = [
            e.prompt
            for e in loaded.programme.module(slug).exercises
            if e.kind is ExerciseKind.SELF_RATING and e.objective == objective
        ]
        assert len(prompts) == 2 and not any(" and " in prompt for prompt in prompts), prompts


def test_programme_items_measure_programme_objectives_with_process_safety_and_follow_up(
    loaded: LoadedCurriculum,
) -> None:
    programme = loaded.programme
    objectives = {o.id for o in programme.objectives}
    assert len(objectives) >= 6
    items = [item for item in programme.evaluation if item.module is None]
    outcome = [i for i in items if i.kind is EvaluationKind.OUTCOME and i.design is EvaluationDesign.RETROSPECTIVE]
    assert sorted(o for i in outcome for o in i.objectives) == sorted(objectives)
    kinds = {item.kind for item in items}
    assert {EvaluationKind.PROCESS, EvaluationKind.SAFETY} <= kinds
    texts = " ".join(item.text for item in items)
    assert "pass" in texts and "harmed" in texts and "facilitators" in texts
    follow_up = [item for item in items if item.design is EvaluationDesign.FOLLOW_UP]
    assert {o for item in follow_up for o in item.objectives} == objectives
    at_end = {i.objectives[0]: i.text for i in outcome}
    for item in follow_up:
        if item.objectives:
            assert item.text == at_end[item.objectives[0]]


def test_the_last_sessions_running_order_leaves_follow_up_items_for_the_reunion(loaded: LoadedCurriculum) -> None:
    from toolkit.i18n import translator
    from toolkit.render import running_order

    programme = loaded.programme
    order = running_order(programme.modules[-1], programme, 90, translator("en"))
    for item in programme.evaluation:
        if item.module is None and item.design is not EvaluationDesign.FOLLOW_UP:
            assert item.text in order.replace("&#39;", "'")
    assert not any(
        item.text in order
        for item in programme.evaluation
        if item.design is EvaluationDesign.FOLLOW_UP and not item.objectives
    )


# The rules, on the fixture home


def test_fixture_passes(cli: Any, home: Path) -> None:
    result = cli("check", "--home", str(home))
    assert result.exit_code == 0, result.output


def test_an_outcome_item_names_exactly_one_objective(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / PROGRAMME, lambda d: d["items"][0].__setitem__("objectives", []))
    out = check(cli, home)
    assert "items[0].objectives: outcome item 'fp-eval-share' names 0 objectives" in out
    assert "programme objective 'fp-share' has 0 end-of-programme items (none)" in out


def test_a_programme_item_names_an_objective_that_exists(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / PROGRAMME, lambda d: d["items"][0].__setitem__("objectives", ["fp-nothing"]))
    out = check(cli, home)
    assert "items[0].objectives[0]: unknown objective 'fp-nothing'" in out


def test_every_programme_objective_has_exactly_one_item_at_the_end(cli: Any, home: Path, edit_yaml: Editor) -> None:
    def twice(d: Any) -> None:
        extra = dict(d["items"][0])
        extra["id"] = "fp-eval-share-again"
        d["items"].append(extra)

    edit_yaml(home / PROGRAMME, twice)
    assert "programme objective 'fp-share' has 2 end-of-programme items (fp-eval-share, fp-eval-share-again)" in check(
        cli, home
    )


def test_process_and_safety_items_name_no_objective(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / PROGRAMME, lambda d: d["items"][1].__setitem__("objectives", ["fp-share"]))
    assert "items[1].objectives: process item 'fp-eval-pass' names objectives" in check(cli, home)


@pytest.mark.parametrize("kind", ["process", "safety"])
def test_process_and_safety_items_are_required(cli: Any, home: Path, edit_yaml: Editor, kind: str) -> None:
    edit_yaml(home / PROGRAMME, lambda d: d.__setitem__("items", [i for i in d["items"] if i.get("kind") != kind]))
    assert f"{PROGRAMME}: items: no {kind} item" in check(cli, home)


def test_a_follow_up_measure_is_required(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / PROGRAMME, lambda d: d["items"].pop())
    out = check(cli, home)
    assert "no follow-up item (add items with design: follow_up, asked at the reunion)" in out
    assert "programme objective 'fp-share' has no follow-up item" in out


def test_a_follow_up_repeats_the_end_of_programme_wording(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / PROGRAMME, lambda d: d["items"][3].__setitem__("text", "Can you share a tradition now?"))
    assert "items[3].text: follow-up item 'fp-followup-share' is worded or scaled differently from 'fp-eval-share'" in (
        check(cli, home)
    )


def test_follow_up_items_belong_to_the_programme(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE_ITEMS, lambda d: d["items"][0].__setitem__("design", "follow_up"))
    assert "follow-up item 'ft-eval-describe' belongs to a module" in check(cli, home)


def test_a_module_item_uses_the_workbooks_self_rating_scale(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE_ITEMS, lambda d: d["items"][0].__setitem__("scale_max_label", "Completely true of me"))
    out = check(cli, home)
    assert "item 'ft-eval-describe' is asked on (5, 'Not at all', 'Completely true of me')" in out
    assert "the workbook's self-rating on (5, 'Not at all', 'Very')" in out


def test_a_module_item_uses_the_workbooks_words(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE_ITEMS, lambda d: d["items"][0].__setitem__("text", "I can describe a tradition."))
    out = check(cli, home)
    assert "items[0].text: item 'ft-eval-describe' is worded differently from the workbook's self-rating" in out
    assert "(ft-confidence) (use the self-rating's words: 'How confident are you describing a tradition?')" in out
    assert "self-rating 'ft-confidence' is asked by 0 evaluation items in its words" in out


def test_every_workbook_self_rating_is_asked_by_one_item(cli: Any, home: Path, edit_yaml: Editor) -> None:
    def second_rating(d: Any) -> None:
        rating = dict(d["exercises"][1])
        rating.update(id="ft-confidence-again", prompt="How confident are you naming a festival?")
        d["exercises"].append(rating)
        d["activities"][0]["exercises"].append("ft-confidence-again")

    edit_yaml(home / MODULE, second_rating)
    assert "exercises[3]: self-rating 'ft-confidence-again' is asked by 0 evaluation items in its words" in check(
        cli, home
    )


def test_a_programme_item_uses_a_scale_the_workbooks_use(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / PROGRAMME, lambda d: d["items"][0].__setitem__("scale_points", 7))
    assert "item 'fp-eval-share' is asked on (7, 'Not at all', 'Very'), a scale no workbook self-rating uses" in (
        check(cli, home)
    )


def test_every_module_objective_is_measured(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["objectives"].append({"id": "ft-extra", "text": "Name a festival."}))
    assert "objectives[1]: objective 'ft-extra' has no evaluation item" in check(cli, home)


def test_a_module_item_is_in_its_modules_evaluation_map(cli: Any, home: Path, edit_yaml: Editor) -> None:
    edit_yaml(home / MODULE, lambda d: d["evaluation_map"].clear())
    out = check(cli, home)
    assert "item 'ft-eval-describe' is not in module 'fixture-theme''s evaluation_map for 'ft-describe'" in out


def test_an_objective_without_a_workbook_self_rating_is_reported(cli: Any, home: Path, edit_yaml: Editor) -> None:
    def drop_rating(d: Any) -> None:
        d["exercises"] = [e for e in d["exercises"] if e["kind"] != "self_rating"]
        for activity in d["activities"]:
            activity["exercises"] = [ref for ref in activity["exercises"] if ref in {e["id"] for e in d["exercises"]}]

    edit_yaml(home / MODULE, drop_rating)
    assert "module 'fixture-theme' has no workbook self-rating for objective 'ft-describe'" in check(cli, home)
