"""Who reads each field of a module: everyone, or only facilitators.

A participant workbook is the facilitator's run with the facilitator-tagged
outputs removed, so a field reaches participants exactly when a view that
prints it is shown untagged. This module is the one place that decides:

- ``ROUTES`` gives every field of ``toolkit.schema.module.Module`` (by its
  dotted path, lists stepped through) its audience;
- ``VIEW_FIELDS`` says which fields each rendered view prints;
- a view is shown to everyone only when every field it prints is routed to
  everyone (``view_audience``), otherwise only to facilitators.

The materials list and the interpreter briefing (which quotes slurs) are
facilitator material: a workbook carried home must hold neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from toolkit.schema.module import Module

# Who a page or handout is for. Facilitator-only material carries the
# FACILITATOR_TAG (cell tag or output metadata tag) so exports can remove it.
AUDIENCES = ("participant", "facilitator")
FACILITATOR_TAG = "facilitator"


class Audience(StrEnum):
    EVERYONE = "everyone"  # participants and facilitators
    FACILITATORS = "facilitators"  # the facilitator guide only


E, F = Audience.EVERYONE, Audience.FACILITATORS

# Every field of a module. A field whose children are routed one by one is
# left out here (e.g. "activities"); its children are listed instead.
ROUTES: dict[str, Audience] = {
    "slug": E,
    "number": E,
    "title": E,
    "seed_text": F,  # the source paragraph, kept for provenance
    "summary": E,
    "minutes": E,
    "metadata": F,
    "learner_profiles": F,  # personas help facilitators plan; participants are real people
    "prerequisites.modules": E,
    "prerequisites.materials": F,
    "prerequisites.interpreter_needs": F,  # the interpreter briefing lists slurs
    "questions": E,
    "objectives": E,
    "key_points": E,
    "content_notes": E,
    "agreements": E,
    "rituals": E,  # programme rituals placed in this session: they appear in every agenda
    "activities.id": E,
    "activities.title": E,
    "activities.method": F,
    "activities.group_size.grouping": E,
    "activities.group_size.min": F,
    "activities.group_size.max": F,
    "activities.minutes": E,
    "activities.minutes_120": E,
    "activities.optional": E,
    "activities.disclosure": F,
    "activities.content_notes": E,
    "activities.summary": E,
    "activities.instructions": E,
    "activities.how_to_pass": E,
    "activities.no_movement_variant": E,
    "activities.facilitator_notes": F,
    "activities.exercises": E,
    "exercises": E,
    "debrief.minutes": E,
    "debrief.minutes_120": E,
    "debrief.questions.question": E,
    "debrief.questions.example_responses": F,
    "debrief.pitfalls": F,
    "facilitator_notes": F,
    "resources": E,
    "evaluation_map": F,
}

# The fields each view in toolkit.render prints (page.py shows the views).
VIEW_FIELDS: dict[str, tuple[str, ...]] = {
    "overview": ("number", "title", "minutes", "summary"),
    "content-notes": ("content_notes",),
    "agreements": ("agreements",),
    "questions": ("questions",),
    "objectives": ("objectives",),
    "prerequisites": ("prerequisites.modules",),
    "prerequisites-notes": ("prerequisites.materials", "prerequisites.interpreter_needs"),
    "learner-profiles": ("learner_profiles",),
    "facilitator-preparation": ("facilitator_notes",),
    "debrief": ("debrief.minutes", "debrief.minutes_120", "debrief.questions.question"),
    "debrief-notes": ("debrief.questions.question", "debrief.questions.example_responses", "debrief.pitfalls"),
    "key-points": ("key_points",),
    "resources": ("resources",),
    "activity": (
        "activities.title",
        "activities.minutes",
        "activities.minutes_120",
        "activities.group_size.grouping",
        "activities.optional",
        "activities.content_notes",
        "activities.summary",
        "activities.instructions",
        "activities.how_to_pass",
        "activities.no_movement_variant",
    ),
    "activity-notes": (
        "activities.title",
        "activities.facilitator_notes",
        "activities.method",
        "activities.disclosure",
        "activities.group_size.min",
        "activities.group_size.max",
    ),
}

# The views each ``page.section(NAME)`` shows, in order (names from toolkit.notebook_contract).
SECTION_VIEWS: dict[str, tuple[str, ...]] = {
    "overview": ("overview",),
    "content-notes": ("content-notes",),
    "agreements": ("agreements",),
    "questions": ("questions",),
    "objectives": ("objectives",),
    "prerequisites": ("prerequisites", "prerequisites-notes"),
    "learner-profiles": ("learner-profiles",),
    "facilitator-preparation": ("facilitator-preparation",),
    "debrief": ("debrief", "debrief-notes"),
    "key-points": ("key-points",),
    "resources": ("resources",),
}
ACTIVITY_VIEWS: tuple[str, ...] = ("activity", "activity-notes")


def route(path: str) -> Audience:
    """The audience of the field at ``path``, or of the nearest routed field above it.

    A field nobody has routed yet is the facilitators' alone: new material is
    kept out of the workbook until someone decides participants should read it.
    """
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        found = ROUTES.get(".".join(parts[:end]))
        if found is not None:
            return found
    return Audience.FACILITATORS


def view_audience(view: str) -> Audience:
    """EVERYONE only if every field the view prints is routed to everyone."""
    fields = VIEW_FIELDS[view]
    return Audience.EVERYONE if all(route(field) is Audience.EVERYONE for field in fields) else Audience.FACILITATORS


def schema_fields(model: type[BaseModel] = Module, prefix: str = "") -> Iterator[str]:
    """Every leaf field path of ``model`` (nested models stepped into, lists and optionals too)."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = _nested_model(info.annotation)
        if nested is None:
            yield path
        else:
            yield from schema_fields(nested, f"{path}.")


def unrouted_fields() -> list[str]:
    """Schema fields that neither ROUTES nor a routed field above them covers."""
    return [
        path
        for path in schema_fields()
        if not any(".".join(path.split(".")[:end]) in ROUTES for end in range(len(path.split(".")), 0, -1))
    ]


def routed_texts(module: Module, audience: Audience) -> list[str]:
    """Every text of ``module`` in a field routed to ``audience``."""
    return [text for path, text in _texts(module.model_dump(mode="json"), "") if route(path) is audience]


def facilitator_only_texts(module: Module) -> list[str]:
    """Texts written for facilitators alone: in a facilitator field and in no field everyone reads.

    (A module's ``metadata.theme`` may repeat its title, which everyone reads.)
    """
    everyone = "\n".join(routed_texts(module, E))
    return [text for text in routed_texts(module, F) if text not in everyone]


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}" if path else key)


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is None:
        return None
    for argument in get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None
