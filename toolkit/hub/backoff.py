"""Failed sign-ins are guessing: each client address waits longer after each one.

A few mistakes cost nothing (a code mistyped on a phone); past that, the wait
doubles up to a minute. A room behind one NAT shares an address, so the cap is
short: one person's typos never lock the room out for long. The join code has
96 random bits, so even unlimited guessing at one a second would not find it;
the back-off keeps a guesser from loading the hub.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 3
FIRST_WAIT = 2.0  # seconds, after the first failure beyond the free ones
LONGEST_WAIT = 60.0
REMEMBERED_CLIENTS = 10_000  # beyond this the oldest are forgotten: memory stays bounded


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0


class FailedSignIns:
    """Per-client failure counts and the time until each client may try again."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._clients: OrderedDict[str, _Record] = OrderedDict()

    def wait(self, client: str) -> float:
        """Seconds ``client`` must wait before its next try is even checked (0: it may try now)."""
        record = self._clients.get(client)
        return max(0.0, record.blocked_until - self._clock()) if record else 0.0

    def failed(self, client: str) -> None:
        record = self._clients.pop(client, None) or _Record()
        record.failures += 1
        beyond = record.failures - FREE_FAILURES
        if beyond > 0:
            record.blocked_until = self._clock() + min(LONGEST_WAIT, FIRST_WAIT * 2 ** (beyond - 1))
        self._clients[client] = record  # most recent last
        while len(self._clients) > REMEMBERED_CLIENTS:
            self._clients.popitem(last=False)

    def succeeded(self, client: str) -> None:
        self._clients.pop(client, None)
