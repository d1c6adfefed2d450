"""`bridges serve`: Voilà serving the cohort's modules, a landing page, and the facilitator's dashboard.

Access: on loopback (the default) anyone on this computer may open the
participant pages. Bound to any other address, every page and API needs the
room's join code (Jupyter's token: `?token=CODE` once, then a cookie); the
dashboard always needs the separate facilitator token. Kernels for today's
modules are preheated; stopping the server (Ctrl-C) shuts every kernel down.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass
from html import escape
from typing import Any

import tornado.web
from jupyter_server.base.handlers import JupyterHandler
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from toolkit.agenda import current_session
from toolkit.i18n import translator
from toolkit.live.site import DASHBOARD, Site
from toolkit.paths import JUPYTER_DATA
from toolkit.schema.cohort import Cohort

FACILITATOR_COOKIE = "bridges-facilitator"


@dataclass(frozen=True)
class RoomAccess:
    """The join code (empty on loopback: nobody else can reach the server) and the facilitator token."""

    join_code: str
    facilitator_token: str

    @classmethod
    def for_host(cls, host: str) -> RoomAccess:
        return cls("" if is_loopback(host) else new_secret(), new_secret())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_secret() -> str:
    """A join code or token: random, URL-safe, typeable from a projector if it must be."""
    return secrets.token_urlsafe(12)


def _facilitator_ok(handler: tornado.web.RequestHandler, token: str) -> bool:
    given = handler.get_argument("key", "") or handler.get_cookie(FACILITATOR_COOKIE, "")
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


class LandingHandler(JupyterHandler):
    """The cohort's modules, today's session first, each a link to its Voilà app."""

    def initialize(self, cohort: Cohort, site: Site, titles: dict[str, str]) -> None:
        self.cohort, self.site, self.titles = cohort, site, titles

    @tornado.web.authenticated
    def get(self) -> None:
        _ = translator(self.cohort.language)
        today = dt.date.today()
        sessions = sorted(self.cohort.sessions, key=lambda s: (s.date < today, abs((s.date - today).days)))
        ordered = list(dict.fromkeys(slug for session in sessions for slug in session.modules))
        items = "".join(
            f'<li><a href="{self.base_url}voila/render/{escape(self.site.notebooks[slug])}">'
            f"{escape(self.titles[slug])}</a></li>"
            for slug in ordered
        )
        self.set_header("Content-Security-Policy", "default-src 'self'")
        self.finish(
            f'<!DOCTYPE html><html lang="{escape(self.cohort.language)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(self.cohort.name)}</title></head><body><main>"
            f"<h1>{escape(self.cohort.name)}</h1><p>{escape(_('Choose a module to open it.'))}</p>"
            f'<ol class="bridges-modules">{items}</ol></main></body></html>'
        )


class FacilitatorEntryHandler(JupyterHandler):
    """`/facilitator?key=TOKEN`: remember the token in a cookie, then open the dashboard."""

    def initialize(self, facilitator_token: str) -> None:
        self.facilitator_token = facilitator_token

    def get(self) -> None:
        if not _facilitator_ok(self, self.facilitator_token):
            raise tornado.web.HTTPError(403, "the facilitator token is missing or wrong")
        self.set_cookie(FACILITATOR_COOKIE, self.facilitator_token, httponly=True, samesite="Strict")
        self.redirect(f"{self.base_url}voila/render/{DASHBOARD}")


class GuardedVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler, refusing the dashboard to anyone without the facilitator token."""

    def initialize(self, **kwargs: Any) -> None:
        self.facilitator_token = kwargs.pop("facilitator_token")
        super().initialize(**kwargs)

    async def get(self, path: str | None = None) -> None:
        if (path or "").startswith("facilitator/") and not _facilitator_ok(self, self.facilitator_token):
            raise tornado.web.HTTPError(403, "facilitator pages need the facilitator token")
        await super().get(path)


class BridgesVoila(Voila):
    """Voilà serving a prepared site, with Bridges' landing page and access rules."""

    def __init__(self, cohort: Cohort, site: Site, titles: dict[str, str], access: RoomAccess, **kw: Any) -> None:
        super().__init__(**kw)
        self.bridges_cohort, self.bridges_site, self.bridges_titles = cohort, site, titles
        self.facilitator_token = access.facilitator_token

    def init_handlers(self) -> list[Any]:
        handlers = []
        for route in super().init_handlers():
            pattern, handler = route[0], route[1]
            if handler is TornadoVoilaHandler:
                handlers.append(
                    (pattern, GuardedVoilaHandler, {**route[2], "facilitator_token": self.facilitator_token})
                )
            elif (
                "tree" in pattern or "api/contents" in pattern or "voila/files" in pattern or pattern == self.server_url
            ):
                continue  # no directory listings or raw files: the landing page is the way in
            else:
                handlers.append(route)
        base = self.server_url
        ours = [
            (
                base,
                LandingHandler,
                {"cohort": self.bridges_cohort, "site": self.bridges_site, "titles": self.bridges_titles},
            ),
            (f"{base}facilitator", FacilitatorEntryHandler, {"facilitator_token": self.facilitator_token}),
        ]
        return ours + handlers


def make_app(
    cohort: Cohort,
    site: Site,
    titles: dict[str, str],
    host: str,
    port: int,
    access: RoomAccess,
    preheat: int,
) -> BridgesVoila:
    """Configure Voilà for this cohort (not started)."""
    from traitlets.config import Config

    # Voilà finds the Bridges template through JUPYTER_PATH, here and in its kernels.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH")]))
    today = cohort.sessions[current_session(cohort, dt.date.today())]
    pools = {site.notebooks[slug]: {"pool_size": preheat} for slug in today.modules} if preheat else {}
    config = Config()
    config.VoilaConfiguration.template = "bridges"
    config.VoilaConfiguration.preheat_kernel = bool(preheat)
    config.VoilaConfiguration.default_pool_size = 0
    config.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0}, **pools}
    config.VoilaConfiguration.show_tracebacks = False
    app = BridgesVoila(cohort, site, titles, access, config=config)
    app.initialize(
        [
            f"--Voila.root_dir={site.root}",
            f"--Voila.ip={host}",
            f"--Voila.port={port}",
            "--Voila.port_retries=0",
            "--no-browser",
            f"--Voila.token={access.join_code}",
        ]
    )
    return app


def room_urls(host: str, port: int, access: RoomAccess) -> tuple[str, str]:
    """The participants' URL (with the join code) and the facilitator's (with both)."""
    shown = _lan_address() if host in {"0.0.0.0", "::"} else host
    base = f"http://{shown}:{port}/"
    code = access.join_code
    participant = f"{base}?token={code}" if code else base
    return participant, f"{base}facilitator?key={access.facilitator_token}" + (f"&token={code}" if code else "")


def _lan_address() -> str:
    """The address other devices in the room reach this computer on (best guess, no traffic sent)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET address: connect() on UDP sends nothing
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"
