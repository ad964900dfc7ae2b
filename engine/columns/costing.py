"""Totals over a population, one regime: by period, by item, by payer, and the fund's advances and recoveries.

Guarantees: every sum is exact (Python ints of fen, accumulated chunk by
chunk from int64 arrays); periods are never added together (a once item's
amount, a monthly item's amount for one month and a yearly item's for one
year are totals of their own). An item's amount is *determined* in a row when
the item is known not payable (0) or payable with a known amount; it then
counts in the item's total whatever else is open, and its share goes to its
payer, or to `undetermined` (the undetermined payer) when who pays is not
known: a determined amount is never dropped. An item whose payability or
amount is unknown counts in no sum and in the item's undetermined rows. The
fund's advances (SIL 41-42, APM) are given as flows: what each party pays
first, and from whom it is recovered, of the determined amounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from dsl import types as T
from engine.columns.arrays import Codes, Known, Num, is_scalar
from engine.columns.vector import FEN, ItemColumns

PARTIES = tuple(p for p in T.PARTIES if p != "none")
UNDETERMINED = "undetermined"  # the key of an amount whose payer (or advance payer) is not known
PERIODS = ("once", "monthly", "yearly")


def yuan(fen: int) -> str:
    """Fen as a decimal string in yuan with two places."""
    return f"{Decimal(fen).scaleb(-2):.2f}"


def known_rows(k: Known, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if k is None else np.broadcast_to(k, (n,))


def row_values(v: object, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(v), (n,))


def _fen(amount: Num, n: int) -> np.ndarray:
    assert amount.den == FEN, "a money node is always in fen"
    return row_values(amount.v, n).astype(np.int64, copy=False)


def period_order(p: str) -> int:
    return PERIODS.index(p) if p in PERIODS else len(PERIODS)


def party_order(p: str) -> int:
    return T.PARTIES.index(p) if p in T.PARTIES else len(T.PARTIES)


def add_into(into: dict[str, int], more: dict[str, int]) -> None:
    for k, v in more.items():
        into[k] = into.get(k, 0) + v


def party_sums(fen: np.ndarray, party: Codes, rows: np.ndarray, n: int, nobody: bool = False) -> dict[str, int]:
    """fen summed over `rows` by the party of each row; an unknown party under UNDETERMINED, nobody left out.

    Rows whose party is "none" count under "none" when `nobody` (a final payer: every amount lands somewhere), and
    not at all otherwise (an advance: none is made)."""
    known = known_rows(party.known, n)
    out: dict[str, int] = {}
    codes = party.v
    if is_scalar(codes):
        name = party.vocab[int(codes)]  # type: ignore[call-overload]
        if name != "none" or nobody:
            s = int(fen[rows & known].sum(dtype=np.int64))
            if s or rows.any():
                out[name] = s
    else:
        for code, name in enumerate(party.vocab):
            if name == "none" and not nobody:
                continue
            sel = rows & known & (codes == code)  # type: ignore[operator]
            if sel.any():
                out[name] = int(fen[sel].sum(dtype=np.int64))
    if party.known is not None:
        sel = rows & ~known
        if sel.any():
            out[UNDETERMINED] = int(fen[sel].sum(dtype=np.int64))
    return out


@dataclass
class ItemRows:
    """One item over one chunk: where its amount is determined, the amount (0 elsewhere), its parties."""

    id: str
    period: str
    determined: np.ndarray
    counted: np.ndarray  # payable with a known amount
    fen: np.ndarray
    shares: list[tuple[np.ndarray, Codes]]  # (fen, final payer) of each part, or of the whole item
    advance: Codes
    recover: Codes
    payer_known: np.ndarray

    @staticmethod
    def of(item: ItemColumns, n: int) -> ItemRows:
        pk = known_rows(item.payable.known, n)
        pv = row_values(item.payable.v, n).astype(bool, copy=False)
        counted = pk & pv & known_rows(item.amount.known, n)
        determined = pk & (~pv | counted)
        fen = np.where(counted, _fen(item.amount, n), 0)
        if item.parts:
            # where a part's amount is open, who bears what is open: the whole amount goes to the undetermined payer
            split = np.ones(n, dtype=bool)
            for _, a, _ in item.parts:
                split &= known_rows(a.known, n)
            shares = [(np.where(counted & split, _fen(a, n), 0), p) for _, a, p in item.parts]
            if not split.all():
                open_split = Codes(0, T.PARTIES, np.zeros(n, dtype=bool))
                shares.append((np.where(split, 0, fen), open_split))
            payer_known = split.copy()
            for _, _, p in item.parts:
                payer_known &= known_rows(p.known, n)
        else:
            shares = [(fen, item.payer)]
            payer_known = known_rows(item.payer.known, n)
        return ItemRows(item.benefit.id, item.benefit.period, determined, counted, fen, shares,
                        item.advance_payer, item.recover_from, payer_known)

    def by_payer(self, rows: np.ndarray, n: int) -> dict[str, int]:
        out: dict[str, int] = {}
        for fen, payer in self.shares:
            add_into(out, party_sums(fen, payer, rows, n, nobody=True))
        return out


@dataclass
class Outcome:
    """One regime over one chunk: its items, and per period each row's determined flag and total."""

    n: int
    items: list[ItemRows]
    determined: dict[str, np.ndarray]  # every item of the period determined in the row
    total: dict[str, np.ndarray]  # fen: the period's determined amounts in the row

    @staticmethod
    def of(items: tuple[ItemColumns, ...], n: int) -> Outcome:
        rows = [ItemRows.of(i, n) for i in items]
        determined: dict[str, np.ndarray] = {}
        total: dict[str, np.ndarray] = {}
        for r in sorted(rows, key=lambda r: period_order(r.period)):
            if r.period not in determined:
                determined[r.period] = np.ones(n, dtype=bool)
                total[r.period] = np.zeros(n, dtype=np.int64)
            determined[r.period] &= r.determined
            total[r.period] += r.fen
        return Outcome(n, rows, determined, total)

    def all_determined(self) -> np.ndarray:
        out = np.ones(self.n, dtype=bool)
        for d in self.determined.values():
            out &= d
        return out


@dataclass
class ItemTotal:
    period: str
    amount: int = 0  # fen, over the rows where it is determined
    payable_rows: int = 0  # payable with a known amount
    undetermined_rows: int = 0  # payability or amount unknown
    payer_undetermined_rows: int = 0  # amount counted, its payer not known
    by_payer: dict[str, int] = field(default_factory=dict)
    advanced_by: dict[str, int] = field(default_factory=dict)
    recovered_from: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"period": self.period, "amount": yuan(self.amount), "payable_rows": self.payable_rows,
                "undetermined_rows": self.undetermined_rows, "payer_undetermined_rows": self.payer_undetermined_rows,
                "by_payer": money_map(self.by_payer), "advanced_by": money_map(self.advanced_by),
                "recovered_from": money_map(self.recovered_from)}


@dataclass
class PeriodTotal:
    amount: int = 0
    undetermined_rows: int = 0  # rows with an item of the period undetermined
    by_payer: dict[str, int] = field(default_factory=dict)
    advanced_by: dict[str, int] = field(default_factory=dict)
    recovered_from: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"amount": yuan(self.amount), "undetermined_rows": self.undetermined_rows,
                "by_payer": money_map(self.by_payer), "advanced_by": money_map(self.advanced_by),
                "recovered_from": money_map(self.recovered_from)}


def money_map(d: dict[str, int]) -> dict[str, str]:
    return {k: yuan(v) for k, v in sorted(d.items(), key=lambda kv: party_order(kv[0]))}


@dataclass
class Totals:
    """Sums over every chunk seen so far, for one regime."""

    items: dict[str, ItemTotal] = field(default_factory=dict)
    periods: dict[str, PeriodTotal] = field(default_factory=dict)
    n: int = 0
    undetermined_rows: int = 0  # rows with any item undetermined

    def add(self, items: tuple[ItemColumns, ...], n: int) -> Outcome:
        outcome = Outcome.of(items, n)
        self.add_outcome(outcome)
        return outcome

    def add_outcome(self, outcome: Outcome) -> None:
        n = outcome.n
        for r in outcome.items:
            t = self.items.setdefault(r.id, ItemTotal(r.period))
            p = self.periods.setdefault(r.period, PeriodTotal())
            t.payable_rows += int(np.count_nonzero(r.counted))
            t.undetermined_rows += int(n - np.count_nonzero(r.determined))
            t.payer_undetermined_rows += int(np.count_nonzero(r.counted & ~r.payer_known))
            t.amount += int(r.fen.sum(dtype=np.int64))
            payers = r.by_payer(r.counted, n)
            advanced = party_sums(r.fen, r.advance, r.counted, n)
            recovered = party_sums(r.fen, r.recover, r.counted, n)
            for into in (t, p):
                add_into(into.by_payer, payers)
                add_into(into.advanced_by, advanced)
                add_into(into.recovered_from, recovered)
        for period, total in outcome.total.items():
            p = self.periods[period]
            p.amount += int(total.sum(dtype=np.int64))
            p.undetermined_rows += int(n - np.count_nonzero(outcome.determined[period]))
        self.n += n
        self.undetermined_rows += int(n - np.count_nonzero(outcome.all_determined()))

    def merge(self, other: Totals) -> None:
        """Add another part's totals (exact: integer fen), e.g. a partition evaluated elsewhere."""
        for k, t in other.items.items():
            mine = self.items.setdefault(k, ItemTotal(t.period))
            mine.amount += t.amount
            mine.payable_rows += t.payable_rows
            mine.undetermined_rows += t.undetermined_rows
            mine.payer_undetermined_rows += t.payer_undetermined_rows
            for a, b in ((mine.by_payer, t.by_payer), (mine.advanced_by, t.advanced_by),
                         (mine.recovered_from, t.recovered_from)):
                add_into(a, b)
        for k, p in other.periods.items():
            mp = self.periods.setdefault(k, PeriodTotal())
            mp.amount += p.amount
            mp.undetermined_rows += p.undetermined_rows
            for a, b in ((mp.by_payer, p.by_payer), (mp.advanced_by, p.advanced_by),
                         (mp.recovered_from, p.recovered_from)):
                add_into(a, b)
        self.n += other.n
        self.undetermined_rows += other.undetermined_rows

    def paid_by(self, party: str) -> int:
        """What a party bears in the end over every period (the fund's accounts add a month to a lump sum here)."""
        return sum(p.by_payer.get(party, 0) for p in self.periods.values())

    def advanced(self, party: str) -> int:
        return sum(p.advanced_by.get(party, 0) for p in self.periods.values())

    def as_json(self) -> dict[str, object]:
        periods = sorted(self.periods, key=period_order)
        return {
            "n": self.n,
            "undetermined_rows": self.undetermined_rows,
            "totals": {p: self.periods[p].as_json() for p in periods},
            "items": {i: t.as_json() for i, t in self.items.items()},
        }
