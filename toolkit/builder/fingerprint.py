"""The content hash that decides whether a module's handouts are still current.

A module is rebuilt when anything that shapes its output changes: the
English curriculum and the cohort's translations, its notebook,
the parameters, the requested formats, or the toolkit itself.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from toolkit import __version__
from toolkit.hashing import toolkit_hash


def fingerprint(**parts: Any) -> str:
    """A stable hash of keyword parts plus the toolkit's version and code."""
    payload = {"version": __version__, "toolkit": toolkit_hash(), **parts}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
