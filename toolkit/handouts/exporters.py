"""nbconvert exporters: ``--to handout`` (HTML) and ``--to handout-pdf`` (PDF via WeasyPrint).

Registered as nbconvert.exporters entry points, so ``jupyter nbconvert --to
handout NB.ipynb`` works as nbconvert users expect. Options are traitlets:
``--HandoutExporter.audience=facilitator``, ``--HandoutExporter.large_print=True``,
``--HandoutExporter.paper_size=Letter``.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from traitlets import Bool, Enum, default
from traitlets.config import Config

from toolkit import __version__
from toolkit.audience import AUDIENCES
from toolkit.handouts.metadata import handout_metadata
from toolkit.handouts.preprocess import AudiencePreprocessor
from toolkit.paths import NBCONVERT_TEMPLATES

# Worksheets first: every exercise prints as its static view, never an empty widget area.
DISPLAY_PRIORITY = ["text/html", "image/svg+xml", "image/png", "text/markdown", "text/plain"]


class HandoutExporter(HTMLExporter):
    """A printable, script-free HTML handout for one audience."""

    export_from_notebook = "Handout"

    audience = Enum(list(AUDIENCES), default_value="participant", help="Who the handout is for.").tag(config=True)
    large_print = Bool(False, help="Large print: 18 pt body text.").tag(config=True)
    paper_size = Enum(
        ["A4", "Letter", ""], default_value="", help="Paper size; empty means the cohort region's usual paper."
    ).tag(config=True)

    @default("template_name")
    def _template_name_default(self) -> str:
        return "handout"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(NBCONVERT_TEMPLATES)]

    @property
    def default_config(self) -> Config:
        config = Config({"NbConvertBase": {"display_data_priority": DISPLAY_PRIORITY}})
        merged: Config = super().default_config.copy()
        merged.merge(config)
        return merged

    def from_notebook_node(  # type: ignore[override]  # nbconvert's stub says NotebookNode; exporters return text
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        resources = dict(resources or {})
        meta = handout_metadata(nb, self.audience, self.paper_size or None, self.large_print)
        resources["bridges"] = {**meta, "version": __version__}
        self._audience_step.audience = self.audience
        html: str
        html, resources = super().from_notebook_node(nb, resources, **kw)  # nbconvert copies nb first
        return html, resources

    def _init_preprocessors(self) -> None:
        super()._init_preprocessors()
        self._audience_step = AudiencePreprocessor(enabled=True)
        self.register_preprocessor(self._audience_step)


class HandoutPDFExporter(HandoutExporter):
    """The same handout, laid out as PDF by WeasyPrint in-process (no browser, no LaTeX)."""

    # The template renders HTML (its conf.json declares text/html and the
    # template file is found by the .html extension); only the final bytes are
    # PDF, so output_extension in the resources tells writers to name the file .pdf.
    export_from_notebook = "Handout PDF"

    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        from toolkit.handouts.pdf import html_to_pdf

        html, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(html), resources
