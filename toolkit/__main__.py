"""``python -m toolkit`` runs the ``bridges`` command line."""

from toolkit.cli import app

app()
