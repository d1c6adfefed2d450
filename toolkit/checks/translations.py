"""Translation coverage for `bridges check`: per language, the share of text translated and what falls back."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.curriculum import load_curriculum, review_status
from toolkit.errors import ValidationFailed
from toolkit.languages import LANGUAGES, SOURCE_LANGUAGE
from toolkit.paths import Home

# Files with more fallbacks than this are summarised by count, not listed field by field.
LIST_LIMIT = 10


@dataclass(frozen=True)
class Coverage:
    language: str
    translated: int
    total: int
    fallback: dict[str, list[str]]  # per file
    status: str

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        """The fallbacks as a person reads them: field paths for few, a count for many."""
        out = []
        for label, fields in self.fallback.items():
            if not fields:
                continue
            if len(fields) <= LIST_LIMIT:
                out += [f"  {label}: {field} falls back to English" for field in fields]
            else:
                out.append(f"  {label}: {len(fields)} fields fall back to English")
        return out


def translation_coverage(home: Home) -> tuple[list[Coverage], list[str]]:
    """Coverage for each language with curriculum translations; and the interface-only languages."""
    folder = home.curriculum / "translations"
    covered, interface_only = [], []
    for code in LANGUAGES:
        if code == SOURCE_LANGUAGE:
            continue
        if not (folder / code).is_dir():
            interface_only.append(code)
            continue
        try:
            loaded = load_curriculum(home, code)
        except ValidationFailed:
            continue  # its problems are reported by the main check
        translated = sum(loaded.translated.values())
        total = translated + sum(len(fields) for fields in loaded.fallback.values())
        covered.append(Coverage(code, translated, total, loaded.fallback, review_status(code, home).status.value))
    return covered, interface_only
