"""The formulas of a node and the direct sub-expressions of an IR expression, for the walks over formulas
(traces, period analysis)."""

from __future__ import annotations

from collections.abc import Iterator

from engine.model import ir


def formulas_of(node: ir.Node) -> Iterator[tuple[ir.Expr | None, tuple[ir.Expr | None, ...]]]:
    """Each rule of a node as (its formula, the conditions of its citations): a value's dated versions, a
    parameter's versions (no formula), a fact's presumption."""
    if isinstance(node, ir.ValueNode):
        for v in node.versions:
            yield v.expr, v.cite_when
    elif isinstance(node, ir.ParamNode):
        for pv in node.versions:
            yield None, pv.cite_when
    elif isinstance(node, ir.FactNode) and node.presumption is not None:
        yield node.presumption.expr, node.presumption.cite_when


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
