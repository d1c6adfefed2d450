"""Schema of the programme-wide materials: overview, agreements, facilitation,
glossary, support resources and evaluation items."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AnyHttpUrl, Field, model_validator

from toolkit.errors import InvalidValue
from toolkit.schema.common import Id, Strict, Text
from toolkit.schema.kit import Kit
from toolkit.schema.module import Module
from toolkit.schema.pieces import Pieces
from toolkit.schema.regions import Region


class Role(Strict):
    id: Id
    title: Text
    description: Text


class Overview(Strict):
    title: Text
    summary: Text
    audience: Text  # who the programme is for
    how_it_runs: Text  # order, trust-building first, session lengths
    session_plan: Text
    roles: Annotated[list[Role], Field(min_length=1)]
    modules: Annotated[list[Id], Field(min_length=1)]  # module slugs in teaching order


class Agreement(Strict):
    id: Id
    title: Text
    text: Text
    say_it_like_this: Text  # how a facilitator introduces it aloud


class ConsentScript(Strict):
    """Plain words read aloud before anything is recorded."""

    introduction: Text
    what_is_recorded: Text
    who_sees_it: Text
    how_to_withdraw: Text
    closing: Text


class Ritual(Strict):
    id: Id
    title: Text
    minutes: Annotated[int, Field(ge=1, le=30)]
    steps: Annotated[list[Text], Field(min_length=1)]


class Agreements(Strict):
    agreements: Annotated[list[Agreement], Field(min_length=1)]
    consent_script: ConsentScript
    opening_rituals: Annotated[list[Ritual], Field(min_length=1)]
    closing_rituals: Annotated[list[Ritual], Field(min_length=1)]


class Section(Strict):
    """A titled piece of guidance: prose plus an optional list of steps."""

    title: Text
    text: Text
    steps: list[Text] = []


class Facilitation(Strict):
    preparation: Section
    identity_work: Section
    responding_to_harm: Section
    crisis_protocol: Section
    online_annex: Section  # the crisis protocol for online and cross-border cohorts
    co_facilitation: Section


class RegionalNote(Strict):
    """A note about one Region (an id, structure) or a wider area named in words (translatable text)."""

    region: Region | None = None  # printed through the translated label table (toolkit.region_labels)
    area: Text | None = None  # e.g. "South Asian diaspora"; a translation gives it in its own language
    note: Text

    @model_validator(mode="after")
    def _one_place(self) -> Self:
        if (self.region is None) == (self.area is None):
            raise InvalidValue(
                "a regional note needs exactly one of 'region' and 'area'",
                "use 'region' for a Region id (e.g. india) and 'area' for a wider area in words",
            )
        return self


class GlossaryTerm(Strict):
    id: Id
    term: Text
    definition: Text
    regional_notes: list[RegionalNote] = []
    slur_warning: str = ""  # where the word, or a near word, is a slur, say where and why


class Glossary(Strict):
    terms: Annotated[list[GlossaryTerm], Field(min_length=1)]


class Resource(Strict):
    id: Id
    name: Text
    offers: Text
    languages: Annotated[list[Text], Field(min_length=1)]
    url: AnyHttpUrl | None = None  # None for an emergency number, which has no website of its own
    region: Region
    last_verified: dt.date
    needs_verification: bool = False  # true where a detail could not be confirmed; prints "not verified"
    # A crisis or emergency line: printed first, under "In immediate danger", in its region's list.
    crisis: bool = False
    phone: Text | None = None  # the number(s) to call or text, only where the team is sure of them
    # When calling could endanger the person (police where same-sex relations or gender
    # expression are criminalised, for example) and what to ask for instead.
    danger_note: Text | None = None


class Resources(Strict):
    resources: Annotated[list[Resource], Field(min_length=1)]


class EvaluationDesign(StrEnum):
    PRE_POST = "pre_post"
    RETROSPECTIVE = "retrospective"  # post-then-pre, asked once at the end
    POST = "post"  # asked once at the end, about how the programme ran
    FOLLOW_UP = "follow_up"  # asked at the reunion, 4 to 8 weeks after the last session


class EvaluationKind(StrEnum):
    OUTCOME = "outcome"  # confidence in one objective, worded like the workbook's self-rating
    PROCESS = "process"  # how the sessions and the facilitation worked for the participant
    SAFETY = "safety"  # whether taking part harmed or exposed them


class ProgrammeObjective(Strict):
    """What the whole programme aims for; the programme-wide items measure these."""

    id: Id
    text: Text


class EvaluationItem(Strict):
    id: Id
    module: Id | None = None  # None for programme-wide items
    kind: EvaluationKind = EvaluationKind.OUTCOME
    objectives: list[Id] = []  # outcome items name the one objective they measure
    text: Text  # the question or statement rated on the scale
    scale_min_label: Text
    scale_max_label: Text
    scale_points: Annotated[int, Field(ge=3, le=7)] = 5
    design: EvaluationDesign = EvaluationDesign.RETROSPECTIVE
    source: Text  # "original" or the published scale it is adapted from


class EvaluationFile(Strict):
    objectives: list[ProgrammeObjective] = []  # only in evaluation/programme.yaml
    items: Annotated[list[EvaluationItem], Field(min_length=1)]


class Programme(Strict):
    """Everything under curriculum/, loaded and validated."""

    overview: Overview
    agreements: Agreements
    facilitation: Facilitation
    glossary: Glossary
    resources: Resources
    evaluation: list[EvaluationItem]
    objectives: list[ProgrammeObjective] = []  # programme-wide objectives, from evaluation/programme.yaml
    pieces: Pieces  # intake, access, preparation, celebration, reunion, complaints, catch-up, adaptations
    modules: list[Module]
    kits: list[Kit] = []  # print kits, one per module that has cards, posters, a fact sheet or a wheel

    def kit(self, slug: str) -> Kit | None:
        """The print kit of module ``slug``, if it has one."""
        return next((kit for kit in self.kits if kit.module == slug), None)

    def module(self, slug: str) -> Module:
        from toolkit.errors import UnknownModuleError

        for module in self.modules:
            if module.slug == slug:
                return module
        raise UnknownModuleError(slug, [m.slug for m in self.modules])
