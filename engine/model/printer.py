"""A stable text form of IR expressions, in the DSL's own syntax: for traces, explanations and golden tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dsl import types as T
from dsl.texts import zh_of
from engine.model import ir

_PRECEDENCE = {"otherwise": 1, "or": 2, "and": 3, "==": 5, "!=": 5, "<": 5, "<=": 5, ">": 5, ">=": 5,
               "+": 6, "-": 6, "*": 7, "/": 7}


def show(e: ir.Expr) -> str:
    return _show(e, 0)


def _show(e: ir.Expr, outer: int) -> str:
    if isinstance(e, ir.Const):
        return show_const(e.value, e.type)
    if isinstance(e, ir.Ref):
        return e.node
    if isinstance(e, ir.Local):
        return e.name
    if isinstance(e, ir.Unary):
        if e.op == "neg":
            return "-" + _show(e.operand, 8)
        if e.op == "not":
            return _wrap("not " + _show(e.operand, 4), 4, outer)
        return _wrap(_show(e.operand, 6) + " is known", 5, outer)
    if isinstance(e, ir.Binary):
        p = _PRECEDENCE[e.op]
        return _wrap(f"{_show(e.left, p)} {e.op} {_show(e.right, p + 1)}", p, outer)
    if isinstance(e, ir.Cond):
        return _wrap(f"if {_show(e.cond, 0)} then {_show(e.then, 0)} else {_show(e.otherwise, 0)}", 0, outer if outer else -1)
    if isinstance(e, ir.Member):
        rhs = f"{e.low}..{e.high}" if e.low is not None else "{" + ", ".join(e.members) + "}"
        return _wrap(f"{_show(e.operand, 6)} in {rhs}", 5, outer)
    if isinstance(e, ir.Call) and not e.args and e.func in ("case_date", "evaluation_date", "period_day"):
        return e.func
    if isinstance(e, ir.Call):
        return f"{e.func}({', '.join(_show(a, 0) for a in e.args)})"
    if isinstance(e, ir.AsOf):
        return f"as_of({e.node}, {_show(e.when, 0)})"
    if isinstance(e, ir.Lookup):
        return f"{_show(e.table, 9)}[{_show(e.key, 0)}]"
    if isinstance(e, ir.GetField):
        return f"{_show(e.record, 9)}.{e.name}"
    if isinstance(e, ir.Aggregate):
        where = f" where {_show(e.where, 0)}" if e.where is not None else ""
        if e.kind == "count":
            return f"count({e.var} in {_show(e.collection, 0)}{where})"
        assert e.body is not None
        return f"sum({e.var} in {_show(e.collection, 0)}{where}: {_show(e.body, 0)})"
    if isinstance(e, ir.Undetermined):
        zh = zh_of(e.reason)
        return f'undetermined("{zh}" en "{e.reason}")' if zh else f'undetermined("{e.reason}")'
    raise TypeError(type(e).__name__)  # pragma: no cover


def _wrap(text: str, own: int, outer: int) -> str:
    return f"({text})" if own < outer else text


def show_value(value: object, t: T.Type) -> str:
    """A parameter's value: a constant, or a table as `{key: value, ...}`."""
    if isinstance(value, dict) and isinstance(t, T.TableType):
        return "{" + ", ".join(f"{show_const(k, t.key)}: {show_const(v, t.value)}" for k, v in value.items()) + "}"
    return show_const(value, t)


def show_const(value: object, t: T.Type) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if isinstance(t, T.RateType):
            return f"{(value * 100).normalize():f}%"
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def show_program(program: ir.Program) -> str:
    """Every node of a program with its versions, formulas and citations: the IR as text, stable for golden tests."""
    lines = [f"regime {program.regime}"]
    for node in sorted(program.nodes.values(), key=lambda n: n.id):
        cites = ", ".join(c.dsl() for c in node.cites)
        lines.append(f"{node.kind} {node.id}: {node.type}  [{cites}]")
        if isinstance(node, ir.FactNode) and node.presumption is not None:
            p = node.presumption
            lines.append(f"  presumed = {show(p.expr)}  ({p.kind}; {', '.join(c.dsl() for c in p.cites)})")
        if isinstance(node, ir.ParamNode):
            for pv in node.versions:
                lines.append(f"  from {pv.start.isoformat()}: {show_value(pv.value, node.type)}")
        if isinstance(node, ir.ValueNode):
            for v in node.versions:
                start = f"from {v.start.isoformat()}: " if v.start is not None else ""
                lines.append(f"  {start}= {show(v.expr)}")
                for c, when in zip(v.cites, v.cite_when or (None,) * len(v.cites)):
                    if when is not None:
                        lines.append(f"    cite {c.dsl()} when {show(when)}")
    return "\n".join(lines) + "\n"
