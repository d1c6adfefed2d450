"""Sign in to a cohort's JupyterHub with one field: the join code, or the facilitator token.

A participant who gives the join code becomes ``participant-`` and 8 random hex
digits: a name made from nothing they typed or are, so the hub's database,
logs and URLs hold no name and no e-mail. Each sign-in with the join code is a
new person (the participant's own code, chosen in the app, is what brings their
answers back). The facilitator token signs in as ``facilitator``, in the group
``facilitators`` whose server shows the dashboard. A wrong code is refused, and
each client address waits longer after repeated failures (toolkit.hub.backoff).
The login page and its refusals are in the cohort's language (``language``,
set by `bridges hub-config`), through the toolkit's gettext catalogue.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from jupyterhub.auth import Authenticator
from jupyterhub.orm import User
from tornado.web import HTTPError
from traitlets import Unicode, default, validate

from toolkit.hub.backoff import FailedSignIns
from toolkit.hub.secrets import HubSecrets, load_secrets
from toolkit.i18n import translator
from toolkit.languages import LANGUAGES, SOURCE_LANGUAGE, get_language, text_direction
from toolkit.live.access import same_secret

CODE_FIELD = "code"  # the login form's only field
PARTICIPANT_PREFIX = "participant-"
FACILITATOR = "facilitator"
FACILITATORS_GROUP = "facilitators"
TEMPLATES = Path(__file__).resolve().parent / "templates"  # the one-field login page


def login_page_text(language: str) -> dict[str, str]:
    """What templates/login.html shows, in ``language``: the page is JupyterHub's, the words are ours."""
    _ = translator(language)
    return {
        "lang": LANGUAGES[language].code,
        "dir": text_direction(language),
        "heading": _("Join the session"),
        "intro": _("Type the join code your facilitator gave you. We do not ask for your name or e-mail."),
        "code_label": _("Join code"),
        "join": _("Join"),
        "facilitators": _("Facilitators: type your facilitator token here."),
    }


def participant_name() -> str:
    """A fresh anonymous user name: 32 random bits, nothing derived from the person."""
    return PARTICIPANT_PREFIX + secrets.token_hex(4)


class BridgesAuthenticator(Authenticator):  # type: ignore[misc]  # jupyterhub ships no type hints
    """The join code gives an anonymous participant; the facilitator token gives the facilitator."""

    secrets_file = Unicode(
        "",
        config=True,
        help="File with the join code and facilitator token (mode 0600), read when the environment has neither.",
    )

    language = Unicode(
        SOURCE_LANGUAGE,
        config=True,
        help="The cohort's language code (toolkit.languages): the login page and its messages are in it.",
    )

    @validate("language")
    def _known_language(self, proposal: dict[str, Any]) -> str:
        code: str = proposal["value"]
        get_language(code)  # an unknown code stops the hub at start, naming the choices
        return code

    @property
    def login_text(self) -> dict[str, str]:
        """The login page's words; the template reaches them as ``authenticator.login_text``."""
        return login_page_text(self.language)

    @default("allow_all")
    def _allow_all_default(self) -> bool:
        return True  # knowing the join code is what allows a person in

    @default("manage_groups")
    def _manage_groups_default(self) -> bool:
        return True  # the facilitators group comes from signing in with the token

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failures = FailedSignIns()
        self._secrets: HubSecrets | None = None

    @property
    def hub_secrets(self) -> HubSecrets:
        if self._secrets is None:  # read on first use: the traits are set by then
            self._secrets = load_secrets(Path(self.secrets_file) if self.secrets_file else None)
        return self._secrets

    async def authenticate(self, handler: Any, data: dict[str, str]) -> dict[str, Any]:
        client = handler.request.remote_ip or "unknown"
        _ = translator(self.language)
        wait = self.failures.wait(client)
        if wait > 0:
            # Not even checked: a guess during the wait costs the guesser a try and tells nothing.
            raise HTTPError(
                429,
                _("Too many wrong codes from this device. Wait {seconds} seconds and try again.").format(
                    seconds=int(wait) + 1
                ),
            )
        given = data.get(CODE_FIELD, "").strip()
        if same_secret(given, self.hub_secrets.facilitator_token):
            self.failures.succeeded(client)
            return {"name": FACILITATOR, "groups": [FACILITATORS_GROUP]}
        if same_secret(given, self.hub_secrets.join_code):
            self.failures.succeeded(client)
            return {"name": self._unused_participant_name(), "groups": []}
        self.failures.failed(client)
        self.log.info("Refused a sign-in with a wrong code from %s", client)  # never the code typed
        # Raised, not returned as None: the login page shows this message (and needs no username field).
        raise HTTPError(403, _("That code is not right. Check it with your facilitator and try again."))

    def _unused_participant_name(self) -> str:
        """A random name no earlier participant has: a repeat would hand over someone's server."""
        database = getattr(self.parent, "db", None)
        while True:
            name = participant_name()
            if database is None or User.find(database, name) is None:
                return name
