"""Load and validate everything under curriculum/ into a Programme.

Every file is read and every problem is collected before raising, so one run
of ``bridges check`` lists all that needs fixing, not just the first error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from toolkit.errors import Problem, ValidationFailed
from toolkit.hashing import curriculum_hash, toolkit_hash
from toolkit.languages import SOURCE_LANGUAGE, get_language
from toolkit.paths import Home, cache_dir, find_home
from toolkit.schema.kit import Kit
from toolkit.schema.module import LanguageStatus, Module, ReviewStatus, TranslationStatus
from toolkit.schema.pieces import Pieces
from toolkit.schema.programme import (
    Agreements,
    EvaluationFile,
    EvaluationItem,
    Facilitation,
    Glossary,
    Overview,
    Programme,
    ProgrammeObjective,
    Resources,
)
from toolkit.translation import overlay
from toolkit.yamlio import Document, load_document, load_model, problems_from

# The programme-wide files, each with the model that validates it.
PROGRAMME_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "overview": ("programme.yaml", Overview),
    "agreements": ("agreements.yaml", Agreements),
    "facilitation": ("facilitation.yaml", Facilitation),
    "glossary": ("glossary.yaml", Glossary),
    "resources": ("resources.yaml", Resources),
    "pieces": ("programme-pieces.yaml", Pieces),
}


@dataclass(frozen=True)
class LoadedFile:
    """A validated model together with the document it came from (for line numbers)."""

    document: Document
    model: BaseModel


@dataclass(frozen=True)
class LoadedCurriculum:
    programme: Programme
    files: dict[str, LoadedFile]  # keyed by path relative to the home, e.g. curriculum/modules/01-x.yaml
    fallback: dict[str, list[str]]  # per file, the text fields that fell back to English
    translated: dict[str, int] = field(default_factory=dict)  # per file, how many text fields were translated


class _Collector:
    """Reads files, validates them and keeps every problem found on the way."""

    def __init__(self, home: Home, language: str) -> None:
        self.home = home
        self.language = language
        self.problems: list[Problem] = []
        self.files: dict[str, LoadedFile] = {}
        self.fallback: dict[str, list[str]] = {}
        self.translated: dict[str, int] = {}

    def load(self, path: Path, model: type[BaseModel]) -> BaseModel | None:
        try:
            doc = load_document(path, self.home.root)
        except ValidationFailed as exc:
            self.problems += exc.problems
            return None
        data = self._translated(path, doc)
        try:
            loaded = model.model_validate(data)
        except ValidationError as exc:
            self.problems += problems_from(exc, doc)
            return None
        self.files[doc.label] = LoadedFile(doc, loaded)
        return loaded

    def _translated(self, path: Path, doc: Document) -> Any:
        if self.language == SOURCE_LANGUAGE:
            return doc.data
        relative = path.relative_to(self.home.curriculum)
        translated_path = self.home.curriculum / "translations" / self.language / relative
        if not translated_path.is_file():
            merged = overlay(doc.data, None)
        else:
            try:
                merged = overlay(doc.data, load_document(translated_path, self.home.root).data)
            except ValidationFailed as exc:
                self.problems += exc.problems
                merged = overlay(doc.data, None)
        self.fallback[doc.label] = merged.fallback
        self.translated[doc.label] = len(merged.translated)
        return merged.data


def load_curriculum(home: Home | None = None, language: str = SOURCE_LANGUAGE) -> LoadedCurriculum:
    """Load curriculum/ for ``language`` (English where a translation is silent)."""
    get_language(language)
    home = home or find_home()
    collector = _Collector(home, language)
    parts: dict[str, Any] = {}
    for name, (filename, model) in PROGRAMME_FILES.items():
        parts[name] = collector.load(home.curriculum / filename, model)
    evaluation: list[EvaluationItem] = []
    objectives: list[ProgrammeObjective] = []
    for path in sorted((home.curriculum / "evaluation").glob("*.yaml")):
        loaded = collector.load(path, EvaluationFile)
        if isinstance(loaded, EvaluationFile):
            evaluation += loaded.items
            objectives += loaded.objectives
    modules = [
        module
        for path in sorted((home.curriculum / "modules").glob("*.yaml"))
        if isinstance(module := collector.load(path, Module), Module)
    ]
    if not modules and not any(p.file.startswith("curriculum/modules/") for p in collector.problems):
        collector.problems.append(
            Problem("curriculum/modules", "", "no module files found", "add modules/NN-slug.yaml files")
        )
    kits = [
        kit
        for path in sorted((home.curriculum / "kits").glob("*.yaml"))
        if isinstance(kit := collector.load(path, Kit), Kit)
    ]
    if collector.problems:
        raise ValidationFailed(collector.problems)
    programme = Programme(**parts, evaluation=evaluation, objectives=objectives, modules=modules, kits=kits)
    return LoadedCurriculum(programme, collector.files, collector.fallback, collector.translated)


@cache
def _cached(root: Path, language: str) -> Programme:
    # Parsing and validating ~70,000 words of YAML takes a second or more, and
    # every kernel, export and command needs the result: keep the validated
    # programme in a per-user cache, keyed by the content of the curriculum and
    # of the toolkit, so any edit to either is a cache miss, never stale data.
    key = hashlib.sha256(f"{curriculum_hash(root / 'curriculum', language)}:{toolkit_hash()}".encode()).hexdigest()
    path = cache_dir() / "curriculum" / f"{key}.pickle"
    try:
        with path.open("rb") as stream:
            loaded = pickle.load(stream)
        if isinstance(loaded, Programme):
            return loaded
    except Exception:  # missing, damaged or from another Python: rebuild it
        pass
    result = load_curriculum(Home(root), language).programme
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(path)
    except OSError:
        pass  # a read-only home only costs speed
    return result


def programme(language: str = SOURCE_LANGUAGE, home: Home | None = None) -> Programme:
    """The validated programme for ``language``, loaded once per process."""
    get_language(language)
    return _cached((home or find_home()).root, language)


def review_status(language: str, home: Home | None = None) -> LanguageStatus:
    """How far people have checked the curriculum in ``language``.

    English records its status in each module's metadata (all modules share
    one status here: the least reviewed wins); a translation records it in
    ``curriculum/translations/<lang>/translation.yaml``. A language with no
    translation at all shows English, and so has English's status.
    """
    home = home or find_home()
    path = home.curriculum / "translations" / language / "translation.yaml"
    if language != SOURCE_LANGUAGE and path.is_file():
        return load_model(path, TranslationStatus, home.root)
    statuses = [m.metadata.languages.get(SOURCE_LANGUAGE) for m in programme(SOURCE_LANGUAGE, home).modules]
    order = [ReviewStatus.MACHINE, ReviewStatus.DRAFT, ReviewStatus.REVIEWED]
    known = [s for s in statuses if s is not None]
    if not known:
        return LanguageStatus(status=ReviewStatus.DRAFT)
    return min(known, key=lambda s: order.index(s.status))
