"""Warnings that bear on an answer: a conflict between layers, a question the law leaves open."""

from __future__ import annotations

from dataclasses import dataclass

from dsl.source import Span
from engine.model.citations import Citation


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "warning" | "error"
    message: str
    citations: tuple[Citation, ...] = ()
    span: Span | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "severity": self.severity,
            "message": self.message,
            "citations": [c.as_json() for c in self.citations],
        }
        if self.span is not None:
            out["span"] = self.span.as_json()
        return out
