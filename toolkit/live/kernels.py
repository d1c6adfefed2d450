"""How many kernels a live session keeps, and which browser each belongs to.

Every module page a participant opens runs in a kernel of its own (about
75-100 MB each). Left alone, kernels pile up: a page closed on a phone may
never say so, and every reload starts another. Three limits keep a laptop
usable for a whole session:

- **per browser**: a browser holds at most ``PER_BROWSER`` kernels; opening
  one more page shuts that browser's oldest kernel down (a forgotten tab, or
  the page just reloaded), so nobody is refused for reloading.
- **in total**: participants' pages hold at most twice the room's size
  (everyone reloading once before the old kernel is gone), and no more than
  the computer's memory allows; beyond that the next page is refused with
  "the session is full", which a facilitator can act on, instead of the
  laptop swapping for everyone.
- **idle**: a kernel with no page connected for ``cull_idle`` seconds is shut
  down (Jupyter's culler); an open page keeps its kernel however quiet it is.

The preheated pool for the first module of today is sized to the room, so a
room opening the link at once finds kernels that have already run the notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psutil  # type: ignore[import-untyped]  # psutil ships no type hints

from toolkit.errors import BridgesError

PER_BROWSER = 3
KERNEL_BYTES = 100 * 2**20  # resident memory of one participant kernel, rounded up (docs/performance.md)
MEMORY_SHARE = 0.7  # of the memory available at start; the rest is left to the facilitator's other programs
DEFAULT_ROOM_SIZE = 15
OTHER_MODULE_POOL = 2  # kernels kept ready for each of today's other modules
DEFAULT_CULL_IDLE = 15 * 60  # a phone's screen locked for a short break keeps its kernel
TOTAL_PER_SEAT = 2
REFILL_DELAY = 1.0  # seconds after a pooled kernel is taken before its replacement starts (Voilà's default)


@dataclass(frozen=True)
class KernelLimits:
    """The kernel limits of one live session."""

    pool: int  # kernels kept ready for the first module of today
    other_pool: int  # ... and for each other module of today
    total: int  # kernels participants' pages may hold at once
    cull_idle: int  # seconds without a connected page before a kernel is shut down
    per_browser: int = PER_BROWSER

    @property
    def cull_interval(self) -> int:
        """How often the culler looks: often enough that a kernel outlives its timeout by little."""
        return max(1, min(60, self.cull_idle // 2))


def room_limits(
    room_size: int, cull_idle: int = DEFAULT_CULL_IDLE, preheat: int | None = None, available: int | None = None
) -> KernelLimits:
    """Limits for a room of ``room_size`` people, within ``available`` bytes (default: free memory now).

    ``preheat`` overrides the first module's pool (0 turns preheating off).
    """
    free = psutil.virtual_memory().available if available is None else available
    budget = max(PER_BROWSER, int(free * MEMORY_SHARE) // KERNEL_BYTES)
    pool = min(room_size if preheat is None else preheat, budget // 3)
    return KernelLimits(
        pool=pool,
        other_pool=min(OTHER_MODULE_POOL, pool),
        total=max(1, min(TOTAL_PER_SEAT * room_size, budget - 2 * pool)),
        cull_idle=cull_idle,
    )


class SessionFull(BridgesError, RuntimeError):
    """The session holds as many kernels as it may: the page is refused (HTTP 503), nothing is stopped."""


class KernelOwners:
    """Which browser started which kernel: the only browser that may use or stop it.

    Claims are kept in the order they were made, so a browser's oldest kernel is
    the first of its claims. A kernel that ended without a word (culled, crashed)
    is forgotten the next time the claims are counted.
    """

    def __init__(self, alive: Callable[[str], bool] = lambda kernel_id: True) -> None:
        self._owners: dict[str, str] = {}
        self._alive = alive
        self._starting = 0  # pages admitted whose kernel is not claimed yet

    def claim(self, kernel_id: str, browser: str) -> None:
        self._owners[kernel_id] = browser

    def owns(self, kernel_id: str, browser: str) -> bool:
        return bool(browser) and self._owners.get(kernel_id) == browser

    def release(self, kernel_id: str) -> None:
        self._owners.pop(kernel_id, None)

    def of(self, browser: str) -> list[str]:
        """The browser's live kernels, oldest first."""
        self._forget_ended()
        return [kernel_id for kernel_id, owner in self._owners.items() if owner == browser]

    def count(self) -> int:
        """Kernels claimed by pages, and pages admitted whose kernel is still starting."""
        self._forget_ended()
        return len(self._owners) + self._starting

    def admit(self, browser: str, limits: KernelLimits, counts_in_total: bool = True) -> Admission:
        """Let one more page of ``browser`` start a kernel, or raise SessionFull.

        The admission names the browser's kernels to shut down first (its oldest beyond
        the cap). Checked and counted in one step, with no await in between: pages
        arriving together cannot all pass a check that only the first of them should.
        """
        mine = self.of(browser)
        surplus = mine[: max(0, len(mine) - limits.per_browser + 1)]
        if counts_in_total and self.count() - len(surplus) >= limits.total:
            raise SessionFull
        for kernel_id in surplus:
            self.release(kernel_id)
        self._starting += 1
        return Admission(self, browser, surplus)

    def _admission_ended(self) -> None:
        self._starting -= 1

    def _forget_ended(self) -> None:
        for kernel_id in [k for k in self._owners if not self._alive(k)]:
            del self._owners[kernel_id]


class Admission:
    """One admitted page: counted as starting until its kernel is claimed or the page fails."""

    def __init__(self, owners: KernelOwners, browser: str, to_stop: list[str]) -> None:
        self.owners, self.browser, self.to_stop = owners, browser, to_stop
        self._open = True

    def claim(self, kernel_id: str) -> None:
        self.owners.claim(kernel_id, self.browser)
        self.end()

    def end(self) -> None:
        if self._open:
            self._open = False
            self.owners._admission_ended()
