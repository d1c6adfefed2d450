"""`bridges serve`: Voilà serving the cohort's modules, a landing page, and the facilitator's dashboard.

Access (see toolkit.live.access and docs/security.md): on loopback (the
default) only this computer can connect; bound to any other address, every
page and API needs the room's join code. The dashboard has its own route and
needs the facilitator token. Requests must name this server in their Host
header. Nothing is read from configuration files in the working folder or
Jupyter's config folders: every setting Bridges relies on is set here.
Kernels for today's modules are preheated (the first module's pool sized to
the room) before the server says it is serving; kernels are limited per
browser and in total, idle ones are culled (toolkit.live.kernels); Ctrl-C
shuts every kernel down.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import functools
import os
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tornado.ioloop
import tornado.web
from jupyter_server.log import log_request
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from toolkit.agenda import current_session
from toolkit.errors import ServeFailed
from toolkit.live.access import RoomAccess, allowed_hosts, host_pattern
from toolkit.live.handlers import (
    DASHBOARD_ROUTE,
    DashboardHandler,
    FacilitatorEntryHandler,
    KernelChannelsHandler,
    KernelModelHandler,
    KernelShutdownHandler,
    LandingHandler,
    ModulePageHandler,
    ProjectorHandler,
    UnknownHostHandler,
)
from toolkit.live.kernels import REFILL_DELAY, KernelLimits, KernelOwners
from toolkit.live.site import DASHBOARD, Site
from toolkit.paths import JUPYTER_DATA
from toolkit.schema.cohort import Cohort

RUNNING = "Bridges is serving"  # printed once the server listens and the pools are ready; tests wait for it
PREHEAT_PATIENCE = 120.0  # seconds without a kernel getting ready before serving is announced anyway

PreheatProgress = Callable[[int, int], None]  # (kernels ready, kernels to prepare)


@dataclass(frozen=True)
class Listen:
    """Where and how the server listens, and the address people in the room use."""

    host: str = "127.0.0.1"
    port: int = 8866
    certfile: Path | None = None
    keyfile: Path | None = None
    public_url: str | None = None  # e.g. a reverse proxy's https://bridges.example.org/

    @property
    def tls(self) -> bool:
        return self.certfile is not None

    @property
    def shown_host(self) -> str:
        """The address printed for the room: the LAN address when bound to every interface."""
        return _lan_address() if self.host in {"0.0.0.0", "::"} else self.host

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url if self.public_url.endswith("/") else self.public_url + "/"
        scheme = "https" if self.tls else "http"
        host = f"[{self.shown_host}]" if ":" in self.shown_host else self.shown_host
        return f"{scheme}://{host}:{self.port}/"

    def hosts(self) -> tuple[str, ...]:
        public = urlsplit(self.public_url).hostname if self.public_url else None
        return allowed_hosts(self.host, self.shown_host, [public] if public else [])


def tls_context(certfile: Path, keyfile: Path | None) -> ssl.SSLContext:
    """A server TLS context from PEM files, or a clear error naming the file."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile)
    except FileNotFoundError as exc:
        raise ServeFailed(f"{exc.filename}: file not found", "check the --certfile and --keyfile paths") from None
    except (ssl.SSLError, OSError) as exc:
        raise ServeFailed(
            f"{certfile}: cannot load the certificate and key: {exc}",
            "give a PEM certificate with --certfile and its private key with --keyfile",
        ) from None
    return context


class BridgesVoila(Voila):
    """Voilà serving a prepared site, with Bridges' pages and access rules."""

    def __init__(
        self,
        cohort: Cohort,
        site: Site,
        titles: dict[str, str],
        access: RoomAccess,
        listen: Listen,
        limits: KernelLimits,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.bridges_cohort, self.bridges_site, self.bridges_titles = cohort, site, titles
        self.access, self.listen_on, self.limits = access, listen, limits
        # A kernel that ended without a word (culled, crashed) no longer counts against anyone.
        self.kernel_owners = KernelOwners(alive=lambda kernel_id: kernel_id in self.kernel_manager)
        self.preheat_progress: PreheatProgress | None = None
        self.ssl_context = tls_context(listen.certfile, listen.keyfile) if listen.certfile else None

    def participant_url(self) -> str:
        code = self.access.join_code
        return f"{self.listen_on.base_url}?token={code}" if code else self.listen_on.base_url

    def init_handlers(self) -> list[Any]:
        owners, hosts = {"owners": self.kernel_owners}, self.listen_on.hosts()
        handlers: list[Any] = []
        voila_page: dict[str, Any] = {}
        for route in super().init_handlers():
            pattern, handler = route[0], route[1]
            if handler is TornadoVoilaHandler:
                voila_page = {**route[2], "limits": self.limits, "language": self.bridges_cohort.language}
                allowed = frozenset(self.bridges_site.notebooks.values())
                handlers.append((pattern, ModulePageHandler, {**voila_page, **owners, "allowed": allowed}))
            elif handler is VoilaKernelWebsocketHandler:
                handlers.append((pattern, KernelChannelsHandler, {**owners, "hosts": hosts}))
            elif handler is VoilaShutdownKernelHandler:
                handlers.append((pattern, KernelShutdownHandler, owners))
            elif handler is KernelHandler:
                handlers.append((pattern, KernelModelHandler, owners))
            elif handler is RequestInfoSocketHandler or _is_browsing(pattern, self.server_url):
                # /voila/query answers anyone and echoes the request (join code included); Bridges'
                # notebooks never ask for it. Trees, contents and raw files: the landing page is the way in.
                continue
            else:
                handlers.append(route)
        base = self.server_url
        token = {"facilitator_token": self.access.facilitator_token}
        ours = [
            (
                base,
                LandingHandler,
                {"cohort": self.bridges_cohort, "site": self.bridges_site, "titles": self.bridges_titles},
            ),
            (
                f"{base}projector",
                ProjectorHandler,
                {
                    "cohort": self.bridges_cohort,
                    "participant_url": self.participant_url(),
                    "join_code": self.access.join_code,
                },
            ),
            (f"{base}facilitator", FacilitatorEntryHandler, token),
            (
                f"{base}{DASHBOARD_ROUTE}",
                DashboardHandler,
                {**voila_page, **owners, **token, "notebook_path": DASHBOARD},
            ),
        ]
        return ours + handlers

    def build_web_app(self) -> tornado.web.Application:
        """The tornado application with Bridges' routes, bound to this server's own host names.

        Separate from ``start`` so tests can serve it in-process, as Voilà's own tests do.
        """
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        settings["log_function"] = functools.partial(log_request, record_prometheus_metrics=False)
        settings["extra_log_scrub_param_keys"] = ["key"]  # the facilitator token, besides Jupyter's "token"
        self.app = tornado.web.Application(**settings)
        # Within this server's own names an unknown path is a plain 404; any other name gets 403.
        not_found = (r".*", tornado.web.ErrorHandler, {"status_code": 404})
        self.app.add_handlers(host_pattern(self.listen_on.hosts()), [*self.init_handlers(), not_found])
        self.app.add_handlers(r".*", [(r".*", UnknownHostHandler)])
        return self.app

    def start(self) -> None:
        """Voilà's start, with Bridges' application and TLS when asked."""
        self.build_web_app()
        try:
            # Behind a reverse proxy (--public-url), X-Forwarded-Proto tells whether the room sees https,
            # which decides the cookies' Secure flag.
            self.app.listen(self.port, self.ip, ssl_options=self.ssl_context, xheaders=bool(self.listen_on.public_url))
        except OSError as exc:
            hint = "another program uses it; choose another with --port" if exc.errno == errno.EADDRINUSE else str(exc)
            raise ServeFailed(f"cannot listen on {self.ip}:{self.port}", hint) from None
        self.ioloop = tornado.ioloop.IOLoop.current()
        self.ioloop.add_callback(self._announce_when_preheated)
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.stop()

    async def _announce_when_preheated(self) -> None:
        """Wait for the preheated pools (reporting progress), then say the server is serving.

        Pages asked for meanwhile are served: they wait for a pool kernel, as they would anyway.
        """
        wanted, last, last_change = self._pooled_kernels(), -1, time.monotonic()
        while wanted:
            ready = min(wanted, _ready_kernels(self.kernel_manager))
            if ready != last:
                last, last_change = ready, time.monotonic()
                if self.preheat_progress:
                    self.preheat_progress(ready, wanted)
            if ready >= wanted:
                break
            if time.monotonic() - last_change > PREHEAT_PATIENCE:
                self.log.warning("%d of %d kernels are ready; serving without waiting for the rest", ready, wanted)
                break
            await asyncio.sleep(0.25)
        if wanted:
            self._keep_pools_for_latecomers()
        self.log.info("%s at %s", RUNNING, self.listen_on.base_url)

    def _keep_pools_for_latecomers(self) -> None:
        """Once preheated, refill every pool only up to the latecomers' size.

        Voilà refills a pool to its full size a second after each kernel is taken: a room of 30
        taking the first module's 30 kernels would start 30 more at once, while its pages render
        (measured: pages took minutes to become usable on 2 cores), and hold twice the memory.
        The room is served from the preheated kernels; a few are kept ready for whoever comes later.
        """
        pools = self.kernel_manager.kernel_pools_config
        self.kernel_manager.kernel_pools_config = {
            name: {**pool, "pool_size": min(int(pool.get("pool_size", 0)), self.limits.other_pool)}
            for name, pool in pools.items()
        }

    def _pooled_kernels(self) -> int:
        """How many kernels the pools hold when full."""
        pools = self.config.VoilaKernelManager.kernel_pools_config
        return sum(int(pool.get("pool_size", 0)) for name, pool in pools.items() if name != "default")


def _ready_kernels(manager: Any) -> int:
    """Pooled kernels that have started and finished running their notebook."""
    ready = 0
    for pool in getattr(manager, "_pools", {}).values():  # Voilà keeps no public count of ready kernels
        for task in pool:
            if task.done() and (task.exception() is not None or task.result()["task"].done()):
                ready += 1
    return ready


def _is_browsing(pattern: str, base: str) -> bool:
    return "tree" in pattern or "api/contents" in pattern or "voila/files" in pattern or pattern == base


def make_app(
    cohort: Cohort,
    site: Site,
    titles: dict[str, str],
    listen: Listen,
    access: RoomAccess,
    limits: KernelLimits,
    app_class: type[BridgesVoila] = BridgesVoila,
) -> BridgesVoila:
    """Configure Voilà for this cohort (not started). Every setting is explicit; no config file is read.

    ``app_class`` lets a subclass change the routes (toolkit.hub.singleuser on JupyterHub).
    """
    from traitlets.config import Config

    # Voilà finds the Bridges template through JUPYTER_PATH, here and in its kernels.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH")]))
    today = cohort.sessions[current_session(cohort, dt.date.today())]
    # The room opens the first module of today together; later modules are opened over the session.
    pools = {
        site.notebooks[slug]: {"pool_size": limits.pool if n == 0 else limits.other_pool}
        for n, slug in enumerate(today.modules)
    }
    preheat = any(pool["pool_size"] for pool in pools.values())
    config = Config()
    # A voila.json or voila.py in the working folder would otherwise be loaded (and a .py executed).
    config.Voila.config_file_paths = []
    config.Voila.tornado_settings = {}
    config.VoilaConfiguration.template = "bridges"
    config.VoilaConfiguration.theme = "light"
    config.VoilaConfiguration.allow_template_override = "NO"
    config.VoilaConfiguration.allow_theme_override = "NO"
    config.VoilaConfiguration.strip_sources = True
    config.VoilaConfiguration.show_tracebacks = False
    config.VoilaConfiguration.file_allowlist = []
    config.VoilaConfiguration.http_header_envs = []
    config.VoilaConfiguration.preheat_kernel = bool(preheat)
    config.VoilaConfiguration.default_pool_size = 0
    config.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0}, **(pools if preheat else {})}
    config.VoilaKernelManager.fill_delay = REFILL_DELAY
    # Culling: a kernel with no page connected for cull_idle seconds is shut down; a connected
    # page keeps its kernel however long it is quiet. Voilà's manager inherits these traits
    # from Jupyter's MappingKernelManager and skips kernels still waiting in a pool.
    config.MappingKernelManager.cull_idle_timeout = limits.cull_idle
    config.MappingKernelManager.cull_interval = limits.cull_interval
    config.MappingKernelManager.cull_connected = False
    config.MappingKernelManager.cull_busy = False
    # The join code is the only way in: no "set up a password" on the login page.
    config.PasswordIdentityProvider.allow_password_change = False
    app = app_class(cohort, site, titles, access, listen, limits, config=config)
    app.initialize(
        [
            f"--Voila.root_dir={site.root}",
            f"--Voila.ip={listen.host}",
            f"--Voila.port={listen.port}",
            "--Voila.port_retries=0",
            "--no-browser",
            f"--Voila.token={access.join_code}",
        ]
    )
    return app


def _lan_address() -> str:
    """The address other devices in the room reach this computer on (best guess, no traffic sent)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET address: connect() on UDP sends nothing
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"
