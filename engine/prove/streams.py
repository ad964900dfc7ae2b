"""Monthly items over time in SMT terms: which span of the case's period walk gives the item a result reports.

Guarantees: the same walk as `engine.run.periods.streams` and `engine.run.result._as_streams`. A span starts on
the case's date or on a known event date after it (`span_days`: every event the statutes declare, per record for an
event over a list); the item is judged on the first day of each span (`Encoder.at`). A span counts where the item
is not payable-false and its `arises` does not fall after the span's end; it is owed where payable, or undetermined
only for want of facts that events' dates are read from (`engine.model.events.event_facts`: a bound the case does not
give). The result shows the item of the first span in which it is owed (payable), else of the first that counts,
else the item judged as a whole. Days that tie are judged alike; the first in the list stands for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3

from engine.model import ir
from engine.prove.encode import FALSE, TRUE, Encoder, Sym, _all, _any, within
from engine.prove.terms import choose
from engine.model.events import bound_facts


@dataclass(frozen=True)
class Day:
    """A day a span may start on: `valid` where it does (the case's date, or a known event date after it)."""

    valid: z3.BoolRef
    value: z3.ArithRef


@dataclass
class Walk:
    """The period walk of one item, as variables and what defines them.

    `day` is the first day of the span whose item the result shows, `owed` whether some span is owed, `counted`
    whether some span counts: variables, so that the item is translated once, on `day`, and its terms stay small.
    `implied` is what follows about the chosen day alone (cheap); `defined()` ties the variables to the case's
    facts, every span judged (translated only when asked). A proof that holds with `implied` holds for every case;
    a counterexample needs `defined()`. Programs whose walks are the same (the item judged on a symbolic day gives
    the same terms, and so do the events) share the variables."""

    day: z3.ArithRef
    owed: z3.BoolRef
    counted: z3.BoolRef
    implied: z3.BoolRef
    enc: Encoder
    benefit: ir.Benefit
    _defined: z3.BoolRef | None = None

    def defined(self) -> z3.BoolRef:
        if self._defined is None:
            self._defined = _define(self)
        return self._defined


def has_streams(enc: Encoder, b: ir.Benefit) -> bool:
    """`engine.run.result.evaluate` judges a worker's monthly items period by period where the statutes declare events."""
    return b.period == "monthly" and b.kind == "worker" and bool(enc.program.events)


def event_roots(program: ir.Program) -> list[str]:
    return [e.id for e in program.events] + sorted({e.collection for e in program.events if e.collection})


def span_days(enc: Encoder) -> list[Day]:
    """The case's date, then every event's date (judged as a whole, as `periods.event_dates` reads them)."""
    if enc.span_days is not None:
        return enc.span_days
    space = enc.space
    days = [Day(TRUE, space.date)]
    for e in enc.program.events:
        if e.var is None:
            s = enc.node(e.id)
            if s.value is not None:
                days.append(Day(z3.And(s.known, s.value > space.date), s.value))
            continue
        coll = enc.node(e.collection or "")
        lst = coll.value
        expr = e.date_expr(enc.program)
        with within(enc, e.id):
            for i, rec in enumerate(getattr(lst, "records", [])):
                d = enc.expr(expr, {e.var: rec})
                if d.value is not None:
                    days.append(Day(_all([coll.known, lst.length > i, d.known, d.value > space.date]), d.value))
    enc.span_days = days
    return days


def walk(enc: Encoder, b: ir.Benefit) -> Walk:
    """The walk of `b` over the spans that start on `span_days` (each judged by `enc.at(day)`)."""
    days = span_days(enc)
    space = enc.space
    probe = enc.at(space.probe)
    shape = [probe.node(b.fields[f]) for f in ("payable", "arises") if f in b.fields]
    if "payable" in b.fields:
        shape.append(enc.scoped(_outside(enc.program)).at(space.probe).node(b.fields["payable"]))
    key = tuple(-1 if x is None else x.get_id() for s in shape for x in (s.known, s.value, s.missing)) + \
        tuple(x.get_id() for d in days for x in (d.valid, d.value))
    hit = space.walks.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    n = len(space.walks) + 1
    day, any_owed, any_counted = z3.Int(f"period_day#{n}"), z3.Bool(f"owed#{n}"), z3.Bool(f"counted#{n}")
    counts, owes = _judged(enc, b, days, day, k=None)
    implied = z3.And(z3.Implies(any_owed, z3.And(any_counted, owes)), z3.Implies(any_counted, counts),
                     z3.Implies(any_counted, day >= space.date))
    hit = space.walks[key] = Walk(day, any_owed, any_counted, implied, enc, b)
    return hit


def _define(w: Walk) -> z3.BoolRef:
    """The walk's variables as the evaluator's walk sets them: every span judged."""
    enc, days = w.enc, span_days(w.enc)
    spans = [_span(enc, w.benefit, days, k) for k in range(len(days))]
    owed = [z3.And(c, t) for c, t in spans]
    counted = [c for c, _ in spans]
    first_owed, first_counted = _first(owed, days), _first(counted, days)
    return z3.And(
        w.owed == _any(owed), w.counted == _any(counted),
        # no span counts: the item is judged as a whole and the day is read by nothing shown; fixed, so that the
        # calls on it (year(period_day)) have one argument and a counterexample's refinement settles
        z3.Implies(z3.Not(w.counted), w.day == enc.space.date),
        z3.Implies(w.owed, _any([z3.And(c, w.day == d.value) for c, d in zip(first_owed, days)])),
        z3.Implies(z3.And(z3.Not(w.owed), w.counted),
                   _any([z3.And(c, w.day == d.value) for c, d in zip(first_counted, days)])))


def _span(enc: Encoder, b: ir.Benefit, days: list[Day], k: int) -> tuple[z3.BoolRef, z3.BoolRef]:
    """Whether the span that starts on days[k] counts (a day it starts on; not payable-false; arising by its end),
    and whether the item is owed in it (payable, or undetermined for want of an event's date only)."""
    counts, owes = _judged(enc, b, days, days[k].value, k)
    return _all([days[k].valid, counts]), owes


def _judged(enc: Encoder, b: ir.Benefit, days: list[Day], on: z3.ArithRef, k: int | None) -> tuple[z3.BoolRef, z3.BoolRef]:
    """On day `on` (days[k], or the chosen day): whether the item is not payable-false and does not arise after
    the span (k None: the span's end is not known here, so only not payable-false), and whether it is owed."""
    f = b.fields
    at = enc.at(on)
    if "payable" in f:
        pay = at.node(f["payable"])
        out = enc.scoped(_outside(enc.program)).at(on).node(f["payable"])  # `missing` there: a fact not an event's
        false = z3.And(pay.known, z3.Not(pay.value)) if pay.value is not None else FALSE
        true = _any([z3.And(pay.known, pay.value) if pay.value is not None else FALSE,
                     z3.And(z3.Not(pay.known), pay.missing, z3.Not(out.missing))])
    else:
        false, true = FALSE, TRUE
    skipped = FALSE
    if "arises" in f and k is not None:
        a = at.node(f["arises"])
        if a.value is not None:  # it arises after the span's last day: on or after the next span's start
            skipped = z3.And(a.known, _any([z3.And(e.valid, e.value > on, e.value <= a.value)
                                            for j, e in enumerate(days) if j != k]))
    return _all([z3.Not(false), z3.Not(skipped)]), true


def _first(flags: list[z3.BoolRef], days: list[Day]) -> list[z3.BoolRef]:
    """flags[k] and no flagged day before day k (on a tie, the first in the list)."""
    out = []
    for k, (f, d) in enumerate(zip(flags, days)):
        earlier = [z3.And(g, e.value <= d.value if j < k else e.value < d.value)
                   for j, (g, e) in enumerate(zip(flags, days)) if j != k]
        out.append(z3.And(f, z3.Not(_any(earlier))))
    return out


def pick(w: Walk, on_day: Sym, whole: Sym, owed_value: Sym | None = None) -> Sym:
    """A field of the item shown: judged on the chosen day (where owed, `owed_value` if given), else as a whole."""
    owed = on_day if owed_value is None else owed_value
    return choose(w.owed, owed, choose(w.counted, on_day, whole))


def _outside(program: ir.Program) -> frozenset[str]:
    """The facts (and the evaluation date) that no event's date is read from."""
    bound = bound_facts(program)
    return frozenset(n.id for n in program.facts() if n.id not in bound) | {"as_of", "date"}
