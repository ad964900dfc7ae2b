"""The terms of the translation: three-valued values (`Sym`), the bounds of a proof, the case's free variables
(`Space`), and the arithmetic shared by every construct (coercions, linear products, the official calendar)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import z3

from dsl import bounds
from dsl import types as T
from engine.model import ir

# The official calendar and calendar arithmetic: abstracted (see the module docstring).
CALENDAR_FUNCTIONS = ("add_working_days", "first_working_day",
                      "add_years", "add_months", "first_day_of_year", "years_between", "months_between", "year")


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
    rate_places: int = 4  # a rate fact: a decimal with this many places, in its declared range (else 0 to 10)

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


_MONEY_MAX = z3.RealVal(Fraction(str(bounds.MONEY_MAX)))


def _num(x: object) -> z3.ArithRef:
    return z3.RealVal(Fraction(str(x))) if isinstance(x, Decimal) else z3.RealVal(x)



def _working_day(d: z3.ArithRef) -> tuple[z3.BoolRef, z3.BoolRef]:
    """`Calendar.is_working_day` exactly: a working weekday not among the rest days, or a working weekend day;
    and whether the day's year is shipped (otherwise the evaluator says so and leaves it unknown)."""
    from engine.law_time.workdays import calendar

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
        # the abstracted calls: (function, the arguments' term ids) -> (known, value), one fresh pair for each
        self.calls: dict[tuple[str, tuple[int, ...]], tuple[z3.BoolRef, z3.ExprRef]] = {}
        # the period walks of monthly items (engine.prove.streams.Walk), by the walk's terms
        self.walks: dict[tuple[int, ...], object] = {}
        self.probe = z3.Int("period_day?")  # a symbolic day: two walks alike on it are the same walk
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
            high = min(t.high, b.max_int) if t.high is not None else b.max_int  # the declared range, within the bound
            cons.append(z3.And(v >= (t.low if t.low is not None else 0), v <= max(high, t.low or 0)))
            return z3.ToReal(v)
        if isinstance(t, T.MoneyType):
            v = z3.Int(name + ".fen")
            cons.append(z3.And(v >= 0, v <= b.max_money_fen))
            return z3.ToReal(v) / 100
        if isinstance(t, T.RateType):  # the declared range (`rate 0..1`), else 0 to 10
            v = z3.Int(name + ".units")
            scale = 10 ** b.rate_places
            low = Fraction(str(t.low)) if t.low is not None else Fraction(0)
            high = Fraction(str(t.high)) if t.high is not None else Fraction(10)
            cons.append(z3.And(z3.ToReal(v) >= z3.RealVal(low * scale), z3.ToReal(v) <= z3.RealVal(high * scale)))
            return z3.ToReal(v) / scale
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
