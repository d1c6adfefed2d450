"""Files a build writes: atomically, with checksums, and the manifest that lists them."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")


@dataclass(frozen=True)
class Artifact:
    """One file a build produced, as listed in ``manifest.json``."""

    module: str | None  # None for packs
    audience: str
    language: str
    format: str
    kind: str  # "module" or "pack"
    path: str  # relative to the build folder, with forward slashes
    sha256: str
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Artifact:
        return cls(**data)


def workbook_stem(number: int) -> str:
    """A discreet workbook's file name stem: the module number and nothing about its topic."""
    return f"{number:02d}-workbook"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` is either the old file or the whole new one.

    A build interrupted mid-write leaves only a hidden temporary file, never a
    truncated handout under the real name; the next build's checksum check
    finds anything missing and rebuilds it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's checksum, or None when it is missing."""
    try:
        return sha256_bytes(path.read_bytes())
    except FileNotFoundError:
        return None


def save_artifact(out: Path, relative: str, data: bytes, **fields: Any) -> Artifact:
    """Write one output file atomically and describe it for the manifest."""
    write_atomic(out / relative, data)
    return Artifact(path=relative, sha256=sha256_bytes(data), bytes=len(data), **fields)


def intact(out: Path, artifact: Artifact) -> bool:
    """Whether the file is still exactly what the build wrote."""
    return sha256_file(out / artifact.path) == artifact.sha256


def write_manifest(out: Path, cohort: str, version: str, generated_at: str, artifacts: list[Artifact]) -> Path:
    manifest = {
        "cohort": cohort,
        "generated_at": generated_at,
        "toolkit_version": version,
        "artifacts": [artifact.to_json() for artifact in artifacts],
    }
    path = out / "manifest.json"
    write_atomic(path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return path
