"""The hub's two secrets: the join code (shared with the room) and the facilitator token.

They are never written into ``jupyterhub_config.py``, which people copy, paste into
tickets and keep in version control. The hub reads them from the environment
(``BRIDGES_JOIN_CODE``, ``BRIDGES_FACILITATOR_TOKEN``; on Kubernetes, from a
Secret) or, failing that, from a file that ``bridges hub-config`` writes next to
the config with mode 0600. Single-user servers never receive them.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import HubMisconfigured
from toolkit.live.access import new_secret

JOIN_CODE_ENV = "BRIDGES_JOIN_CODE"
FACILITATOR_TOKEN_ENV = "BRIDGES_FACILITATOR_TOKEN"
SECRETS_FILE = "bridges-hub-secrets.json"
MIN_SECRET_LENGTH = 12  # shorter codes fall to guessing despite the back-off


@dataclass(frozen=True)
class HubSecrets:
    join_code: str
    facilitator_token: str

    @classmethod
    def fresh(cls) -> HubSecrets:
        return cls(new_secret(), new_secret())

    def write(self, path: Path) -> None:
        """Write to ``path``, readable by its owner only."""
        # Imported here: the hub itself only reads, and needs none of the live server's libraries.
        from toolkit.live.launch import write_private

        write_private(path, json.dumps({"join_code": self.join_code, "facilitator_token": self.facilitator_token}))


def load_secrets(path: Path | None) -> HubSecrets:
    """The secrets from the environment, else from ``path``; refuse missing, short, equal or exposed ones."""
    join_code, token = os.environ.get(JOIN_CODE_ENV, ""), os.environ.get(FACILITATOR_TOKEN_ENV, "")
    where = f"${JOIN_CODE_ENV} and ${FACILITATOR_TOKEN_ENV}"
    if not (join_code and token) and path is not None and path.exists():
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise HubMisconfigured(str(path), "others can read this file", f"chmod 600 {path}")
        stored = json.loads(path.read_text(encoding="utf-8"))
        join_code, token, where = str(stored.get("join_code", "")), str(stored.get("facilitator_token", "")), str(path)
    if not (join_code and token):
        raise HubMisconfigured(
            where,
            "no join code and facilitator token",
            f"set {JOIN_CODE_ENV} and {FACILITATOR_TOKEN_ENV}, or run bridges hub-config to write {SECRETS_FILE}",
        )
    if min(len(join_code), len(token)) < MIN_SECRET_LENGTH:
        raise HubMisconfigured(where, f"a secret shorter than {MIN_SECRET_LENGTH} characters", "use longer secrets")
    if join_code == token:
        raise HubMisconfigured(where, "the join code and the facilitator token are the same", "use two secrets")
    return HubSecrets(join_code, token)
