"""Arithmetic, table lookups, list fields and aggregates over lists."""

from __future__ import annotations

from dsl import ast
from dsl import types as T
from dsl.errors import did_you_mean
from engine.build.typecheck_base import CheckerBase
from engine.build.typecheck_rules import (
    arithmetic,
    describe,
    unify,
)
from engine.model import ir


class Data(CheckerBase):
    def _binop(self, e: ast.BinOp, expected, scope) -> ir.Expr:
        if e.op in "+-":
            left, right = self._pair(e.left, e.right, expected, scope)
        else:  # a bare number multiplies or divides as a plain number, never as money
            left, right = self._expr(e.left, None, scope), self._expr(e.right, None, scope)
        t = arithmetic(e.op, left.type, right.type)
        if t is None:
            verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}[e.op]
            raise self._fail(e, f"cannot {verb} {describe(left.type)} and {describe(right.type)}")
        return ir.Binary(t, e.span, e.op, left, right)

    def _lookup(self, e: ast.Lookup, expected, scope) -> ir.Expr:
        table = self._expr(e.table, None, scope)
        if not isinstance(table.type, T.TableType):
            raise self._fail(e, f"only a table can be looked up with [...], not {describe(table.type)}")
        key = self._expr(e.key, table.type.key, scope)
        if unify(key.type, table.type.key) is None:
            raise self._fail(e.key, f"this table is keyed by {describe(table.type.key)}, not {describe(key.type)}")
        return ir.Lookup(table.type.value, e.span, table, key)

    def _field(self, e: ast.Field, expected, scope) -> ir.Expr:
        dotted = f"{e.record.name}.{e.name}" if isinstance(e.record, ast.Name) else None
        if dotted in self.node_types and e.record.name not in scope:  # type: ignore[union-attr]
            self.references.append((dotted, e.span))  # an item's field: `one_time_medical_subsidy.amount`
            return ir.Ref(self.node_types[dotted], e.span, dotted)  # type: ignore[index, arg-type]
        record = self._expr(e.record, None, scope)
        if not isinstance(record.type, T.RecordType):
            raise self._fail(e, f"`.{e.name}` needs a record, not {describe(record.type)}")
        f = record.type.of.field(e.name)
        if f is None:
            names = [x.name for x in record.type.of.fields]
            raise self._fail(e, f"a record here has no field '{e.name}'", did_you_mean(e.name, names))
        return ir.GetField(f.type, e.span, record, e.name)

    def _aggregate(self, e: ast.Aggregate, expected, scope) -> ir.Expr:
        collection = self._expr(e.collection, None, scope)
        if not isinstance(collection.type, T.ListType):
            raise self._fail(e, f"`{e.kind}(... in ...)` goes over a list, not {describe(collection.type)}")
        inner = dict(scope)
        inner[e.var] = T.RecordType(collection.type)
        where = self._bool(e.where, inner) if e.where is not None else None
        if e.kind == "count":
            return ir.Aggregate(T.INT, e.span, "count", e.var, collection, where, None)
        body = self._expr(e.body, expected, inner)
        if not T.is_numeric(body.type):
            raise self._fail(e, f"`sum` adds numbers, not {describe(body.type)}")
        return ir.Aggregate(body.type, e.span, "sum", e.var, collection, where, body)
