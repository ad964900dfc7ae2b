"""The compiled IR as SMT terms (Z3): every node's three-valued value over every case the bounds allow.

Guarantees: each node is translated from the same `ir.Program` the evaluators run, construct by construct as
`engine.evaluate` interprets it (no rule is re-encoded by hand). A value is a `Sym`: whether it is known, its value,
whether (when unknown) it names a missing fact, and whether (when unknown) the law is silent (an `undetermined`, a rule
not in force, a division by zero, a table without the entry). Money is rounded half up to the fen at every
money-valued node exactly where the evaluator rounds; rates are exact rationals; parameters and dated rules are
case splits on the date; dates are day numbers; list facts are unrolled to `Bounds.list_bound` records. A construct
with no exact translation (the official calendar, calendar arithmetic) is abstracted by a fresh value constrained
only by what is certain (unknown when an argument is unknown), and recorded by name in `abstractions`: a proof over
it stays sound, a counterexample through it must be confirmed by the evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

import z3

from dsl import types as T
from engine import ir

# The official calendar and calendar arithmetic: abstracted (see the module docstring).
CALENDAR_FUNCTIONS = ("add_working_days", "first_working_day",
                      "add_years", "years_between", "months_between", "year")


@dataclass(frozen=True)
class Bounds:
    """The cases a proof covers: every case whose facts lie within these bounds."""

    first_date: date = date(2004, 1, 1)  # the case date (day of the accident or diagnosis)
    last_date: date = date(2026, 12, 31)
    list_bound: int = 4  # records in a list fact (dependants)
    earliest_fact_date: date = date(1900, 1, 1)  # any date-valued fact, and the evaluation date
    latest_fact_date: date = date(2100, 12, 31)
    max_money_fen: int = 10_000_000_000  # 100 million yuan
    max_int: int = 10_000  # an int fact without a declared range: 0 to this (counts, months, ages)
    rate_places: int = 4  # a rate fact: a decimal with this many places, 0 to 10

    def as_json(self) -> dict[str, object]:
        return {"dates": [self.first_date.isoformat(), self.last_date.isoformat()], "list_bound": self.list_bound,
                "fact_dates": [self.earliest_fact_date.isoformat(), self.latest_fact_date.isoformat()],
                "max_money": f"{Decimal(self.max_money_fen) / 100:.2f}", "max_int": self.max_int,
                "rate_places": self.rate_places}


@dataclass
class Sym:
    """A three-valued value: `known`; `value` (meaningful when known); `missing`: unknown and some fact would decide
    it; `silent`: unknown because the law is silent or a rule errs (the evaluator's diagnostics)."""

    known: z3.BoolRef
    value: object  # z3 term, or a ListSym
    missing: z3.BoolRef
    silent: z3.BoolRef


@dataclass
class Record:
    fields: dict[str, Sym]


@dataclass
class ListSym:
    length: z3.ArithRef
    records: list[Record]


@dataclass(frozen=True)
class Abstraction:
    node: str
    construct: str
    span: str


@dataclass
class FactVars:
    """The free variables of one fact: whether the case gives it, and its value."""

    given: z3.BoolRef
    value: object  # z3 term, or ListSym for a list fact
    type: T.Type


TRUE, FALSE = z3.BoolVal(True), z3.BoolVal(False)


def unknown(*parts: Sym) -> Sym:
    """`engine.values.unknown`: the union of the missing facts of the unknown operands."""
    return Sym(FALSE, None, _any(p.missing for p in parts), _any(p.silent for p in parts))


def _any(xs) -> z3.BoolRef:
    xs = [x for x in xs if not z3.is_false(x)]
    if not xs:
        return FALSE
    if any(z3.is_true(x) for x in xs):
        return TRUE
    return xs[0] if len(xs) == 1 else z3.Or(*xs)


def _all(xs) -> z3.BoolRef:
    xs = [x for x in xs if not z3.is_true(x)]
    if not xs:
        return TRUE
    if any(z3.is_false(x) for x in xs):
        return FALSE
    return xs[0] if len(xs) == 1 else z3.And(*xs)


def ite(c, a, b):
    if z3.is_true(c):
        return a
    if z3.is_false(c):
        return b
    if a is None:
        return b
    if b is None or a.eq(b):
        return a
    return z3.If(c, a, b)


def choose(c: z3.BoolRef, a: Sym, b: Sym) -> Sym:
    """`a` where c holds, else `b` (c is a condition of the translation, not a three-valued value)."""
    value = a.value if isinstance(a.value, ListSym) else ite(c, a.value, b.value)
    return Sym(ite(c, a.known, b.known), value, ite(c, a.missing, b.missing), ite(c, a.silent, b.silent))


def known(value) -> Sym:
    return Sym(TRUE, value, FALSE, FALSE)


SILENT = Sym(FALSE, None, FALSE, TRUE)


class Untranslatable(Exception):
    """A construct of the IR the translation has no rule for: reported by name, never skipped."""

    def __init__(self, node: str, construct: str, span: object):
        super().__init__(f"{node}: {construct} ({span})")
        self.node, self.construct, self.span = node, construct, str(span)


def _num(x: object) -> z3.ArithRef:
    return z3.RealVal(Fraction(str(x))) if isinstance(x, Decimal) else z3.RealVal(x)


class Encoder:
    """Translates the nodes of one program, lazily and once each; facts are shared with other encoders of `Space`."""

    def __init__(self, program: ir.Program, space: Space, tag: str):
        self.program = program
        self.space = space
        self.tag = tag  # names the fresh variables of this program's abstractions
        self.cache: dict[str, Sym] = {}
        self.deps: dict[str, set[str]] = {}
        self.abstractions: dict[str, list[Abstraction]] = {}
        self._stack: list[str] = []
        self._fresh = 0

    # ------------------------------------------------------------ nodes

    def node(self, node_id: str) -> Sym:
        if self._stack:
            self.deps.setdefault(self._stack[-1], set()).add(node_id)
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
            s = Sym(s.known, self._to_fen(s.value, n), s.missing, s.silent)
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
        if p is None:
            return Sym(fv.given, fv.value, z3.Not(fv.given), FALSE)
        pres = self.expr(p.expr, {})
        return Sym(z3.Or(fv.given, pres.known), _merge_value(fv.given, fv.value, pres.value),
                   z3.And(z3.Not(fv.given), z3.Not(pres.known)), FALSE)

    def _param(self, n: ir.ParamNode, on: z3.ArithRef) -> Sym:
        if isinstance(n.type, T.TableType):
            raise Untranslatable(n.id, "a table read whole (not looked up)", n.span)
        out = SILENT  # no version in force on the date
        for v in reversed(n.versions):  # oldest first, so the newest in force wins
            out = choose(on >= self.space.day(v.start), known(self._literal(v.value, n.type, n)), out)
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

    def _call(self, e: ir.Call, env) -> Sym:
        if e.func == "case_date":
            return known(self.space.date)
        if e.func == "evaluation_date":
            g = self.space.as_of_given
            return Sym(g, self.space.as_of, z3.Not(g), FALSE)
        args = [self.expr(a, env) for a in e.args]
        if any(a.value is None for a in args):
            return unknown(*args)
        all_known = _all([a.known for a in args])
        if e.func in CALENDAR_FUNCTIONS:
            return self._abstract(e, args, all_known)
        if e.func == "is_working_day":
            return self._with_check(args, all_known, *_working_day(args[0].value))
        vals = [a.value for a in args]
        if e.func in ("min", "max", "clamp", "abs"):
            vals = [_coerce(v, z3.RealVal(0))[0] for v in vals]
        if e.func == "min":
            value = vals[0]
            for v in vals[1:]:
                value = z3.If(v < value, v, value)
        elif e.func == "max":
            value = vals[0]
            for v in vals[1:]:
                value = z3.If(v > value, v, value)
        elif e.func == "clamp":
            x, lo, hi = vals
            m = z3.If(x > lo, x, lo)
            value = z3.If(hi < m, hi, m)
        elif e.func == "abs":
            value = z3.If(vals[0] < 0, -vals[0], vals[0])
        elif e.func == "days_between":
            value = z3.ToReal(vals[1] - vals[0])
        elif e.func == "add_days":
            n = vals[1]
            whole = z3.IsInt(n) if z3.is_real(n) else TRUE
            value = vals[0] + (z3.ToInt(n) if z3.is_real(n) else n)
            # int(n) truncates toward zero; n is whole in every rule that adds days
            return Sym(all_known, value, z3.And(z3.Not(all_known), _any([a.missing for a in args])),
                       z3.And(z3.Not(all_known), _any([a.silent for a in args]))) if z3.is_true(whole) else \
                self._with_check(args, all_known, value, whole)
        elif e.func == "round_yuan":
            y = vals[0]
            k = z3.ToInt(y)
            frac = y - z3.ToReal(k)
            half = z3.RealVal(Fraction(1, 2))
            value = z3.ToReal(z3.If(z3.If(y >= 0, frac >= half, frac > half), k + 1, k))
        else:
            raise Untranslatable(self._here(), f"the function {e.func}()", e.span)
        return Sym(all_known, value, z3.And(z3.Not(all_known), _any([a.missing for a in args])),
                   z3.And(z3.Not(all_known), _any([a.silent for a in args])))

    def _with_check(self, args: list[Sym], all_known, value, ok) -> Sym:
        k = z3.And(all_known, ok)
        return Sym(k, value, z3.And(z3.Not(all_known), _any([a.missing for a in args])),
                   _any([z3.And(z3.Not(all_known), _any([a.silent for a in args])), z3.And(all_known, z3.Not(ok))]))

    def _abstract(self, e: ir.Call, args: list[Sym], all_known) -> Sym:
        """A fresh value: unknown with the arguments' missing facts when one is unknown; otherwise any value of
        the type, or unknown with a diagnostic (a year whose calendar is not shipped)."""
        node = self._here()
        self.abstractions.setdefault(node, []).append(Abstraction(node, f"{e.func}()", str(e.span)))
        self._fresh += 1
        name = f"{self.tag}:{node}:{e.func}#{self._fresh}"
        fk = z3.Bool(name + ".known")
        if isinstance(e.type, T.BoolType):
            value = z3.Bool(name)
        elif isinstance(e.type, T.DateType):
            value = z3.Int(name)
            if e.func in ("first_working_day", "add_working_days"):  # never before the day it counts from
                self.space.facts_constraints.append(z3.Implies(z3.And(all_known, fk), value >= args[0].value))
        else:
            value = z3.Real(name)
        return Sym(z3.And(all_known, fk), value, z3.And(z3.Not(all_known), _any([a.missing for a in args])),
                   _any([z3.And(z3.Not(all_known), _any([a.silent for a in args])), z3.And(all_known, z3.Not(fk))]))

    def _asof(self, e: ir.AsOf, env) -> Sym:
        when = self.expr(e.when, env)
        if when.value is None:
            return unknown(when)
        n = self.program.nodes[e.node]
        assert isinstance(n, ir.ParamNode)
        if self._stack:
            self.deps.setdefault(self._stack[-1], set()).add(e.node)
        p = self._param(n, when.value)
        if isinstance(n.type, T.MoneyType):
            p = Sym(p.known, self._to_fen(p.value, n), p.missing, p.silent) if p.value is not None else p
        return Sym(z3.And(when.known, p.known), p.value, ite(when.known, p.missing, when.missing),
                   ite(when.known, p.silent, when.silent))

    def _lookup(self, e: ir.Lookup, env) -> Sym:
        key = self.expr(e.key, env)
        t = e.table
        if isinstance(t, ir.Ref):
            on, on_sym, name = self.space.date, None, t.node
            if self._stack:
                self.deps.setdefault(self._stack[-1], set()).add(t.node)
        elif isinstance(t, ir.AsOf):
            on_sym = self.expr(t.when, env)
            if on_sym.value is None:
                return unknown(on_sym)
            on, name = on_sym.value, t.node
            if self._stack:
                self.deps.setdefault(self._stack[-1], set()).add(t.node)
        else:
            raise Untranslatable(self._here(), "a lookup in a table that is not a parameter", e.span)
        n = self.program.nodes[name]
        if not isinstance(n, ir.ParamNode) or not isinstance(n.type, T.TableType):
            raise Untranslatable(self._here(), f"a lookup in {name}, not a table parameter", e.span)
        if key.value is None:
            return unknown(key)
        k = _coerce(key.value, z3.RealVal(0))[0] if isinstance(n.type.key, (T.IntType, T.MoneyType, T.RateType)) \
            else key.value
        out = SILENT
        for v in reversed(n.versions):
            entries = v.value
            assert isinstance(entries, dict)
            row = SILENT  # no entry for the key: an error of the evaluation, unknown
            for kk, vv in entries.items():
                kz = self._literal(kk, n.type.key, n)
                row = choose(k == kz, known(self._literal(vv, n.type.value, n)), row)
            out = choose(on >= self.space.day(v.start), row, out)
        if isinstance(n.type.value, T.MoneyType) and out.value is not None:
            out = Sym(out.known, self._to_fen(out.value, n), out.missing, out.silent)
        deciders = [key] + ([on_sym] if on_sym is not None else [])
        all_known = _all([d.known for d in deciders])
        return Sym(z3.And(all_known, out.known), out.value,
                   z3.And(z3.Not(all_known), _any([d.missing for d in deciders])),
                   _any([z3.And(z3.Not(all_known), _any([d.silent for d in deciders])), z3.And(all_known, out.silent)]))

    def _getfield(self, e: ir.GetField, env) -> Sym:
        if isinstance(e.record, ir.Local) and e.record.name in env:
            return env[e.record.name].fields[e.name]
        raise Untranslatable(self._here(), f"the field .{e.name} of a record not bound by an aggregate", e.span)

    def _aggregate(self, e: ir.Aggregate, env) -> Sym:
        coll = self.expr(e.collection, env)
        if not isinstance(coll.value, ListSym):
            raise Untranslatable(self._here(), "an aggregate over a collection that is not a list fact", e.span)
        lst = coll.value
        total = z3.RealVal(0)
        undecided, missing, silent = [], [], []
        for i, rec in enumerate(lst.records):
            active = lst.length > i
            inner = dict(env)
            inner[e.var] = rec
            take = TRUE
            if e.where is not None:
                w = self.expr(e.where, inner)
                w_false = z3.And(w.known, z3.Not(w.value)) if w.value is not None else FALSE
                w_unknown = z3.Not(w.known)
                undecided.append(z3.And(active, w_unknown))
                missing.append(z3.And(active, w_unknown, w.missing))
                silent.append(z3.And(active, w_unknown, w.silent))
                take = z3.And(z3.Not(w_false), z3.Not(w_unknown))
            if e.body is None:
                total = total + z3.If(z3.And(active, take), z3.RealVal(1), z3.RealVal(0))
                continue
            b = self.expr(e.body, inner)
            bv = _coerce(b.value, z3.RealVal(0))[0] if b.value is not None else z3.RealVal(0)
            total = total + z3.If(z3.And(active, take, b.known), bv, z3.RealVal(0))
            undecided.append(z3.And(active, take, z3.Not(b.known)))
            missing.append(z3.And(active, take, z3.Not(b.known), b.missing))
            silent.append(z3.And(active, take, z3.Not(b.known), b.silent))
        und = _any(undecided)
        return Sym(z3.And(coll.known, z3.Not(und)), total,
                   ite(coll.known, _any(missing), coll.missing), ite(coll.known, _any(silent), coll.silent))

    def _undetermined(self, e: ir.Undetermined, env) -> Sym:
        return SILENT


def _working_day(d: z3.ArithRef) -> tuple[z3.BoolRef, z3.BoolRef]:
    """`Calendar.is_working_day` exactly: a working weekday not among the rest days, or a working weekend day;
    and whether the day's year is shipped (otherwise the evaluator says so and leaves it unknown)."""
    from engine.workdays import calendar

    cal = calendar()
    shipped = _any([z3.And(d >= date(y, 1, 1).toordinal(), d <= date(y, 12, 31).toordinal()) for y in sorted(cal.years)])
    rest = sorted(x.toordinal() for y in cal.years.values() for x in y.rest_days if x.weekday() < 5)
    extra = sorted(x.toordinal() for y in cal.years.values() for x in y.working_days if x.weekday() >= 5)
    weekday = (d + 6) % 7  # date.weekday() of an ordinal
    value = _any([_any([d == x for x in extra]), z3.And(weekday < 5, z3.Not(_any([d == x for x in rest])))])
    return value, shipped


def _whole_times(x, k: Fraction) -> bool:
    """Whether k * x is a whole number by construction (fen variables, their sums, choices and whole multiples)."""
    if z3.is_rational_value(x) or z3.is_int_value(x):
        return (k * Fraction(x.as_fraction() if z3.is_rational_value(x) else x.as_long())).denominator == 1
    if z3.is_to_real(x) or z3.is_int(x):
        return k.denominator == 1
    if z3.is_app_of(x, z3.Z3_OP_ITE):
        return _whole_times(x.arg(1), k) and _whole_times(x.arg(2), k)
    if z3.is_add(x) or z3.is_sub(x):
        return all(_whole_times(x.arg(i), k) for i in range(x.num_args()))
    if z3.is_app_of(x, z3.Z3_OP_UMINUS):
        return _whole_times(x.arg(0), k)
    if z3.is_div(x) and z3.is_rational_value(x.arg(1)):
        return _whole_times(x.arg(0), k / Fraction(x.arg(1).as_fraction()))
    if z3.is_mul(x):
        args = [x.arg(i) for i in range(x.num_args())]
        c = Fraction(1)
        rest = []
        for a in args:
            if z3.is_rational_value(a):
                c *= Fraction(a.as_fraction())
            else:
                rest.append(a)
        if not rest:
            return (k * c).denominator == 1
        return any(_whole_times(a, k * c) and all(_whole_times(b, Fraction(1)) for b in rest if b is not a)
                   for a in rest)
    return False


def _merge_value(given, a, b):
    if isinstance(a, ListSym):
        return a
    if b is None:
        return a
    return z3.If(given, a, b)


def _coerce(x, y):
    """Numbers compare and combine as reals; dates and codes stay integers."""
    if z3.is_int(x) and z3.is_real(y):
        return z3.ToReal(x), y
    if z3.is_real(x) and z3.is_int(y):
        return x, z3.ToReal(y)
    return x, y


def _eq(a, b):
    a, b = _coerce(a, b)
    return a == b


def _arith(op: str, x, y):
    if op == "+":
        return x + y
    if op == "-":
        if z3.is_int(x) and z3.is_int(y):  # two dates: the days between, a number
            return z3.ToReal(x - y)
        return x - y
    if op == "*":
        return _times(x, y)
    return {"==": lambda: x == y, "!=": lambda: x != y, "<": lambda: x < y, "<=": lambda: x <= y,
            ">": lambda: x > y, ">=": lambda: x >= y}[op]()


def _times(x, y):
    """x * y, with a case split pushed inside when one side is a choice between constants (a table, a dated rate):
    the products stay linear."""
    for a, b in ((x, y), (y, x)):
        if _const_leaves(a) and not z3.is_rational_value(a):
            return _map_leaves(a, lambda leaf: leaf * b)
    return x * y


def _const_leaves(t) -> bool:
    if z3.is_rational_value(t) or z3.is_int_value(t):
        return True
    if z3.is_app_of(t, z3.Z3_OP_ITE):
        return _const_leaves(t.arg(1)) and _const_leaves(t.arg(2))
    return False


def _map_leaves(t, f):
    if z3.is_app_of(t, z3.Z3_OP_ITE):
        return z3.If(t.arg(0), _map_leaves(t.arg(1), f), _map_leaves(t.arg(2), f))
    return z3.simplify(f(t))


class Space:
    """The free variables of a case: its date, evaluation date and facts, shared by every program compared."""

    def __init__(self, bounds: Bounds):
        self.bounds = bounds
        self.codes: dict[str, int] = {}
        self.date = z3.Int("case.date")
        self.as_of = z3.Int("case.as_of")
        self.as_of_given = z3.Bool("case.as_of.given")
        self.facts: dict[str, FactVars] = {}
        self.facts_constraints: list[z3.BoolRef] = [
            self.date >= self.day(bounds.first_date), self.date <= self.day(bounds.last_date),
            z3.Implies(self.as_of_given, z3.And(self.as_of >= self.day(bounds.earliest_fact_date),
                                                self.as_of <= self.day(bounds.latest_fact_date)))]
        for p in T.PARTIES:
            self.code(p)

    @staticmethod
    def day(d: date) -> z3.IntNumRef:
        return z3.IntVal(d.toordinal())

    def code(self, name: str) -> z3.IntNumRef:
        return z3.IntVal(self.codes.setdefault(name, len(self.codes)))

    def name_of(self, code: int) -> str:
        return next(k for k, v in self.codes.items() if v == code)

    def fact(self, n: ir.FactNode) -> FactVars:
        fv = self.facts.get(n.id)
        if fv is None:
            given = z3.Bool(f"{n.id}.given")
            fv = FactVars(given, self._var(n.id, n.type, self.facts_constraints), n.type)
            self.facts[n.id] = fv
        return fv

    def _var(self, name: str, t: T.Type, cons: list[z3.BoolRef]) -> object:
        b = self.bounds
        if isinstance(t, T.BoolType):
            return z3.Bool(name)
        if isinstance(t, T.IntType):
            v = z3.Int(name)
            cons.append(z3.And(v >= (t.low if t.low is not None else 0), v <= (t.high if t.high is not None else b.max_int)))
            return z3.ToReal(v)
        if isinstance(t, T.MoneyType):
            v = z3.Int(name + ".fen")
            cons.append(z3.And(v >= 0, v <= b.max_money_fen))
            return z3.ToReal(v) / 100
        if isinstance(t, T.RateType):
            v = z3.Int(name + ".units")
            cons.append(z3.And(v >= 0, v <= 10 * 10 ** b.rate_places))
            return z3.ToReal(v) / (10 ** b.rate_places)
        if isinstance(t, T.DateType):
            v = z3.Int(name)
            cons.append(z3.And(v >= self.day(b.earliest_fact_date), v <= self.day(b.latest_fact_date)))
            return v
        if isinstance(t, (T.EnumType, T.PartyType)):
            members = t.values if isinstance(t, T.EnumType) else T.PARTIES
            v = z3.Int(name)
            cons.append(_any([v == self.code(m) for m in members]))
            return v
        if isinstance(t, T.ListType):
            length = z3.Int(name + ".length")
            cons.append(z3.And(length >= 0, length <= b.list_bound))
            records = []
            for i in range(b.list_bound):
                fields = {}
                for f in t.fields:
                    g = z3.Bool(f"{name}[{i}].{f.name}.given")
                    # a field absent from a record is unknown, and names the list fact as missing
                    fields[f.name] = Sym(g, self._var(f"{name}[{i}].{f.name}", f.type, cons), z3.Not(g), FALSE)
                records.append(Record(fields))
            return ListSym(length, records)
        raise Untranslatable(name, f"a fact of type {t}", None)
