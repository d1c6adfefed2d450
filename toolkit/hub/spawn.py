"""What the hub tells each single-user server when it starts it (imported by the generated config).

The role comes from the hub's own record of the user's groups, set when they
signed in (toolkit.hub.authenticator): a participant cannot ask for the dashboard.
"""

from __future__ import annotations

from typing import Any

from toolkit.hub.authenticator import FACILITATORS_GROUP

ROLE_ENV = "BRIDGES_HUB_ROLE"
PARTICIPANT, FACILITATOR = "participant", "facilitator"
# Passed from the hub's environment to every server; never the join code or the token.
ENV_KEEP = [
    "PATH",
    "LANG",
    "LC_ALL",
    "VIRTUAL_ENV",
    "PGPASSWORD",  # libpq reads the store's password here or in a PGPASSFILE, never in the URL
    "PGPASSFILE",
    "PGSSLMODE",  # TLS to a managed PostgreSQL
    "PGSSLROOTCERT",
    "BRIDGES_HOME",
    "BRIDGES_DATA_DIR",
]


def set_role(spawner: Any) -> None:
    """JupyterHub's ``Spawner.pre_spawn_hook``: a facilitator's server shows the dashboard."""
    facilitator = any(group.name == FACILITATORS_GROUP for group in spawner.user.groups)
    # A new dict: the configured one may be shared between spawners.
    spawner.environment = {**spawner.environment, ROLE_ENV: FACILITATOR if facilitator else PARTICIPANT}
