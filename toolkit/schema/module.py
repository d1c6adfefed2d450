"""Schema of one theme module: every field of the curriculum rubric (CONTENT.md).

The shape follows The Carpentries lesson model (questions, objectives, key
points, timed activities, instructor notes) extended with what a sensitive
topic needs: content notes, disclosure levels, a way to pass everything and
a variant of every activity that needs no moving around.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from toolkit.schema.common import Id, Strict, Text


class ReviewStatus(StrEnum):
    """How far a language version of the content has been checked by people."""

    REVIEWED = "reviewed"
    DRAFT = "draft"
    MACHINE = "machine"  # machine-assisted draft, needs community review


class LanguageStatus(Strict):
    status: ReviewStatus
    note: str = ""
    last_reviewed: dt.date | None = None


class TranslationStatus(LanguageStatus):
    """``curriculum/translations/<lang>/translation.yaml``: one translation's review status."""

    language: str


class Metadata(Strict):
    theme: Text
    version: Text
    licence: Text
    authors: Annotated[list[Text], Field(min_length=1)]
    languages: Annotated[dict[str, LanguageStatus], Field(min_length=1)]
    last_reviewed: dt.date


class LearnerProfile(Strict):
    """A short persona that keeps the design honest about who is in the room."""

    name: Text
    summary: Text


class Prerequisites(Strict):
    modules: list[Id] = []
    materials: list[Text] = []
    interpreter_needs: Text


class Objective(Strict):
    id: Id
    text: Text  # starts with an observable verb: describe, name, compare ...


class KeyPoint(Strict):
    objective: Id
    text: Text


class Topic(StrEnum):
    """Kinds of material that may hurt; each content note names at least one."""

    FAMILY_REJECTION = "family_rejection"
    RELIGION = "religion"
    VIOLENCE = "violence"
    SUICIDE = "suicide"
    IMMIGRATION = "immigration"
    RACISM = "racism"
    CRIMINALISATION = "criminalisation"
    DISCRIMINATION = "discrimination"
    SEXUAL_VIOLENCE = "sexual_violence"
    MENTAL_HEALTH = "mental_health"


class ContentNote(Strict):
    id: Id
    topics: Annotated[list[Topic], Field(min_length=1)]
    text: Text


class Method(StrEnum):
    STORY_CIRCLE = "story_circle"
    THINK_PAIR_SHARE = "think_pair_share"
    FISHBOWL = "fishbowl"
    GALLERY_WALK = "gallery_walk"
    IDENTITY_WHEEL = "identity_wheel"
    SPECTRUM = "spectrum"
    SMALL_GROUP_PROJECT = "small_group_project"
    SKILL_SHARE = "skill_share"
    CASE_STUDY = "case_study"
    ROLE_PLAY = "role_play"
    JOURNALING = "journaling"
    WORLD_CAFE = "world_cafe"
    CHECK_IN = "check_in"
    CLOSING_CIRCLE = "closing_circle"
    MINI_LECTURE = "mini_lecture"


class Grouping(StrEnum):
    INDIVIDUAL = "individual"
    PAIRS = "pairs"
    SMALL_GROUPS = "small_groups"
    WHOLE_GROUP = "whole_group"


class GroupSize(Strict):
    grouping: Grouping
    min: Annotated[int, Field(ge=1)]
    max: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is larger than max ({self.max})")
        return self


class Disclosure(StrEnum):
    """How much of themselves an activity invites people to share."""

    NONE = "none"  # opinions about material, nothing personal
    LOW = "low"  # preferences, general views
    MEDIUM = "medium"  # a personal story the person chooses
    HIGH = "high"  # close to identity or pain; only after trust-building


class ActivityNotes(Strict):
    """What the facilitator needs to run one activity from the guide alone."""

    setup: Text
    prompts: Annotated[list[Text], Field(min_length=1)]  # words to say, verbatim
    watch_for: Annotated[list[Text], Field(min_length=1)]
    responding_to_harm: Text


# The two plans every module has: the standard session, and the longer one that
# interpreted sessions need (a cohort chooses with ``module_minutes``).
PLANS: tuple[int, ...] = (90, 120)
LONG_PLAN = 120


class Timed(Strict):
    """Minutes in the 90-minute plan and in the 120-minute plan, which never shortens anything."""

    minutes: Annotated[int, Field(ge=1, le=180)]
    minutes_120: Annotated[int, Field(ge=1, le=180)]

    @model_validator(mode="after")
    def _long_plan_not_shorter(self) -> Self:
        if self.minutes_120 < self.minutes:
            raise ValueError(f"minutes_120 ({self.minutes_120}) is shorter than minutes ({self.minutes})")
        return self

    def minutes_in(self, plan: int) -> int:
        """The minutes in the plan of ``plan`` minutes (90 or 120)."""
        return self.minutes_120 if plan == LONG_PLAN else self.minutes


class Activity(Timed):
    # 0 minutes: an optional activity that only the 120-minute plan has time for.
    minutes: Annotated[int, Field(ge=0, le=180)]
    id: Id
    title: Text
    method: Method
    group_size: GroupSize
    optional: bool = False
    disclosure: Disclosure
    content_notes: list[Id] = []  # ids of the module's content notes shown before it
    summary: Text  # what participants read
    instructions: Annotated[list[Text], Field(min_length=1)]  # steps participants follow
    how_to_pass: Text
    no_movement_variant: Text
    facilitator_notes: ActivityNotes
    exercises: list[Id] = []  # reflection exercises that follow this activity

    @model_validator(mode="after")
    def _left_out_only_if_optional(self) -> Self:
        if self.minutes == 0 and not self.optional:
            raise ValueError("only an optional activity can be left out of the 90-minute plan (minutes: 0)")
        return self


class ExerciseKind(StrEnum):
    FREE_TEXT = "free_text"
    SCALE = "scale"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    RANKING = "ranking"
    WORD_CONTRIBUTION = "word_contribution"
    SELF_RATING = "self_rating"


class ScaleAnchors(Strict):
    min: int = 1
    max: Annotated[int, Field(ge=2, le=10)] = 5
    min_label: Text
    max_label: Text

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        return self


@dataclass(frozen=True)
class KindRule:
    """What an exercise of a kind must carry; a kind without options or a scale takes none."""

    options: bool = False  # at least 2 options
    scale: bool = False
    objective: bool = False  # names the objective it measures


# One rule per kind (tests/test_kinds.py fails for a kind without one, or without a widget class).
KIND_RULES: dict[ExerciseKind, KindRule] = {
    ExerciseKind.FREE_TEXT: KindRule(),
    ExerciseKind.SCALE: KindRule(scale=True),
    ExerciseKind.SINGLE_CHOICE: KindRule(options=True),
    ExerciseKind.MULTIPLE_CHOICE: KindRule(options=True),
    ExerciseKind.RANKING: KindRule(options=True),
    ExerciseKind.WORD_CONTRIBUTION: KindRule(),
    ExerciseKind.SELF_RATING: KindRule(scale=True, objective=True),
}


class Exercise(Strict):
    id: Id
    kind: ExerciseKind
    prompt: Text
    help: str = ""  # optional extra guidance under the prompt
    options: list[Text] = []
    scale: ScaleAnchors | None = None
    objective: Id | None = None  # self-ratings measure one objective
    # No "optional" or "visibility" here: every exercise can be passed and starts private,
    # always (toolkit.exercises), so no file can make one compulsory or shared by default.

    @model_validator(mode="after")
    def _fits_kind(self) -> Self:
        rule = KIND_RULES[self.kind]
        if rule.options and len(self.options) < 2:
            raise ValueError(f"a {self.kind.value} exercise needs at least 2 options")
        if not rule.options and self.options:
            raise ValueError(f"a {self.kind.value} exercise takes no options")
        if rule.scale and self.scale is None:
            raise ValueError(f"a {self.kind.value} exercise needs a scale")
        if not rule.scale and self.scale is not None:
            raise ValueError(f"a {self.kind.value} exercise takes no scale")
        if rule.objective and self.objective is None:
            raise ValueError(f"a {self.kind.value} exercise names the objective it measures")
        if len(set(self.options)) != len(self.options):
            raise ValueError("options repeat")
        return self


class DebriefQuestion(Strict):
    question: Text
    example_responses: Annotated[list[Text], Field(min_length=1)]


class Debrief(Timed):
    # Four questions cannot be opened, heard and closed in less than five minutes.
    minutes: Annotated[int, Field(ge=5, le=60)]
    minutes_120: Annotated[int, Field(ge=5, le=60)]
    questions: Annotated[list[DebriefQuestion], Field(min_length=1)]
    pitfalls: Annotated[list[Text], Field(min_length=1)]


# Programme-wide pieces a module's session can hold besides the opening and
# closing rituals of agreements.yaml: reading the agreements aloud, and the
# programme evaluation's retrospective ratings (curriculum/evaluation/programme.yaml).
AGREEMENTS_PIECE = "agreements"
RETROSPECTIVE_PIECE = "retrospective"


class PlacedRitual(Timed):
    """A programme-wide piece run in this module's session and counted in its minutes.

    ``id`` names an opening or closing ritual in agreements.yaml, "agreements" or
    "retrospective". Opening rituals and the agreements come before the activities;
    the retrospective and closing rituals come last, in the order listed.
    """

    id: Id


class FacilitatorNotes(Strict):
    preparation: Text
    identity_work: Text  # the facilitator's own reflection before running this module
    responding_to_harm: Text
    crisis_protocol: Text  # module-specific additions to the programme's protocol
    co_facilitator: Text


class EvaluationLink(Strict):
    item: Id  # an evaluation item id
    objective: Id


class Module(Strict):
    slug: Id
    number: Annotated[int, Field(ge=1, le=99)]
    title: Text
    seed_text: Text  # the theme's paragraph from the source text, kept for provenance
    summary: Text
    minutes: Annotated[int, Field(ge=15, le=480)] = 90
    metadata: Metadata
    learner_profiles: Annotated[list[LearnerProfile], Field(min_length=2, max_length=4)]
    prerequisites: Prerequisites
    questions: Annotated[list[Text], Field(min_length=1, max_length=3)]
    objectives: Annotated[list[Objective], Field(min_length=1)]
    key_points: Annotated[list[KeyPoint], Field(min_length=1)]
    content_notes: list[ContentNote] = []
    agreements: Annotated[list[Id], Field(min_length=1)]
    rituals: list[PlacedRitual] = []
    activities: Annotated[list[Activity], Field(min_length=1)]
    exercises: Annotated[list[Exercise], Field(min_length=1)]
    debrief: Debrief
    facilitator_notes: FacilitatorNotes
    resources: list[Id] = []  # support organisations beyond the cohort region's list
    evaluation_map: list[EvaluationLink] = []
