"""The toolkit's one exception hierarchy.

Modelled on nbclient's exceptions: every error derives from ``BridgesError``
and from the builtin it resembles (so ``except ValueError`` still works),
carries structured attributes instead of only a string, and survives
pickling (errors cross process boundaries in parallel builds). Only the CLI
turns these into exit codes and one-line messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

UNKNOWN_LANGUAGE = "unknown language code {code!r}; available: {available}"
CURRICULUM_NOT_FOUND = (
    "cannot find the curriculum (looked in {searched}); set BRIDGES_HOME to a folder holding curriculum/ and modules/"
)
UNKNOWN_MODULE = "unknown module {slug!r}; available: {available}"


class BridgesError(Exception):
    """Root of every error the toolkit raises on purpose.

    ``fields`` names the constructor's arguments, each kept as an attribute of the
    same name: pickling (errors cross process boundaries in parallel builds)
    rebuilds the error from them, so a subclass declares its fields and nothing more.
    """

    fields: ClassVar[tuple[str, ...]] = ()

    def __reduce__(self) -> tuple[type[BridgesError], tuple[Any, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.fields)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, phrased for the person who fixes it."""

    file: str
    field: str
    message: str
    hint: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ValidationFailed(BridgesError, ValueError):
    """One or more input files are invalid; ``problems`` lists each one."""

    fields = ("problems",)

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class InvalidValue(BridgesError, ValueError):
    """A field value a validator refuses, with what to do about it.

    Raised inside pydantic validators: the message becomes the Problem's
    message and ``hint`` its fix, so the person reads ``file:line: field:
    what is wrong (what to do)``.
    """

    fields = ("message", "hint")

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)


class UnknownLanguageError(BridgesError, LookupError):
    """A language code that the toolkit does not know."""

    fields = ("code", "available")

    def __init__(self, code: str, available: Sequence[str]) -> None:
        self.code = code
        self.available = tuple(available)
        super().__init__(UNKNOWN_LANGUAGE.format(code=code, available=", ".join(self.available)))


class UnknownModuleError(BridgesError, LookupError):
    """A module slug that the curriculum does not contain."""

    fields = ("slug", "available")

    def __init__(self, slug: str, available: Sequence[str]) -> None:
        self.slug = slug
        self.available = tuple(available)
        super().__init__(UNKNOWN_MODULE.format(slug=slug, available=", ".join(self.available)))


class CurriculumNotFound(BridgesError, FileNotFoundError):
    """Neither a checkout nor an installed package holds curriculum/ and modules/."""

    fields = ("searched",)

    def __init__(self, searched: Sequence[Path]) -> None:
        self.searched = tuple(searched)
        super().__init__(CURRICULUM_NOT_FOUND.format(searched=", ".join(map(str, self.searched))))


STORE_URL = "unsupported event store URL {url!r}; use sqlite:///path/to/events.sqlite"


class StoreError(BridgesError, OSError):
    """The event store cannot be opened, migrated or written."""

    fields = ("url", "reason")

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"event store {url}: {reason}")


class UnsupportedStoreURL(BridgesError, ValueError):
    """A store URL whose scheme the toolkit has no store for."""

    fields = ("url",)

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(STORE_URL.format(url=url))


class ModuleBuildFailed(BridgesError, RuntimeError):
    """A module notebook failed while a cohort was being built.

    Names the module, the cell and the exception, and where the executed
    notebook was kept so the failing cell can be read in context.
    """

    fields = ("module", "cell", "exception", "notebook")

    def __init__(self, module: str, cell: int | None, exception: str, notebook: Path | None) -> None:
        self.module, self.cell, self.exception, self.notebook = module, cell, exception, notebook
        where = f"in cell {cell} (counting from 1 in the kept notebook)" if cell is not None else "before any cell ran"
        kept = f"; the executed notebook is kept at {notebook}" if notebook else ""
        super().__init__(f"module {module!r} failed {where}: {exception}{kept}")


class BuildFailed(BridgesError, RuntimeError):
    """One or more modules of a cohort build failed; the rest were built."""

    fields = ("failures",)

    def __init__(self, failures: Sequence[ModuleBuildFailed]) -> None:
        self.failures = tuple(failures)
        super().__init__("\n".join(str(failure) for failure in self.failures))


class ServeFailed(BridgesError, OSError):
    """A live session cannot start as asked (a certificate that does not load, a bad address)."""

    fields = ("what", "hint")

    def __init__(self, what: str, hint: str) -> None:
        self.what, self.hint = what, hint
        super().__init__(f"{what} ({hint})")


class InvalidParameter(BridgesError, ValueError):
    """A notebook parameter with a value the module cannot use."""

    fields = ("name", "value", "expected")

    def __init__(self, name: str, value: str, expected: str) -> None:
        self.name, self.value, self.expected = name, value, expected
        super().__init__(f"parameter {name}={value!r} is not valid; expected {expected}")


class InvalidAnswer(BridgesError, ValueError):
    """An answer that cannot be saved as it is; the message tells the participant why."""

    fields = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class UnknownParticipant(BridgesError, LookupError):
    """A participant code that has no event in the cohort's store: never issued, mistyped, or already erased."""

    fields = ("cohort", "code")

    def __init__(self, cohort: str, code: str) -> None:
        self.cohort, self.code = cohort, code
        super().__init__(
            f"no participant {code!r} in cohort {cohort!r}: check the code (it may already have been erased, "
            "or removed after the retention period)"
        )


class HubMisconfigured(BridgesError, ValueError):
    """A JupyterHub set-up for a cohort that cannot work or would be unsafe: where, what, and the fix."""

    fields = ("where", "what", "fix")

    def __init__(self, where: str, what: str, fix: str) -> None:
        self.where, self.what, self.fix = where, what, fix
        super().__init__(f"{where}: {what} ({fix})")
