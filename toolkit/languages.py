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
    font: str  # the Noto family that draws this language's script correctly


# English is the source language; the others are translation targets. The
# script decides which Noto face a PDF needs.
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English", "Latn", "Noto Sans"),
        Language("zh-Hans", "Chinese (Simplified)", "简体中文", "Hans", "Noto Sans CJK SC"),
        Language("zh-Hant", "Chinese (Traditional)", "繁體中文", "Hant", "Noto Sans CJK TC"),
        Language("ko", "Korean", "한국어", "Kore", "Noto Sans CJK KR"),
        Language("vi", "Vietnamese", "Tiếng Việt", "Latn", "Noto Sans"),
        Language("tl", "Tagalog (Filipino)", "Tagalog", "Latn", "Noto Sans"),
        Language("ja", "Japanese", "日本語", "Jpan", "Noto Sans CJK JP"),
        Language("hi", "Hindi", "हिन्दी", "Deva", "Noto Sans Devanagari"),
    )
}

SOURCE_LANGUAGE = "en"

# Scripts written right to left (ISO 15924); none of today's languages, but `dir` must follow the language.
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm"})


def available_codes() -> list[str]:
    """Every language code a cohort or notebook may ask for."""
    return list(LANGUAGES)


def get_language(code: str) -> Language:
    """Return the language for ``code`` or raise a clear error naming the choices."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise UnknownLanguageError(code, available_codes()) from None


def text_direction(language: str) -> str:
    """The HTML ``dir`` of a language: "rtl" or "ltr"."""
    return "rtl" if get_language(language).script in RTL_SCRIPTS else "ltr"


def font_stack(*codes: str) -> str:
    """A CSS font-family list: the given languages' faces first, then every other shipped face.

    CJK faces share code points but draw them differently (a Korean reader
    should not get Japanese glyph shapes), so order decides which face wins.
    """
    ordered = [LANGUAGES[code].font for code in codes] + [lang.font for lang in LANGUAGES.values()]
    unique = list(dict.fromkeys(ordered))
    return ", ".join(f'"{family}"' for family in unique) + ", sans-serif"
