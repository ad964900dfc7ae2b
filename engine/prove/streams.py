"""Monthly items over time in SMT terms: which span of the case's period walk gives the item a result reports.

Guarantees: the same walk as `engine.run.periods.streams` and `engine.run.result._as_streams`. A span starts on
the case's date or on a known event date after it (`span_days`: every event the statutes declare, per record for an
event over a list); the item is judged on the first day of each span (`Encoder.at`). A span counts where the item
is not payable-false and its `arises` does not fall after the span's end; it is owed where payable, or undetermined
only for want of facts that events' dates are read from (`engine.run.periods.event_facts`: a bound the case does not
give). The result shows the item of the first span in which it is owed (payable), else of the first that counts,
else the item judged as a whole. Days that tie are judged alike; the first in the list stands for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3

from engine.model import ir
from engine.prove.encode import FALSE, TRUE, Encoder, Sym, _all, _any
from engine.prove.terms import choose
from engine.run.periods import event_facts


@dataclass(frozen=True)
class Day:
    """A day a span may start on: `valid` where it does (the case's date, or a known event date after it)."""

    valid: z3.BoolRef
    value: z3.ArithRef


@dataclass(frozen=True)
class Choice:
    """Which day's item the result shows: `owed[k]` (the first span owed) or `counted[k]` (the first that counts)."""

    owed: list[z3.BoolRef]
    counted: list[z3.BoolRef]
    any_owed: z3.BoolRef
    any_counted: z3.BoolRef


def has_streams(enc: Encoder, b: ir.Benefit) -> bool:
    """`engine.run.result.evaluate` judges a worker's monthly items period by period where the statutes declare events."""
    return b.period == "monthly" and b.kind == "worker" and bool(enc.program.events)


def event_roots(program: ir.Program) -> list[str]:
    return [e.id for e in program.events] + sorted({e.collection for e in program.events if e.collection})


def span_days(enc: Encoder) -> list[Day]:
    """The case's date, then every event's date (judged as a whole, as `periods.event_dates` reads them)."""
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
        with enc.within(e.id):
            for i, rec in enumerate(getattr(lst, "records", [])):
                d = enc.expr(expr, {e.var: rec})
                if d.value is not None:
                    days.append(Day(_all([coll.known, lst.length > i, d.known, d.value > space.date]), d.value))
    return days


def choose_span(enc: Encoder, b: ir.Benefit, days: list[Day]) -> Choice:
    """The span whose item the result shows, for each day of `days` (judged by `enc.at(day)`)."""
    f = b.fields
    outside = enc.scoped(_outside(enc.program))  # `missing` there: some fact named is not an event's
    owed, counted = [], []
    for k, d in enumerate(days):
        at = enc.at(d.value)
        if "payable" in f:
            pay = at.node(f["payable"])
            out = outside.at(d.value).node(f["payable"])
            false = z3.And(pay.known, z3.Not(pay.value)) if pay.value is not None else FALSE
            true = _any([z3.And(pay.known, pay.value) if pay.value is not None else FALSE,
                         z3.And(z3.Not(pay.known), pay.missing, z3.Not(out.missing))])
        else:
            false, true = FALSE, TRUE
        skipped = FALSE
        if "arises" in f:
            a = at.node(f["arises"])
            if a.value is not None:  # it arises after the span's last day: on or after the next span's start
                skipped = z3.And(a.known, _any([z3.And(e.valid, e.value > d.value, e.value <= a.value)
                                                for j, e in enumerate(days) if j != k]))
        c = _all([d.valid, z3.Not(false), z3.Not(skipped)])
        counted.append(c)
        owed.append(z3.And(c, true))
    return Choice(_first(owed, days), _first(counted, days), _any(owed), _any(counted))


def _first(flags: list[z3.BoolRef], days: list[Day]) -> list[z3.BoolRef]:
    """flags[k] and no flagged day before day k (on a tie, the first in the list)."""
    out = []
    for k, (f, d) in enumerate(zip(flags, days)):
        earlier = [z3.And(g, e.value <= d.value if j < k else e.value < d.value)
                   for j, (g, e) in enumerate(zip(flags, days)) if j != k]
        out.append(z3.And(f, z3.Not(_any(earlier))))
    return out


def pick(choice: Choice, at: list[Sym], whole: Sym, owed_value: Sym | None = None) -> Sym:
    """A field of the item shown: the first owed span's (or `owed_value`), else the first counted's, else whole."""
    counted = whole
    for c, s in zip(choice.counted, at):
        counted = choose(c, s, counted)
    owed = owed_value
    if owed is None:
        owed = whole
        for c, s in zip(choice.owed, at):
            owed = choose(c, s, owed)
    return choose(choice.any_owed, owed, choose(choice.any_counted, counted, whole))


def _outside(program: ir.Program) -> frozenset[str]:
    """The facts (and the evaluation date) that no event's date is read from."""
    bound = event_facts(program)
    return frozenset(n.id for n in program.facts() if n.id not in bound) | {"as_of", "date"}
