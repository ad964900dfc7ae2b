"""Source files and spans: where in which file a construct was written."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceFile:
    """A file's name as shown to users, and its text."""

    name: str
    text: str

    @classmethod
    def read(cls, path: Path, display: str | None = None) -> SourceFile:
        return cls(display or str(path), path.read_text(encoding="utf-8"))

    @functools.cached_property
    def _lines(self) -> list[str]:
        return self.text.splitlines()

    def line(self, number: int) -> str:
        lines = self._lines  # split once: a file with many errors is not re-split for each
        return lines[number - 1] if 0 < number <= len(lines) else ""


@dataclass(frozen=True)
class Span:
    """A 1-based line and column range in a source file."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def as_json(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column}


NO_SPAN = Span("<builtin>", 0, 0, 0, 0)
