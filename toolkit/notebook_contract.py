"""What a module notebook may call and must take: the contract `bridges check` holds notebooks to.

The named sections a notebook can render with ``page.section(NAME)`` (the
checker rejects any other name, so a notebook can never refer to a section the
renderer does not have), and the papermill parameters every notebook declares.
"""

from __future__ import annotations

# Sections in the order a module usually shows them. "content-notes" must come
# before any activity: people read the warning before the material.
SECTIONS: tuple[str, ...] = (
    "participant-code",
    "overview",
    "content-notes",
    "agreements",
    "questions",
    "objectives",
    "prerequisites",
    "learner-profiles",
    "facilitator-preparation",
    "progress",
    "debrief",
    "key-points",
    "resources",
)

# Parameters every module notebook takes (papermill), each with a help comment.
REQUIRED_PARAMETERS: tuple[str, ...] = ("cohort", "language", "audience", "participant", "store")
