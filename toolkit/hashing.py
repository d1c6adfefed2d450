"""Content hashes of folders and of the toolkit itself, for caches that must never go stale."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from toolkit.paths import PACKAGE_DIR

_TOOLKIT_SUFFIXES = frozenset({".py", ".j2", ".json", ".css", ".mo"})


def tree_hash(root: Path, suffixes: frozenset[str] | None = None, skip: tuple[str, ...] = ()) -> str:
    """One hash over every file's relative path and bytes under ``root``."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or "__pycache__" in relative.parts or relative.parts[0] in skip:
            continue
        if suffixes is not None and path.suffix not in suffixes:
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def toolkit_hash() -> str:
    """The toolkit's code, templates and catalogues (not only its version number,
    so a developer's edit is never masked by a stale cache). ``_data`` holds the
    wheel's copy of the curriculum, which callers hash on its own."""
    return tree_hash(PACKAGE_DIR, _TOOLKIT_SUFFIXES, skip=("_data",))


def curriculum_hash(curriculum: Path, language: str) -> str:
    """The English curriculum plus one language's translation: what that language's text is made of.

    A Korean translator's edit must not invalidate English or Vietnamese builds.
    """
    translation = curriculum / "translations" / language
    parts = [tree_hash(curriculum, skip=("translations",)), tree_hash(translation) if translation.is_dir() else ""]
    return hashlib.sha256(":".join([language, *parts]).encode()).hexdigest()
