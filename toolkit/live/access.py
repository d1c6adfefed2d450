"""Who may reach a live session, and how the server tells them apart.

Three secrets and one rule of thumb: every check decides on exact values
(an allow-list), never on a prefix or a pattern of a path someone typed.

- The **join code** is Jupyter's token: every page and API needs it beyond
  loopback (``?token=CODE`` once, then Jupyter's signed login cookie).
- The **facilitator token** opens the dashboard; it lives in its own cookie
  and is never printed where a projector could show it.
- The **browser id** is a random cookie given to each browser: a kernel
  belongs to the browser whose page started it, and only that browser may
  talk to it or shut it down.
- The **Host** header must name this server (the bound address, localhost,
  the LAN address printed for the room, or a name the facilitator allowed),
  so a web page the facilitator visits cannot reach it by DNS rebinding.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import tornado.web

FACILITATOR_COOKIE = "bridges-facilitator"
BROWSER_COOKIE = "bridges-browser"


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
    """A join code or token: 96 random bits, URL-safe."""
    return secrets.token_urlsafe(12)


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison; an empty secret never matches."""
    return bool(given) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def allowed_hosts(bound: str, shown: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Every name the Host header may carry: the bound address, loopback names, the printed address."""
    names = {"localhost", "127.0.0.1", "::1", shown.lower(), *(name.lower() for name in extra)}
    if bound not in {"0.0.0.0", "::", ""}:
        names.add(bound.lower())
    return tuple(sorted(names))


def host_pattern(hosts: Iterable[str]) -> str:
    """A tornado host pattern matching exactly these names (tornado strips the port first)."""
    alternatives = "|".join(re.escape(_bare(host)) for host in hosts)
    return f"^(?:{alternatives})$"


def _bare(host: str) -> str:
    # tornado compares IPv6 hosts without their brackets.
    return host.removeprefix("[").removesuffix("]")


def origin_allowed(origin: str | None, hosts: Iterable[str]) -> bool:
    """Whether a websocket's Origin is one of this server's own pages (absent: not a browser)."""
    if origin is None:
        return True
    hostname = urlsplit(origin).hostname
    return hostname is not None and hostname.lower() in {_bare(h) for h in hosts}


def private_cookie(handler: tornado.web.RequestHandler, name: str, value: str) -> None:
    """A cookie scripts cannot read, never sent cross-site, and only over TLS when TLS is on."""
    handler.set_cookie(
        name,
        value,
        httponly=True,
        samesite="Strict",
        secure=handler.request.protocol == "https",
    )


def facilitator_ok(handler: tornado.web.RequestHandler, token: str) -> bool:
    given = handler.get_argument("key", "") or handler.get_cookie(FACILITATOR_COOKIE, "") or ""
    return same_secret(given, token)


def browser_id(handler: tornado.web.RequestHandler, create: bool = False) -> str:
    """This browser's random id; with ``create``, give it one if it has none yet."""
    current = handler.get_cookie(BROWSER_COOKIE, "") or ""
    if current or not create:
        return current
    fresh = new_secret()
    private_cookie(handler, BROWSER_COOKIE, fresh)
    return fresh
