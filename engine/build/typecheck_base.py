"""The checker's entry point and dispatch: each AST expression goes to the method named after its class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dsl import ast
from dsl import types as T
from dsl.errors import SourceError
from dsl.source import SourceFile
from engine.build.typecheck_rules import (
    Fail,
    assignable,
    describe,
)
from engine.model import ir


@dataclass
class CheckerBase:
    """Type-checks expressions against the nodes of one program."""


    node_types: dict[str, T.Type]
    param_ids: set[str]
    sources: dict[str, SourceFile]
    errors: list[SourceError] = field(default_factory=list)
    references: list[tuple[str, object]] = field(default_factory=list)  # (node id, span) of each Ref made

    def check(self, expr: ast.Expr, expected: T.Type | None = None, scope: dict[str, T.Type] | None = None) -> ir.Expr | None:
        """The typed expression, or None when an error was recorded."""
        try:
            out = self._expr(expr, expected, scope or {})
        except Fail:
            return None
        if expected is not None and not assignable(out, expected):
            self._error(expr, f"this formula gives {describe(out.type)}, but {describe(expected)} is declared")
            return None
        return out

    def _error(self, node: ast.Expr, message: str, hint: str | None = None) -> None:
        self.errors.append(SourceError(message, node.span, self.sources.get(node.span.file), hint))

    def _fail(self, node: ast.Expr, message: str, hint: str | None = None) -> Fail:
        self._error(node, message, hint)
        return Fail()

    def _expr(self, e: ast.Expr, expected: T.Type | None, scope: dict[str, T.Type]) -> ir.Expr:
        handler: Callable[..., ir.Expr] | None = getattr(self, "_" + type(e).__name__.lower(), None)
        if handler is None:  # pragma: no cover - every AST expression has a handler
            raise self._fail(e, f"cannot check {type(e).__name__}")
        return handler(e, expected, scope)
