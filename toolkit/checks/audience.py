"""Audience routing rules: every module field has an audience, and notebooks tag facilitator sections.

The routing itself is toolkit.audience; these rules keep it complete when the
schema grows, and keep the module notebooks consistent with it so the
participant site (which deletes cells tagged ``facilitator``) and the
workbook agree.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.audience import FACILITATOR_TAG, SECTION_VIEWS, Audience, unrouted_fields, view_audience
from toolkit.errors import Problem

ROUTING_FILE = "toolkit/audience.py"


def check_audience(modules: Path, root: Path) -> list[Problem]:
    problems = [
        Problem(
            ROUTING_FILE,
            f"ROUTES[{field!r}]",
            "this module field has no audience, so no page shows it to participants",
            "add it to ROUTES: EVERYONE if participants may read it, FACILITATORS if only the guide",
        )
        for field in unrouted_fields()
    ]
    for path in sorted(modules.glob("*.ipynb")):
        problems += _untagged_facilitator_cells(path, _label(path, root))
    return problems


def facilitator_sections() -> set[str]:
    """Sections whose every view is for facilitators only."""
    return {
        name
        for name, views in SECTION_VIEWS.items()
        if all(view_audience(view) is Audience.FACILITATORS for view in views)
    }


def _untagged_facilitator_cells(path: Path, label: str) -> Iterator[Problem]:
    try:
        cells: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # the notebook rules report an unreadable notebook
    only_facilitators = facilitator_sections()
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code" or FACILITATOR_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        for name in _sections_called(source if isinstance(source, str) else "".join(source)):
            if name in only_facilitators:
                yield Problem(
                    label,
                    f"cells[{index}]",
                    f"page.section({name!r}) is for facilitators only but the cell has no {FACILITATOR_TAG!r} tag",
                    f"add the tag {FACILITATOR_TAG!r} to the cell, so the participant site leaves the cell out",
                )


def _sections_called(source: str) -> Iterator[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return  # the notebook rules report code that does not parse
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "section"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def _label(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
