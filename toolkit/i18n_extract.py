"""A Babel extractor that also finds ``_("...")`` inside f-strings.

Babel's own Python extractor reads tokens, and on Python 3.11 an f-string
is one token, so ``f"<h2>{escape(_('Content notes'))}</h2>"`` hides its
message. The ``ast`` module parses f-string expressions, so walking the tree
finds every call. Used by babel.cfg (``make catalogues``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any


def extract_ast(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (line, function name, message, comments) for every ``_()`` call with a literal message."""
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        first = node.args[0]
        if name == "_" and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield node.lineno, "_", first.value, []
