"""Bilingual handouts: one executed notebook per language, merged output by output.

Both runs come from the same notebook with the same parameters except
``language``, so their cells and outputs correspond one to one. Each HTML
output becomes the first language's passage followed by the second's, each
in an element with its own ``lang`` attribute, so screen readers, fonts and
hyphenation follow the language of every passage.
"""

from __future__ import annotations

import copy

from markupsafe import Markup
from nbformat import NotebookNode


def merge_bilingual(first: NotebookNode, second: NotebookNode, first_lang: str, second_lang: str) -> NotebookNode:
    """``first`` with every HTML output followed by its counterpart from ``second``."""
    if len(first.cells) != len(second.cells):
        raise ValueError("the two language runs differ in their cells; run both from the same notebook")
    merged = copy.deepcopy(first)
    for cell, other in zip(merged.cells, second.cells, strict=True):
        for output, counterpart in zip(cell.get("outputs", []), other.get("outputs", []), strict=False):
            html = output.get("data", {}).get("text/html")
            other_html = counterpart.get("data", {}).get("text/html")
            if html is None or other_html is None:
                continue
            # Both outputs are HTML the pages rendered (escaped there): kept as Markup, not escaped again.
            output["data"]["text/html"] = str(
                Markup(
                    '<div lang="{}" class="bridges-first-language">{}</div>'
                    '<div lang="{}" class="bridges-second-language">{}</div>'
                ).format(first_lang, Markup(_text(html)), second_lang, Markup(_text(other_html)))
            )
    return merged


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)
