"""Streams over a population: each row judged on the first day of each span between its events, as columns;
each monthly item as the single case's result gives it (`owed_items`), and the cash flow per calendar year by
item and payer (`lawtrace simulate --years`).

Guarantees: the same spans as the single-case path (engine.run.periods): the events' dates per row (per element
for an event over a list), the row judged on each span's first day (`period_day`); a monthly item is the one
judged in the first span in which it is owed (payable, or payable but for an event's date the row does not give),
else in its first span left open, else as a whole, as `engine.run.result` reports `payable` and `amount`. In the
flows, consecutive spans with the same monthly amount and payers are joined; a stream counts whole calendar
months only, a part month is added to `partial` (pro rata, to the fen) and to no total, as `eval --from --to`
does; a once item counts in the year it arises. Rows whose amounts, payers or dates are unknown are left out of
the flows and counted in `undated`. Later events a row does not give are taken as not having happened, so a long
horizon is an upper bound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from engine.columns.arrays import Bool, Codes, Date, Num, Records
from engine.columns.missing import waits_on_bound
from engine.columns.vector import FEN, Chunk, ItemColumns, Run, Space, VectorProgram
from engine.columns.vector import _item as vector_item
from engine.model import ir
from engine.model.events import bound_facts
from dsl import types as T

NO_DAY = np.iinfo(np.int64).max // 4  # no event (sorted last)
PARTIES = T.PARTIES
UNDETERMINED = "undetermined"  # the payer of an amount owed, where the row does not decide it


@dataclass
class YearlyFlows:
    """Cash flow per calendar year, in fen: `by_item[item][year]`, `by_payer[party][year]` (the final payer),
    `advances[party][year]` (what a party pays first and recovers), `partial[item][year]` (part months, pro rata,
    in no total), `undated[item]` (rows owed an item whose days or amounts are not known: not counted)."""

    years: tuple[int, ...]
    by_item: dict[str, dict[int, int]] = field(default_factory=dict)
    by_payer: dict[str, dict[int, int]] = field(default_factory=dict)
    advances: dict[str, dict[int, int]] = field(default_factory=dict)
    partial: dict[str, dict[int, int]] = field(default_factory=dict)
    undated: dict[str, int] = field(default_factory=dict)

    def add(self, table: dict[str, dict[int, int]], key: str, year: int, fen: int) -> None:
        if fen:
            row = table.setdefault(key, {y: 0 for y in self.years})
            row[year] += fen

    def merge(self, other: YearlyFlows) -> None:
        for name in ("by_item", "by_payer", "advances", "partial"):
            mine = getattr(self, name)
            for key, per_year in getattr(other, name).items():
                for y, v in per_year.items():
                    self.add(mine, key, y, v)
        for k, v in other.undated.items():
            self.undated[k] = self.undated.get(k, 0) + v

    def as_json(self) -> dict[str, object]:
        def money(table: dict[str, dict[int, int]]) -> dict[str, dict[str, str]]:
            return {k: {str(y): f"{v / 100:.2f}" for y, v in sorted(per.items())} for k, per in sorted(table.items())}
        return {"years": list(self.years), "by_item": money(self.by_item), "by_payer": money(self.by_payer),
                "advances": money(self.advances), "partial_months": money(self.partial),
                "undated": dict(sorted(self.undated.items())),
                "note": {"zh": "案件未给出的以后事件（死亡、再婚等）视为未发生：期限越长，数额越是上限",
                         "en": "later events a row does not give (deaths, remarriages) are taken as not happening: "
                               "over a long horizon the flows are upper bounds"}}


def _event_columns(vp: VectorProgram, chunk: Chunk) -> np.ndarray:
    """rows × events: each row's event dates (ordinals; NO_DAY where none), per element for an event over a list."""
    program = vp.program
    run = Run(vp, chunk)
    out = []
    for e in program.events:
        if e.var is None:
            col = run.get(e.id)
            out.append(_ordinals(col, chunk.n))
            continue
        records = run.get(e.collection or "")
        assert isinstance(records, Records)
        fn = vp._compile(e.date_expr(program), (e.var,))
        col = fn(run, Space(e.var, records))
        values = _ordinals(col, records.row_of.shape[0])
        for k in range(max(records.max_len, 0)):  # the k-th element of each row
            per_row = np.full(chunk.n, NO_DAY, dtype=np.int64)
            has = (records.offsets[1:] - records.offsets[:-1]) > k
            idx = records.offsets[:-1][has] + k
            per_row[has] = values[idx]
            out.append(per_row)
    return np.stack(out, axis=1) if out else np.zeros((chunk.n, 0), dtype=np.int64)


def _ordinals(col: object, n: int) -> np.ndarray:
    assert isinstance(col, Date)
    v = np.broadcast_to(np.asarray(col.v, dtype=np.int64), (n,)).copy()
    if col.known is not None:
        v[~np.broadcast_to(col.known, (n,))] = NO_DAY
    return v


def span_starts(vp: VectorProgram, chunk: Chunk) -> tuple[np.ndarray, np.ndarray]:
    """Each row's case date (ordinal; NO_DAY unknown) and the first days of its spans, rows × spans (NO_DAY: none):
    span 0 starts on the case date, each later one on an event date after it (the same day once)."""
    origin = _ordinals(chunk.date, chunk.n)
    events = _event_columns(vp, chunk)
    events = np.where(events > origin[:, None], events, NO_DAY)
    events.sort(axis=1)
    dup = np.zeros_like(events, dtype=bool)
    dup[:, 1:] = events[:, 1:] == events[:, :-1]
    events[dup] = NO_DAY
    events.sort(axis=1)
    last = int(np.max(np.count_nonzero(events < NO_DAY, axis=1), initial=0))
    return origin, np.concatenate([origin[:, None], events[:, :last]], axis=1)


@dataclass
class _Span:
    """Span k of every row that has it (and is still wanted): the rows, their first and last days, and the
    monthly items judged on the first day (over `rows` only)."""

    rows: np.ndarray
    day: np.ndarray  # over rows
    end: np.ndarray  # over rows; NO_DAY: the row's last span
    run: Run
    items: dict[str, ItemColumns]


def _spans(vp: VectorProgram, chunk: Chunk, origin: np.ndarray, starts: np.ndarray,
           monthly: list[ir.Benefit], wanted: Callable[[], np.ndarray | None]) -> Iterator[_Span]:
    n = chunk.n
    for k in range(starts.shape[1]):
        active = (starts[:, k] < NO_DAY) & (origin < NO_DAY)
        more = wanted()
        if more is not None:
            active &= more
        rows = np.nonzero(active)[0]
        if rows.shape[0] == 0:
            if k == 0:
                continue
            break
        day = starts[rows, k]
        end = starts[rows, k + 1] - 1 if k + 1 < starts.shape[1] else np.full(rows.shape[0], NO_DAY)
        end = np.where(end >= NO_DAY - 1, NO_DAY, end)
        if rows.shape[0] == n:
            run = Run(vp, replace(chunk, period_day=Date(day, None, int(day.min()), int(day.max()))))
        else:  # later spans: only the rows that have them
            run = _judged_rows(vp, chunk, rows, day)
        yield _Span(rows, day, end, run, {b.id: vector_item(run, b) for b in monthly})


def owed_items(vp: VectorProgram, chunk: Chunk, whole: tuple[ItemColumns, ...],
               years: tuple[int, ...] = ()) -> tuple[tuple[ItemColumns, ...], YearlyFlows | None]:
    """The items as a single case's result gives them (CONTRACT "Benefits over time"): a monthly item is the one
    judged in the first period in which it is owed (payable, or payable but for the date of an event the row does
    not give), else in its first period still open, else as a whole; every other item as a whole (`whole`). With
    `years`, also the cash flow per calendar year: the spans are judged once for both."""
    monthly = [b for b in vp.benefits if b.period == "monthly"]
    flows = YearlyFlows(years) if years else None
    if flows is not None:
        for item in whole:
            if item.benefit.period != "monthly":
                _once(flows, item, vp, chunk)
    if not monthly or not vp.program.events:
        return whole, flows
    n = chunk.n
    origin, starts = span_starts(vp, chunk)
    bound = bound_facts(vp.program)
    firsts = {b.id: _FirstOwed(n, _any_unknown(chunk, bound)) for b in monthly}
    open_runs: dict[str, dict[str, np.ndarray]] = {}
    horizon_end = _ord(years[-1], 12, 31) if years else NO_DAY

    def wanted() -> np.ndarray | None:  # without flows, a row is judged again only while an item's first is open
        if flows is not None:
            return None
        out = np.zeros(n, dtype=bool)
        for f in firsts.values():
            out |= ~f.found
        return out

    for span in _spans(vp, chunk, origin, starts, monthly, wanted):
        for b in monthly:
            item = span.items[b.id]
            arises = _ordinals(span.run.get(b.fields["arises"]), span.rows.shape[0]) if "arises" in b.fields else None
            firsts[b.id].add(item, span, arises, bound)
            if flows is not None:
                _span(flows, open_runs.setdefault(b.id, {}), item, span.rows, arises, span.day, span.end, n, years,
                      horizon_end)
    if flows is not None:
        for b in monthly:
            _flush(flows, b.id, open_runs.get(b.id, {}), None, years, horizon_end)
    return tuple(firsts[i.benefit.id].result(i) if i.benefit.id in firsts else i for i in whole), flows


def yearly_flows(vp: VectorProgram, chunk: Chunk, years: tuple[int, ...],
                 whole: tuple[ItemColumns, ...] | None = None) -> YearlyFlows:
    """The cash flow of one chunk per calendar year in `years` (`whole`: its items judged as a whole, if at hand)."""
    flows = owed_items(vp, chunk, whole if whole is not None else vp.items(chunk), years)[1]
    assert flows is not None
    return flows


class _FirstOwed:
    """Per row, the item of the first period in which a monthly item is owed, built span by span."""

    def __init__(self, n: int, bound_unknown: np.ndarray):
        self.n = n
        self.bound_unknown = bound_unknown  # rows where an event's date is not given: only they can wait on one
        self.found = np.zeros(n, dtype=bool)  # a period in which it is owed
        self.open = np.zeros(n, dtype=bool)  # a period whose payability is open (kept unless one is found)
        self.pay = np.zeros(n, dtype=bool)
        self.pay_known = np.zeros(n, dtype=bool)
        self.columns: list[list[np.ndarray]] | None = None  # [values, known] of amount, parties and parts

    @staticmethod
    def _fields(item: ItemColumns) -> list[Num | Codes]:
        return [item.amount, item.payer, item.advance_payer, item.recover_from] + \
            [x for _, a, p in item.parts for x in (a, p)]

    def add(self, item: ItemColumns, span: _Span, arises: np.ndarray | None, bound: frozenset[str]) -> None:
        m = span.rows.shape[0]
        pk = _mask(item.payable.known, m)
        pv = np.broadcast_to(np.asarray(item.payable.v, dtype=bool), (m,))
        skip = pk & ~pv
        if arises is not None:  # owed from a day after this span: not a period of it
            skip |= (arises < NO_DAY) & (span.end < NO_DAY) & (arises > span.end)
        owed = ~skip & pk
        found, opened = self.found[span.rows], self.open[span.rows]
        undecided = ~skip & ~pk & ~found & self.bound_unknown[span.rows]  # owed if only event dates are wanting
        if undecided.any() and "payable" in item.benefit.fields:
            at = np.nonzero(undecided)[0]
            sub = span.run if at.shape[0] == m else _judged_rows(span.run.vp, span.run.chunk, at, span.day[at])
            owed[at] |= waits_on_bound(sub, item.benefit.fields["payable"], bound)
        first = owed & ~found
        still_open = ~skip & ~owed & ~found & ~opened
        take = first | still_open
        if not take.any():
            return
        at = span.rows[take]
        self.pay[at] = np.where(first, True, pv)[take]
        self.pay_known[at] = np.where(first, True, pk)[take]
        fields = self._fields(item)
        if self.columns is None:
            self.columns = [[np.zeros(self.n, dtype=np.int64), np.zeros(self.n, dtype=bool)] for _ in fields]
        for (values, known), col in zip(self.columns, fields):
            values[at] = _int_values(col, m)[take]
            known[at] = _mask(col.known, m)[take]
        self.found[span.rows[first]] = True
        self.open[span.rows[still_open]] = True

    def result(self, whole: ItemColumns) -> ItemColumns:
        judged = self.found | self.open
        if self.columns is None or not judged.any():
            return whole
        n = self.n
        fields = self._fields(whole)
        out = []
        for (values, known), col in zip(self.columns, fields):
            v = np.where(judged, values, _int_values(col, n))
            k = np.where(judged, known, _mask(col.known, n))
            if isinstance(col, Num):
                assert col.den == FEN, "money columns are in fen"
                v = np.where(k, v, 0)
                out.append(Num(v, FEN, min(int(v.min(initial=0)), 0), max(int(v.max(initial=0)), 0), k))
            else:
                out.append(Codes(v, col.vocab, k))
        pay = np.where(judged, self.pay, np.broadcast_to(np.asarray(whole.payable.v, dtype=bool), (n,)))
        pay_known = np.where(judged, self.pay_known, _mask(whole.payable.known, n))
        parts = tuple((name, out[4 + 2 * i], out[5 + 2 * i]) for i, (name, _, _) in enumerate(whole.parts))
        return ItemColumns(whole.benefit, Bool(pay, pay_known), out[0], out[1], out[2], out[3],  # type: ignore[arg-type]
                           parts)  # type: ignore[arg-type]


def _any_unknown(chunk: Chunk, facts: frozenset[str]) -> np.ndarray:
    """Rows where one of `facts` is not given (a fact no column gives: every row)."""
    out = np.zeros(chunk.n, dtype=bool)
    for name in facts:
        col = chunk.facts.get(name)
        if col is None:
            return np.ones(chunk.n, dtype=bool)
        known = getattr(col, "known", None)
        if known is not None:
            out |= ~np.broadcast_to(known, (chunk.n,))
    return out


def _judged_rows(vp: VectorProgram, chunk: Chunk, rows: np.ndarray, day: np.ndarray) -> Run:
    """A run over some rows of a chunk, each judged on its day."""
    sub = replace(_rows(chunk, rows), period_day=Date(day, None, int(day.min()), int(day.max())))
    return Run(vp, sub)


def _mask(known: object, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if known is None else np.broadcast_to(np.asarray(known, dtype=bool), (n,))


def _int_values(col: Num | Codes, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(col.v, dtype=np.int64), (n,))


def _ord(y: int, m: int, d: int) -> int:
    from datetime import date
    return date(y, m, d).toordinal()


def _party(code: int) -> str:
    return UNDETERMINED if code < 0 else str(PARTIES[code])


def _codes(c: Codes, n: int) -> np.ndarray:
    v = np.broadcast_to(np.asarray(c.v, dtype=np.int64), (n,)).copy()
    if c.known is not None:
        v[~np.broadcast_to(c.known, (n,))] = -1
    return v


def _rows(chunk: Chunk, rows: np.ndarray) -> Chunk:
    """The chunk's rows `rows` (a list fact: its elements of those rows); a fact is gathered when first read."""
    return replace(chunk, n=int(rows.shape[0]), facts=_Gathered(chunk.facts, rows),  # type: ignore[arg-type]
                   date=chunk.date.gather(rows),
                   as_of=chunk.as_of.gather(rows) if chunk.as_of is not None else None, period_day=None)


class _Gathered(dict):  # type: ignore[type-arg]
    """Some rows of a chunk's facts, each gathered on first read: a span judges few of the facts it carries."""

    def __init__(self, facts: dict[str, object], rows: np.ndarray):
        super().__init__()
        self.facts, self.rows = facts, rows

    def get(self, name: str, default: object = None) -> object:  # type: ignore[override]
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        col = self.facts.get(name)
        if col is None:
            return default
        out = _records(col, self.rows) if isinstance(col, Records) else col.gather(self.rows)  # type: ignore[attr-defined]
        self[name] = out
        return out

    def __getitem__(self, name: str) -> object:
        out = self.get(name)
        if out is None:
            raise KeyError(name)
        return out

    def __contains__(self, name: object) -> bool:  # the facts there are, gathered or not
        return dict.__contains__(self, name) or name in self.facts


def _records(r: Records, rows: np.ndarray) -> Records:
    lengths = (r.offsets[1:] - r.offsets[:-1])[rows]
    offsets = np.zeros(rows.shape[0] + 1, dtype=r.offsets.dtype)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    elems = np.repeat(r.offsets[:-1][rows], lengths) + (np.arange(total) - np.repeat(offsets[:-1], lengths))
    fields = {k: v.gather(elems) for k, v in r.fields.items()}  # type: ignore[union-attr]
    known = None if r.known is None else np.broadcast_to(r.known, r.offsets.shape[0] - 1)[rows]
    return Records(offsets, np.repeat(np.arange(rows.shape[0]), lengths), fields, known,
                   int(lengths.max()) if lengths.shape[0] else 0)


def _span(flows: YearlyFlows, run: dict[str, np.ndarray], item: ItemColumns, rows: np.ndarray,
          arises: np.ndarray | None, day: np.ndarray, end: np.ndarray, n: int, years: tuple[int, ...],
          horizon_end: int) -> None:
    """One span of the rows `rows` (the others have none): extend a row's open run where nothing changed, else
    close it and open another. `item`, `arises`, `day` and `end` are over `rows`."""
    m = rows.shape[0]
    pay = item.payable
    owed = np.broadcast_to(np.asarray(pay.v, dtype=bool), (m,)) & _mask(pay.known, m)
    start = day
    key_id = item.benefit.id
    if arises is not None:
        owed = owed & (arises <= end)
        start = np.maximum(day, arises)
        undated = owed & (arises >= NO_DAY)
        owed &= arises < NO_DAY
        if undated.any():
            flows.undated[key_id] = flows.undated.get(key_id, 0) + int(undated.sum())
    amount, payer = _num(item.amount, m), _codes(item.payer, m)
    adv, rec = _codes(item.advance_payer, m), _codes(item.recover_from, m)
    known = amount >= 0  # an unknown payer is counted under `undetermined`
    lost = owed & ~known
    if lost.any():
        flows.undated[key_id] = flows.undated.get(key_id, 0) + int(lost.sum())
    owed &= known
    key = np.where(owed, ((amount * 64 + payer + 1) * 64 + adv + 1) * 64 + rec + 1, -1)
    if not run:
        run.update(start=np.full(n, NO_DAY), end=np.full(n, NO_DAY), key=np.full(n, -1, dtype=np.int64),
                   amount=np.zeros(n, dtype=np.int64), payer=np.zeros(n, dtype=np.int64), adv=np.zeros(n, dtype=np.int64))
    same = (run["key"][rows] == key) & (key >= 0) & (run["end"][rows] + 1 == start)
    change = ~same
    _flush(flows, key_id, run, rows[change], years, horizon_end)
    opened = change & owed
    at = rows[opened]
    for name, value in (("start", start), ("key", key), ("amount", amount), ("payer", payer), ("adv", adv)):
        run[name][at] = value[opened]
    run["key"][rows[change & ~opened]] = -1
    kept = opened | same
    run["end"][rows[kept]] = end[kept]


def _num(c: Num, n: int) -> np.ndarray:
    v = np.broadcast_to(np.asarray(c.v, dtype=np.int64), (n,)).copy()
    scale = FEN // c.den if c.den <= FEN else None
    if scale is None or FEN % c.den:
        raise AssertionError("money columns are in fen")
    v = v * scale
    if c.known is not None:
        v[~np.broadcast_to(c.known, (n,))] = -1
    return v


def _flush(flows: YearlyFlows, item_id: str, run: dict[str, np.ndarray], rows: np.ndarray | None,
           years: tuple[int, ...], horizon_end: int) -> None:
    """Add the closed runs of the rows `rows` (indices; every open run when None) to the flows: whole months,
    part months apart."""
    if not run:
        return
    pick = np.nonzero(run["key"] >= 0)[0] if rows is None else rows[run["key"][rows] >= 0]
    if pick.shape[0] == 0:
        return
    start, end = run["start"][pick], np.minimum(run["end"][pick], horizon_end)
    amount, payer, adv = run["amount"][pick], run["payer"][pick], run["adv"][pick]
    s = np.array(start - 719163, dtype="datetime64[D]")  # ordinal 719163 is 1970-01-01
    e = np.array(end - 719163, dtype="datetime64[D]")
    for y in years:
        y0, y1 = np.datetime64(f"{y}-01-01"), np.datetime64(f"{y}-12-31")
        a, z = np.maximum(s, y0), np.minimum(e, y1)
        live = a <= z
        if not live.any():
            continue
        a, z, amt, pr, ad = a[live], z[live], amount[live], payer[live], adv[live]
        first_m = a.astype("datetime64[M]")
        first_full = np.where(a == first_m.astype("datetime64[D]"), first_m, first_m + 1)
        last_m = z.astype("datetime64[M]")
        last_full = np.where(z == (last_m + 1).astype("datetime64[D]") - 1, last_m, last_m - 1)
        months = np.maximum((last_full - first_full).astype(np.int64) + 1, 0)
        total = months * amt
        flows.add(flows.by_item, item_id, y, int(total.sum()))
        for code in np.unique(pr):
            flows.add(flows.by_payer, _party(code), y, int(total[pr == code].sum()))
        for code in np.unique(ad):
            if code >= 0 and PARTIES[code] != "none":
                flows.add(flows.advances, str(PARTIES[code]), y, int(total[ad == code].sum()))
        flows.add(flows.partial, item_id, y, int(_part_months(a, z, amt, months).sum()))
    run["key"][pick] = -1


def _part_months(a: np.ndarray, z: np.ndarray, amount: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Pro rata (half up, to the fen) of the months a run only partly covers, within one year: at most its first
    and its last month (one month, when both ends fall in it)."""
    m_a, m_z = a.astype("datetime64[M]"), z.astype("datetime64[M]")
    a_first = m_a.astype("datetime64[D]")
    z_first = m_z.astype("datetime64[D]")
    a_days = ((m_a + 1).astype("datetime64[D]") - a_first).astype(np.int64)  # days in a's month
    z_days = ((m_z + 1).astype("datetime64[D]") - z_first).astype(np.int64)
    one = m_a == m_z
    amt = amount.astype(np.int64)

    def pro_rata(days: np.ndarray, of: np.ndarray) -> np.ndarray:
        return (amt * days * 2 + of) // (2 * of)

    same_days = (z - a).astype(np.int64) + 1
    head_days = a_days - (a - a_first).astype(np.int64)  # from a to the end of its month
    tail_days = (z - z_first).astype(np.int64) + 1  # from the start of z's month to z
    single = np.where(one & (same_days != a_days), pro_rata(same_days, a_days), 0)
    head = np.where(~one & (head_days != a_days), pro_rata(head_days, a_days), 0)
    tail = np.where(~one & (tail_days != z_days), pro_rata(tail_days, z_days), 0)
    return single + head + tail


def _once(flows: YearlyFlows, item: ItemColumns, vp: VectorProgram, chunk: Chunk) -> None:
    n = chunk.n
    pay = item.payable
    payable = np.broadcast_to(np.asarray(pay.v, dtype=bool), (n,)) & (
        True if pay.known is None else np.broadcast_to(pay.known, (n,)))
    if not payable.any():
        return
    amount, payer, adv = _num(item.amount, n), _codes(item.payer, n), _codes(item.advance_payer, n)
    if "arises" not in item.benefit.fields:
        flows.undated[item.benefit.id] = flows.undated.get(item.benefit.id, 0) + int(payable.sum())
        return
    arises = _ordinals(vp.nodes(chunk, [item.benefit.fields["arises"]])[item.benefit.fields["arises"]], n)
    ok = payable & (amount >= 0) & (arises < NO_DAY)
    lost = payable & ~ok
    if lost.any():
        flows.undated[item.benefit.id] = flows.undated.get(item.benefit.id, 0) + int(lost.sum())
    year = np.array(arises - 719163, dtype="datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    for y in flows.years:
        sel = ok & (year == y)
        if not sel.any():
            continue
        flows.add(flows.by_item, item.benefit.id, y, int(amount[sel].sum()))
        for code in np.unique(payer[sel]):
            flows.add(flows.by_payer, _party(code), y, int(amount[sel & (payer == code)].sum()))
        for code in np.unique(adv[sel]):
            if code >= 0 and PARTIES[code] != "none":
                flows.add(flows.advances, str(PARTIES[code]), y, int(amount[sel & (adv == code)].sum()))
