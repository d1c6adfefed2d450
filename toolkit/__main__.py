"""``python -m toolkit`` runs the ``bridges`` command line."""

import sys
from pathlib import Path

# `python -m` puts the working folder first on sys.path, so a voila.py or
# tornado.py lying there would be imported in place of the real package.
# The `bridges` console script never does; make `python -m toolkit` the same.
sys.path[:] = [entry for entry in sys.path if entry not in ("", str(Path.cwd()))]

from toolkit.cli import app  # noqa: E402 - after the sys.path repair on purpose

app()
