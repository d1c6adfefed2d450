"""Interface strings through gettext catalogues (compiled with Babel).

Content comes from curriculum/; these are the toolkit's own words: buttons,
labels, messages, handout captions. A missing catalogue falls back to English.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

from toolkit.languages import get_language

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "bridges"

Translate = Callable[[str], str]


def _gettext_code(code: str) -> str:
    # gettext folders use underscores (zh_Hans); BCP 47 codes use hyphens.
    return code.replace("-", "_")


@cache
def translator(language: str) -> Translate:
    """The ``_`` function for ``language``; English where a string has no translation."""
    get_language(language)
    catalogue = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_gettext_code(language)], fallback=True)
    return catalogue.gettext
