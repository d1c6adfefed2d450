"""The named sections a module notebook can render with ``page.section(NAME)``.

The notebook checker rejects any other name, so a notebook can never refer to
a section the renderer does not have.
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


# Who a page or handout is for. Facilitator-only material carries the
# FACILITATOR_TAG (cell tag or output metadata tag) so exports can remove it.
AUDIENCES = ("participant", "facilitator")
FACILITATOR_TAG = "facilitator"
