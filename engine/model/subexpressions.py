"""The direct sub-expressions of an IR expression, for the walks over formulas (traces, period analysis)."""

from __future__ import annotations

from engine.model import ir


def children(e: ir.Expr) -> tuple[ir.Expr, ...]:
    if isinstance(e, ir.Unary):
        return (e.operand,)
    if isinstance(e, ir.Binary):
        return (e.left, e.right)
    if isinstance(e, ir.Cond):
        return (e.cond, e.then, e.otherwise)
    if isinstance(e, ir.Member):
        return (e.operand,)
    if isinstance(e, ir.Call):
        return e.args
    if isinstance(e, ir.AsOf):
        return (e.when,)
    if isinstance(e, ir.Lookup):
        return (e.table, e.key)
    if isinstance(e, ir.GetField):
        return (e.record,)
    if isinstance(e, ir.Aggregate):
        return tuple(x for x in (e.collection, e.where, e.body) if x is not None)
    return ()
