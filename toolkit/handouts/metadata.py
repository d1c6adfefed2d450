"""What a handout says about itself: title, language, footer, paper and fonts.

Read from the notebook's ``bridges`` metadata (written by ``bridges build``)
or, for a notebook run by hand, from papermill's recorded parameters.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from nbformat import NotebookNode

from toolkit.curriculum import programme, review_status
from toolkit.errors import UnknownModuleError
from toolkit.i18n import translator
from toolkit.languages import SOURCE_LANGUAGE, font_stack, get_language
from toolkit.schema.module import ReviewStatus
from toolkit.schema.regions import PaperSize, Region, default_paper


def handout_metadata(nb: NotebookNode, audience: str, paper: str | None, large_print: bool) -> dict[str, Any]:
    given: dict[str, Any] = dict(nb.metadata.get("bridges", {}))
    parameters: dict[str, Any] = dict(nb.metadata.get("papermill", {}).get("parameters", {}))
    language = str(given.get("language") or parameters.get("language") or SOURCE_LANGUAGE)
    get_language(language)
    # The page's region parameter may list several ("uk,india"); the first, the cohort's own, sets the paper.
    regions = str(given.get("region") or parameters.get("region") or Region.INTERNATIONAL.value)
    region = Region(regions.split(",")[0].strip())
    _ = translator(language)
    second = given.get("second_language") or None
    languages = [language, *([str(second)] if second else [])]
    # A discreet workbook names neither its topic nor the group: it may be carried home.
    number = _module_number(given.get("module"), language) if given.get("discreet") else None
    discreet = audience == "participant" and number is not None
    if number is not None and discreet:
        titles = [workbook_title(number, code) for code in languages]
        notes = []
    else:
        titles = [_title(nb, given.get("module"), code, audience) for code in languages]
        notes = ["Bridges", str(given.get("cohort_name", "")), str(given.get("dates", ""))]
    return document_metadata(
        languages,
        " / ".join(titles),
        audience,
        PaperSize(paper) if paper else default_paper(region),
        notes,
        large_print=large_print,
        discreet=discreet,
    )


def document_metadata(
    languages: list[str],
    title: str,
    audience: str,
    paper: PaperSize,
    notes: list[str],
    *,
    large_print: bool = False,
    discreet: bool = False,
) -> dict[str, Any]:
    """What every printed document (handout or pack) says about itself, from one place.

    ``languages`` is the document's language, then its second language if bilingual: both
    get their fonts, and a draft translation in either adds the draft note to the footer.
    """
    _ = translator(languages[0])
    if any(review_status(code).status is not ReviewStatus.REVIEWED for code in languages):
        notes = [*notes, _("Draft: this text needs review by community facilitators.")]
    return {
        "language": languages[0],
        "title": title,
        "audience": audience,
        "paper": paper.value,
        "large_print": large_print,
        "fonts": font_stack(*languages),
        "footer": " · ".join(note for note in notes if note),
        "discreet": discreet,
        "page_counter": page_counter_css(_("page {page} of {pages}")),
    }


def page_counter_css(template: str) -> str:
    """A translated "page {page} of {pages}" as a CSS ``content`` value with live counters.

    Split at the placeholders, so each language keeps its own word order.
    """
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    parts = []
    for piece in re.split(r"(\{pages?\})", template):
        if piece in counters:
            parts.append(counters[piece])
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: quotes, backslashes and line breaks escaped."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\\n\r<>' else char for char in text)
    return f'"{escaped}"'


def workbook_title(number: int, language: str) -> str:
    """The neutral title of a discreet workbook: "Workbook 7"."""
    _ = translator(language)
    return _("Workbook {number}").format(number=number)


def _module_number(slug: Any, language: str) -> int | None:
    if not slug:
        return None
    with contextlib.suppress(UnknownModuleError):
        return programme(language).module(str(slug)).number
    return None


def _title(nb: NotebookNode, slug: Any, language: str, audience: str) -> str:
    """ "Module title: Participant workbook" in one language."""
    _ = translator(language)
    title = str(nb.metadata.get("title", "Bridges"))
    if slug:
        with contextlib.suppress(UnknownModuleError):
            title = programme(language).module(str(slug)).title
    kind = _("Facilitator guide") if audience == "facilitator" else _("Participant workbook")
    return f"{title}: {kind}"
