"""The facts the dates of a program's events are read from: what fixes the bounds of a stream.

Both evaluators use it: a monthly item whose payability is unknown only for want of these facts is owed up to
(or from) a day the case does not give (CONTRACT "Benefits over time": a bound whose date is unknown is null).
"""

from __future__ import annotations

import msgspec

from engine.model import ir

# whether a death happened at all (not its date): an item undetermined for want of them is undetermined, not bounded
NOT_BOUNDS = ("died", "died_after_suspension", "worker_died")


def bound_facts(program: ir.Program) -> frozenset[str]:
    """`event_facts` of the program: kept in it when the regime is compiled, worked out here for a program the
    compiler did not make (one a test assembles or alters)."""
    return program.event_facts if program.event_facts is not None else event_facts(program)


def event_facts(program: ir.Program) -> frozenset[str]:
    """The facts the events' dates are read from (through the values they go through).

    An event over a list (`for d in dependents`) reads its dates from the elements' fields; the list itself is not
    a bound: a list the case does not give leaves open whether anyone is owed at all, not when."""
    out: set[str] = set()
    seen: set[str] = set()

    def walk(e: object) -> None:
        if isinstance(e, ir.Ref):
            node = program.nodes.get(e.node)
            if isinstance(node, ir.FactNode):
                out.add(e.node)
            elif isinstance(node, ir.ValueNode) and node.kind == "value" and node.id not in seen:
                seen.add(node.id)
                for v in node.versions:
                    walk(v.expr)
            return
        if isinstance(e, ir.Expr):
            for value in msgspec.structs.astuple(e):
                for x in (value if isinstance(value, tuple) else (value,)):
                    walk(x)

    for ev in program.events:
        if ev.var is None:
            walk(program.nodes[ev.id].versions[0].expr)  # type: ignore[union-attr]
        else:
            walk(ev.date_expr(program))
    for fact in NOT_BOUNDS:
        out.discard(fact)
    return frozenset(out)
