"""Conditions: not, and, or, known, comparisons, ranges, sets, `otherwise` and `if`."""

from __future__ import annotations

from dsl import ast
from dsl import types as T
from dsl.errors import did_you_mean
from engine.build.typecheck_base import CheckerBase
from engine.build.typecheck_rules import (
    comparable,
    describe,
    is_context_dependent,
    unify,
)
from engine.model import ir


class Logic(CheckerBase):
    def _neg(self, e: ast.Neg, expected, scope) -> ir.Expr:
        inner = self._expr(e.operand, expected, scope)
        if not T.is_numeric(inner.type):
            raise self._fail(e, f"cannot negate {describe(inner.type)}")
        return ir.Unary(inner.type, e.span, "neg", inner)

    def _not(self, e: ast.Not, expected, scope) -> ir.Expr:
        inner = self._bool(e.operand, scope)
        return ir.Unary(T.BOOL, e.span, "not", inner)

    def _bool(self, e: ast.Expr, scope) -> ir.Expr:
        out = self._expr(e, T.BOOL, scope)
        if not isinstance(out.type, T.BoolType):
            raise self._fail(e, f"a condition must be true or false, but this is {describe(out.type)}")
        return out

    def _and(self, e: ast.And, expected, scope) -> ir.Expr:
        return ir.Binary(T.BOOL, e.span, "and", self._bool(e.left, scope), self._bool(e.right, scope))

    def _or(self, e: ast.Or, expected, scope) -> ir.Expr:
        return ir.Binary(T.BOOL, e.span, "or", self._bool(e.left, scope), self._bool(e.right, scope))

    def _iskNown(self, e, expected, scope):  # pragma: no cover - name mangling guard
        return self._isknown(e, expected, scope)

    def _isknown(self, e: ast.IsKnown, expected, scope) -> ir.Expr:
        return ir.Unary(T.BOOL, e.span, "known", self._expr(e.operand, None, scope))

    def _pair(self, left: ast.Expr, right: ast.Expr, expected, scope) -> tuple[ir.Expr, ir.Expr]:
        """Check two operands where a bare literal or enum member takes its type from the other side."""
        if is_context_dependent(left) and not is_context_dependent(right):
            r = self._expr(right, expected, scope)
            return self._expr(left, r.type, scope), r
        lt = self._expr(left, expected, scope)
        return lt, self._expr(right, lt.type, scope)

    def _compare(self, e: ast.Compare, expected, scope) -> ir.Expr:
        left, right = self._pair(e.left, e.right, None, scope)
        if not comparable(left.type, right.type, e.op):
            raise self._fail(e, f"cannot compare {describe(left.type)} with {describe(right.type)} using {e.op}")
        return ir.Binary(T.BOOL, e.span, e.op, left, right)

    def _inrange(self, e: ast.InRange, expected, scope) -> ir.Expr:
        operand = self._expr(e.operand, None, scope)
        if not isinstance(operand.type, T.IntType):
            raise self._fail(e, f"`in {e.low}..{e.high}` needs a whole number, not {describe(operand.type)}")
        return ir.Member(T.BOOL, e.span, operand, e.low, e.high, ())

    def _inset(self, e: ast.InSet, expected, scope) -> ir.Expr:
        operand = self._expr(e.operand, None, scope)
        allowed: tuple[str, ...]
        if isinstance(operand.type, T.EnumType):
            allowed = operand.type.values
        elif isinstance(operand.type, T.PartyType):
            allowed = T.PARTIES
        else:
            raise self._fail(e, f"`in {{...}}` needs an enum or a party, not {describe(operand.type)}")
        for m in e.members:
            if m not in allowed:
                raise self._fail(e, f"'{m}' is not one of {', '.join(allowed)}", did_you_mean(m, allowed))
        return ir.Member(T.BOOL, e.span, operand, None, None, e.members)

    def _otherwise(self, e: ast.Otherwise, expected, scope) -> ir.Expr:
        first, second = self._pair(e.first, e.second, expected, scope)
        t = unify(first.type, second.type)
        if t is None:
            raise self._fail(e, f"both sides of `otherwise` must have one type: {describe(first.type)} and {describe(second.type)}")
        return ir.Binary(t, e.span, "otherwise", first, second)

    def _if(self, e: ast.If, expected, scope) -> ir.Expr:
        cond = self._bool(e.cond, scope)
        then, other = self._pair(e.then, e.otherwise, expected, scope)
        t = unify(then.type, other.type)
        if t is None:
            raise self._fail(e, f"the two branches of `if` have different types: {describe(then.type)} and {describe(other.type)}")
        return ir.Cond(t, e.span, cond, then, other)
