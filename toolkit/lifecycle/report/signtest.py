"""The exact sign test: did more people rate themselves higher after than lower?

Written out rather than taken from SciPy (not a dependency): under the null
hypothesis each person who changed is equally likely to have gone up or
down, so the number who went up is binomial(changed, 1/2). People whose
rating stayed the same carry no sign and are left out, as usual.
"""

from __future__ import annotations

from math import comb


def sign_test(higher: int, lower: int) -> float:
    """Two-sided exact p-value for ``higher`` ups against ``lower`` downs (1.0 when nobody changed)."""
    if higher < 0 or lower < 0:
        raise ValueError("counts cannot be negative")
    changed = higher + lower
    if changed == 0:
        return 1.0
    tail = min(higher, lower)
    one_side: float = sum(comb(changed, i) for i in range(tail + 1)) / 2**changed
    return min(1.0, 2 * one_side)


def format_p(p: float) -> str:
    """A p-value as reports print it: three decimals, or below 0.001."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
