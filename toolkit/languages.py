"""The languages Bridges knows, with the facts the rest of the toolkit needs."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.errors import UnknownLanguageError


@dataclass(frozen=True)
class Language:
    """A language the toolkit can present: BCP 47 code, names and script."""

    code: str
    english_name: str
    native_name: str
    script: str


# English is the source language; the others are translation targets. The
# script decides which Noto face a PDF needs.
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English", "Latn"),
        Language("zh-Hans", "Chinese (Simplified)", "简体中文", "Hans"),
        Language("zh-Hant", "Chinese (Traditional)", "繁體中文", "Hant"),
        Language("ko", "Korean", "한국어", "Kore"),
        Language("vi", "Vietnamese", "Tiếng Việt", "Latn"),
        Language("tl", "Tagalog (Filipino)", "Tagalog", "Latn"),
        Language("ja", "Japanese", "日本語", "Jpan"),
        Language("hi", "Hindi", "हिन्दी", "Deva"),
    )
}

SOURCE_LANGUAGE = "en"


def available_codes() -> list[str]:
    """Every language code a cohort or notebook may ask for."""
    return list(LANGUAGES)


def get_language(code: str) -> Language:
    """Return the language for ``code`` or raise a clear error naming the choices."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise UnknownLanguageError(code, available_codes()) from None
