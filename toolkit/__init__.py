"""Bridges: a curriculum toolkit for cultural exchange between Asian LGBTQ+ groups."""

from toolkit.errors import BridgesError

__version__ = "0.1.0"
__all__ = ["BridgesError", "__version__"]
