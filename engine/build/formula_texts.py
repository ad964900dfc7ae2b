"""What a trace prints of each formula of a program, made when the regime is compiled and kept in the program
(`ir.Program.formulas`): no process has to print and shape every formula its first result traces again (~10 ms).

The records (`engine.model.term_shapes`) hold the formulas and their sub-expressions themselves, shared with the
nodes; equal texts are one string object, so the cache entry stores each once.
"""

from __future__ import annotations

import re

from engine.model import ir
from engine.model.printer import show
from engine.model.subexpressions import children, formulas_of
from engine.model.term_shapes import FormulaText, Shape, structured

# a name a formula's text writes: a node, or an entry's field (`d.birth_date`)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?")


def formula_texts(nodes: dict[str, ir.Node]) -> tuple[FormulaText, ...]:
    """Every formula of the nodes (dated versions and presumptions; a citation's condition is never traced), once."""
    maker = Maker(nodes)
    out: dict[int, FormulaText] = {}
    for node in nodes.values():
        for expr, _ in formulas_of(node):
            if expr is not None and id(expr) not in out:
                out[id(expr)] = maker.formula(expr)
    return tuple(out.values())


class Maker:
    """Makes the records of a program's formulas, each sub-expression's shape once and each distinct text once."""

    def __init__(self, nodes: dict[str, ir.Node] | None = None) -> None:
        self.strings: dict[str, str] = {n: n for n in nodes or ()}  # the node ids' own strings: names are mostly those
        self.shapes: dict[int, Shape] = {}

    def formula(self, e: ir.Expr) -> FormulaText:
        text = self._text(show(e))
        shape = self._shape(e) if structured(e) or _structured_below(e) else None
        texts = [text]
        stack = [shape]
        while stack:
            s = stack.pop()
            if s is not None:
                texts.append(s.expr)
                stack.extend(s.args)
        names = frozenset(self._text(m.group(0)) for t in texts for m in _IDENT.finditer(t))
        return FormulaText(e, text, shape, names)

    def _text(self, s: str) -> str:
        return self.strings.setdefault(s, s)

    def _shape(self, e: ir.Expr) -> Shape:
        got = self.shapes.get(id(e))
        if got is not None:
            return got
        if structured(e):
            shape = Shape(e, self._text(show(e)), self._text(str(e.type)), e.type, _op(e),
                          e.func if isinstance(e, ir.Call) else None, tuple(self._shape(a) for a in _operands(e)), ())
        else:
            shape = Shape(e, self._text(show(e)), self._text(str(e.type)), e.type, None, None,
                          tuple(self._shape(a) for a in _structured_below(e)),
                          tuple(self._text(r) for r in dict.fromkeys(references(e))))
        self.shapes[id(e)] = shape
        return shape


def _op(e: ir.Expr) -> str:
    if isinstance(e, ir.Binary):
        return e.op
    if isinstance(e, ir.Unary):
        return "not"
    if isinstance(e, ir.Cond):
        return "if"
    return "call"


def _operands(e: ir.Expr) -> list[ir.Expr]:
    """The direct operands; a chain `a and b and c` is flattened to its three conditions."""
    if isinstance(e, ir.Binary) and e.op in ("and", "or"):
        out: list[ir.Expr] = []
        for side in (e.left, e.right):
            if isinstance(side, ir.Binary) and side.op == e.op:
                out.extend(_operands(side))
            else:
                out.append(side)
        return out
    return list(children(e))


def _structured_below(e: ir.Expr) -> list[ir.Expr]:
    """The outermost conditions, choices and calls inside an expression that is none of them, left to right.

    Not inside an aggregate: there they take one value per record, and none is recorded.
    """
    if isinstance(e, ir.Aggregate):
        return []
    out = []
    stack = list(reversed(children(e)))
    while stack:
        c = stack.pop()
        if structured(c):
            out.append(c)
        elif not isinstance(c, ir.Aggregate):
            stack.extend(reversed(children(c)))
    return out


def references(e: ir.Expr) -> list[str]:
    """The node ids an expression reads, in the order they appear."""
    out = []
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, (ir.Ref, ir.AsOf)):
            out.append(x.node)
        stack.extend(reversed(children(x)))
    return out
