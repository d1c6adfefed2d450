"""The hub's login page speaks the cohort's language: `bridges hub-config` hands the language to the
authenticator, and the page, its labels and its refusals come from the gettext catalogue.

The page is rendered as JupyterHub renders it (its Jinja loader, the context of its LoginHandler)
without starting a hub; tests/test_hub_browser.py signs in through a real one."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from jupyterhub._data import DATA_FILES_PATH
from tornado.web import HTTPError
from traitlets import TraitError
from traitlets.config.loader import PyFileConfigLoader
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import UnknownLanguageError
from toolkit.hub.authenticator import BridgesAuthenticator, login_page_text
from toolkit.hub.secrets import FACILITATOR_TOKEN_ENV, JOIN_CODE_ENV
from toolkit.languages import LANGUAGES

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def korean_hub_config(folder: Path) -> Path:
    cohort = folder / "online.yaml"
    cohort.write_text(
        "name: Online cohort\nslug: online\nlanguage: ko\nregion: uk\n"
        'sessions:\n  - date: 2027-03-06\n    start: "18:00"\n    modules: [shared-experiences]\n'
        "k: 5\nstore: postgresql://bridges@db.example.org:5432/bridges\n",
        encoding="utf-8",
    )
    out = folder / "jupyterhub_config.py"
    result = CliRunner().invoke(app, ["hub-config", str(cohort), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def render_login(template_paths: list[str], authenticator: BridgesAuthenticator, login_error: str | None) -> str:
    """login.html through JupyterHub's loader (ours first, its own after) with its LoginHandler's context."""
    defaults = str(Path(DATA_FILES_PATH) / "templates")
    loader = ChoiceLoader(
        [PrefixLoader({"templates": FileSystemLoader([defaults])}, "/"), FileSystemLoader([*template_paths, defaults])]
    )
    environment = Environment(loader=loader, autoescape=True)
    return environment.get_template("login.html").render(
        authenticator=authenticator,
        authenticator_login_url="/hub/login?next=",
        login_error=login_error,
        xsrf="xsrf-token",
        base_url="/hub/",
        static_url=lambda path: f"/hub/static/{path}",
    )


def refusal(authenticator: BridgesAuthenticator) -> str:
    handler = SimpleNamespace(request=SimpleNamespace(remote_ip="192.0.2.10"))
    with pytest.raises(HTTPError) as refused:
        asyncio.run(authenticator.get_authenticated_user(handler, {"code": "not-the-code"}))
    return str(refused.value.log_message)


def test_a_korean_cohort_gets_a_korean_login_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(JOIN_CODE_ENV, "join-code-for-the-test-room")
    monkeypatch.setenv(FACILITATOR_TOKEN_ENV, "facilitator-token-for-the-test")
    out = korean_hub_config(tmp_path)
    config = PyFileConfigLoader(out.name, str(out.parent)).load_config()
    authenticator = BridgesAuthenticator(config=config)
    assert authenticator.language == "ko"

    html = render_login(config.JupyterHub.template_paths, authenticator, refusal(authenticator))

    assert re.search(r'<html lang="ko" dir="ltr">', html)
    visible = re.sub(r"<[^>]+>", " ", html)
    for word in login_page_text("ko").values():
        assert word in html
    english = [*login_page_text("en").values(), "That code is not right", "Check it with your facilitator"]
    left = [phrase for phrase in english if phrase not in {"en", "ltr"} and phrase in html]
    assert not left, f"English left on the Korean page: {left}"
    assert HANGUL.search(visible) and HANGUL.search(html.split('class="login_error', 1)[1])


def test_every_language_has_its_own_login_words() -> None:
    english = login_page_text("en")
    for code in LANGUAGES:
        text = login_page_text(code)
        assert text["lang"] == code and text["dir"] == "ltr"
        if code != "en":
            untranslated = [key for key in english if key not in {"lang", "dir"} and text[key] == english[key]]
            assert not untranslated, (code, untranslated)


def test_an_unknown_language_stops_the_hub_at_start() -> None:
    with pytest.raises((UnknownLanguageError, TraitError)):
        BridgesAuthenticator(language="xx")
