"""`bridges hub-config`'s defaults, in a module the command line can import without the hub's libraries."""

from __future__ import annotations

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000/"
# Loopback: beyond one computer a TLS proxy (Caddy, nginx) in front serves the public address.
DEFAULT_BIND_URL = "http://127.0.0.1:8000/"
DEFAULT_IDLE_SERVER_TIMEOUT = 3600  # seconds without traffic before a person's server is stopped
# Anyone with the join code can sign in again and again, each time a new server: a ceiling.
DEFAULT_MAX_SERVERS = 100
