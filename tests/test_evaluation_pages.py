"""The evaluation pages without a browser: a real SQLite store, recorded as lifecycle/evaluation.py says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import test_server_handlers
from test_live_security import Browser
from test_server_handlers import participant

from toolkit.curriculum import programme
from toolkit.errors import InvalidParameter
from toolkit.evaluation_page import open_evaluation
from toolkit.events.model import EventType
from toolkit.lifecycle.evaluation import PAYLOAD_KIND, Phase, items_for
from toolkit.schema.programme import EvaluationDesign

server = test_server_handlers.server  # the in-process server (no kernel), reused as a fixture here


def _page(tmp_path: Path, phase: str = "after"):  # type: ignore[no-untyped-def]
    return open_evaluation(phase=phase, cohort="unit", store=f"sqlite:///{tmp_path / 'events.sqlite'}", region="uk")


def test_after_page_records_an_answer_and_a_pass_as_the_contract_says(tmp_path: Path) -> None:
    page = _page(tmp_path)
    code = page.panel.choose_new()
    retrospective = next(f for f in page.forms if f.item.design is EvaluationDesign.RETROSPECTIVE)
    post = next(f for f in page.forms if f.item.design is EvaluationDesign.POST)
    retrospective.now.value = 4
    assert not retrospective.save()  # half a retrospective rating is not an answer
    retrospective.before.value = 2
    retrospective.sharing.value = "private"
    assert retrospective.save()
    post.now.value = 5
    assert post.save()
    assert post.pass_()  # a pass replaces the answer and stores nothing
    events = {
        (s.event.type, s.event.exercise): s.event
        for s in page.session.store.read_participant("unit", code)
        if s.event.exercise
    }
    answer = events[(EventType.ANSWERED, retrospective.item.id)]
    assert answer.module == Phase.AFTER.module
    assert answer.payload == {"kind": PAYLOAD_KIND, "value": {"before": 2, "now": 4}, "sharing": "private"}
    assert events[(EventType.ANSWERED, post.item.id)].payload["value"] == 5
    assert events[(EventType.PASSED, post.item.id)].payload == {}


def test_a_code_resumed_shows_its_answers_and_the_next_person_sees_none(tmp_path: Path) -> None:
    page = _page(tmp_path)
    code = page.panel.choose_new()
    form = page.forms[0]
    form.before.value, form.now.value = 1, 3
    assert form.save()
    page.panel.choose_new()
    assert (form.before.value, form.now.value) == (None, None)
    assert page.panel.resume(str(code))
    assert (form.before.value, form.now.value) == (1, 3)


def test_every_item_of_the_phase_is_asked_and_support_follows(tmp_path: Path) -> None:
    page = _page(tmp_path, "follow-up")
    assert page.forms and all(f.item.design is EvaluationDesign.FOLLOW_UP and f.item.module is None for f in page.forms)
    assert "In immediate danger" in str(page.support())


def test_an_unknown_phase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameter, match="phase"):
        _page(tmp_path, "during")


def test_the_landing_page_links_the_pages_due_today_and_serves_no_other(server: dict[str, Any]) -> None:
    """The in-process server of test_server_handlers (no kernel): a cohort whose only session is today."""
    browser = participant(server)
    status, body, _headers = browser.request("")
    assert status == 200
    has_before = bool(items_for(programme(), Phase.BEFORE))
    assert ("voila/render/evaluation-before.ipynb" in body) == has_before
    assert ("Before we start" in body) == has_before
    assert "At the end" in body and "voila/render/evaluation-after.ipynb" in body  # the last session is today
    assert "evaluation-follow-up" not in body  # only after the last session
    assert body.index("Shared experiences") < body.index("At the end")
    names = ["evaluation-during.ipynb", "evaluation.ipynb", "./evaluation-after.ipynb", "EVALUATION-AFTER.ipynb"]
    for name in names + ([] if has_before else ["evaluation-before.ipynb"]):
        assert browser.request(f"voila/render/{name}")[0] == 404, name
    assert Browser(server["base"]).request("voila/render/evaluation-after.ipynb")[0] in (302, 403)
