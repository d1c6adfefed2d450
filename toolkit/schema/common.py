"""Shared building blocks for every schema: strict base model and constrained strings."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# Ids appear in URLs, file names, event records and notebook calls, so they are
# kept to lowercase ASCII words joined by single hyphens: nothing that can
# escape a folder or need quoting.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    """Base for curriculum and cohort models.

    Unknown fields are errors: a misspelt field name in a YAML file must be
    reported, not silently ignored.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
