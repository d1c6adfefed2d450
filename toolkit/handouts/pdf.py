"""HTML to PDF with WeasyPrint, in-process: tagged, titled, with the document language."""

from __future__ import annotations

import logging


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` as a tagged PDF (PDF/UA) using only local fonts and files."""
    import weasyprint

    # WeasyPrint reports every CSS property it does not know at WARNING level;
    # that is noise for a person building handouts.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_refuse_fetch)
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    # Handouts embed everything they need; anything else would be a network
    # request from something Bridges produces, which must never happen.
    if url.startswith("data:"):
        import weasyprint

        result: dict[str, object] = weasyprint.default_url_fetcher(url)
        return result
    raise ValueError(f"handouts fetch nothing from outside; refused {url}")
