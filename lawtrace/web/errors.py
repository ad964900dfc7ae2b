"""Errors as JSON: every user mistake becomes a 4xx answer naming the field, never a stack trace.

An `ApiError` carries a status and a list of `FieldError`s. The engine's own
errors (a `SourceError` pointing into the request body, or several of them in
an `ErrorList`) are turned into field errors by looking up where they point:
the request body was parsed with the position of every key, so a span names
its field (`facts.FACT`, `cases[2].date`).
"""

from __future__ import annotations

from dataclasses import dataclass

from dsl.errors import ErrorList, LawtraceError, SourceError
from dsl.source import Span


@dataclass(frozen=True)
class FieldError:
    field: str | None  # a dotted path into the body, a query parameter, or None when it is the request as a whole
    message: str
    where: str = "body"  # body | query | path
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"field": self.field, "in": self.where, "message": self.message}
        if self.line:
            out["line"] = self.line
            out["column"] = self.column
        if self.hint:
            out["hint"] = self.hint
        return out


class ApiError(Exception):
    """An answer with a 4xx status and the errors that caused it."""

    def __init__(self, status: int, title: str, errors: list[FieldError]):
        super().__init__(title)
        self.status = status
        self.title = title
        self.errors = errors

    def as_json(self) -> dict[str, object]:
        return {"status": self.status, "title": self.title, "errors": [e.as_json() for e in self.errors]}


def field_errors(error: LawtraceError, marks: dict[str, Span], where: str = "body",
                 default_field: str | None = None) -> list[FieldError]:
    """The engine's error as field errors, each named by the key its span points at."""
    by_span = {(s.line, s.column): path for path, s in marks.items()}
    out = []
    for e in error.errors if isinstance(error, ErrorList) else (error,):
        if isinstance(e, SourceError):
            span = e.span
            path = by_span.get((span.line, span.column)) if span else None
            message = e.message
            head, sep, rest = message.partition(": ")
            if path is not None and sep and (path == head or path.endswith("." + head)):
                message = rest  # the engine names the field inside the case; the field is said apart here
            field = path if path is not None else default_field
            out.append(FieldError(field, message, where, span.line if span else None, span.column if span else None, e.hint))
        else:
            out.append(FieldError(default_field, str(e), where))
    return out


def single(status: int, title: str, field: str | None, message: str, where: str = "body") -> ApiError:
    return ApiError(status, title, [FieldError(field, message, where)])
