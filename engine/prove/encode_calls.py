"""Calls, lookups and aggregates in SMT terms: the builtin functions, parameters read at another date, tables,
records of list facts, sums and counts (a part of `engine.prove.encode.Encoder`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import z3

from dsl import bounds
from dsl import types as T
from engine.model import ir
from engine.prove.terms import (CALENDAR_FUNCTIONS, FALSE, SILENT, TRUE, Abstraction, ListSym, Sym, Untranslatable,
                                _all, _any, _coerce, _working_day, choose, ite, known, unknown)


@dataclass(frozen=True)
class Instance:
    """One abstracted call: its function, argument terms, and the fresh variables standing for its result."""

    func: str
    args: list[object]
    known: z3.BoolRef
    value: z3.ExprRef


def lemmas(instances: list[Instance], model: z3.ModelRef) -> list[z3.BoolRef]:
    """What the evaluator computes for each abstracted call at the model's arguments, as facts for the solver: with
    these arguments, the result is this value (or unknown). Each is true of the evaluator, so it may be kept."""
    from engine.law_time.workdays import MissingYear
    from engine.run.evaluate import _FUNCTIONS

    out = []
    for i in instances:
        vals = [model.eval(a, model_completion=True) for a in i.args]
        try:
            py = [_py(v) for v in vals]
            result = _FUNCTIONS[i.func](*py)
            term = _z3(result)
            then = z3.And(i.known, i.value == term)
        except (MissingYear, ValueError, OverflowError, ArithmeticError):
            then = z3.Not(i.known)
        out.append(z3.Implies(_all([a == v for a, v in zip(i.args, vals)]), then))
    return out


def _py(v: z3.ExprRef) -> object:
    if z3.is_int_value(v):  # a day number: dates are the only integer terms of the translation
        return date.fromordinal(v.as_long())
    if z3.is_rational_value(v):
        f = v.as_fraction()
        return Decimal(f.numerator) / Decimal(f.denominator)
    if z3.is_true(v) or z3.is_false(v):
        return z3.is_true(v)
    raise ValueError(f"no value for {v}")


def _z3(x: object) -> z3.ExprRef:
    if isinstance(x, bool):
        return z3.BoolVal(x)
    if isinstance(x, date):
        return z3.IntVal(x.toordinal())
    return z3.RealVal(Fraction(str(x)))


class CallTerms:
    """The constructs that read beyond one node: `Encoder` supplies `expr`, `node`, `space` and the bookkeeping."""

    def _call(self, e: ir.Call, env) -> Sym:
        if e.func == "case_date":
            return known(self.space.date)
        if e.func == "period_day":
            return self.day  # type: ignore[attr-defined]
        if e.func == "evaluation_date":
            g = self.space.as_of_given
            return Sym(g, self.space.as_of, z3.Not(g) if self.names("as_of") else FALSE, FALSE)
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
            whole = z3.IsInt(n) if z3.is_real(n) else TRUE  # int(n) truncates; n is whole in every rule
            value = vals[0] + (z3.ToInt(n) if z3.is_real(n) else n)
            inside = z3.And(value >= bounds.DATE_MIN.toordinal(), value <= bounds.DATE_MAX.toordinal())
            return self._with_check(args, all_known, value, z3.And(whole, inside))
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
        found = self.abstractions.setdefault(node, [])
        mark = Abstraction(node, f"{e.func}()", str(e.span))
        if mark not in found:
            found.append(mark)
        # one fresh value per function and arguments, whatever encoder (program, day) asks: the function is the same
        key = (e.func, tuple(a.value.get_id() for a in args))
        hit = self.space.calls.get(key)
        if hit is not None:
            fk, value = hit
        else:
            name = f"{e.func}#{len(self.space.calls) + 1}"
            fk = z3.Bool(name + ".known")
            if isinstance(e.type, T.BoolType):
                value = z3.Bool(name)
            elif isinstance(e.type, T.DateType):
                value = z3.Int(name)
                if e.func in ("first_working_day", "add_working_days"):  # never before the day it counts from
                    self.space.facts_constraints.append(z3.Implies(fk, value >= args[0].value))
            else:
                value = z3.Real(name)
            self.space.calls[key] = (fk, value)
            self.instances.append(Instance(e.func, [a.value for a in args], fk, value))
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
            if isinstance(entries, str) and entries == ir.NOT_SHIPPED:  # after the table's `until`: no figure
                out = choose(on >= self.space.day(v.start), SILENT, out)
                continue
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

