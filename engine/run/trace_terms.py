"""The parts of a traced formula as data: each condition, choice and call with the value it had.

Guarantees: `term_tree` describes the formula a trace node used as a tree whose
inner terms are the conditions (`and`, `or`, `not`), choices (`if`,
`otherwise`) and calls (`clamp`, `max`, ...) of the formula, each with its
printed form, its type and the value the evaluator recorded for it (or
`"evaluated": false` where evaluation never reached it, e.g. after `false and`);
leaves name the nodes they read. `cited_articles` lists, once each, the article
texts of every citation a result mentions. Pure functions of the IR and trace; the shapes are the program's
(`ir.Program.formulas`, made by `engine.build.formula_texts`).
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.model import ir
from engine.model.citations import Citation
from engine.model.term_shapes import Shape
from engine.model.values import UNKNOWN, V, to_json


def term_tree(shape: Shape, recorded: dict[int, V], value: V) -> dict[str, object]:
    """The tree of a traced formula whose shape is `shape` (`engine.model.term_shapes`: everything of the tree
    that does not depend on the case, made when the regime was compiled), with the values the evaluator recorded
    (`recorded`: by id of the sub-expression); the root takes `value`."""
    return _fill(shape, recorded, value)


def _fill(shape: Shape, recorded: dict[int, V], value: V | None = None) -> dict[str, object]:
    v = value if value is not None else recorded.get(id(shape.sub))
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
