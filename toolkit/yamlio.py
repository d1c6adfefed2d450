"""Load YAML files keeping line numbers, and turn validation errors into Problems.

ruamel.yaml's round-trip loader remembers where every key and item came from,
so a pydantic error location such as ``activities[2].minutes`` can be reported
as ``curriculum/modules/01-x.yaml:87``, which is what a person fixing the file
needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from toolkit.errors import Problem, ValidationFailed

M = TypeVar("M", bound=BaseModel)
Loc = Sequence[int | str]


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain data for validation, the node tree for line look-ups."""

    path: Path
    label: str  # how the file is named in messages (relative where possible)
    data: Any
    tree: Any

    def line_of(self, loc: Loc) -> int | None:
        """1-based line of the deepest part of ``loc`` present in the file."""
        node = self.tree
        line = _start_line(node)
        for part in loc:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        return line

    def problem(self, loc: Loc, message: str, hint: str = "") -> Problem:
        return Problem(self.label, format_loc(loc), message, hint, self.line_of(loc))


def _start_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return None if lc is None or lc.line is None else lc.line + 1


def _plain(node: Any) -> Any:
    """Strip ruamel's wrapper types so validation sees ordinary Python values."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def label_for(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def load_document(path: Path, root: Path | None = None) -> Document:
    """Parse one YAML file; malformed YAML or an unreadable file raises ValidationFailed."""
    label = label_for(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationFailed([Problem(label, "", "file not found", "create it or fix the path")]) from None
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            [Problem(label, "", f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")]
        ) from None
    try:
        tree = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        what = " ".join(filter(None, [exc.context, exc.problem]))
        raise ValidationFailed(
            [Problem(label, "", f"malformed YAML: {what}", "check indentation, colons and quotes", line)]
        ) from None
    except YAMLError as exc:
        raise ValidationFailed([Problem(label, "", f"malformed YAML: {exc}", "check the file's syntax")]) from None
    return Document(path, label, _plain(tree), tree)


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _hint(error: dict[str, Any], model: type[BaseModel], loc: Loc) -> str:
    kind = error["type"]
    if kind == "missing":
        return f"add the field '{loc[-1]}'" if loc else "add the missing field"
    if kind == "extra_forbidden":
        return "remove it, or check its spelling against the schema"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "write a whole number"
    if kind in {"string_type"}:
        return "write text (quote it if YAML reads it as a number or date)"
    if kind in {"list_type"}:
        return "write a list (lines starting with '- ')"
    if kind in {"dict_type", "model_type"}:
        return "write a mapping of 'field: value' lines"
    if kind == "string_pattern_mismatch":
        return "use lowercase letters, digits and single hyphens only"
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return "write a date as YYYY-MM-DD"
    if kind in {"time_parsing", "time_type"}:
        return "write a time as HH:MM, in quotes"
    return ""


def problems_from(error: ValidationError, doc: Document, model: type[BaseModel], prefix: Loc = ()) -> list[Problem]:
    """One Problem per pydantic error, located in ``doc``."""
    problems = []
    for item in error.errors(include_url=False):
        loc = (*prefix, *item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(doc.problem(loc, message, _hint(dict(item), model, loc)))
    return problems


def validate_document(doc: Document, model: type[M], data: Any = None) -> M:
    """Validate ``doc`` (or ``data`` derived from it) against ``model``."""
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        raise ValidationFailed(problems_from(exc, doc, model)) from None


def load_model(path: Path, model: type[M], root: Path | None = None) -> M:
    """Parse and validate one YAML file in one step."""
    return validate_document(load_document(path, root), model)
