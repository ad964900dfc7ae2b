"""The parts of a traced formula as data: each condition, choice and call with the value it had.

Guarantees: `term_tree` describes the formula a trace node used as a tree whose
inner terms are the conditions (`and`, `or`, `not`), choices (`if`,
`otherwise`) and calls (`clamp`, `max`, ...) of the formula, each with its
printed form, its type and the value the evaluator recorded for it (or
`"evaluated": false` where evaluation never reached it, e.g. after `false and`);
leaves name the nodes they read. `cited_articles` lists, once each, the article
texts of every citation a result mentions. Pure functions of the IR and trace.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from engine.model import ir
from engine.model.citations import Citation
from engine.model.printer import show
from engine.model.subexpressions import children
from engine.model.values import UNKNOWN, V, to_json


def term_tree(e: ir.Expr, recorded: dict[int, V], value: V, shapes: dict[int, Shape] | None = None) -> dict[str, object] | None:
    """The tree of `e` (the root takes `value`), or None when the formula has no condition, choice or call.

    `shapes` keeps, per expression, everything of its tree that does not depend on the case (the printed forms,
    the operators, the references): an evaluator passes its own, so that each formula is printed once, not once
    per case.
    """
    shape = shape_of(e, shapes if shapes is not None else {})
    return None if shape is None else _fill(shape, recorded, value)


@dataclass(frozen=True, slots=True)
class Shape:
    """The part of a term's tree that depends on the formula only."""

    key: int  # id() of the sub-expression: where the evaluator recorded its value
    expr: str
    type_text: str
    type: object
    op: str | None  # a condition, choice or call; None for the others
    func: str | None
    args: tuple[Shape, ...]
    refs: tuple[str, ...]


def shape_of(e: ir.Expr, shapes: dict[int, Shape]) -> Shape | None:
    """`e`'s shape (memoized in `shapes`, which must live no longer than the program), or None when its tree would
    say nothing: no condition, choice or call in it."""
    key = id(e)
    if key in shapes:
        return shapes[key]
    shape = _shape(e) if structured(e) or _structured_below(e) else None
    shapes[key] = shape  # type: ignore[assignment]
    return shape


def _shape(e: ir.Expr) -> Shape:
    if structured(e):
        return Shape(id(e), show(e), str(e.type), e.type, _op(e), e.func if isinstance(e, ir.Call) else None,
                     tuple(_shape(a) for a in _operands(e)), ())
    return Shape(id(e), show(e), str(e.type), e.type, None, None, tuple(_shape(a) for a in _structured_below(e)),
                 tuple(dict.fromkeys(references(e))))


def _fill(shape: Shape, recorded: dict[int, V], value: V | None = None) -> dict[str, object]:
    v = value if value is not None else recorded.get(shape.key)
    out: dict[str, object]
    if v is None:
        out = {"expr": shape.expr, "type": shape.type_text, "value": None, "known": False, "evaluated": False}
    elif v.value is UNKNOWN:
        out = {"expr": shape.expr, "type": shape.type_text, "value": None, "known": False,
               "missing": sorted(v.missing)}
    else:
        x = v.value
        out = {"expr": shape.expr, "type": shape.type_text,
               "value": x if x.__class__ is bool else to_json(x, shape.type), "known": True}  # type: ignore[arg-type]
    if shape.op is not None:
        out["op"] = shape.op
        if shape.func is not None:
            out["func"] = shape.func
        out["args"] = [_fill(a, recorded) for a in shape.args]
    else:
        if shape.args:
            out["args"] = [_fill(a, recorded) for a in shape.args]
        if shape.refs:
            out["refs"] = list(shape.refs)
    return out


def structured(e: ir.Expr) -> bool:
    """Conditions, choices and calls: the expressions whose parts the evaluator records and explanations show."""
    if isinstance(e, ir.Binary):
        return e.op in ("and", "or", "otherwise")
    if isinstance(e, ir.Unary):
        return e.op == "not"
    return isinstance(e, ir.Cond) or (isinstance(e, ir.Call) and e.func not in ("case_date", "evaluation_date", "period_day"))


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


def cited_articles(program: ir.Program, citations: Iterable[Citation]) -> list[dict[str, object]]:
    """The text of each article cited, once, in the order of the program's instruments, versions and numbers."""
    keys = {c.article_key() for c in citations}
    order = {i.code: n for n, i in enumerate(program.instruments)}
    out = []
    for code, version, number in sorted(keys, key=lambda k: (order.get(k[0], len(order)), k[0], k[1] or "", k[2])):
        a = program.articles.get((code, version, number))
        entry: dict[str, object] = {"instrument": code, "version": version, "article": number,
                                    "status": a.status if a is not None else "unavailable",
                                    "text": a.text if a is not None and a.status != "unavailable" else None,
                                    "gloss": a.gloss if a is not None else None}
        out.append(entry)
    return out
