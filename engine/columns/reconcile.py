"""A reform against its baseline, period by period, over the rows whose amounts both determine.

Guarantees: for each period (once, monthly, yearly: never added together)
the change is taken over the rows where every item of the period is
determined under both regimes, and on those rows three sums are equal by
construction and reported side by side: the change by item, the change by
final payer (the undetermined payer a payer like the others), and the
winners' gains less the losers' losses. The rows undetermined under either
regime are counted apart (reform only: "amount → undetermined"; baseline
only; both) with the determined amounts each side has on them, so that each
regime's total over all rows is the amount on the common rows plus the
amount on the rows set apart. An item undetermined in one regime is never
read as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.columns.costing import Outcome, party_order, party_sums, period_order, yuan

Pair = list[int]  # [reform, baseline] in fen


def _pairs(d: dict[str, Pair], order: object = None) -> dict[str, dict[str, str]]:
    keys = sorted(d, key=order) if order is not None else list(d)  # type: ignore[arg-type]
    return {k: {"reform": yuan(d[k][0]), "baseline": yuan(d[k][1]), "change": yuan(d[k][0] - d[k][1])} for k in keys}


def _add_pairs(into: dict[str, Pair], side: int, sums: dict[str, int]) -> None:
    for k, v in sums.items():
        into.setdefault(k, [0, 0])[side] += v


@dataclass
class PeriodDelta:
    rows_both: int = 0  # rows determined under both regimes
    reform: int = 0  # fen over those rows
    baseline: int = 0
    by_item: dict[str, Pair] = field(default_factory=dict)
    by_payer: dict[str, Pair] = field(default_factory=dict)
    advanced_by: dict[str, Pair] = field(default_factory=dict)
    recovered_from: dict[str, Pair] = field(default_factory=dict)
    winners: int = 0
    losers: int = 0
    unchanged: int = 0
    gains: int = 0
    losses: int = 0  # positive
    reform_only_rows: int = 0  # determined under the baseline, undetermined under the reform ("amount → undetermined")
    baseline_only_rows: int = 0  # undetermined under the baseline only
    both_rows: int = 0  # undetermined under both
    reform_apart: int = 0  # the reform's determined amounts on the rows set apart
    baseline_apart: int = 0

    def add(self, period: str, r: Outcome, b: Outcome) -> np.ndarray:
        n = r.n
        ones = np.ones(n, dtype=bool)
        rd, bd = r.determined.get(period, ones), b.determined.get(period, ones)
        zero = np.zeros(n, dtype=np.int64)
        rt, bt = r.total.get(period, zero), b.total.get(period, zero)
        both = rd & bd
        self.rows_both += int(np.count_nonzero(both))
        self.reform_only_rows += int(np.count_nonzero(~rd & bd))
        self.baseline_only_rows += int(np.count_nonzero(rd & ~bd))
        self.both_rows += int(np.count_nonzero(~rd & ~bd))
        self.reform += int(rt[both].sum(dtype=np.int64))
        self.baseline += int(bt[both].sum(dtype=np.int64))
        self.reform_apart += int(rt[~both].sum(dtype=np.int64))
        self.baseline_apart += int(bt[~both].sum(dtype=np.int64))
        for side, outcome in ((0, r), (1, b)):
            for item in outcome.items:
                if item.period != period:
                    continue
                rows = item.counted & both
                self.by_item.setdefault(item.id, [0, 0])[side] += int(item.fen[rows].sum(dtype=np.int64))
                _add_pairs(self.by_payer, side, item.by_payer(rows, n))
                _add_pairs(self.advanced_by, side, party_sums(item.fen, item.advance, rows, n))
                _add_pairs(self.recovered_from, side, party_sums(item.fen, item.recover, rows, n))
        diff = rt - bt
        up, down = both & (diff > 0), both & (diff < 0)
        self.winners += int(np.count_nonzero(up))
        self.losers += int(np.count_nonzero(down))
        self.unchanged += int(np.count_nonzero(both & (diff == 0)))
        self.gains += int(diff[up].sum(dtype=np.int64))
        self.losses += int(-diff[down].sum(dtype=np.int64))
        return diff

    def merge(self, o: PeriodDelta) -> None:
        for name in ("rows_both", "reform", "baseline", "winners", "losers", "unchanged", "gains", "losses",
                     "reform_only_rows", "baseline_only_rows", "both_rows", "reform_apart", "baseline_apart"):
            setattr(self, name, getattr(self, name) + getattr(o, name))
        for mine, theirs in ((self.by_item, o.by_item), (self.by_payer, o.by_payer),
                             (self.advanced_by, o.advanced_by), (self.recovered_from, o.recovered_from)):
            for k, (x, y) in theirs.items():
                pair = mine.setdefault(k, [0, 0])
                pair[0] += x
                pair[1] += y

    def as_json(self) -> dict[str, object]:
        return {
            "rows_determined_under_both": self.rows_both,
            "reform": yuan(self.reform), "baseline": yuan(self.baseline), "change": yuan(self.reform - self.baseline),
            "by_item": _pairs(self.by_item),
            "by_payer": _pairs(self.by_payer, party_order),
            "advanced_by": _pairs(self.advanced_by, party_order),
            "recovered_from": _pairs(self.recovered_from, party_order),
            "winners": self.winners, "gains": yuan(self.gains),
            "losers": self.losers, "losses": yuan(self.losses), "unchanged": self.unchanged,
            "set_apart": {
                "undetermined_under_reform_only": self.reform_only_rows,
                "undetermined_under_baseline_only": self.baseline_only_rows,
                "undetermined_under_both": self.both_rows,
                "reform_amount": yuan(self.reform_apart),
                "baseline_amount": yuan(self.baseline_apart),
            },
            "all_rows": {"reform": yuan(self.reform + self.reform_apart),
                         "baseline": yuan(self.baseline + self.baseline_apart)},
        }


@dataclass
class Comparison:
    """The reform against its baseline, one PeriodDelta per period either regime has items of."""

    periods: dict[str, PeriodDelta] = field(default_factory=dict)
    rows: int = 0

    def add(self, reform: Outcome, baseline: Outcome) -> dict[str, np.ndarray]:
        """Adds one chunk; returns each row's change per period (meaningful where both determine it)."""
        out = {}
        for period in sorted(set(reform.determined) | set(baseline.determined), key=period_order):
            out[period] = self.periods.setdefault(period, PeriodDelta()).add(period, reform, baseline)
        self.rows += reform.n
        return out

    def merge(self, other: Comparison) -> None:
        for k, p in other.periods.items():
            self.periods.setdefault(k, PeriodDelta()).merge(p)
        self.rows += other.rows

    def as_json(self) -> dict[str, object]:
        periods = sorted(self.periods, key=period_order)
        return {
            "periods": {p: self.periods[p].as_json() for p in periods},
            "cost_to_fund": {p: _change(self.periods[p].by_payer, "fund") for p in periods},
            "cost_to_employers": {p: _change(self.periods[p].by_payer, "employer") for p in periods},
        }


def _change(d: dict[str, Pair], party: str) -> str:
    x, y = d.get(party, [0, 0])
    return yuan(x - y)

