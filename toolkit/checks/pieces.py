"""The programme pieces collect no identity data (CONTENT.md, safe practice).

An intake conversation or an access form that asks who someone is turns a
welcome into a register of LGBTQ+ people: every question they ask, and every
tick box they offer, is read here. The prose around them may say what is
never asked; only the questions themselves are checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit.curriculum import LoadedCurriculum
from toolkit.errors import Problem
from toolkit.schema.pieces import Form, Pieces
from toolkit.yamlio import Document

# Bare words, not phrases such as "what is your ...": a form's labels are bare ("Ethnicity").
# An all-gender toilet is an access need, not a question about anyone's gender.
IDENTITY_WORDS = re.compile(
    r"\b(?:sexual orientation|sexuality|(?<!all-)gender(?: identity)?|ethnicity|ethnic|race|religion|faith|caste|"
    r"immigration|visa|citizenship|nationality|legal name|full name|surname|date of birth|"
    r"home address|e-?mail(?: address)?|phone number)\b",
    re.IGNORECASE,
)


def check_pieces(loaded: LoadedCurriculum) -> list[Problem]:
    problems: list[Problem] = []
    for entry in loaded.files.values():
        if isinstance(entry.model, Pieces):
            problems += _identity_questions(entry.document, entry.model)
    return problems


def _asked(pieces: Pieces) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every question and tick box the pieces put to a person, with where it lives."""
    for i, question in enumerate(pieces.intake.questions):
        yield ("intake", "questions", i), question
    forms: tuple[tuple[str, Form], ...] = (
        ("access_needs", pieces.access_needs),
        ("co_facilitator_plan", pieces.co_facilitator_plan),
    )
    for name, form in forms:
        for i, item in enumerate(form.questions):
            yield (name, "questions", i, "question"), item.question
            for j, option in enumerate(item.options):
                yield (name, "questions", i, "options", j), option


def _identity_questions(doc: Document, pieces: Pieces) -> Iterator[Problem]:
    for loc, text in _asked(pieces):
        found = IDENTITY_WORDS.search(text)
        if found:
            yield doc.problem(
                loc,
                f"asks about {found.group(0)!r}, which is identity data",
                "remove it: intake and forms collect no identity data, only what a person needs to take part",
            )
