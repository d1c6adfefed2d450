"""Rules for the thin module notebooks in modules/.

A module notebook holds structure, not prose: a papermill ``parameters`` cell
whose every parameter carries a help comment, then calls that render sections,
activities and exercises of one curriculum module by id. It is committed
clean: no outputs, no execution counts, no saved widget state.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpecManager

from toolkit.errors import Problem
from toolkit.notebook_contract import REQUIRED_PARAMETERS, SECTIONS
from toolkit.paths import Home
from toolkit.schema.programme import Programme

NOTEBOOK_FILE = re.compile(r"^(\d\d)-([a-z0-9-]+)\.ipynb$")
RENDER_CALLS = ("section", "activity", "exercise")


def check_notebooks(home: Home, programme: Programme) -> list[Problem]:
    """Every module has its notebook, and every notebook would run: build and serve trip on nothing here."""
    problems: list[Problem] = []
    kernels = set(KernelSpecManager().find_kernel_specs())
    for path in sorted(home.modules.glob("*.ipynb")):
        problems += _check_notebook(path, programme, _label(path, home.root), kernels)
    present = home.module_notebooks()
    problems += [home.missing_notebook(m.slug, m.number) for m in programme.modules if m.slug not in present]
    return problems


def _label(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _check_notebook(path: Path, programme: Programme, label: str, kernels: set[str]) -> Iterator[Problem]:
    try:
        notebook: dict[str, Any] = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except (OSError, ValueError, KeyError, TypeError, nbformat.ValidationError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        yield Problem(label, "", f"not a valid notebook ({first_line})", "open and re-save it in Jupyter")
        return
    cells: list[dict[str, Any]] = notebook["cells"]
    match = NOTEBOOK_FILE.match(path.name)
    slugs = [m.slug for m in programme.modules]
    if match is None or match.group(2) not in slugs:
        yield Problem(
            label, "", "file name is not NN-slug.ipynb for a curriculum module", f"module slugs: {', '.join(slugs)}"
        )
        return
    module = programme.module(match.group(2))
    if int(match.group(1)) != module.number:
        yield Problem(
            label,
            "",
            f"number {match.group(1)} does not match module number {module.number}",
            f"rename to {module.number:02d}-{module.slug}.ipynb",
        )
    if "widgets" in notebook.get("metadata", {}):
        yield Problem(
            label,
            "metadata.widgets",
            "saved widget state is committed",
            "clear it: turn off Jupyter's 'Save Widget State Automatically' and save again",
        )
    kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name")
    if not kernel:
        # papermill and Voilà pick the kernel from here; without it a build cannot start.
        yield Problem(
            label,
            "metadata.kernelspec",
            "no kernel named",
            'add "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}',
        )
    elif kernel not in kernels:
        yield Problem(
            label,
            "metadata.kernelspec.name",
            f"kernel {kernel!r} is not installed here",
            f"use one of: {', '.join(sorted(kernels))}",
        )
    yield from _check_clean(cells, label)
    yield from _check_parameters(cells, label)
    yield from _check_references(cells, label, module_ids(programme, module.slug))


def module_ids(programme: Programme, slug: str) -> dict[str, set[str]]:
    module = programme.module(slug)
    return {
        "module": {slug},
        "section": set(SECTIONS),
        "activity": {a.id for a in module.activities},
        "exercise": {e.id for e in module.exercises},
    }


def _check_clean(cells: list[dict[str, Any]], label: str) -> Iterator[Problem]:
    for index, cell in enumerate(cells):
        if cell.get("outputs"):
            yield Problem(
                label, f"cells[{index}].outputs", "outputs are committed", "clear all outputs before committing"
            )
        if cell.get("execution_count") is not None:
            yield Problem(
                label,
                f"cells[{index}].execution_count",
                "execution count is committed",
                "clear all outputs before committing",
            )


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _check_parameters(cells: list[dict[str, Any]], label: str) -> Iterator[Problem]:
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        yield Problem(
            label,
            "parameters",
            f"{len(tagged)} cells tagged 'parameters'; exactly one is needed",
            "tag the first code cell 'parameters'",
        )
        return
    index = tagged[0]
    source = _source(cells[index])
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        yield Problem(
            label, f"cells[{index}]", f"parameters cell is not valid Python: {exc.msg}", "fix the syntax", exc.lineno
        )
        return
    lines = source.splitlines()
    names: list[str] = []
    for node in tree.body:
        if not (isinstance(node, ast.Assign | ast.AnnAssign)):
            yield Problem(
                label,
                f"cells[{index}]",
                "parameters cell holds something other than assignments",
                "keep only 'name = value  # help'",
                node.lineno,
            )
            continue
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        if not isinstance(target, ast.Name):
            continue
        names.append(target.id)
        last_line = lines[(node.end_lineno or node.lineno) - 1]
        if not _trailing_comment(last_line):
            yield Problem(
                label,
                f"parameters.{target.id}",
                "has no trailing help comment",
                "end the line with '# what it means', which papermill --help-notebook shows",
                node.lineno,
            )
    for required in REQUIRED_PARAMETERS:
        if required not in names:
            yield Problem(
                label, f"parameters.{required}", "required parameter is missing", f"add '{required} = ...  # help'"
            )


def _trailing_comment(line: str) -> bool:
    # A '#' inside a string literal is not a comment; tokenising the line tells them apart.
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    return any(t.type == tokenize.COMMENT and t.string.lstrip("#").strip() for t in tokens)


def _check_references(cells: list[dict[str, Any]], label: str, known: dict[str, set[str]]) -> Iterator[Problem]:
    first_activity: int | None = None
    content_notes_at: int | None = None
    shown: dict[str, set[str]] = {kind: set() for kind in known}
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_source(cell))
        except SyntaxError as exc:
            yield Problem(label, f"cells[{index}]", f"not valid Python: {exc.msg}", "fix the syntax", exc.lineno)
            continue
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not call.args:
                continue
            kind = _call_kind(call)
            arg = call.args[0]
            if kind is None or not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                continue
            if arg.value not in known[kind]:
                choices = ", ".join(sorted(known[kind]))
                yield Problem(
                    label, f"cells[{index}]", f"unknown {kind} {arg.value!r}", f"use one of: {choices}", call.lineno
                )
            shown[kind].add(arg.value)
            if kind == "activity" and first_activity is None:
                first_activity = index
            if kind == "section" and arg.value == "content-notes" and content_notes_at is None:
                content_notes_at = index
    if first_activity is not None and (content_notes_at is None or content_notes_at > first_activity):
        yield Problem(
            label,
            f"cells[{first_activity}]",
            "an activity is shown before the content notes",
            "render section 'content-notes' before the first activity",
        )
    # A notebook that leaves out an activity or exercise would silently drop it
    # from every workbook, guide and app built from it.
    for kind in ("activity", "exercise"):
        for missing in sorted(known[kind] - shown[kind]):
            yield Problem(
                label, "", f"{kind} {missing!r} is never shown", f"add a cell calling page.{kind}({missing!r})"
            )


def _call_kind(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in RENDER_CALLS:
        return func.attr
    if isinstance(func, ast.Name) and func.id == "open_module":
        return "module"
    return None
