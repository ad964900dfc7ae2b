"""Warnings that bear on an answer: a conflict between layers, a question the law leaves open."""

from __future__ import annotations

import msgspec

from dsl.source import Span
from engine.model.citations import Citation


class Diagnostic(msgspec.Struct, frozen=True):
    severity: str  # "warning" | "error"
    message: str
    citations: tuple[Citation, ...] = ()
    span: Span | None = None
    zh: str | None = None  # the message in Chinese (`message` is the English)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "severity": self.severity,
            "message": self.message,
            "citations": [c.as_json() for c in self.citations],
        }
        if self.zh:
            out["message_zh"] = self.zh
        if self.span is not None:
            out["span"] = self.span.as_json()
        return out
