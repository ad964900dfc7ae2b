"""The lawtrace statute language: grammar, parser, AST with source spans, and errors.

The parser (and Lark with it) is imported only when it is asked for: running a compiled program reads
`dsl.types`, `dsl.source` and `dsl.errors` and never parses.
"""

from __future__ import annotations

from typing import Any

from dsl.errors import DslError, ErrorList, LawtraceError, SourceError
from dsl.source import SourceFile, Span

__all__ = [
    "DslError",
    "ErrorList",
    "LawtraceError",
    "SourceError",
    "SourceFile",
    "Span",
    "parse_file",
    "parse_text",
]


def __getattr__(name: str) -> Any:
    if name in ("parse_file", "parse_text"):
        from dsl import parser

        return getattr(parser, name)
    raise AttributeError(f"module 'dsl' has no attribute {name!r}")
