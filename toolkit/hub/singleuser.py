"""`bridges hub-singleuser COHORT.yaml`: one person's server on a cohort's JupyterHub.

The spawner runs it with JupyterHub's environment (``JUPYTERHUB_SERVICE_URL``,
``JUPYTERHUB_SERVICE_PREFIX``, the OAuth client's settings). It is the server of
`bridges serve` (toolkit.live.server) under the hub's prefix, where every
request is signed in by the hub (JupyterHub's OAuth identity provider, as in
``jupyterhub-singleuser``): only the server's owner gets past it, so one
participant cannot open another's server. A participant's server has no
dashboard, neither the notebook nor the route; the facilitator's opens on it.
The hub is the way in, so the join-code pages of `bridges serve` (projector,
facilitator link) are left out.

Why not Voilà as an extension inside ``jupyterhub-singleuser``: that is a whole
Jupyter server (contents API, file browser, terminals, JupyterLab) around the
app, each to be turned off; this server has only the routes `bridges serve`
allows (pages by exact name, kernels owned by the page that opened them).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from jupyter_server.utils import url_path_join

from toolkit.cohorts import load_cohort, store_url
from toolkit.curriculum import programme
from toolkit.errors import HubMisconfigured
from toolkit.hub.config import require_shared_store
from toolkit.hub.spawn import FACILITATOR, PARTICIPANT, ROLE_ENV
from toolkit.lifecycle.purge import purge_cohort
from toolkit.live.access import RoomAccess, new_secret
from toolkit.live.handlers import (
    DASHBOARD_ROUTE,
    DashboardHandler,
    FacilitatorEntryHandler,
    LandingHandler,
    ProjectorHandler,
)
from toolkit.live.kernels import DEFAULT_CULL_IDLE, PER_BROWSER, KernelLimits
from toolkit.live.server import BridgesVoila, Listen, make_app
from toolkit.live.site import prepare_site
from toolkit.paths import Home

# One person per server: no kernels kept waiting, a few pages open at once.
ONE_PERSON = KernelLimits(pool=0, other_pool=0, total=2 * PER_BROWSER, cull_idle=DEFAULT_CULL_IDLE)
# JupyterHub's identity provider registers these unprefixed; Voilà does not add the prefix.
HUB_AUTH_ROUTES = ("/logout", "/oauth_callback")


class HubStatusHandler(tornado.web.RequestHandler):
    """`/api`: what the hub asks once the server listens; the version header spares it a warning."""

    def get(self) -> None:
        from jupyterhub import __version__

        self.set_header("X-JupyterHub-Version", __version__)
        self.finish({"version": __version__})


class OwnersDashboardHandler(DashboardHandler):
    """The dashboard in the facilitator's own server: the hub lets only its owner in, so no token."""

    async def get(self, path: str | None = None) -> None:
        await self._serve(None, counts_in_total=False)


class HubVoila(BridgesVoila):
    """The Bridges server with JupyterHub's sign-in, for a participant or the facilitator."""

    role = PARTICIPANT

    def init_handlers(self) -> list[Any]:
        routes: list[Any] = []
        for route in super().init_handlers():
            pattern, handler = route[0], route[1]
            if handler in (ProjectorHandler, FacilitatorEntryHandler):
                continue
            if handler is DashboardHandler:
                if self.role != FACILITATOR:
                    continue
                route = (pattern, OwnersDashboardHandler, *route[2:])
            if handler is LandingHandler and self.role == FACILITATOR:
                route = (pattern, tornado.web.RedirectHandler, {"url": f"{self.server_url}{DASHBOARD_ROUTE}"})
            if pattern in HUB_AUTH_ROUTES:
                route = (url_path_join(self.server_url, pattern), *route[1:])
            routes.append(route)
        return [(url_path_join(self.server_url, "api"), HubStatusHandler), *routes]


def serve_hub_user(cohort_file: Path, home: Home) -> None:
    """Prepare this person's site in a private temporary folder and serve it until the hub stops the server."""
    from jupyterhub.singleuser.extension import JupyterHubAuthorizer, JupyterHubIdentityProvider

    service_url, prefix = os.environ.get("JUPYTERHUB_SERVICE_URL"), os.environ.get("JUPYTERHUB_SERVICE_PREFIX")
    if not service_url or not prefix:
        raise HubMisconfigured(
            "hub-singleuser", "JupyterHub's environment is missing", "let the hub's spawner start this command"
        )
    role = os.environ.get(ROLE_ENV, PARTICIPANT)
    cohort = load_cohort(cohort_file, programme(home=home))
    require_shared_store(cohort_file, store_url(cohort))
    if role == FACILITATOR:
        purge_cohort(cohort)  # once per hub start, as `bridges serve` does: nothing past retention is kept
    titles = {module.slug: module.title for module in programme(cohort.language, home).modules}
    bound = urlsplit(service_url)
    listen = Listen(
        host=bound.hostname or "127.0.0.1",
        port=bound.port or 80,
        public_url=os.environ.get("JUPYTERHUB_PUBLIC_URL") or None,
    )
    with tempfile.TemporaryDirectory(prefix="bridges-site-") as folder:
        site = prepare_site(cohort, cohort_file, home, Path(folder), dashboard=role == FACILITATOR)
        # No join code: the hub signs every request in. The facilitator token is unused here.
        access = RoomAccess(join_code="", facilitator_token=new_secret())
        app = make_app(cohort, site, titles, listen, access, ONE_PERSON, app_class=HubVoila)
        assert isinstance(app, HubVoila)
        app.role = role
        app.base_url = prefix
        app.token, app.auto_token = None, True  # no token of ours: JupyterHub's identity provider brings its own
        app.identity_provider_class = JupyterHubIdentityProvider
        app.authorizer_class = JupyterHubAuthorizer
        app.start()
