"""Safe-practice rules from CONTENT.md, checked by code over every module.

These are not style preferences: each rule protects participants for whom
being outed can cost family, work, safety or residence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit.curriculum import LoadedCurriculum
from toolkit.errors import Problem
from toolkit.schema.module import Activity, Disclosure, Method, Module, Topic
from toolkit.yamlio import Document

MIN_EXERCISE_KINDS = 3
VOLUNTARY_SENTENCE = "Sharing is voluntary."

# Asking for any of these, even optionally, makes a form an instrument of outing.
_IDENTITY_FIELDS = (
    r"sexual orientation|sexuality|gender identity|ethnicity|ethnic background|race|religion|"
    r"immigration status|visa status|citizenship|legal name|real name|full name|surname|"
    r"e-?mail(?: address)?|phone number|home address|date of birth"
)
IDENTITY_REQUEST = re.compile(
    rf"\b(?:what is|what's|state|enter|tell us|write down|give|list|share|provide|select|tick)\s+"
    rf"(?:your|you)\s+(?:{_IDENTITY_FIELDS})\b",
    re.IGNORECASE,
)

# Words that mark participant-facing text as touching a topic that needs a content note.
TOPIC_WORDS: dict[Topic, re.Pattern[str]] = {
    topic: re.compile(pattern, re.IGNORECASE)
    for topic, pattern in {
        Topic.FAMILY_REJECTION: (
            r"disown|kicked out|thrown out|cut off by|family rejection|rejected by (?:my|your|their) family"
        ),
        Topic.RELIGION: r"\breligio|\bfaith\b|\bchurch|\bmosque|\btemple|\bscripture|\bgurdwara",
        Topic.VIOLENCE: r"\bviolen|\bassault|\battacked\b|\bbeaten\b",
        Topic.SUICIDE: r"\bsuicid|self-harm",
        Topic.IMMIGRATION: r"\bimmigra|\bvisa\b|\bdeport|\basylum|\brefugee",
        Topic.RACISM: r"\bracis[mt]|\bcolou?rism",
        Topic.DISCRIMINATION: r"\bcaste\b|\bcasteis[mt]",
        Topic.CRIMINALISATION: r"criminali[sz]|section 377|\b377a?\b|\barrest|\bprison\b|\bjail",
    }.items()
}


def participant_text(activity: Activity) -> str:
    return " ".join([activity.title, activity.summary, *activity.instructions])


def check_safe_practice(loaded: LoadedCurriculum) -> list[Problem]:
    problems: list[Problem] = []
    first_slug = loaded.programme.overview.modules[0] if loaded.programme.overview.modules else None
    for entry in loaded.files.values():
        if isinstance(entry.model, Module):
            problems += _module_rules(entry.document, entry.model, is_first=entry.model.slug == first_slug)
    return problems


def _module_rules(doc: Document, module: Module, is_first: bool) -> Iterator[Problem]:
    kinds = {e.kind for e in module.exercises}
    if len(kinds) < MIN_EXERCISE_KINDS:
        yield doc.problem(
            ("exercises",),
            f"uses {len(kinds)} exercise kind(s); at least {MIN_EXERCISE_KINDS} are needed",
            "vary the kinds: free_text, scale, single_choice, ranking, word_contribution, self_rating ...",
        )
    if not any(a.optional for a in module.activities):
        yield doc.problem(
            ("activities",), "no activity is optional", "mark one 'optional: true' so a late session can drop it"
        )
    for i, exercise in enumerate(module.exercises):
        for field, text in (
            ("prompt", exercise.prompt),
            ("help", exercise.help),
            *(("options", o) for o in exercise.options),
        ):
            if IDENTITY_REQUEST.search(text):
                yield doc.problem(
                    ("exercises", i, field),
                    f"asks for identifying or special-category data: {text!r}",
                    "never ask for orientation, gender identity, ethnicity, religion, status, names or contacts",
                )
    notes = {note.id: set(note.topics) for note in module.content_notes}
    for i, activity in enumerate(module.activities):
        text = participant_text(activity)
        if IDENTITY_REQUEST.search(text):
            yield doc.problem(
                ("activities", i, "instructions"),
                "asks for identifying or special-category data",
                "rephrase so nothing personal is required",
            )
        covered = set().union(*(notes.get(ref, set()) for ref in activity.content_notes))
        for topic, words in TOPIC_WORDS.items():
            if (found := words.search(text)) and topic not in covered:
                yield doc.problem(
                    ("activities", i, "content_notes"),
                    f"activity {activity.id!r} mentions {found.group(0)!r} ({topic.value}) without a content note",
                    f"add a content note with topic '{topic.value}' and list its id here",
                )
        identity_work = activity.disclosure is Disclosure.HIGH or activity.method is Method.IDENTITY_WHEEL
        if identity_work and i == 0:
            yield doc.problem(
                ("activities", i), "identity work opens the module", "put a trust-building activity first"
            )
        if identity_work and is_first:
            yield doc.problem(
                ("activities", i, "disclosure"),
                "high-disclosure identity work in the first module",
                "trust-building comes first; move it to a later module",
            )
        if identity_work and VOLUNTARY_SENTENCE not in activity.summary:
            yield doc.problem(
                ("activities", i, "summary"),
                "identity activity does not say sharing is voluntary",
                f"add the sentence {VOLUNTARY_SENTENCE!r}",
            )
