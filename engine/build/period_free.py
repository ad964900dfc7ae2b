"""Which nodes a benefit's periods cannot change: worked out once, when a regime is compiled, and kept in the
program (`ir.Program.period_free`), so that no run has to walk every formula again."""

from __future__ import annotations

from engine.model import ir
from engine.model.subexpressions import children, formulas_of


def period_free(nodes: dict[str, ir.Node]) -> frozenset[str]:
    """The nodes whose value `period_day` cannot change: no rule of theirs, nor of any node they read (through a
    dated version, a presumption or a citation's condition), calls it."""
    reads: dict[str, set[str]] = {}
    direct: set[str] = set()
    for node in nodes.values():
        exprs: list[ir.Expr | None] = []
        for expr, cite_when in formulas_of(node):
            exprs.append(expr)
            exprs.extend(cite_when)
        found: set[str] = set()
        stack = [e for e in exprs if e is not None]
        while stack:
            e = stack.pop()
            if isinstance(e, (ir.Ref, ir.AsOf)):
                found.add(e.node)
            elif isinstance(e, ir.Call) and e.func == "period_day":
                direct.add(node.id)
            stack.extend(children(e))
        reads[node.id] = found
    dependent: dict[str, bool] = {}

    def depends(n: str) -> bool:
        got = dependent.get(n)
        if got is None:
            dependent[n] = False  # the graph has no cycles (the compiler checks); this only stops a bad one
            got = dependent[n] = n in direct or any(depends(r) for r in reads.get(n, ()))
        return got

    return frozenset(n for n in nodes if not depends(n))
