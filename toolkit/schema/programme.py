"""Schema of the programme-wide materials: overview, agreements, facilitation,
glossary, support resources and evaluation items."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AnyHttpUrl, Field

from toolkit.schema.common import Id, Strict, Text
from toolkit.schema.module import Module
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
    co_facilitation: Section


class RegionalNote(Strict):
    region: Region | Text  # a Region id or a wider area such as "South Asian diaspora"
    note: Text


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
    url: AnyHttpUrl
    region: Region
    last_verified: dt.date
    needs_verification: bool = False  # true where a detail could not be confirmed


class Resources(Strict):
    resources: Annotated[list[Resource], Field(min_length=1)]


class EvaluationDesign(StrEnum):
    PRE_POST = "pre_post"
    RETROSPECTIVE = "retrospective"  # post-then-pre, asked once at the end


class EvaluationItem(Strict):
    id: Id
    module: Id | None = None  # None for programme-wide items
    objectives: list[Id] = []
    text: Text  # "I can ..." statement rated on the scale
    scale_min_label: Text
    scale_max_label: Text
    scale_points: Annotated[int, Field(ge=3, le=7)] = 5
    design: EvaluationDesign = EvaluationDesign.RETROSPECTIVE
    source: Text  # "original" or the published scale it is adapted from


class EvaluationFile(Strict):
    items: Annotated[list[EvaluationItem], Field(min_length=1)]


class Programme(Strict):
    """Everything under curriculum/, loaded and validated."""

    overview: Overview
    agreements: Agreements
    facilitation: Facilitation
    glossary: Glossary
    resources: Resources
    evaluation: list[EvaluationItem]
    modules: list[Module]

    def module(self, slug: str) -> Module:
        from toolkit.errors import UnknownModuleError

        for module in self.modules:
            if module.slug == slug:
                return module
        raise UnknownModuleError(slug, [m.slug for m in self.modules])
