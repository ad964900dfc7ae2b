"""The compiled IR as SMT terms (Z3): every node's three-valued value over every case the bounds allow.

Guarantees: each node is translated from the same `ir.Program` the evaluators run, construct by construct as
`engine.evaluate` interprets it (no rule is re-encoded by hand). A value is a `Sym`: whether it is known, its value,
whether (when unknown) it names a missing fact, and whether (when unknown) the law is silent (an `undetermined`, a rule
not in force, a division by zero, a table without the entry, a parameter past its `until`). Money is rounded half up to the fen at every
money-valued node exactly where the evaluator rounds; rates are exact rationals; parameters and dated rules are
case splits on the date; dates are day numbers; list facts are unrolled to `Bounds.list_bound` records. A construct
with no exact translation (the official calendar, calendar arithmetic) is abstracted by a fresh value constrained
only by what is certain (unknown when an argument is unknown), and recorded by name in `abstractions`: a proof over
it stays sound, a counterexample through it must be confirmed by the evaluator. `period_day` is unknown, naming
nothing, where the case is judged as a whole, and a given day in `Encoder.at` (the period walk: `streams`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from fractions import Fraction

import msgspec
import z3

from dsl import types as T
from engine.model import ir
from engine.prove.encode_calls import CallTerms
from engine.prove.terms import (_MONEY_MAX, FALSE, SILENT, TRUE, Abstraction, Bounds, FactVars, ListSym, Record,
                                Space, Sym, Untranslatable, _all, _any, _arith, _coerce, _eq, _merge_value, _num,
                                _whole_times, choose, ite, known, unknown)

__all__ = ["WHOLE", "Abstraction", "Bounds", "Encoder", "FactVars", "ListSym", "Record", "Space", "Sym", "Untranslatable",
           "known", "unknown", "FALSE", "TRUE", "_all", "_any", "ite"]


# `period_day` when the case is judged as a whole (`engine.run.evaluate._period_day`): unknown, naming no fact,
# with no diagnostic
WHOLE = Sym(FALSE, None, FALSE, FALSE)


class Encoder(CallTerms):
    """Translates the nodes of one program, lazily and once each; facts are shared with other encoders of `Space`.

    A root encoder judges the case as a whole (`period_day` unknown). `at(day)` gives the encoder of the same
    program judged on one day (`engine.run.periods`): it translates anew only the nodes that read `period_day`,
    and takes every other node from its root. `scoped(named)` gives a root whose `missing` says whether an unknown
    value names one of the facts `named` (the evaluator's set of missing facts, asked about one subset)."""

    def __init__(self, program: ir.Program, space: Space, tag: str, *, named: frozenset[str] | None = None,
                 parent: Encoder | None = None, day: Sym = WHOLE, books: Encoder | None = None):
        self.program = program
        self.space = space
        self.tag = tag  # the program's name in the comparison (its abstractions' fresh values are `Space.calls`)
        self.named = named  # the facts (and `as_of`) whose absence `missing` reports; None: every one
        self.parent = parent
        self.day = day  # the value of `period_day`
        self.cache: dict[str, Sym] = {}
        self._stack: list[str] = []
        self._days: dict[int, Encoder] = {}
        self._scoped: dict[frozenset[str], Encoder] = {}
        self.span_days: list | None = None  # the days the case's spans may start on (engine.prove.streams)
        books = books or parent  # one bookkeeping for the program, whatever day it is judged on
        self.deps: dict[str, set[str]] = books.deps if books else {}
        self.abstractions: dict[str, list[Abstraction]] = books.abstractions if books else {}
        self.instances: list = books.instances if books else []  # the abstracted calls (Instance), for `lemmas`
        self.timed = books.timed if books else timed_nodes(program)

    def at(self, day: z3.ArithRef) -> Encoder:
        """This program judged on `day` (a day number): `period_day` is known and is `day`."""
        assert self.parent is None, "a day is judged from the root encoder"
        key = day.get_id()
        hit = self._days.get(key)
        if hit is None:
            hit = self._days[key] = Encoder(self.program, self.space, self.tag, named=self.named, parent=self,
                                            day=known(day))
        return hit

    def scoped(self, named: frozenset[str]) -> Encoder:
        """A root encoder of the same program whose `missing` reports only the absence of the facts `named`."""
        assert self.parent is None
        hit = self._scoped.get(named)
        if hit is None:
            hit = self._scoped[named] = Encoder(self.program, self.space, self.tag, named=named, books=self)
        return hit

    def names(self, fact: str) -> bool:
        """Whether `missing` reports the absence of `fact`."""
        return self.named is None or fact in self.named

    # ------------------------------------------------------------ nodes

    def node(self, node_id: str) -> Sym:
        if self._stack:
            self.deps.setdefault(self._stack[-1], set()).add(node_id)
        if self.parent is not None and node_id not in self.timed:  # the same on every day: the root's
            return self.parent.node(node_id)
        hit = self.cache.get(node_id)
        if hit is not None:
            return hit
        n = self.program.nodes[node_id]
        self._stack.append(node_id)
        try:
            if isinstance(n, ir.FactNode):
                s = self._fact(n)
            elif isinstance(n, ir.ParamNode):
                s = self._param(n, self.space.date)
            else:
                assert isinstance(n, ir.ValueNode)
                s = self._value(n)
        finally:
            self._stack.pop()
        if isinstance(n.type, T.MoneyType) and s.value is not None:
            # beyond what the engine holds exactly (dsl.bounds.MONEY_MAX): undetermined, with an error said
            over = z3.Or(s.value > _MONEY_MAX, s.value < -_MONEY_MAX)
            s = Sym(z3.And(s.known, z3.Not(over)), self._to_fen(s.value, n), s.missing,
                    z3.Or(s.silent, z3.And(s.known, over)))
        self.cache[node_id] = s
        return s

    def cone(self, roots: list[str]) -> set[str]:
        """The nodes the roots read, transitively (as translated)."""
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            stack.extend(self.deps.get(x, ()))
        return seen

    def abstractions_under(self, roots: list[str]) -> list[Abstraction]:
        return [a for n in sorted(self.cone(roots)) for a in self.abstractions.get(n, [])]

    def _fact(self, n: ir.FactNode) -> Sym:
        fv = self.space.fact(n)
        p = n.presumption
        named = self.names(n.id)
        value = fv.value
        if isinstance(value, ListSym) and not named:  # a field absent from a record names the list fact: not here
            value = ListSym(value.length, [Record({k: Sym(f.known, f.value, FALSE, f.silent)
                                                   for k, f in r.fields.items()}) for r in value.records])
        if p is None:
            return Sym(fv.given, value, z3.Not(fv.given) if named else FALSE, FALSE)
        pres = self.expr(p.expr, {})
        # unknown: the presumption's missing facts and the fact itself (`Evaluation._fact`)
        return Sym(z3.Or(fv.given, pres.known), _merge_value(fv.given, value, pres.value),
                   z3.And(z3.Not(fv.given), z3.Not(pres.known), TRUE if named else pres.missing), FALSE)

    def _param(self, n: ir.ParamNode, on: z3.ArithRef) -> Sym:
        if isinstance(n.type, T.TableType):
            raise Untranslatable(n.id, "a table read whole (not looked up)", n.span)
        out = SILENT  # no version in force on the date
        for v in reversed(n.versions):  # oldest first, so the newest in force wins
            # after the parameter's `until`: no figure (a warning says so), never the last one carried on
            value = SILENT if _not_shipped(v.value) else known(self._literal(v.value, n.type, n))
            out = choose(on >= self.space.day(v.start), value, out)
        return out

    def _value(self, n: ir.ValueNode) -> Sym:
        versions = n.versions
        if versions[0].start is None:
            return self.expr(versions[0].expr, {})
        out = SILENT
        for v in reversed(versions):
            assert v.start is not None
            out = choose(self.space.date >= self.space.day(v.start), self.expr(v.expr, {}), out)
        return out

    def _literal(self, value: object, t: T.Type, n: ir.Node) -> object:
        if isinstance(value, bool):
            return z3.BoolVal(value)
        if isinstance(value, Decimal):
            return _num(value)
        if isinstance(value, date):
            return self.space.day(value)
        if isinstance(value, str):
            return self.space.code(value)
        raise Untranslatable(n.id, f"a literal of type {type(value).__name__}", n.span)

    def _to_fen(self, x: z3.ArithRef, n: ir.Node) -> z3.ArithRef:
        """Half up to the fen, as `engine.values.to_fen` (half away from zero)."""
        c = z3.simplify(x)
        if z3.is_rational_value(c):
            f = Fraction(c.as_fraction()) * 100
            whole = int(abs(f) + Fraction(1, 2))
            return z3.RealVal(Fraction(whole if f >= 0 else -whole, 100))
        if _whole_times(x, Fraction(100)):  # a whole number of fen by construction: nothing to round
            return x
        y = x * 100
        k = z3.ToInt(y)
        frac = y - z3.ToReal(k)
        up = z3.If(y >= 0, frac >= z3.RealVal(Fraction(1, 2)), frac > z3.RealVal(Fraction(1, 2)))
        return z3.ToReal(z3.If(up, k + 1, k)) / 100

    # ------------------------------------------------------------ expressions

    def expr(self, e: ir.Expr, env: dict[str, Record]) -> Sym:
        method = getattr(self, "_" + type(e).__name__.lower(), None)
        if method is None:
            raise Untranslatable(self._here(), f"the construct {type(e).__name__}", e.span)
        return method(e, env)

    def _here(self) -> str:
        return self._stack[-1] if self._stack else "?"

    def _const(self, e: ir.Const, env) -> Sym:
        v = e.value
        if isinstance(v, bool):
            return known(z3.BoolVal(v))
        if isinstance(v, (Decimal, int)):
            return known(_num(v))
        if isinstance(v, date):
            return known(self.space.day(v))
        if isinstance(v, str):
            return known(self.space.code(v))
        raise Untranslatable(self._here(), f"a constant {v!r}", e.span)

    def _ref(self, e: ir.Ref, env) -> Sym:
        return self.node(e.node)

    def _local(self, e: ir.Local, env) -> Sym:
        raise Untranslatable(self._here(), f"a whole record `{e.name}` used as a value", e.span)

    def _unary(self, e: ir.Unary, env) -> Sym:
        a = self.expr(e.operand, env)
        if e.op == "known":
            return known(a.known)
        if e.op == "not":
            return Sym(a.known, z3.Not(a.value) if a.value is not None else None, a.missing, a.silent)
        return Sym(a.known, -a.value if a.value is not None else None, a.missing, a.silent)

    def _binary(self, e: ir.Binary, env) -> Sym:
        a, b = self.expr(e.left, env), self.expr(e.right, env)
        if e.op in ("and", "or"):
            stop = FALSE if e.op == "and" else TRUE  # the value that decides alone
            a_stops = z3.And(a.known, a.value == stop) if a.value is not None else FALSE
            b_stops = z3.And(b.known, b.value == stop) if b.value is not None else FALSE
            k = _any([a_stops, b_stops, _all([a.known, b.known])])
            value = ite(_any([a_stops, b_stops]), stop, z3.BoolVal(e.op == "and"))
            return Sym(z3.simplify(k), value, _any([z3.And(z3.Not(a.known), a.missing), z3.And(z3.Not(b.known), b.missing)]),
                       _any([z3.And(z3.Not(a.known), a.silent), z3.And(z3.Not(b.known), b.silent)]))
        if e.op == "otherwise":
            return Sym(_any([a.known, b.known]), ite(a.known, a.value, b.value),
                       z3.And(z3.Not(a.known), z3.Not(b.known), _any([a.missing, b.missing])),
                       z3.And(z3.Not(a.known), z3.Not(b.known), _any([a.silent, b.silent])))
        both = _all([a.known, b.known])
        if a.value is None or b.value is None:
            return unknown(a, b)
        x, y = _coerce(a.value, b.value)
        if e.op == "/":
            zero = y == 0
            return Sym(z3.And(both, z3.Not(zero)), x / y, z3.And(z3.Not(both), _any([a.missing, b.missing])),
                       _any([z3.And(z3.Not(both), _any([a.silent, b.silent])), z3.And(both, zero)]))
        value = _arith(e.op, x, y)
        return Sym(both, value, z3.And(z3.Not(both), _any([a.missing, b.missing])),
                   z3.And(z3.Not(both), _any([a.silent, b.silent])))

    def _cond(self, e: ir.Cond, env) -> Sym:
        c = self.expr(e.cond, env)
        a, b = self.expr(e.then, env), self.expr(e.otherwise, env)
        if z3.is_true(c.known) and c.value is not None:
            return choose(c.value, a, b)
        picked = choose(c.value, a, b) if c.value is not None else unknown(a, b)
        agree = _all([a.known, b.known, _eq(a.value, b.value)]) if a.value is not None and b.value is not None \
            else FALSE
        k = ite(c.known, picked.known, agree)
        value = ite(c.known, picked.value, a.value)
        return Sym(k, value, ite(c.known, picked.missing, z3.And(z3.Not(agree), _any([c.missing, a.missing, b.missing]))),
                   ite(c.known, picked.silent, z3.And(z3.Not(agree), _any([c.silent, a.silent, b.silent]))))

    def _member(self, e: ir.Member, env) -> Sym:
        a = self.expr(e.operand, env)
        if a.value is None:
            return a
        if e.low is not None:
            v = _coerce(a.value, z3.RealVal(0))[0]
            test = z3.And(v >= e.low, v <= e.high)
        else:
            test = _any([a.value == self.space.code(m) for m in e.members])
        return Sym(a.known, test, a.missing, a.silent)

    def _undetermined(self, e: ir.Undetermined, env) -> Sym:
        return SILENT


@contextmanager
def within(enc: Encoder, node_id: str) -> Iterator[Encoder]:
    """Translate expressions as if inside `node_id` (its reads and abstractions are recorded under it)."""
    if enc._stack:
        enc.deps.setdefault(enc._stack[-1], set()).add(node_id)
    enc._stack.append(node_id)
    try:
        yield enc
    finally:
        enc._stack.pop()


def _not_shipped(value: object) -> bool:
    return isinstance(value, str) and value == ir.NOT_SHIPPED


def timed_nodes(program: ir.Program) -> frozenset[str]:
    """The nodes whose value may change with the day judged: they read `period_day`, directly or through others."""
    memo: dict[str, bool] = {}

    def reads(e: object) -> bool:
        if isinstance(e, ir.Call) and e.func == "period_day":
            return True
        if isinstance(e, (ir.Ref, ir.AsOf)) and timed(e.node):
            return True
        if isinstance(e, ir.Expr):
            return any(reads(x) for value in msgspec.structs.astuple(e)
                       for x in (value if isinstance(value, tuple) else (value,)))
        return False

    def timed(node_id: str) -> bool:
        if node_id not in memo:
            memo[node_id] = False  # the graph is acyclic; this only guards the walk
            n = program.nodes.get(node_id)
            if isinstance(n, ir.ValueNode):
                memo[node_id] = any(reads(v.expr) for v in n.versions)
            elif isinstance(n, ir.FactNode) and n.presumption is not None:
                memo[node_id] = reads(n.presumption.expr)
        return memo[node_id]

    return frozenset(n for n in program.nodes if timed(n))


