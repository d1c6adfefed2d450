"""The live session's web handlers: landing page, projector page, module pages, dashboard, kernel guards.

Voilà's own handlers serve whatever path they are given under the root
folder; here every page is chosen from an allow-list of exact names, the
dashboard has a route of its own that participants' routes cannot reach,
and a kernel answers only the browser whose page started it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import tornado.ioloop
import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from markupsafe import Markup
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from toolkit.i18n import Translate, translator
from toolkit.languages import text_direction
from toolkit.lifecycle.evaluation import Phase
from toolkit.live.access import FACILITATOR_COOKIE, browser_id, facilitator_ok, origin_allowed, private_cookie
from toolkit.live.kernels import Admission, KernelLimits, KernelOwners, SessionFull
from toolkit.live.site import Site
from toolkit.schema.cohort import Cohort

DASHBOARD_ROUTE = "facilitator/dashboard"


class _ClaimingKernelManager:
    """Voilà's kernel manager as one page request sees it: every kernel it hands out is claimed."""

    def __init__(self, manager: Any, claim: Callable[[str], None]) -> None:
        self._manager, self._claim = manager, claim

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        result = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._claim(result[2])  # (render task, rendered cells, kernel id)
        return result

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = str(await ensure_async(self._manager.start_kernel(*args, **kwargs)))
        self._claim(kernel_id)
        return kernel_id


class _OwnedPageHandler(TornadoVoilaHandler):
    """A Voilà page whose kernel is claimed by the browser that asked for it, within the session's limits."""

    def initialize(self, **kwargs: Any) -> None:
        self.owners: KernelOwners = kwargs.pop("owners")
        self.limits: KernelLimits = kwargs.pop("limits")
        self.language: str = kwargs.pop("language")
        self.admission: Admission | None = None
        super().initialize(**kwargs)

    async def prepare(self) -> None:
        # Decided once, before anything is written: a cookie set after the first flush is lost.
        self.browser = browser_id(self, create=True)
        await ensure_async(super().prepare())
        # Voilà's page asks for its kernel to be shut down when it is closed: a POST from
        # `beforeunload` carrying the `_xsrf` cookie's value, which Voilà never sets. Reading
        # the token sets the cookie (after prepare: it needs the user), so the request passes
        # Jupyter's XSRF check unchanged.
        self.xsrf_token  # noqa: B018

    @property
    def kernel_manager(self) -> Any:
        admission = self.admission
        if admission is None:  # Voilà reads the manager only while a page is being served
            raise RuntimeError("a page's kernel manager is used before the page was admitted")
        return _ClaimingKernelManager(self.settings["kernel_manager"], admission.claim)

    async def _serve(self, path: str | None, counts_in_total: bool) -> None:
        try:
            self.admission = self.owners.admit(self.browser, self.limits, counts_in_total)
        except SessionFull:
            self._refuse_full()
            return
        manager = self.settings["kernel_manager"]
        for kernel_id in self.admission.to_stop:
            if kernel_id in manager:
                # In the background: the new page need not wait for the old kernel to exit.
                tornado.ioloop.IOLoop.current().spawn_callback(ensure_async, manager.shutdown_kernel(kernel_id))
        try:
            await super().get(path)
        finally:
            self.admission.end()

    def _refuse_full(self) -> None:
        _ = translator(self.language)
        self.set_status(503)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", "default-src 'none'")
        self.set_header("Retry-After", "60")
        title = _("The session is full")
        body = Markup("<h1>{}</h1><p>{}</p>").format(title, _("The session is full: please ask the facilitator."))
        self.finish(_page(self.language, title, body))


class ModulePageHandler(_OwnedPageHandler):
    """`/voila/render/NAME`: only the cohort's module notebooks, named exactly; anything else is 404."""

    def initialize(self, **kwargs: Any) -> None:
        self.allowed: frozenset[str] = kwargs.pop("allowed")
        super().initialize(**kwargs)

    async def get(self, path: str | None = None) -> None:
        # Exact names only: "./x", "x/../y", "//y", "%2e/y" and case variants are simply not in the list.
        if path not in self.allowed:
            raise tornado.web.HTTPError(404)
        await self._serve(path, counts_in_total=True)


class DashboardHandler(_OwnedPageHandler):
    """`/facilitator/dashboard`: the dashboard notebook, for the facilitator token's holder only."""

    def initialize(self, **kwargs: Any) -> None:
        self.facilitator_token: str = kwargs.pop("facilitator_token")
        super().initialize(**kwargs)

    async def get(self, path: str | None = None) -> None:
        if not facilitator_ok(self, self.facilitator_token):
            raise tornado.web.HTTPError(403, "the dashboard needs the facilitator token")
        # The facilitator's own page is never refused for a full room.
        await self._serve(None, counts_in_total=False)


class FacilitatorEntryHandler(JupyterHandler):
    """`/facilitator?key=TOKEN`: remember the token in a cookie, then open the dashboard."""

    def initialize(self, facilitator_token: str) -> None:
        self.facilitator_token = facilitator_token

    @tornado.web.authenticated
    def get(self) -> None:
        if not facilitator_ok(self, self.facilitator_token):
            raise tornado.web.HTTPError(403, "the facilitator token is missing or wrong")
        private_cookie(self, FACILITATOR_COOKIE, self.facilitator_token)
        # The redirect drops ?key= from the address bar, so it is not left on screen.
        self.redirect(f"{self.base_url}{DASHBOARD_ROUTE}")


def require_owner(handler: tornado.web.RequestHandler, owners: KernelOwners, kernel_id: str) -> None:
    """Refuse (403) a request about a kernel from any browser but the one whose page started it."""
    if not owners.owns(kernel_id, browser_id(handler)):
        raise tornado.web.HTTPError(403, "this kernel belongs to another page")


class KernelChannelsHandler(VoilaKernelWebsocketHandler):
    """The kernel websocket, for the browser that owns the kernel and from this server's own pages."""

    def initialize(self, **kwargs: Any) -> None:
        self.owners: KernelOwners = kwargs.pop("owners")
        self.hosts: tuple[str, ...] = kwargs.pop("hosts")
        super().initialize(**kwargs)

    def check_origin(self, origin: str | None = None) -> bool:
        return origin_allowed(origin, self.hosts) and bool(super().check_origin(origin))

    async def pre_get(self) -> None:
        require_owner(self, self.owners, self.kernel_id)
        await super().pre_get()


class KernelShutdownHandler(VoilaShutdownKernelHandler):
    """Voilà's shut-down-on-leave call, for the owning browser only."""

    def initialize(self, owners: KernelOwners) -> None:
        self.owners = owners

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        require_owner(self, self.owners, kernel_id)
        self.owners.release(kernel_id)
        await super().post(kernel_id)


class KernelModelHandler(KernelHandler):
    """`/api/kernels/ID`: read or delete a kernel, for the owning browser only."""

    def initialize(self, owners: KernelOwners) -> None:
        self.owners = owners

    @tornado.web.authenticated
    async def get(self, kernel_id: str) -> None:
        require_owner(self, self.owners, kernel_id)
        await ensure_async(super().get(kernel_id))

    @tornado.web.authenticated
    async def delete(self, kernel_id: str) -> None:
        require_owner(self, self.owners, kernel_id)
        self.owners.release(kernel_id)
        await ensure_async(super().delete(kernel_id))


class UnknownHostHandler(tornado.web.RequestHandler):
    """Any request whose Host is not this server's: refused (DNS rebinding, mistyped proxies)."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(
            "This server only answers requests addressed to it by the address it printed. "
            "Behind a reverse proxy or a DNS name, start it with --public-url URL.\n"
        )


def _page(language: str, title: str, body: Markup, style: Markup | None = None) -> str:
    return str(
        Markup(
            '<!DOCTYPE html><html lang="{}" dir="{}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>{}</title><style>{}</style></head><body><main>{}</main></body></html>"
        ).format(language, text_direction(language), title, style or "", body)
    )


# Phones first: 16 px text, links as 44 px rows, Korean broken between words, nothing wider than the screen.
LANDING_STYLE = Markup(
    "body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:16px;color:#1a1a1a;background:#fff;"
    "overflow-wrap:break-word}:lang(ko){word-break:keep-all}main{max-width:40rem;margin:0 auto}"
    ".bridges-modules{list-style:none;padding:0}.bridges-modules a{display:flex;align-items:center;"
    "min-height:44px;padding:4px 0;color:#0b4fa8;font-weight:600}a:focus-visible{outline:3px solid #0b4fa8;"
    "outline-offset:2px}"
)


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
        items = Markup("").join(
            Markup('<li><a href="{}voila/render/{}">{}</a></li>').format(
                self.base_url, self.site.notebooks[slug], self.titles[slug]
            )
            for slug in ordered
        )
        self.set_header("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'")
        body = Markup('<h1>{}</h1><p>{}</p>{}<ol class="bridges-modules">{}</ol>{}').format(
            self.cohort.name,
            _("Choose a module to open it."),
            self._evaluation_links(today, [Phase.BEFORE], _),
            items,
            self._evaluation_links(today, [Phase.AFTER, Phase.FOLLOW_UP], _),
        )
        self.finish(_page(self.cohort.language, self.cohort.name, body, LANDING_STYLE))

    def _evaluation_links(self, today: dt.date, phases: list[Phase], _: Translate) -> Markup:
        """The evaluation pages due today: before on the first session's day, after on the last, then follow-up."""
        dates = sorted(session.date for session in self.cohort.sessions)
        due = {
            Phase.BEFORE: (today == dates[0], _("Before we start")),
            Phase.AFTER: (today == dates[-1], _("At the end")),
            Phase.FOLLOW_UP: (today > dates[-1], _("Follow-up")),
        }
        links = Markup("").join(
            Markup('<li><a href="{}voila/render/{}">{}</a></li>').format(
                self.base_url, self.site.notebooks[phase.module], due[phase][1]
            )
            for phase in phases
            if due[phase][0] and phase.module in self.site.notebooks
        )
        return Markup('<ul class="bridges-modules bridges-evaluation">{}</ul>').format(links) if links else Markup("")


PROJECTOR_STYLE = Markup(
    "body{font-family:system-ui,sans-serif;margin:0;padding:2vmin;text-align:center;color:#111;background:#fff}"
    "h1{font-size:5vmin;margin:1vmin}.bridges-join-code{font:bold 9vmin/1.1 monospace;letter-spacing:.05em}"
    ".bridges-qr svg{width:min(60vmin,90vw);height:auto}.bridges-url{font-size:3vmin;word-break:break-all}"
)


class ProjectorHandler(JupyterHandler):
    """`/projector`: what to put on the room's screen: QR code, join code, address. Nothing private."""

    def initialize(self, cohort: Cohort, participant_url: str, join_code: str) -> None:
        self.cohort, self.participant_url, self.join_code = cohort, participant_url, join_code

    @tornado.web.authenticated
    def get(self) -> None:
        import segno

        _ = translator(self.cohort.language)
        svg = io.BytesIO()
        segno.make(self.participant_url, error="m").save(
            svg, kind="svg", scale=10, xmldecl=False, svgns=True, title=_("QR code: open the session")
        )
        code = (
            Markup("<p>{}</p><p class='bridges-join-code'>{}</p>").format(_("Join code"), self.join_code)
            if self.join_code
            else ""
        )
        body = Markup("<h1>{}</h1><p>{}</p><div class='bridges-qr'>{}</div><p class='bridges-url'>{}</p>{}").format(
            self.cohort.name,
            _("Scan the code with your phone camera, or type the address."),
            Markup(svg.getvalue().decode()),  # segno's SVG: markup it wrote, the title escaped by segno
            self.participant_url,
            code,
        )
        self.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        self.finish(_page(self.cohort.language, self.cohort.name, body, PROJECTOR_STYLE))
