"""Totals over a population: by item and by payer, undetermined rows, and a reform against its baseline.

Guarantees: every sum is exact (Python ints of fen, accumulated chunk by
chunk from int64 arrays); an item counts in the totals of a row only where it
is payable (true, not unknown) and its amount and payers are known; a row is
undetermined when any of its items is; totals "by payer" add what each party
bears in the end (an item's parts to their own payers), over every period:
a once item's amount, a monthly item's amount for one month, a yearly item's
for one year (the breakdown by period is given beside it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from dsl import types as T
from engine.columns.arrays import Codes, Known, Num, is_scalar
from engine.columns.vector import FEN, ItemColumns

PARTIES = tuple(p for p in T.PARTIES if p != "none")


def yuan(fen: int) -> str:
    """Fen as a decimal string in yuan with two places."""
    return f"{Decimal(fen).scaleb(-2):.2f}"


def _known(k: Known, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if k is None else np.broadcast_to(k, (n,))


def _values(v: object, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(v), (n,))


def _fen(amount: Num, n: int) -> np.ndarray:
    assert amount.den == FEN, "a money node is always in fen"
    return _values(amount.v, n).astype(np.int64, copy=False)


@dataclass
class RowOutcome:
    """Per row of one chunk: what was decided for each item, and the row's total benefit."""

    n: int
    determined: np.ndarray  # the row has no undetermined item
    total: np.ndarray  # fen: every payable item's amount, all periods together


@dataclass
class ItemTotal:
    period: str
    amount: int = 0  # fen
    payable_rows: int = 0
    undetermined_rows: int = 0


@dataclass
class Totals:
    """Sums over every chunk seen so far."""

    items: dict[str, ItemTotal] = field(default_factory=dict)
    by_payer: dict[str, int] = field(default_factory=dict)
    by_payer_period: dict[str, dict[str, int]] = field(default_factory=dict)
    advanced: dict[str, int] = field(default_factory=dict)  # by who pays first (and recovers)
    n: int = 0
    undetermined_rows: int = 0

    def add(self, items: tuple[ItemColumns, ...], n: int) -> RowOutcome:
        determined_row = np.ones(n, dtype=bool)
        total = np.zeros(n, dtype=np.int64)
        for item in items:
            b = item.benefit
            t = self.items.setdefault(b.id, ItemTotal(b.period))
            pk = _known(item.payable.known, n)
            pv = _values(item.payable.v, n).astype(bool, copy=False)
            payable = pk & pv
            fields_known = _known(item.amount.known, n) & _known(item.payer.known, n) \
                & _known(item.advance_payer.known, n) & _known(item.recover_from.known, n)
            for _, amount, payer in item.parts:
                fields_known = fields_known & _known(amount.known, n) & _known(payer.known, n)
            counted = payable & fields_known
            determined = pk & (~pv | fields_known)
            determined_row &= determined
            t.undetermined_rows += int(n - np.count_nonzero(determined))
            t.payable_rows += int(np.count_nonzero(counted))
            amount = np.where(counted, _fen(item.amount, n), 0)
            t.amount += int(amount.sum(dtype=np.int64))
            total += amount
            shares = [(a, p) for _, a, p in item.parts] if item.parts else [(item.amount, item.payer)]
            for part_amount, part_payer in shares:
                self._by_party(self.by_payer, part_amount, part_payer, counted, n, b.period)
            self._by_party(self.advanced, item.amount, item.advance_payer, counted, n, None)
        self.n += n
        self.undetermined_rows += int(n - np.count_nonzero(determined_row))
        return RowOutcome(n, determined_row, total)

    def _by_party(self, into: dict[str, int], amount: Num, payer: Codes, counted: np.ndarray, n: int,
                  period: str | None) -> None:
        fen = np.where(counted, _fen(amount, n), 0)
        codes = payer.v
        for code, party in enumerate(payer.vocab):
            if party == "none":
                continue
            if is_scalar(codes):
                if int(codes) != code:  # type: ignore[call-overload]
                    continue
                s = int(fen.sum(dtype=np.int64))
            else:
                s = int(np.where(codes == code, fen, 0).sum(dtype=np.int64))  # type: ignore[operator]
            if s == 0 and party not in into:
                continue
            into[party] = into.get(party, 0) + s
            if period is not None:
                per = self.by_payer_period.setdefault(party, {})
                per[period] = per.get(period, 0) + s

    def as_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "totals": {
                "by_payer": {p: yuan(v) for p, v in sorted(self.by_payer.items(), key=_party_order)},
                "by_item": {i: yuan(t.amount) for i, t in self.items.items()},
                "by_payer_period": {p: {k: yuan(v) for k, v in per.items()}
                                    for p, per in sorted(self.by_payer_period.items(), key=_party_order)},
                "advanced_by": {p: yuan(v) for p, v in sorted(self.advanced.items(), key=_party_order)},
            },
            "items": {i: {"period": t.period, "amount": yuan(t.amount), "payable_rows": t.payable_rows,
                          "undetermined_rows": t.undetermined_rows} for i, t in self.items.items()},
            "undetermined_rows": self.undetermined_rows,
        }


def _party_order(kv: tuple[str, object]) -> int:
    return T.PARTIES.index(kv[0]) if kv[0] in T.PARTIES else len(T.PARTIES)


@dataclass
class Comparison:
    """A reform against its baseline, row by row: who gains, who loses, by how much."""

    winners: int = 0
    losers: int = 0
    unchanged: int = 0
    undetermined: int = 0  # undetermined under either regime
    gains: int = 0  # fen, over the winners
    losses: int = 0  # fen, over the losers (positive)

    def add(self, reform: RowOutcome, baseline: RowOutcome) -> np.ndarray:
        both = reform.determined & baseline.determined
        diff = reform.total - baseline.total
        up, down = both & (diff > 0), both & (diff < 0)
        self.winners += int(np.count_nonzero(up))
        self.losers += int(np.count_nonzero(down))
        self.unchanged += int(np.count_nonzero(both & (diff == 0)))
        self.undetermined += int(reform.n - np.count_nonzero(both))
        self.gains += int(diff[up].sum(dtype=np.int64))
        self.losses += int(-diff[down].sum(dtype=np.int64))
        return diff

    def as_json(self, reform: Totals, baseline: Totals) -> dict[str, object]:
        payers = list(dict.fromkeys(list(reform.by_payer) + list(baseline.by_payer)))
        items = list(dict.fromkeys(list(reform.items) + list(baseline.items)))
        return {
            "by_payer": {p: yuan(reform.by_payer.get(p, 0) - baseline.by_payer.get(p, 0))
                         for p in sorted(payers, key=lambda p: _party_order((p, None)))},
            "by_item": {i: yuan((reform.items[i].amount if i in reform.items else 0)
                                - (baseline.items[i].amount if i in baseline.items else 0)) for i in items},
            "cost_to_fund": yuan(reform.by_payer.get("fund", 0) - baseline.by_payer.get("fund", 0)),
            "cost_to_employers": yuan(reform.by_payer.get("employer", 0) - baseline.by_payer.get("employer", 0)),
            "winners": self.winners,
            "losers": self.losers,
            "unchanged": self.unchanged,
            "undetermined_rows": self.undetermined,
            "gains": yuan(self.gains),
            "losses": yuan(self.losses),
        }
