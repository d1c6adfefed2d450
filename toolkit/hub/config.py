"""`bridges hub-config COHORT.yaml`: a ``jupyterhub_config.py`` for one cohort.

The file is plain JupyterHub configuration an administrator can read: the
authenticator, the spawner and the command it runs, the idle culler and its
role. It holds no secret: the join code and facilitator token go to a file
beside it that only its owner can read (toolkit.hub.secrets), kept when the
config is written again so a code already given to the room stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from toolkit.builder.files import write_atomic
from toolkit.cohorts import load_cohort, store_url
from toolkit.curriculum import programme
from toolkit.errors import Problem, ValidationFailed
from toolkit.hub.defaults import DEFAULT_BIND_URL, DEFAULT_IDLE_SERVER_TIMEOUT, DEFAULT_MAX_SERVERS, DEFAULT_PUBLIC_URL
from toolkit.hub.secrets import SECRETS_FILE, HubSecrets, load_secrets
from toolkit.paths import Home

STORE_EXAMPLE = "postgresql://bridges@db.example.org:5432/bridges"


@dataclass(frozen=True)
class HubConfig:
    config: Path
    secrets: Path
    join_code: str
    new_secrets: bool


def require_shared_store(cohort_file: Path, url: str) -> None:
    """Every person's server writes to the one store: a SQLite file would be one per server."""
    scheme = urlsplit(url).scheme
    if scheme != "postgresql":
        raise ValidationFailed(
            [
                Problem(
                    str(cohort_file),
                    "store",
                    f"on JupyterHub every single-user server must write to one shared store, not a {scheme} file "
                    "of its own",
                    f"set store: {STORE_EXAMPLE}, a PostgreSQL database every server reaches; README: PostgreSQL store",
                )
            ]
        )


def require_url(where: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationFailed(
            [Problem(where, "", f"{url!r} is not an address", "give one like https://hub.example.org/")]
        )


def write_hub_config(
    cohort_file: Path,
    out: Path,
    home: Home,
    public_url: str = DEFAULT_PUBLIC_URL,
    bind_url: str = DEFAULT_BIND_URL,
    cull_idle: int = DEFAULT_IDLE_SERVER_TIMEOUT,
    max_servers: int = DEFAULT_MAX_SERVERS,
) -> HubConfig:
    """Check the cohort, write ``out`` and, if there is none yet, the secrets file beside it."""
    cohort = load_cohort(cohort_file, programme(home=home))
    store = store_url(cohort)
    require_shared_store(cohort_file, store)
    require_url("--public-url", public_url)
    require_url("--bind-url", bind_url)
    out = out.resolve()
    secrets_path = out.parent / SECRETS_FILE
    new_secrets = not secrets_path.exists()
    if new_secrets:
        HubSecrets.fresh().write(secrets_path)
    secrets = load_secrets(secrets_path)  # refuses one others can read, before anything is written
    text = CONFIG_TEMPLATE.format(
        cohort_name=cohort.name,
        language=cohort.language,
        cohort_arg=cohort_file.name,
        cohort_file=str(cohort_file.resolve()),
        store=store,
        public_url=_with_slash(public_url),
        bind_url=_with_slash(bind_url),
        cull_idle=cull_idle,
        max_servers=max_servers,
        secrets_file=SECRETS_FILE,
    )
    write_atomic(out, text.encode())
    return HubConfig(out, secrets_path, secrets.join_code, new_secrets)


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


CONFIG_TEMPLATE = '''\
"""JupyterHub for the Bridges cohort {cohort_name!r}, written by `bridges hub-config {cohort_arg}`.

Write it again with that command rather than editing it. No secret is in this file:
the hub reads the join code and the facilitator token from $BRIDGES_JOIN_CODE and
$BRIDGES_FACILITATOR_TOKEN, or else from {secrets_file} beside this file (mode 0600).
Start the hub with `jupyterhub -f jupyterhub_config.py` from the environment where
bridges-curriculum[hub] is installed; configurable-http-proxy must be on PATH.
"""

import sys
from pathlib import Path

from toolkit.hub.authenticator import TEMPLATES
from toolkit.hub.spawn import ENV_KEEP, set_role

c = get_config()  # noqa: F821 - JupyterHub provides get_config
HERE = Path(__file__).resolve().parent
COHORT_FILE = {cohort_file!r}

# The address people open, and where the hub listens (behind a TLS proxy: loopback).
c.JupyterHub.public_url = {public_url!r}
c.JupyterHub.bind_url = {bind_url!r}

# The hub's own state, beside this file.
c.JupyterHub.db_url = f"sqlite:///{{HERE / 'jupyterhub.sqlite'}}"
c.JupyterHub.cookie_secret_file = str(HERE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(HERE / "jupyterhub-proxy.pid")

# Sign in with one field: the join code (an anonymous participant) or the facilitator token.
c.JupyterHub.authenticator_class = "toolkit.hub.authenticator.BridgesAuthenticator"
c.BridgesAuthenticator.secrets_file = str(HERE / {secrets_file!r})
c.BridgesAuthenticator.language = {language!r}  # the login page speaks the cohort's language
c.JupyterHub.template_paths = [str(TEMPLATES)]

# One machine: each person's server is a local process of the hub's account (anonymous
# participants have no system accounts). On Kubernetes, see deploy/z2jh-values.yaml.
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(HERE / "servers" / "{{username}}")
# Every server reads the cohort file, so all write to its store, {store!r}
# (the password, if any, from $PGPASSWORD or a PGPASSFILE kept below).
c.Spawner.cmd = [sys.executable, "-m", "toolkit", "hub-singleuser", COHORT_FILE]
c.Spawner.args = []
c.Spawner.pre_spawn_hook = set_role  # the facilitator's server shows the dashboard
c.Spawner.env_keep = ENV_KEEP
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# Each sign-in with the join code is a new person with a new server: at most this many run at once.
c.JupyterHub.active_server_limit = {max_servers}

# Servers idle for {cull_idle} s are stopped, with their kernels.
c.JupyterHub.services = [
    {{
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout={cull_idle}"],
    }}
]
c.JupyterHub.load_roles = [
    {{
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }}
]
'''
