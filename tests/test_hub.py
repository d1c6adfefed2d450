"""Online cohorts on JupyterHub, in-process: the join-code authenticator, its back-off, the secrets,
and `bridges hub-config` (the real hub in a browser is tests/test_hub_browser.py)."""

from __future__ import annotations

import asyncio
import json
import re
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from tornado.web import HTTPError
from traitlets.config import PyFileConfigLoader
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import HubMisconfigured
from toolkit.hub.authenticator import BridgesAuthenticator
from toolkit.hub.backoff import FREE_FAILURES, LONGEST_WAIT, FailedSignIns
from toolkit.hub.secrets import FACILITATOR_TOKEN_ENV, JOIN_CODE_ENV, SECRETS_FILE, HubSecrets, load_secrets
from toolkit.hub.singleuser import serve_hub_user
from toolkit.paths import find_home

JOIN_CODE = "join-code-for-the-test-room"
TOKEN = "facilitator-token-for-the-test"
PARTICIPANT_NAME = re.compile(r"participant-[0-9a-f]{8}")


def request_from(address: str) -> Any:
    """The little of a tornado handler the authenticator reads: the client's address."""
    return SimpleNamespace(request=SimpleNamespace(remote_ip=address))


def sign_in(authenticator: BridgesAuthenticator, code: str, address: str = "192.0.2.10", **extra: str) -> Any:
    # get_authenticated_user is JupyterHub's whole path: authenticate, normalise, validate, allow.
    return asyncio.run(authenticator.get_authenticated_user(request_from(address), {"code": code, **extra}))


@pytest.fixture
def authenticator(monkeypatch: pytest.MonkeyPatch) -> BridgesAuthenticator:
    monkeypatch.setenv(JOIN_CODE_ENV, JOIN_CODE)
    monkeypatch.setenv(FACILITATOR_TOKEN_ENV, TOKEN)
    return BridgesAuthenticator()


def test_the_join_code_gives_a_fresh_anonymous_participant(authenticator: BridgesAuthenticator) -> None:
    # Whatever else a form might carry, the name is random: nothing typed or personal goes into it.
    first = sign_in(authenticator, JOIN_CODE, username="Mei Lin", email="mei@example.org")
    second = sign_in(authenticator, f"  {JOIN_CODE} ")  # pasted with spaces around
    for user in (first, second):
        assert PARTICIPANT_NAME.fullmatch(user["name"]), user
        assert user["groups"] == []
        assert "mei" not in json.dumps(user).lower()
    assert first["name"] != second["name"]


def test_a_name_already_given_is_never_given_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from jupyterhub import orm
    from traitlets.config import Configurable

    import toolkit.hub.authenticator as authenticator_module

    class Hub(Configurable):  # the authenticator's parent is the JupyterHub app, which holds the database
        db = orm.new_session_factory("sqlite://")()

    Hub.db.add(orm.User(name="participant-00000000"))
    Hub.db.commit()
    names = iter(["participant-00000000", "participant-11111111"])
    monkeypatch.setattr(authenticator_module, "participant_name", lambda: next(names))
    monkeypatch.setenv(JOIN_CODE_ENV, JOIN_CODE)
    monkeypatch.setenv(FACILITATOR_TOKEN_ENV, TOKEN)
    # A repeat would hand the newcomer an earlier participant's server.
    assert sign_in(BridgesAuthenticator(parent=Hub()), JOIN_CODE)["name"] == "participant-11111111"


def test_the_facilitator_token_gives_the_facilitator(authenticator: BridgesAuthenticator) -> None:
    user = sign_in(authenticator, TOKEN)
    assert user["name"] == "facilitator" and user["groups"] == ["facilitators"]


@pytest.mark.parametrize("code", ["", "wrong", JOIN_CODE[:-1], JOIN_CODE + "x", JOIN_CODE.upper(), TOKEN[:-1]])
def test_a_wrong_code_is_refused_in_plain_words(authenticator: BridgesAuthenticator, code: str) -> None:
    with pytest.raises(HTTPError) as refused:
        sign_in(authenticator, code)
    assert refused.value.status_code == 403
    assert "code is not right" in str(refused.value.log_message)


def test_repeated_failures_back_off_per_client(authenticator: BridgesAuthenticator) -> None:
    guesser, other = "192.0.2.66", "192.0.2.77"
    for _ in range(FREE_FAILURES + 1):  # the free ones, then one that starts a wait
        with pytest.raises(HTTPError):
            sign_in(authenticator, "guess", guesser)
    # While it waits, even the right code is not checked: a guess would tell the guesser nothing.
    with pytest.raises(HTTPError) as waiting:
        sign_in(authenticator, JOIN_CODE, guesser)
    assert waiting.value.status_code == 429 and "Wait" in str(waiting.value.log_message)
    assert PARTICIPANT_NAME.fullmatch(sign_in(authenticator, JOIN_CODE, other)["name"])  # others are not held up


def test_the_wait_doubles_up_to_a_minute_and_success_forgets() -> None:
    now = [0.0]
    failures = FailedSignIns(clock=lambda: now[0])
    waits = []
    for _ in range(FREE_FAILURES + 8):
        failures.failed("client")
        waits.append(failures.wait("client"))
    assert waits[:FREE_FAILURES] == [0.0] * FREE_FAILURES  # typos cost nothing
    assert waits[FREE_FAILURES : FREE_FAILURES + 3] == [2.0, 4.0, 8.0]
    assert max(waits) == LONGEST_WAIT
    now[0] += LONGEST_WAIT
    assert failures.wait("client") == 0.0
    failures.succeeded("client")
    failures.failed("client")
    assert failures.wait("client") == 0.0


def test_secrets_come_from_the_environment_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stored = tmp_path / SECRETS_FILE
    HubSecrets("join-code-in-the-file", "token-in-the-file-xyz").write(stored)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert load_secrets(stored).join_code == "join-code-in-the-file"
    monkeypatch.setenv(JOIN_CODE_ENV, JOIN_CODE)
    monkeypatch.setenv(FACILITATOR_TOKEN_ENV, TOKEN)
    assert load_secrets(stored) == HubSecrets(JOIN_CODE, TOKEN)


@pytest.mark.parametrize(
    ("secrets", "mode", "refusal"),
    [
        (HubSecrets("join-code-in-the-file", "token-in-the-file-xyz"), 0o644, "others can read"),
        (HubSecrets("short", "token-in-the-file-xyz"), 0o600, "shorter than"),
        (HubSecrets("the-same-secret-twice", "the-same-secret-twice"), 0o600, "are the same"),
        (HubSecrets("", ""), 0o600, "no join code"),
    ],
)
def test_unsafe_secrets_stop_the_hub(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, secrets: HubSecrets, mode: int, refusal: str
) -> None:
    monkeypatch.delenv(JOIN_CODE_ENV, raising=False)
    monkeypatch.delenv(FACILITATOR_TOKEN_ENV, raising=False)
    stored = tmp_path / SECRETS_FILE
    secrets.write(stored)
    stored.chmod(mode)
    with pytest.raises(HubMisconfigured, match=refusal):
        load_secrets(stored)


def cohort(folder: Path, store: str) -> Path:
    path = folder / "online.yaml"
    path.write_text(
        "name: Online cohort\nslug: online\nlanguage: en\nregion: uk\n"
        'sessions:\n  - date: 2027-03-06\n    start: "18:00"\n    modules: [shared-experiences]\n'
        f"k: 5\nstore: {store}\n",
        encoding="utf-8",
    )
    return path


def test_hub_config_refuses_a_store_each_server_would_keep_apart(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["hub-config", str(cohort(tmp_path, "sqlite:///events.sqlite")), "--out", str(tmp_path / "hub.py")]
    )
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "online.yaml: store: on JupyterHub every single-user server must write to one shared store" in message
    assert "set store: postgresql://" in message
    assert not (tmp_path / "hub.py").exists() and not (tmp_path / SECRETS_FILE).exists()


def test_hub_config_refuses_an_address_that_is_not_one(tmp_path: Path) -> None:
    online = cohort(tmp_path, "postgresql://bridges@db.example.org:5432/bridges")
    result = CliRunner().invoke(app, ["hub-config", str(online), "--public-url", "hub.example.org"])
    assert result.exit_code == 1 and "--public-url" in result.output and "is not an address" in result.output


def test_hub_config_writes_a_config_without_secrets(tmp_path: Path) -> None:
    online = cohort(tmp_path, "postgresql://bridges@db.example.org:5432/bridges")
    out = tmp_path / "hub" / "jupyterhub_config.py"
    out.parent.mkdir()
    public = ["--public-url", "https://hub.example.org/", "--bind-url", "http://127.0.0.1:8000"]
    first = CliRunner().invoke(app, ["hub-config", str(online), "--out", str(out), *public])
    assert first.exit_code == 0, first.output
    stored = out.parent / SECRETS_FILE
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    secrets = json.loads(stored.read_text(encoding="utf-8"))
    text = out.read_text(encoding="utf-8")
    assert secrets["join_code"] not in text and secrets["facilitator_token"] not in text
    assert secrets["join_code"] in first.output and secrets["facilitator_token"] not in first.output

    config = PyFileConfigLoader(out.name, str(out.parent)).load_config()
    assert config.JupyterHub.authenticator_class == "toolkit.hub.authenticator.BridgesAuthenticator"
    assert config.BridgesAuthenticator.secrets_file == str(stored)
    assert config.JupyterHub.spawner_class == "jupyterhub.spawner.SimpleLocalProcessSpawner"
    assert config.Spawner.cmd[-3:] == ["toolkit", "hub-singleuser", str(online.resolve())][-3:]
    assert config.JupyterHub.public_url == "https://hub.example.org/"
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8000/"
    assert config.JupyterHub.active_server_limit == 100
    assert "PGPASSWORD" in config.Spawner.env_keep and "BRIDGES_JOIN_CODE" not in config.Spawner.env_keep
    (culler,) = config.JupyterHub.services
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    (role,) = config.JupyterHub.load_roles
    assert role["services"] == ["idle-culler"] and "delete:servers" in role["scopes"]

    # Written again (a changed cohort), the codes already handed out stay valid.
    again = CliRunner().invoke(app, ["hub-config", str(online), "--out", str(out), *public])
    assert again.exit_code == 0 and json.loads(stored.read_text(encoding="utf-8")) == secrets


def test_the_single_user_server_runs_only_under_the_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JUPYTERHUB_SERVICE_URL", raising=False)
    with pytest.raises(HubMisconfigured, match="JupyterHub's environment is missing"):
        serve_hub_user(cohort(tmp_path, "postgresql://bridges@db.example.org:5432/bridges"), find_home())


def test_the_hub_process_needs_only_jupyterhub_and_the_toolkit_itself() -> None:
    # deploy/Dockerfile.hub installs the toolkit without its dependencies into JupyterHub's image.
    probe = (
        "import sys, toolkit.hub.authenticator, toolkit.hub.spawn; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'voila', 'pydantic', 'rich', 'psycopg', 'ruamel'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_kubernetes_values_hold_a_valid_cohort_and_hub_configuration(tmp_path: Path) -> None:
    from ruamel.yaml import YAML
    from traitlets.config import Config

    from toolkit.cohorts import load_cohort, store_url
    from toolkit.curriculum import programme
    from toolkit.hub.config import require_shared_store
    from toolkit.hub.spawn import set_role

    values = YAML(typ="safe").load((Path(__file__).parent.parent / "deploy" / "z2jh-values.yaml").read_text())
    example = tmp_path / "cohort.yaml"
    example.write_text(values["singleuser"]["extraFiles"]["cohort"]["stringData"], encoding="utf-8")
    cohort = load_cohort(example, programme(home=find_home()))
    require_shared_store(example, store_url(cohort))
    assert values["singleuser"]["cmd"][-1] == values["singleuser"]["extraFiles"]["cohort"]["mountPath"]
    hub_config = values["hub"]["config"]["JupyterHub"]
    assert hub_config["authenticator_class"] == "toolkit.hub.authenticator.BridgesAuthenticator"
    # The sign-in page speaks the cohort's language.
    assert values["hub"]["config"]["BridgesAuthenticator"]["language"] == cohort.language

    c = Config()
    exec(values["hub"]["extraConfig"]["bridges"], {"c": c})  # as the chart's jupyterhub_config.py runs it
    assert c.KubeSpawner.pre_spawn_hook is set_role
    assert Path(c.JupyterHub.template_paths[0], "login.html").is_file()
    for secret in ("BRIDGES_JOIN_CODE", "BRIDGES_FACILITATOR_TOKEN"):
        assert "secretKeyRef" in values["hub"]["extraEnv"][secret]["valueFrom"]
    assert "secretKeyRef" in values["singleuser"]["extraEnv"]["PGPASSWORD"]["valueFrom"]
    assert values["proxy"]["https"]["enabled"] and values["cull"]["enabled"]


def test_the_role_comes_from_the_facilitators_group() -> None:
    from toolkit.hub.spawn import FACILITATOR, PARTICIPANT, ROLE_ENV, set_role

    shared: dict[str, str] = {}
    for groups, role in ((["facilitators"], FACILITATOR), ([], PARTICIPANT)):
        spawner = SimpleNamespace(
            user=SimpleNamespace(groups=[SimpleNamespace(name=name) for name in groups]), environment=shared
        )
        set_role(spawner)
        assert spawner.environment[ROLE_ENV] == role
    assert shared == {}  # the configured environment is not changed for every other server
