"""Schema of a module's print kit: what a coordinator prints, cuts and puts on the wall.

Cards, posters, the fact sheet and the identity wheel used to live inside
activities' set-up prose, so a coordinator retyped them. As data they print
straight from ``curriculum/kits/NN-slug.yaml`` (toolkit.handouts.kit).

Cards and posters come in sets, one set per activity: the set's ``id`` is the
activity's id. That keeps every translatable record matched by ``id`` (how
translations overlay lists) while the activity, the kind and any ``checked``
date stay structure that a translation cannot change.

Every dated claim carries ``checked``: the day someone last confirmed it
against a current source. The kit prints it ("checked on ..."), and
``bridges check`` lists claims checked more than a year ago
(toolkit.checks.claims).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from toolkit.schema.common import Id, Strict, Text


class CardKind(StrEnum):
    STEREOTYPE = "stereotype"
    CLAIM = "claim"
    SCRIPT = "script"
    SCENARIO = "scenario"
    SCENE = "scene"
    CHARACTER = "character"
    HISTORY = "history"  # a dated history: every card carries ``checked``


class PosterKind(StrEnum):
    GALLERY = "gallery"  # a heading and columns to write under
    HISTORY = "history"  # dated facts: every poster carries ``checked``


# Kinds whose every item states dated facts and so must say when they were checked.
DATED_CARDS = {CardKind.HISTORY}
DATED_POSTERS = {PosterKind.HISTORY}


class Card(Strict):
    id: Id
    title: str = ""  # a short heading: a letter, a name, a scene title
    text: Text
    back: str = ""  # printed under a rule on the card: questions, helpful moves
    checked: dt.date | None = None
    composite: bool = False  # an invented story, labelled as such: it states no facts to check


class CardSet(Strict):
    """The cards of one activity."""

    id: Id  # the activity these cards belong to
    kind: CardKind
    title: Text  # e.g. "Stereotype cards"
    note: str = ""  # how many to print and how to hand them out
    cards: Annotated[list[Card], Field(min_length=1)]

    @model_validator(mode="after")
    def _dated(self) -> Self:
        if self.kind in DATED_CARDS:
            undated = [card.id for card in self.cards if card.checked is None and not card.composite]
            if undated:
                raise ValueError(f"{self.kind.value} cards state dated facts; add 'checked' to {', '.join(undated)}")
        return self


class Poster(Strict):
    id: Id
    title: Text
    text: Text
    checked: dt.date | None = None


class PosterSet(Strict):
    """The posters of one activity, printed one to a page."""

    id: Id  # the activity these posters belong to
    kind: PosterKind
    title: Text
    note: str = ""
    columns: list[Text] = []  # headings of the columns people write under, on every poster
    posters: Annotated[list[Poster], Field(min_length=1)]

    @model_validator(mode="after")
    def _dated(self) -> Self:
        if self.kind in DATED_POSTERS:
            undated = [poster.id for poster in self.posters if poster.checked is None]
            if undated:
                raise ValueError(f"history posters state dated facts; add 'checked' to {', '.join(undated)}")
        return self


class FactClaim(Strict):
    """One claim read aloud (printed as a claim card) and what the record says (the fact sheet)."""

    id: Id
    claim: Text  # what the card says, as people hear it
    text: Text  # what the record says
    source: Text  # where to check it
    checked: dt.date


class FactSheet(Strict):
    id: Id  # the activity the claims belong to
    title: Text
    note: str = ""
    claims: Annotated[list[FactClaim], Field(min_length=1)]


class WheelSegment(Strict):
    id: Id
    label: Text
    hint: str = ""  # a few words of prompt under the label


class IdentityWheel(Strict):
    id: Id  # the activity the wheel belongs to
    title: Text
    note: str = ""  # printed on the sheet: it stays with its owner
    segments: Annotated[list[WheelSegment], Field(min_length=3, max_length=16)]


class DatedClaim(Strict):
    """Any kit item that states dated facts, for the staleness check."""

    id: Id
    loc: tuple[str | int, ...]  # where it sits in the kit file, e.g. ("fact_sheet", "claims", 2)
    checked: dt.date


class Kit(Strict):
    module: Id  # the module's slug
    title: Text
    card_sets: list[CardSet] = []
    poster_sets: list[PosterSet] = []
    fact_sheet: FactSheet | None = None
    wheel: IdentityWheel | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [
            *(item.id for card_set in self.card_sets for item in card_set.cards),
            *(item.id for poster_set in self.poster_sets for item in poster_set.posters),
            *(claim.id for claim in (self.fact_sheet.claims if self.fact_sheet else [])),
        ]
        repeated = [value for value, count in Counter(ids).items() if count > 1]
        if repeated:
            raise ValueError(f"ids repeat within the kit: {', '.join(repeated)}")
        return self

    def activities(self) -> list[str]:
        """The ids of the activities this kit prints for."""
        sets: list[str] = [s.id for s in self.card_sets] + [s.id for s in self.poster_sets]
        sets += [part.id for part in (self.fact_sheet, self.wheel) if part is not None]
        return list(dict.fromkeys(sets))

    def dated_claims(self) -> Iterator[DatedClaim]:
        """Every item that carries a ``checked`` date, with where it sits in the file."""
        for s, card_set in enumerate(self.card_sets):
            for c, card in enumerate(card_set.cards):
                if card.checked is not None:
                    yield DatedClaim(id=card.id, loc=("card_sets", s, "cards", c), checked=card.checked)
        for s, poster_set in enumerate(self.poster_sets):
            for p, poster in enumerate(poster_set.posters):
                if poster.checked is not None:
                    yield DatedClaim(id=poster.id, loc=("poster_sets", s, "posters", p), checked=poster.checked)
        if self.fact_sheet is not None:
            for c, claim in enumerate(self.fact_sheet.claims):
                yield DatedClaim(id=claim.id, loc=("fact_sheet", "claims", c), checked=claim.checked)
