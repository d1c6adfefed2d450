"""Load YAML files keeping line numbers, and turn validation errors into Problems.

ruamel.yaml's round-trip loader remembers where every key and item came from,
so a pydantic error location such as ``activities[2].minutes`` can be reported
as ``curriculum/modules/01-x.yaml:87``, which is what a person fixing the file
needs.

The files are also input from people Bridges does not control (a cohort file
sent by someone else, a curriculum pull request), so reading one is bounded:
only regular files, at most ``MAX_BYTES``, nested at most ``MAX_DEPTH``
levels and at most ``MAX_VALUES`` values once aliases are expanded. Anything
beyond becomes a Problem naming the file, never a hang, a traceback or an
exhausted memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from toolkit.errors import InvalidValue, Problem, ValidationFailed

M = TypeVar("M", bound=BaseModel)
Loc = Sequence[int | str]

# Limits on one YAML file, each well above what the curriculum needs (its
# largest file is under 100 KB, nests 5 levels and holds about 1,000 values;
# it uses no anchors or aliases) and low enough that the pure-Python parser
# refuses the worst file within seconds.
MAX_BYTES = 512 * 1024
MAX_DEPTH = 32
MAX_VALUES = 20_000


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
        # The path as given first, so a symbolic link is named where it is, not where it points.
        for mine, base in ((path.absolute(), root.absolute()), (path.resolve(), root.resolve())):
            try:
                return mine.relative_to(base).as_posix()
            except ValueError:
                pass
    return str(path)


class _Refused(Exception):
    """A file beyond one of the limits; becomes a Problem in ``load_document``."""

    def __init__(self, message: str, hint: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


def _line(mark: Any) -> int | None:
    return None if mark is None else int(mark.line) + 1


class _BoundedComposer(Composer):
    """ruamel's composer, counting depth and values as the tree is built.

    An alias (``*name``) adds its anchor's whole size and height, so a
    "billion laughs" file is refused as soon as its expansion would pass
    ``MAX_VALUES``, and an alias inside its own anchor (a cycle) is refused
    before anything walks it. ruamel itself shares aliased nodes, so the
    expansion would only happen later, in ``_plain`` and validation.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self._level = 0  # nesting of the node being composed
        self._deepest = 0  # deepest level reached inside the node being composed
        self._values = 0  # nodes composed so far, aliases counted expanded
        self._aliases = 0
        self._shapes: dict[int, tuple[int, int]] = {}  # id(anchored node) -> (values, height)

    def _count(self, values: int, mark: Any) -> None:
        self._values += values
        if self._values > MAX_VALUES:
            if self._aliases:
                raise _Refused(
                    f"aliases (*name) expand to more than {MAX_VALUES:,} values",
                    "write the values out instead of repeating anchors",
                    _line(mark),
                )
            raise _Refused(
                f"more than {MAX_VALUES:,} values in one file", "split it, or check this is the right file", _line(mark)
            )

    def _reach(self, level: int, mark: Any) -> None:
        self._deepest = max(self._deepest, level)
        if level > MAX_DEPTH:
            raise _Refused(
                f"nested more than {MAX_DEPTH} levels deep",
                "flatten the structure; no Bridges file needs this",
                _line(mark),
            )

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            self._aliases += 1
            target = self.anchors.get(event.anchor)
            if target is not None:  # an undefined alias is reported by ruamel itself
                shape = self._shapes.get(id(target))
                if shape is None:
                    raise _Refused(
                        f"alias *{event.anchor} is inside the value it refers to",
                        "remove the alias",
                        _line(event.start_mark),
                    )
                values, height = shape
                self._count(values, event.start_mark)
                self._reach(self._level + height, event.start_mark)
            return super().compose_node(parent, index)
        self._level += 1
        self._count(1, event.start_mark)
        outer, before = self._deepest, self._values
        self._deepest = self._level
        self._reach(self._level, event.start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._level -= 1
        if getattr(event, "anchor", None) is not None:
            self._shapes[id(node)] = (self._values - before + 1, self._deepest - self._level)
        self._deepest = max(outer, self._deepest)
        return node


def _refuse(label: str, message: str, hint: str, line: int | None = None) -> ValidationFailed:
    return ValidationFailed([Problem(label, "", message, hint, line)])


def _read_bounded(path: Path, label: str) -> bytes:
    """At most ``MAX_BYTES`` of a regular file; anything else is refused without reading it.

    Opened without blocking (a named pipe would wait for a writer forever) and
    checked on the open descriptor, so the file cannot be swapped in between.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise _refuse(label, "file not found", "create it or fix the path") from None
    except IsADirectoryError:
        raise _refuse(label, "is a folder, not a YAML file", "give the path of a .yaml file") from None
    except PermissionError:
        raise _refuse(label, "cannot be read: permission denied", "check the file's permissions") from None
    except OSError as exc:
        raise _refuse(label, f"cannot be read: {exc.strerror or exc}", "check the path") from None
    too_big = _refuse(
        label,
        f"is larger than {MAX_BYTES // 1024} KB, far more than any cohort or curriculum file",
        "check this is the right file",
    )
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(label, "is a folder, not a YAML file", "give the path of a .yaml file")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(
                label, "is not a regular file (a device, pipe or socket)", "give the path of an ordinary .yaml file"
            )
        if info.st_size > MAX_BYTES:
            raise too_big
        with open(descriptor, "rb", closefd=False) as stream:
            data = stream.read(MAX_BYTES + 1)  # the size can lie (files under /proc): never read more
    except OSError as exc:
        raise _refuse(label, f"cannot be read: {exc.strerror or exc}", "check the path") from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_BYTES:
        raise too_big
    return data


def _parse_yaml(text: str, label: str) -> Any:
    """ruamel's round-trip tree of ``text``, within the limits; ValidationFailed otherwise."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = _BoundedComposer
    try:
        return yaml.load(text)
    except _Refused as exc:
        raise _refuse(label, exc.message, exc.hint, exc.line) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(filter(None, [exc.context, exc.problem]))
        raise _refuse(label, f"malformed YAML: {what}", "check indentation, colons and quotes", _line(mark)) from None
    except YAMLError as exc:
        raise _refuse(label, f"malformed YAML: {exc}", "check the file's syntax") from None
    except RecursionError:  # the depth limit should make this unreachable; a traceback is never the answer
        raise _refuse(label, "nested too deeply to read", "flatten the structure") from None
    except (ValueError, LookupError, TypeError, ArithmeticError) as exc:
        # ruamel builds values with int(), date() and friends: an impossible date
        # (2027-02-30), an integer of 5,000 digits or an unknown !!bool end up here.
        raise _refuse(label, f"a value YAML cannot read: {exc}", "check dates, numbers and !!tags") from None


def load_document(path: Path, root: Path | None = None) -> Document:
    """Parse one YAML file; malformed, oversized or hostile YAML or an unreadable file raises ValidationFailed."""
    label = label_for(path, root)
    data = _read_bounded(path, label)
    try:
        # Universal newlines, as text mode would: ruamel counts lines the same either way.
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise _refuse(label, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8") from None
    tree = _parse_yaml(text, label)
    return Document(path, label, _plain(tree), tree)


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _hint(error: dict[str, Any], loc: Loc) -> str:
    kind = error["type"]
    if isinstance(cause := (error.get("ctx") or {}).get("error"), InvalidValue):
        return cause.hint
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


def problems_from(error: ValidationError, doc: Document) -> list[Problem]:
    """One Problem per pydantic error, located in ``doc``."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(doc.problem(loc, message, _hint(dict(item), loc)))
    return problems


def validate_document(doc: Document, model: type[M], data: Any = None, context: dict[str, Any] | None = None) -> M:
    """Validate ``doc`` (or ``data`` derived from it) against ``model``; ``context`` goes to its validators."""
    try:
        return model.model_validate(doc.data if data is None else data, context=context)
    except ValidationError as exc:
        raise ValidationFailed(problems_from(exc, doc)) from None


def load_model(path: Path, model: type[M], root: Path | None = None) -> M:
    """Parse and validate one YAML file in one step."""
    return validate_document(load_document(path, root), model)
