"""Source files and spans: where in which file a construct was written."""

from __future__ import annotations

import functools
from pathlib import Path

import msgspec


class SourceFile(msgspec.Struct, frozen=True, dict=True):  # dict: room for the cached lines
    """A file's name as shown to users, and its text."""

    name: str
    text: str

    @classmethod
    def read(cls, path: Path, display: str | None = None) -> SourceFile:
        """The file's text; `UnicodeDecodeError` when it is not UTF-8 (the readers say so, naming the file)."""
        return cls(display or str(path), path.read_text(encoding="utf-8"))

    @functools.cached_property
    def _lines(self) -> list[str]:
        return self.text.splitlines()

    def line(self, number: int) -> str:
        lines = self._lines  # split once: a file with many errors is not re-split for each
        return lines[number - 1] if 0 < number <= len(lines) else ""


class Span(msgspec.Struct, frozen=True):
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
