"""Monthly items as streams: the periods in which each is owed, cut at the events the statutes declare.

Guarantees: the case is judged afresh on the first day of every span between two consecutive event dates
(`period_day` is that day), so a stream starts and stops exactly where the statutes' rules say; an item owed
from a date (`arises`) starts no earlier; consecutive spans with the same monthly amount and payers are one
period; a bound whose date the case does not give is `None` with the facts that would fix it. Later events
the case does not give are taken as not having happened (the presumptions of kind `later_events`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import msgspec

from engine.build.period_free import period_free
from engine.model import ir
from engine.model.citations import Citation
from engine.model.values import V
from engine.run.evaluate import Evaluation, Evaluator

TAKE_OVER = True  # periods take over what the whole case settled (off only to check that it changes nothing)
ACCIDENT = "accident"  # the start of a stream owed from the day of the accident (or diagnosis)


class Edge(msgspec.Struct, frozen=True):
    """Why a period starts or ends: an event declared in the statutes (or the accident), with its basis."""

    event: str
    labels: ir.Labels | None
    basis: tuple[Citation, ...]


class Period(msgspec.Struct, frozen=True):
    start: date | None  # None: the day is not known (see `missing`)
    end: date | None  # the last day; None: still running on the facts given, or not known (see `missing`)
    item: object  # engine.run.result.ItemResult: the item as judged in this period
    starts: Edge | None
    ends: Edge | None
    missing: tuple[str, ...]  # the facts that would fix an unknown bound, or decide an undetermined period
    payable: bool | None  # True: owed in the period; None: undetermined (the facts in `missing` decide)


ItemOf = Callable[[Evaluation, ir.Benefit], object]


class Streams(msgspec.Struct):
    """The periods of every monthly item of one case, and the evaluations they were judged in."""

    periods: dict[str, tuple[Period, ...]]
    evaluations: list[Evaluation]


def event_dates(ev: Evaluation) -> list[tuple[date, ir.Event]]:
    """Every event of the case whose date is known, in date order (per element for an event over a list)."""
    program = ev.program
    out: list[tuple[date, ir.Event]] = []
    for e in program.events:
        if e.var is None:
            v = ev.get_detached(e.id)
            if v.known:
                out.append((v.value, e))  # type: ignore[arg-type]
            continue
        records = ev.get_detached(e.collection or "")
        if not records.known:
            continue
        fn = ev.evaluator._compile(e.date_expr(program))
        for record in records.value:  # type: ignore[attr-defined]
            v = fn(ev, {e.var: (record, e.collection)})
            if v.known:
                out.append((v.value, e))  # type: ignore[arg-type]
    out.sort(key=lambda x: x[0])
    return out


def streams(evaluator: Evaluator, facts: dict[str, object], on: date | None, as_of: date | None,
            whole: Evaluation, benefits: tuple[ir.Benefit, ...], item_of: ItemOf) -> Streams:
    """The periods of the monthly `benefits`, judged on the first day of each span between the case's events."""
    monthly = [b for b in benefits if b.period == "monthly"]
    if on is None or not monthly:
        return Streams({}, [])
    dated = event_dates(whole)
    starts = sorted({d for d, _ in dated if d > on})
    spans = [(on, starts[0] - timedelta(days=1) if starts else None)]
    spans += [(s, starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else None) for i, s in enumerate(starts)]
    at: dict[date, ir.Event] = {}
    for d, e in dated:
        at.setdefault(d, e)
    bound_facts = evaluator.event_facts
    # What the case as a whole already settled and `period_day` cannot change is taken over, not judged again:
    # same facts, same dates, so the same values, traces, presumptions and warnings (see `_settled`).
    settled = _settled(evaluator, whole) if TAKE_OVER else {}
    settled_trace = {n: whole.trace[n] for n in settled}
    settled_assumed = {f: a for f, a in whole.assumed.items() if f in settled}  # the basis reads their kind (E2)
    # and the basis the whole case gathered below a settled node: the same trace and presumptions below it
    settled_basis = {n: b for n, b in whole.cited_below.items() if n in settled}
    evaluations = []
    judged: list[tuple[date, date | None, Evaluation]] = []
    for s, e in spans:
        ev = Evaluation(evaluator, facts, on, as_of)
        ev.period_day = s
        ev.cache.update(settled)
        ev.trace.update(settled_trace)
        ev.assumed.update(settled_assumed)
        ev.cited_below.update(settled_basis)
        judged.append((s, e, ev))
        evaluations.append(ev)
    out = {b.id: tuple(_periods(b, judged, on, at, bound_facts, item_of)) for b in monthly}
    return Streams(out, evaluations)


def _settled(evaluator: Evaluator, whole: Evaluation) -> dict[str, V]:
    """The values the whole case's evaluation holds for nodes whose rules never read `period_day`.

    Not those below which a warning was left unsaid while both branches of an `if` were tried (nor those that read
    them): judged again, a period may reach that rule outside any `if`, and must say it. Every other warning and
    presumption of a node taken over is already the whole case's, where the periods' own are gathered."""
    free = evaluator.period_free
    if free is None:  # a program not made by the compiler
        free = evaluator.period_free = period_free(evaluator.program.nodes)
    trace = whole.trace
    if not whole.quieted:
        return {n: v for n, v in whole.cache.items() if n in free and n in trace}
    unsure = set(whole.quieted)
    for n, t in trace.items():  # in the order evaluated: a node after every node it read
        if n not in unsure and not unsure.isdisjoint(t.inputs):
            unsure.add(n)
    return {n: v for n, v in whole.cache.items() if n in free and n in trace and n not in unsure}


def _periods(b: ir.Benefit, judged: list[tuple[date, date | None, Evaluation]], origin: date,
             at: dict[date, ir.Event], bound_facts: frozenset[str], item_of: ItemOf) -> list[Period]:
    raw: list[Period] = []
    for s, e, ev in judged:
        item = item_of(ev, b)
        payable: V = item.payable  # type: ignore[attr-defined]
        if payable.value is False:
            continue
        missing: set[str] = set()
        state: bool | None = True
        end_open = False
        if not payable.known:
            if payable.missing and payable.missing <= bound_facts:
                missing |= payable.missing  # owed, up to (or from) a day the case does not give
                end_open = True
            else:
                state = None
                missing |= payable.missing
        amount: V = item.amount  # type: ignore[attr-defined]
        if state and not amount.known:
            missing |= amount.missing  # owed, at an amount the case does not yet decide (e.g. a year's figure)
        start: date | None = s
        if "arises" in b.fields:
            arises = ev.get(b.fields["arises"])
            if arises.known:
                if e is not None and arises.value > e:  # type: ignore[operator]
                    continue
                start = max(s, arises.value)  # type: ignore[type-var]
            else:
                start = None
                missing |= arises.missing
        raw.append(Period(start, None if end_open else e, item, None, None, tuple(sorted(missing)), state))
    merged: list[Period] = []
    for p in raw:
        last = merged[-1] if merged else None
        touching = last is not None and last.end is not None and p.start == last.end + timedelta(days=1)
        if last is not None and touching and _same(last, p):  # a span not owed between them keeps them apart
            merged[-1] = Period(last.start, p.end, last.item, None, None, last.missing, last.payable)
        else:
            merged.append(p)
    return [Period(p.start, p.end, p.item, _edge_start(p, origin, at), _edge_end(p, at), p.missing, p.payable)
            for p in merged]


def _same(a: Period, b: Period) -> bool:
    x, y = a.item, b.item
    return (a.payable == b.payable and (a.start is None) == (b.start is None) and a.end is not None
            and a.missing == b.missing
            and all(getattr(x, f).value == getattr(y, f).value
                    for f in ("amount", "payer", "advance_payer", "recover_from")))


def _edge_start(p: Period, origin: date, at: dict[date, ir.Event]) -> Edge | None:
    if p.start is None:
        return None
    e = at.get(p.start)
    if e is not None:
        return Edge(e.id, e.labels, e.cites)
    if p.start == origin:
        return Edge(ACCIDENT, None, p.item.benefit.cites[:1])  # type: ignore[attr-defined]
    return None


def _edge_end(p: Period, at: dict[date, ir.Event]) -> Edge | None:
    if p.end is None:
        return None
    e = at.get(p.end + timedelta(days=1))
    return Edge(e.id, e.labels, e.cites) if e is not None else None
