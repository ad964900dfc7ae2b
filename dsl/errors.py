"""One hierarchy for every error a user can cause, each rendered with its place.

A `SourceError` points into a DSL or case file (file:line:col, the line and a
caret). A `DslError` is the general user error with no position (a missing
file, say). Checks collect errors into an `ErrorList` and raise it once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dsl.source import SourceFile, Span


class LawtraceError(Exception):
    """Base of every error caused by the user's input; the CLI turns it into exit code 1."""

    def render(self) -> str:
        return str(self)

    def as_json(self) -> list[dict[str, object]]:
        return [{"severity": "error", "message": str(self)}]


class DslError(LawtraceError):
    """A user error with no position in a source file."""


class SourceError(LawtraceError):
    """A user error at a place in a source file (DSL or case file).

    Written out rather than a dataclass (equal by its fields, as one was): every command imports this module, and a
    dataclass is made by `exec` at import."""

    def __init__(self, message: str, span: Span | None, source: SourceFile | None = None, hint: str | None = None,
                 related: tuple[tuple[str, Span], ...] = ()) -> None:
        super().__init__(message)
        self.message, self.span, self.source, self.hint, self.related = message, span, source, hint, related

    def _fields(self) -> tuple[object, ...]:
        return (self.message, self.span, self.source, self.hint, self.related)

    def __eq__(self, other: object) -> bool:
        return self._fields() == other._fields() if type(other) is type(self) else NotImplemented  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(message={self.message!r}, span={self.span!r}, source={self.source!r}, "
                f"hint={self.hint!r}, related={self.related!r})")

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        head = f"{self.span}: error: {self.message}" if self.span else f"error: {self.message}"
        lines = [head]
        lines.extend(_excerpt(self.source, self.span))
        for label, span in self.related:
            lines.append(f"  {span}: {label}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def as_json(self) -> list[dict[str, object]]:
        entry: dict[str, object] = {"severity": "error", "message": self.message}
        if self.span:
            entry["span"] = self.span.as_json()
        if self.hint:
            entry["hint"] = self.hint
        return [entry]


class ErrorList(LawtraceError):
    """Several errors found by one check, reported together."""

    def __init__(self, errors: Sequence[LawtraceError]):
        self.errors = tuple(errors)
        super().__init__(self.render())

    def render(self) -> str:
        body = "\n".join(e.render() for e in self.errors)
        count = len(self.errors)
        return f"{body}\n{count} error{'s' if count != 1 else ''} found"

    def as_json(self) -> list[dict[str, object]]:
        return [entry for e in self.errors for entry in e.as_json()]


def _excerpt(source: SourceFile | None, span: Span | None) -> list[str]:
    if source is None or span is None or span.line <= 0:
        return []
    text = source.line(span.line)
    if not text:
        return []
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = min(span.end_column - span.column, EXCERPT)
    column = span.column
    if len(text) > EXCERPT:  # a window around the column: a long line is never printed whole
        start = max(0, column - 1 - EXCERPT // 2)
        text = ("…" if start else "") + text[start:start + EXCERPT] + ("…" if start + EXCERPT < len(text) else "")
        column = column - start + (1 if start else 0)
    span = Span(span.file, span.line, column, span.end_line, column + width)
    gutter = f"{span.line:>4} | "
    caret = " " * (len(gutter) - 2) + "| " + _pad(text, span.column - 1) + "^" * width
    return [gutter + text, caret]


EXCERPT = 120  # characters of a source line shown under an error


def _pad(text: str, columns: int) -> str:
    """Spaces under `columns` characters of `text`, two for each wide (CJK) character."""
    out = []
    for ch in text[:columns]:
        if ch == "\t":
            out.append("\t")
        elif ord(ch) > 0x2E80:
            out.append("  ")
        else:
            out.append(" ")
    return "".join(out)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest known names, or None when nothing is close."""
    import difflib  # only when a name is wrong

    close = difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def raise_collected(errors: Sequence[LawtraceError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ErrorList(errors)
