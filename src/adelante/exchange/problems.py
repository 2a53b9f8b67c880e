"""What is wrong with an input file, one problem per cell, and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from adelante.errors import Invalid

#: The column named in a problem that concerns the whole file rather than one column.
WHOLE_FILE = "(file)"


@dataclass(frozen=True)
class Problem:
    """One problem, printed as ``file:line: column: reason``.

    `line` is the CSV line number or the XLSX row number; the header is line 1.
    """

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"


class ImportRejected(Invalid):
    """The file has problems, so nothing was imported."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.file, p.line)))
        super().__init__("\n".join(str(p) for p in self.problems))


class CellError(ValueError):
    """A cell's value is not acceptable; the message is the reason, for the user."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


class Problems:
    """Collects the problems of one file while it is checked."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._found: list[Problem] = []

    def add(self, line: int, column: str, reason: str) -> None:
        self._found.append(Problem(self.file, line, column, reason))

    def extend(self, found: Iterable[Problem]) -> None:
        """Add problems found earlier (while the file was read)."""
        self._found.extend(found)

    def __bool__(self) -> bool:
        return bool(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def raise_if_any(self) -> None:
        if self._found:
            raise ImportRejected(self._found)
