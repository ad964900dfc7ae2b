"""Streams over a population: each row judged on the first day of each span between its events, as columns,
and the cash flow per calendar year by item and payer (`lawtrace simulate --years`).

Guarantees: the same spans as the single-case path (engine.run.periods): the events' dates per row (per element
for an event over a list), the row judged on each span's first day (`period_day`), consecutive spans with the
same monthly amount and payers joined; a stream counts whole calendar months only, a part month is added to
`partial` (pro rata, to the fen) and to no total, as `eval --from --to` does; a once item counts in the year it
arises. Rows whose amounts, payers or dates are unknown are left out of the flows and counted in `undated`.
Later events a row does not give are taken as not having happened, so a long horizon is an upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from engine.columns.arrays import Codes, Date, Num, Records
from engine.columns.vector import FEN, Chunk, ItemColumns, Run, Space, VectorProgram
from engine.columns.vector import _item as vector_item
from engine.model import ir
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


def yearly_flows(vp: VectorProgram, chunk: Chunk, years: tuple[int, ...],
                 whole: tuple[ItemColumns, ...] | None = None) -> YearlyFlows:
    """The cash flow of one chunk per calendar year in `years` (`whole`: its items judged as a whole, if at hand)."""
    flows = YearlyFlows(years)
    n = chunk.n
    origin = _ordinals(chunk.date, n)
    events = _event_columns(vp, chunk)
    events = np.where(events > origin[:, None], events, NO_DAY)
    events.sort(axis=1)
    dup = np.zeros_like(events, dtype=bool)
    dup[:, 1:] = events[:, 1:] == events[:, :-1]
    events[dup] = NO_DAY
    events.sort(axis=1)
    starts = np.concatenate([origin[:, None], events], axis=1)  # span k starts on starts[:, k]
    horizon_end = _ord(years[-1], 12, 31)
    for item in whole if whole is not None else vp.items(chunk):
        if item.benefit.period != "monthly":
            _once(flows, item, vp, chunk)
    monthly = [b for b in vp.benefits if b.period == "monthly"]
    if not monthly:
        return flows
    open_runs: dict[str, dict[str, np.ndarray]] = {}
    for k in range(starts.shape[1]):
        day = starts[:, k]
        active = (day < NO_DAY) & (origin < NO_DAY)
        if not active.any():
            break
        end = np.where(k + 1 < starts.shape[1], starts[:, min(k + 1, starts.shape[1] - 1)] - 1, NO_DAY) \
            if k + 1 < starts.shape[1] else np.full(n, NO_DAY)
        safe = np.where(active, day, origin)
        rows = np.nonzero(active)[0]
        sub = chunk if rows.shape[0] == n else _rows(chunk, rows)  # later spans: only the rows that have them
        sub_day = safe[rows]
        judged = replace(sub, period_day=Date(sub_day, None, int(sub_day.min()), int(sub_day.max())))
        run = Run(vp, judged)  # only the monthly items and their days are judged again
        for b in monthly:
            judged_item = _Judged.of(vector_item(run, b), rows, n)
            arises = None
            if "arises" in b.fields:
                arises = np.full(n, NO_DAY, dtype=np.int64)
                arises[rows] = _ordinals(run.get(b.fields["arises"]), rows.shape[0])
            _span(flows, open_runs.setdefault(b.id, {}), judged_item, arises, safe, end, active, years, horizon_end)
    for b in monthly:
        _flush(flows, b.id, open_runs.get(b.id, {}), None, years, horizon_end)
    return flows


def _ord(y: int, m: int, d: int) -> int:
    from datetime import date
    return date(y, m, d).toordinal()


def _arises(vp: VectorProgram, chunk: Chunk, benefits: list[ir.Benefit]) -> dict[str, np.ndarray]:
    names = [b.fields["arises"] for b in benefits if "arises" in b.fields]
    cols = vp.nodes(chunk, names) if names else {}
    return {b.id: _ordinals(cols[b.fields["arises"]], chunk.n) for b in benefits if "arises" in b.fields}


def _party(code: int) -> str:
    return UNDETERMINED if code < 0 else str(PARTIES[code])


def _codes(c: Codes, n: int) -> np.ndarray:
    v = np.broadcast_to(np.asarray(c.v, dtype=np.int64), (n,)).copy()
    if c.known is not None:
        v[~np.broadcast_to(c.known, (n,))] = -1
    return v


@dataclass
class _Judged:
    """A monthly item judged on a span, over all the chunk's rows (rows not judged: not payable)."""

    benefit: ir.Benefit
    payable: np.ndarray
    amount: np.ndarray  # fen; -1 unknown
    payer: np.ndarray  # codes; -1 unknown
    advance_payer: np.ndarray
    recover_from: np.ndarray

    @staticmethod
    def of(item: ItemColumns, rows: np.ndarray, n: int) -> _Judged:
        m = rows.shape[0]
        pay = item.payable
        payable = np.zeros(n, dtype=bool)
        payable[rows] = np.broadcast_to(np.asarray(pay.v, dtype=bool), (m,)) & (
            True if pay.known is None else np.broadcast_to(pay.known, (m,)))

        def spread(values: np.ndarray) -> np.ndarray:
            out = np.full(n, -1, dtype=np.int64)
            out[rows] = values
            return out
        return _Judged(item.benefit, payable, spread(_num(item.amount, m)), spread(_codes(item.payer, m)),
                       spread(_codes(item.advance_payer, m)), spread(_codes(item.recover_from, m)))


def _rows(chunk: Chunk, rows: np.ndarray) -> Chunk:
    """The chunk's rows `rows` (a list fact: its elements of those rows)."""
    facts: dict[str, object] = {}
    for name, col in chunk.facts.items():
        facts[name] = _records(col, rows) if isinstance(col, Records) else col.gather(rows)  # type: ignore[union-attr]
    return replace(chunk, n=int(rows.shape[0]), facts=facts, date=chunk.date.gather(rows),  # type: ignore[arg-type]
                   as_of=chunk.as_of.gather(rows) if chunk.as_of is not None else None, period_day=None)


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


def _span(flows: YearlyFlows, run: dict[str, np.ndarray], item: _Judged, arises: np.ndarray | None,
          day: np.ndarray, end: np.ndarray, active: np.ndarray, years: tuple[int, ...], horizon_end: int) -> None:
    """One span of every row: extend the row's open run where nothing changed, else close it and open another."""
    n = day.shape[0]
    owed = active & item.payable
    start = day.copy()
    if arises is not None:
        started = arises <= end
        owed &= started
        start = np.maximum(day, arises)
        undated = owed & (arises >= NO_DAY)
        owed &= arises < NO_DAY
        if undated.any():
            flows.undated[item.benefit.id] = flows.undated.get(item.benefit.id, 0) + int(undated.sum())
    amount, payer, adv, rec = item.amount, item.payer, item.advance_payer, item.recover_from
    known = amount >= 0  # an unknown payer is counted under `undetermined`
    lost = owed & ~known
    if lost.any():
        flows.undated[item.benefit.id] = flows.undated.get(item.benefit.id, 0) + int(lost.sum())
    owed &= known
    key = np.where(owed, ((amount * 64 + payer + 1) * 64 + adv + 1) * 64 + rec + 1, -1)
    if not run:
        run.update(start=np.full(n, NO_DAY), end=np.full(n, NO_DAY), key=np.full(n, -1, dtype=np.int64),
                   amount=np.zeros(n, dtype=np.int64), payer=np.zeros(n, dtype=np.int64), adv=np.zeros(n, dtype=np.int64))
    same = active & (run["key"] == key) & (key >= 0) & (run["end"] + 1 == start)
    change = active & ~same
    _flush(flows, item.benefit.id, run, change, years, horizon_end)
    opened = change & owed
    for name, value in (("start", start), ("key", key), ("amount", amount), ("payer", payer), ("adv", adv)):
        run[name] = np.where(opened, value, np.where(change, run[name] if name != "key" else -1, run[name]))
    run["end"] = np.where(opened | same, end, run["end"])


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
    """Add the closed runs of `rows` (all open runs when None) to the flows: whole months, part months apart."""
    if not run:
        return
    pick = run["key"] >= 0
    if rows is not None:
        pick &= rows
    if not pick.any():
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
    run["key"] = np.where(pick if rows is None else rows, -1, run["key"])


def _part_months(a: np.ndarray, z: np.ndarray, amount: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Pro rata (half up, to the fen) of the months a run only partly covers."""
    out = np.zeros(a.shape[0], dtype=np.int64)
    for i in range(a.shape[0]):  # part months are few: at most two per run and year
        d, last = a[i].astype(object), z[i].astype(object)
        while d <= last:
            m_start = d.replace(day=1)
            nxt = (m_start.replace(year=m_start.year + 1, month=1) if m_start.month == 12
                   else m_start.replace(month=m_start.month + 1))
            m_end = nxt.toordinal() - 1
            hi = min(m_end, last.toordinal())
            days, of_days = hi - d.toordinal() + 1, m_end - m_start.toordinal() + 1
            if days != of_days:
                out[i] += (int(amount[i]) * days * 2 + of_days) // (2 * of_days)
            d = type(d).fromordinal(hi + 1)
    return out


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
