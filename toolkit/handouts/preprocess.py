"""Prepare an executed module notebook for one audience's handout.

Voilà and papermill see the notebook as it is; a handout sees it through
this preprocessor: facilitator material removed for participants (cells
tagged ``facilitator`` and outputs whose metadata carries that tag), inputs
never shown, and all metadata (papermill's parameters hold cohort details)
cleared. The exporter runs it on its own copy of the notebook, after
nbconvert's default preprocessors.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import ClearMetadataPreprocessor, Preprocessor, TagRemovePreprocessor
from nbformat import NotebookNode
from traitlets import Enum

from toolkit.audience import AUDIENCES, FACILITATOR_TAG


class AudiencePreprocessor(Preprocessor):
    """Keep only what ``audience`` may read, with no input and no metadata."""

    audience = Enum(list(AUDIENCES), default_value="participant", help="Who the handout is for.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        remove = {FACILITATOR_TAG} if self.audience == "participant" else set()
        tags = TagRemovePreprocessor(
            remove_cell_tags={"remove-cell", *remove},
            remove_single_output_tags=remove,
            remove_input_tags={"remove-input"},
            enabled=True,
        )
        nb, resources = tags.preprocess(nb, resources)
        nb, resources = ClearMetadataPreprocessor(enabled=True).preprocess(nb, resources)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("tags", None)
        return nb, resources
