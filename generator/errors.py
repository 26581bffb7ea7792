"""One exception root, so the CLI can tell a user's mistake from a bug in cakupan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CakupanError(Exception):
    """Anything the user can fix: the CLI prints the message and exits non-zero."""

    exit_code = 1


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one input file, at one line and key."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class UsageError(CakupanError):
    """A command-line option or a project file is not what cakupan expects."""

    exit_code = 2


class DataError(CakupanError):
    """The data folder has problems; every one of them is listed."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        count = len(self.problems)
        head = f"{count} problem{'' if count == 1 else 's'} in the data"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the user would type it: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to((base or Path.cwd()).resolve()))
    except ValueError:
        return str(path)
