"""Field-by-field fallback: a translation file overlays its English original.

Translations live in ``curriculum/translations/<lang>/`` as files parallel to
the English ones. A translation may replace text only; ids, kinds, numbers and
other structure always come from the English file, so a translator cannot
break the curriculum's shape. Lists of mappings are matched by ``id`` where the
items have one, otherwise by position. Whatever a translation leaves out falls
back to English, and the overlay records which fields did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Keys whose values are structure, never translated text, unless they hold records.
STRUCTURAL_KEYS = frozenset(
    {
        "id",
        "slug",
        "number",
        "kind",
        "method",
        "grouping",
        "disclosure",
        "objective",
        "objectives",
        "item",
        "module",
        "modules",
        "region",
        "url",
        "topics",
        "content_notes",
        "exercises",
        "agreements",
        "resources",
        "minutes",
        "optional",
        "min",
        "max",
        "status",
        "last_reviewed",
        "last_verified",
        "version",
        "licence",
        "needs_verification",
        "scale_points",
        "design",
        "languages",
    }
)


@dataclass
class Overlay:
    """The merged data and the paths of text fields that fell back to English."""

    data: Any
    translated: list[str] = field(default_factory=list)
    fallback: list[str] = field(default_factory=list)


def overlay(base: Any, translation: Any) -> Overlay:
    """Merge ``translation`` over ``base`` and account for every text field."""
    result = Overlay(None)
    result.data = _merge(base, translation, "", result)
    return result


def _merge(base: Any, over: Any, path: str, acc: Overlay) -> Any:
    if isinstance(base, dict):
        over_map = over if isinstance(over, dict) else {}
        return {
            key: value if _is_structure(key, value) else _merge(value, over_map.get(key), _join(path, key), acc)
            for key, value in base.items()
        }
    if isinstance(base, list):
        over_list = over if isinstance(over, list) else []
        by_id = {item["id"]: item for item in over_list if isinstance(item, dict) and "id" in item}
        merged = []
        for index, item in enumerate(base):
            if isinstance(item, dict) and "id" in item:
                counterpart = by_id.get(item["id"])
            else:
                counterpart = over_list[index] if index < len(over_list) else None
            merged.append(_merge(item, counterpart, f"{path}[{index}]", acc))
        return merged
    if isinstance(base, str):
        if isinstance(over, str) and over.strip():
            acc.translated.append(path)
            return over
        acc.fallback.append(path)
    return base


def _is_structure(key: str, value: Any) -> bool:
    # The same key can hold ids in one model and translatable records in another
    # (an activity's ``exercises`` lists ids; a module's lists whole exercises).
    records = isinstance(value, list) and any(isinstance(item, dict) for item in value)
    return key in STRUCTURAL_KEYS and not records


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
