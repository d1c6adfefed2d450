"""Erase one participant: every event they ever caused in the cohort, for good.

The SQLite store deletes with ``secure_delete`` and then checkpoints the WAL,
so no byte of the answers stays in the database or its -wal file (see
``SQLiteStore.erase_participant``). Backups and paper are out of reach; see
docs/privacy.md. Afterwards the code is unknown, so it cannot be resumed.
"""

from __future__ import annotations

from toolkit.errors import UnknownParticipant
from toolkit.events.store import EventStore
from toolkit.identity import normalise_code


def erase(store: EventStore, cohort: str, code: str, module: str | None = None) -> int:
    """Remove every event of participant ``code`` in ``cohort`` (with ``module``, of that module only,
    for "delete my answers to this module"); returns how many.

    The code may be typed as a person would (capitals, spaces); an unknown
    code is an error rather than "0 removed", which would read as success.
    The code keeps working while the participant has events in other modules.
    """
    participant = normalise_code(code)
    if not store.knows_participant(cohort, participant):
        raise UnknownParticipant(cohort, code)
    return store.erase_participant(cohort, participant, module)
