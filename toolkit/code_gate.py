"""Who gets a participant code, and which typed codes open saved answers.

A code is the only key to a person's answers, so the gate:

- resumes only codes issued in this cohort (the store holds an event of
  theirs), after the check letter has caught typos without asking the store;
- issues only codes not already in use in the cohort;
- limits tries per page (one person's screen, one kernel) and per server
  (every kernel of the cohort, through the store's attempts table, which
  holds a kind and a time and never the code typed).

The per-server limits are what stop a script that opens page after page: a
page-only limit resets with every reload. Both kinds of limit are meant
never to trouble a real room: see ``CodeLimits``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from toolkit.errors import BridgesError
from toolkit.identity import is_valid_code, new_code, normalise_code
from toolkit.session import ParticipantSession


class AttemptKind(StrEnum):
    """What the store's attempts table counts."""

    FAILED_RESUME = "failed_resume"  # a well-formed code that was never issued
    NEW_CODE = "new_code"


class Refusal(StrEnum):
    TYPO = "typo"  # the check letter does not match: a typo, caught before any lookup
    UNKNOWN = "unknown"  # well formed, but never issued in this cohort
    WAIT = "wait"  # this page failed too often: back off
    SERVER_BUSY = "server_busy"  # too many failed resumes across the server
    PAGE_CODES = "page_codes"  # this page has given out its new codes
    SERVER_CODES = "server_codes"  # too many new codes across the server


class CodeRefused(BridgesError, ValueError):
    """A code was not given out or not resumed; ``wait_seconds`` says how long to wait, if at all."""

    fields = ("reason", "wait_seconds")

    def __init__(self, reason: Refusal, wait_seconds: float = 0.0) -> None:
        self.reason, self.wait_seconds = reason, wait_seconds
        super().__init__(f"code refused: {reason.value}" + (f" (wait {wait_seconds:.0f} s)" if wait_seconds else ""))


@dataclass(frozen=True)
class CodeLimits:
    """How many tries are allowed; the defaults fit a room of 40 arriving at once with room to spare.

    Page: three new codes (a person who lost theirs at once, plus one slip);
    three failed resumes free, then waits of 5, 10, 20 ... seconds up to five
    minutes. Server, over any ten minutes: 100 new codes (2.5 per person in a
    room of 40, so probing one word with k - 1 fake codes is possible only a
    few dozen times, and never unnoticed at a dashboard that batches views),
    and 30 failed resumes of well-formed codes (typos do not count: they never
    reach the store). Thirty guesses in ten minutes against 2^40 codes finds
    one of 40 issued codes with a chance of about 1 in 7 million per day.
    """

    page_new_codes: int = 3
    page_free_failures: int = 3
    first_wait_seconds: float = 5.0
    longest_wait_seconds: float = 300.0
    server_window_seconds: float = 600.0
    server_new_codes: int = 100
    server_failures: int = 30


class CodeGate:
    """Issues and resumes codes for one page (one kernel)."""

    def __init__(
        self,
        session: ParticipantSession,
        limits: CodeLimits | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # Wall-clock seconds: the server's attempts are compared across processes.
        self.session = session
        self.limits = limits or CodeLimits()
        self.clock = clock
        self.failures = 0
        self.locked_until = 0.0
        self.issued = 0

    def issue(self) -> str:
        """A code never used in this cohort, if the page's and the server's limits allow one more."""
        limits = self.limits
        if self.issued >= limits.page_new_codes:
            raise CodeRefused(Refusal.PAGE_CODES)
        now = self.clock()
        store = self.session.store
        if store.count_attempts(AttemptKind.NEW_CODE, now - limits.server_window_seconds) >= limits.server_new_codes:
            raise CodeRefused(Refusal.SERVER_CODES, limits.server_window_seconds)
        code = new_code()
        while self.session.is_issued(code):  # about one chance in 2^40 per code already issued
            code = new_code()
        store.note_attempt(AttemptKind.NEW_CODE, now)
        self.issued += 1
        return code

    def resume(self, text: str) -> str:
        """The canonical code for ``text`` if it was issued in this cohort; CodeRefused otherwise."""
        limits = self.limits
        now = self.clock()
        if now < self.locked_until:
            raise CodeRefused(Refusal.WAIT, self.locked_until - now)
        code = normalise_code(text)
        if not is_valid_code(code):
            self._failed(now)
            raise CodeRefused(Refusal.TYPO)
        store = self.session.store
        window_start = now - limits.server_window_seconds
        if store.count_attempts(AttemptKind.FAILED_RESUME, window_start) >= limits.server_failures:
            raise CodeRefused(Refusal.SERVER_BUSY, limits.server_window_seconds)
        if not self.session.is_issued(code):
            store.note_attempt(AttemptKind.FAILED_RESUME, now)
            self._failed(now)
            raise CodeRefused(Refusal.UNKNOWN)
        # A success does not reset the count: someone holding one real code could
        # otherwise interleave it with guesses and never back off.
        return code

    def _failed(self, now: float) -> None:
        self.failures += 1
        beyond = self.failures - self.limits.page_free_failures
        if beyond > 0:
            wait = min(self.limits.first_wait_seconds * 2 ** (beyond - 1), self.limits.longest_wait_seconds)
            self.locked_until = now + wait
