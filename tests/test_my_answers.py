"""The "My answers" area without a browser: a real SQLite store, the real page and widgets."""

from __future__ import annotations

import base64
from pathlib import Path

from toolkit.events.model import EventType, Sharing
from toolkit.my_answers import data_link
from toolkit.page import open_module

MODULE = "shared-experiences"


def _page(tmp_path: Path):  # type: ignore[no-untyped-def]
    page = open_module(MODULE, cohort="unit", store=f"sqlite:///{tmp_path / 'events.sqlite'}")
    page.section("participant-code")
    page.exercise("se-story-carry")
    page.exercise("se-closing-word")
    return page


def _answer(page, exercise: str, text: str, sharing: str) -> None:  # type: ignore[no-untyped-def]
    widget = page.exercises[exercise]
    (widget.text if hasattr(widget, "text") else widget.word).value = text
    widget.sharing.value = sharing
    assert widget.save()


def _events(page, code: str):  # type: ignore[no-untyped-def]
    return page.session.store.read_participant("unit", code)


def test_area_opens_only_with_a_code(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert page.my_answers.layout.display == "none"
    page.panel.choose_new()
    assert page.my_answers.layout.display == "flex"


def test_shared_list_narrows_at_once_and_the_form_follows(tmp_path: Path) -> None:
    page = _page(tmp_path)
    code = page.panel.choose_new()
    _answer(page, "se-story-carry", "Dumplings with my aunt", Sharing.AGGREGATE.value)
    _answer(page, "se-closing-word", "Lanterns", Sharing.PRIVATE.value)
    rows = page.my_answers.shared_box.children  # saving refreshed the list
    assert len(rows) == 1 and "Dumplings with my aunt" in rows[0].children[0].value  # the private one is not listed
    buttons = rows[0].children[1].children
    assert len(buttons) == 1  # aggregate can only become private: widening is never offered here
    buttons[0].click()
    last = _events(page, code)[-1].event
    assert last.type is EventType.SHARING_CHANGED and last.payload == {"sharing": "private"}
    assert (last.module, last.exercise) == (MODULE, "se-story-carry")
    assert page.exercises["se-story-carry"].sharing.value == "private"
    assert "Nothing" in page.my_answers.shared_box.children[0].value


def test_module_delete_needs_the_second_yes_and_resets_the_page(tmp_path: Path) -> None:
    page = _page(tmp_path)
    code = page.panel.choose_new()
    _answer(page, "se-story-carry", "Dumplings with my aunt", Sharing.PRIVATE.value)
    page.my_answers.delete_module_button.click()
    assert _events(page, code)  # asking is not deleting
    page.my_answers.cancel_button.click()
    page.my_answers.confirm_button.click()  # the confirmation was withdrawn: nothing happens
    assert _events(page, code)
    page.my_answers.delete_module_button.click()
    page.my_answers.confirm_button.click()
    assert _events(page, code) == []
    assert page.session.participant is None
    assert page.exercises["se-story-carry"].text.value == ""
    assert "deleted" in page.panel.message.value
    assert page.my_answers.layout.display == "none"


def test_programme_delete_leaves_the_code_unknown(tmp_path: Path) -> None:
    page = _page(tmp_path)
    code = page.panel.choose_new()
    _answer(page, "se-story-carry", "Dumplings with my aunt", Sharing.PRIVATE.value)
    page.session.record(EventType.MODULE_STARTED, None, {})
    page.my_answers.delete_all_button.click()
    page.my_answers.confirm_button.click()
    assert not page.session.store.knows_participant("unit", code)
    assert not page.panel.resume(code)
    assert "recognise" in page.panel.message.value


def test_data_link_carries_the_bytes_escaped() -> None:
    link = str(data_link(b"%PDF-1.7 x", "application/pdf", "journal.pdf", "<mine>"))
    assert link.startswith('<a download="journal.pdf" href="data:application/pdf;base64,')
    encoded = link.split("base64,")[1].split('"')[0]
    assert base64.b64decode(encoded) == b"%PDF-1.7 x"
    assert "&lt;mine&gt;" in link
