"""One person, one name: the personas across the programme (issue 13 §8).

Learner profiles (name and summary) and the character cards of the print kits
are the people a facilitator and the participants meet again from module to
module. These rules can be enforced from the data alone:

- a learner-profile name belongs to one person: the same name in another
  profile must carry the same summary (the same person met again);
- a character card named after a learner profile speaks of that person with
  the same pronouns, and a card in another module shows it is the same person
  by giving the profile's age in its title ("Anh, 24, in Melbourne"): the
  module 5 cards once reused Nur and Priya for other people. Pronouns are
  read only where the reading is safe: a text whose gendered pronouns are all
  of one kind (he or she), or that has none but uses they/them. A text that
  uses both he and she, or no pronoun at all, is left alone rather than
  guessed at;
- a translated profile summary calls its person by the English summary's
  name, not by another persona's (a rename must reach every language: the
  Korean summaries once kept the old names). Only a summary whose English
  names its person is read, because a name can also be a word in the
  translation's language (Vietnamese "Anh").

Names in activity prose are not checked: prose also names historical people,
festivals and words that are not personas, so a rule there would be noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.curriculum import LoadedCurriculum
from toolkit.errors import Problem, ValidationFailed
from toolkit.languages import LANGUAGES, SOURCE_LANGUAGE
from toolkit.schema.kit import CardKind, Kit
from toolkit.schema.module import Module
from toolkit.yamlio import Document, Loc, load_document

PRONOUNS = {
    "he": {"he", "him", "his", "himself"},
    "she": {"she", "her", "hers", "herself"},
    "they": {"they", "them", "their", "theirs", "themself", "themselves"},
}
WORD = re.compile(r"[a-z]+")
AGE = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


@dataclass(frozen=True)
class Persona:
    name: str
    module: str  # the module's slug
    text: str
    document: Document
    loc: Loc

    @property
    def module_file(self) -> str:
        return self.document.label


def check_personas(loaded: LoadedCurriculum) -> list[Problem]:
    profiles = list(_profiles(loaded))
    return [*_reused_names(profiles), *_character_cards(loaded, profiles), *_translated_summaries(loaded, profiles)]


def _profiles(loaded: LoadedCurriculum) -> Iterator[Persona]:
    for entry in loaded.files.values():
        if isinstance(entry.model, Module):
            for index, profile in enumerate(entry.model.learner_profiles):
                yield Persona(
                    profile.name, entry.model.slug, profile.summary, entry.document, ("learner_profiles", index)
                )


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _reused_names(profiles: list[Persona]) -> Iterator[Problem]:
    first: dict[str, Persona] = {}
    for persona in profiles:
        key = persona.name.casefold()
        earlier = first.setdefault(key, persona)
        if earlier is persona or _same_text(earlier.text, persona.text):
            continue
        yield persona.document.problem(
            (*persona.loc, "name"),
            f"{persona.name!r} is already a different person in {earlier.module_file} (learner_profiles)",
            "give this person a name used nowhere else in the programme, "
            "or copy the earlier summary if it is the same person",
        )


def pronoun_kind(text: str) -> str | None:
    """'he', 'she' or 'they' where a text about one person uses one kind safely; None when unsure."""
    words = set(WORD.findall(text.lower()))
    gendered = [kind for kind in ("he", "she") if words & PRONOUNS[kind]]
    if len(gendered) == 1:
        return gendered[0]
    if not gendered and words & PRONOUNS["they"]:
        return "they"
    return None


def card_name(title: str) -> str:
    """The person a character card names: its title up to the first comma ("Anh, 24, in Melbourne")."""
    return title.split(",", 1)[0].strip()


def _character_cards(loaded: LoadedCurriculum, profiles: list[Persona]) -> Iterator[Problem]:
    by_name = {persona.name.casefold(): persona for persona in profiles}
    for entry in loaded.files.values():
        if not isinstance(entry.model, Kit):
            continue
        for s, card_set in enumerate(entry.model.card_sets):
            if card_set.kind is not CardKind.CHARACTER:
                continue
            for c, card in enumerate(card_set.cards):
                profile = by_name.get(card_name(card.title).casefold())
                if profile is None:
                    continue
                loc = ("card_sets", s, "cards", c)
                card_kind, profile_kind = pronoun_kind(card.text), pronoun_kind(profile.text)
                if card_kind and profile_kind and card_kind != profile_kind:
                    yield entry.document.problem(
                        (*loc, "text"),
                        f"{profile.name} is '{card_kind}' here but '{profile_kind}' in the learner profile "
                        f"in {profile.module_file}",
                        "use the pronouns of the profile, or give the card's character another name",
                    )
                # A card in another module may meet a profile's person again (Anh in modules 1 and 6), but
                # only the age the profile gives tells that person apart from a namesake.
                if profile.module != entry.model.module and not set(AGE.findall(card.title)) & set(
                    AGE.findall(profile.text)
                ):
                    yield entry.document.problem(
                        (*loc, "title"),
                        f"{profile.name} is a learner profile in {profile.module_file}; nothing shows this card "
                        "is the same person",
                        f"if it is, give the profile's age in the title ('{profile.name}, age, ...'); "
                        "if not, give the character a name used nowhere else",
                    )


def _translated_summaries(loaded: LoadedCurriculum, profiles: list[Persona]) -> Iterator[Problem]:
    names = {persona.name for persona in profiles}
    # Korean particles attach to a name ("Sadia는"), so a name ends where Latin letters end.
    patterns = {name: re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])") for name in names}
    by_file: dict[str, list[Persona]] = {}
    for persona in profiles:
        by_file.setdefault(persona.module_file, []).append(persona)
    for english in by_file.values():
        for translation in _translations(english[0].document.path):
            translated = translation.data.get("learner_profiles") if isinstance(translation.data, dict) else None
            if not isinstance(translated, list):
                continue
            for persona, item in zip(english, translated, strict=False):
                summary = item.get("summary") if isinstance(item, dict) else None
                if not isinstance(summary, str):
                    continue
                own = patterns[persona.name]
                if not own.search(persona.text) or own.search(summary):
                    continue
                others = sorted(name for name, pattern in patterns.items() if pattern.search(summary))
                if others:
                    yield translation.problem(
                        (*persona.loc, "summary"),
                        f"the English summary names {persona.name}; this one names {', '.join(others)} instead",
                        f"write {persona.name}'s name where the English has it",
                    )


def _translations(english: Path) -> Iterator[Document]:
    curriculum = english.parent.parent
    for code in LANGUAGES:
        path = curriculum / "translations" / code / english.parent.name / english.name
        if code == SOURCE_LANGUAGE or not path.is_file():
            continue
        try:
            yield load_document(path, curriculum.parent)
        except ValidationFailed:
            continue  # the loader reports a broken translation file
