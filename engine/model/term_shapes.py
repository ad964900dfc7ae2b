"""What a trace prints of a formula, whatever the case: its text, the shape of its tree of terms, the names it writes.

Made once, when a regime is compiled (`engine.build.formula_texts`), and kept in the program
(`ir.Program.formulas`), so that no process prints every formula it traces again. A shape holds its
sub-expression itself, not `id()` of it: an id would not survive the cache, where pickle keeps the reference
shared with the program's own formula, so the evaluator's values (recorded by `id()` of the sub-expression while a
case is evaluated) are found under `id(shape.sub)` in a loaded program as in a compiled one.
"""

from __future__ import annotations

import msgspec

from dsl.types import Type
from engine.model import ir


class Shape(msgspec.Struct, frozen=True):
    """The part of a term's tree that depends on the formula only (`engine.run.trace_terms` fills in the values)."""

    sub: ir.Expr  # the sub-expression: the evaluator records its value under id(sub)
    expr: str
    type_text: str
    type: Type
    op: str | None  # a condition, choice or call; None for the others
    func: str | None
    args: tuple[Shape, ...]
    refs: tuple[str, ...]


class FormulaText(msgspec.Struct, frozen=True):
    """One formula of a program (a dated version's or a presumption's), as its trace shows it."""

    expr: ir.Expr  # the formula itself, shared with the node that holds it
    text: str  # `engine.model.printer.show(expr)`
    shape: Shape | None  # None when its tree would say nothing: no condition, choice or call in it
    names: frozenset[str]  # the names its text and its terms' texts write (the labels a trace gives)


def structured(e: ir.Expr) -> bool:
    """Conditions, choices and calls: the expressions whose parts the evaluator records and explanations show."""
    kind = type(e)  # the IR's classes are final: compared by identity, this runs once per sub-expression compiled
    if kind is ir.Binary:
        return e.op in _CHOICES  # type: ignore[attr-defined]
    if kind is ir.Unary:
        return e.op == "not"  # type: ignore[attr-defined]
    return kind is ir.Cond or (kind is ir.Call and e.func not in _DATES)  # type: ignore[attr-defined]


_CHOICES = frozenset(("and", "or", "otherwise"))
_DATES = frozenset(("case_date", "evaluation_date", "period_day"))  # calls of the case's own dates: read, not judged
