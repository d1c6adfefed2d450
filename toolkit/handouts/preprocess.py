"""Prepare an executed module notebook for one audience's handout.

Voilà and papermill see the notebook as it is; a handout sees it through
these steps: facilitator material removed for participants (cells tagged
``facilitator`` and outputs whose metadata carries that tag), inputs never
shown, and all metadata (papermill's parameters hold cohort details) cleared.
"""

from __future__ import annotations

import copy
from typing import Any

from nbconvert.preprocessors import ClearMetadataPreprocessor, TagRemovePreprocessor
from nbformat import NotebookNode

from toolkit.sections import AUDIENCES, FACILITATOR_TAG


def for_audience(notebook: NotebookNode, audience: str) -> NotebookNode:
    """A copy of ``notebook`` holding only what ``audience`` may read."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    remove = {FACILITATOR_TAG} if audience == "participant" else set()
    tags = TagRemovePreprocessor(
        remove_cell_tags={"remove-cell", *remove},
        remove_single_output_tags=remove,
        remove_input_tags={"remove-input"},
        enabled=True,
    )
    resources: dict[str, Any] = {}
    prepared, resources = tags.preprocess(copy.deepcopy(notebook), resources)
    cleared, _ = ClearMetadataPreprocessor(enabled=True).preprocess(prepared, resources)
    for cell in cleared.cells:
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("tags", None)
    result: NotebookNode = cleared
    return result
