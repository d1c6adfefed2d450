"""Schema of the programme pieces around the modules (curriculum/programme-pieces.yaml).

A real programme needs more than seven sessions: a conversation before anyone
joins, a form for access needs, a preparation workshop for facilitators, a
closing celebration and a reunion, a way to complain and to catch up, and
adaptations for access. None of these pieces may collect identity data:
``toolkit.checks.pieces`` reads every question they ask.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from toolkit.schema.common import Id, Strict, Text

# A half day: long enough to rehearse, short enough that volunteers can come.
WORKSHOP_MINUTES = (150, 240)
# The reunion comes late enough to show what lasted, early enough that people still come.
REUNION_WEEKS = (4, 8)


class Guide(Strict):
    """A titled piece of guidance: prose plus an optional list of steps."""

    title: Text
    text: Text
    steps: list[Text] = []


class FormQuestion(Strict):
    """One question on a printed form; every question may be left blank."""

    id: Id
    question: Text
    options: list[Text] = []  # tick boxes; without options the form leaves lines to write on


class Form(Strict):
    """A form filled in by hand or read aloud, and how it is kept and destroyed."""

    title: Text
    intro: Text
    questions: Annotated[list[FormQuestion], Field(min_length=1)]
    handling: Text  # who reads it, where it is kept, when it is destroyed


class IntakeGuide(Guide):
    """The conversation a coordinator or facilitator has with someone before they join."""

    questions: Annotated[list[Text], Field(min_length=1)]  # what to ask; none asks who someone is


class WorkshopBlock(Strict):
    id: Id
    title: Text
    minutes: Annotated[int, Field(ge=5, le=90)]
    purpose: Text
    steps: Annotated[list[Text], Field(min_length=1)]


class Workshop(Strict):
    """The half-day preparation workshop for facilitators, co-facilitators and interpreters."""

    title: Text
    text: Text
    minutes: Annotated[int, Field(ge=WORKSHOP_MINUTES[0], le=WORKSHOP_MINUTES[1])]
    blocks: Annotated[list[WorkshopBlock], Field(min_length=1)]

    @model_validator(mode="after")
    def _blocks_fill_the_time(self) -> Self:
        total = sum(block.minutes for block in self.blocks)
        if total != self.minutes:
            raise ValueError(f"blocks' minutes sum to {total}, but the workshop lasts {self.minutes}")
        return self


class StayInTouch(Strict):
    """One way to keep in contact after the programme, chosen person by person."""

    id: Id
    title: Text
    text: Text


class Reunion(Guide):
    weeks_after: Annotated[int, Field(ge=REUNION_WEEKS[0], le=REUNION_WEEKS[1])]  # after the last session
    stay_in_touch: Annotated[list[StayInTouch], Field(min_length=1)]


class Adaptation(Guide):
    id: Id


class Pieces(Strict):
    """Everything in curriculum/programme-pieces.yaml."""

    intake: IntakeGuide
    access_needs: Form
    preparation_workshop: Workshop
    co_facilitator_plan: Form
    supervision: Guide
    closing_celebration: Guide
    reunion: Reunion
    complaints: Guide
    catch_up: Guide
    accessibility: Annotated[list[Adaptation], Field(min_length=1)]
