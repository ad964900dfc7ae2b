"""Literals and names: numbers, percentages, dates, booleans, references, `undetermined`."""

from __future__ import annotations

from dsl import ast
from dsl import types as T
from dsl.errors import did_you_mean
from engine.build.typecheck_base import CheckerBase
from engine.build.typecheck_rules import (
    BUILTIN_NAMES,
)
from engine.model import ir


class Terms(CheckerBase):
    def _number(self, e: ast.Number, expected, scope) -> ir.Expr:
        if expected is not None and isinstance(expected, T.MoneyType):
            return ir.Const(T.MONEY, e.span, e.value)
        return ir.Const(T.INT if e.is_int else T.RATE, e.span, e.value)

    def _percent(self, e: ast.Percent, expected, scope) -> ir.Expr:
        return ir.Const(T.RATE, e.span, e.value)

    def _datelit(self, e: ast.DateLit, expected, scope) -> ir.Expr:
        return ir.Const(T.DATE, e.span, e.value)

    def _boollit(self, e: ast.BoolLit, expected, scope) -> ir.Expr:
        return ir.Const(T.BOOL, e.span, e.value)

    def _name(self, e: ast.Name, expected, scope) -> ir.Expr:
        if e.name in scope:
            return ir.Local(scope[e.name], e.span, e.name)
        if e.name in BUILTIN_NAMES:
            return ir.Call(T.DATE, e.span, e.name, ())
        if e.name in self.node_types:
            self.references.append((e.name, e.span))
            return ir.Ref(self.node_types[e.name], e.span, e.name)
        if isinstance(expected, T.EnumType) and e.name in expected.values:
            return ir.Const(expected, e.span, e.name)
        if (expected is None or isinstance(expected, T.PartyType)) and e.name in T.PARTIES:
            return ir.Const(T.PARTY, e.span, e.name)
        candidates = list(self.node_types) + list(scope)
        if isinstance(expected, T.EnumType):
            candidates += list(expected.values)
            raise self._fail(e, f"'{e.name}' is not one of {', '.join(expected.values)}", did_you_mean(e.name, candidates))
        raise self._fail(e, f"unknown name '{e.name}'", did_you_mean(e.name, candidates + list(T.PARTIES)))

    def _undetermined(self, e: ast.Undetermined, expected, scope) -> ir.Expr:
        if expected is None:
            raise self._fail(e, "undetermined(...) takes its type from where it stands: use it as a branch of `if` "
                                "or as a rule's whole formula")
        return ir.Undetermined(expected, e.span, e.reason)
