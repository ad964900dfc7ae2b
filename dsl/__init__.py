"""The lawtrace statute language: grammar, parser, AST with source spans, and errors."""

from dsl.errors import DslError, ErrorList, LawtraceError, SourceError
from dsl.parser import parse_file, parse_text
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
