"""The fund's accounts over populations: what employers pay (premiums, late fees, fines) beside what the fund pays out.

Guarantees: an employer population is evaluated chunk by chunk with the
vectorized evaluator (the employer items of the regime, `kind: employer`), every
sum exact in integer fen; an item counts in a row only where it is payable (true)
and its amount is known; an item the law gives only as a range (a fine) is
summed as its lowest and highest figures; the totals are also given by the
values of one fact (e.g. the industry risk class); the balance is the
employers' payments less the fund's outlays of the worker population (what it bears in
the end; what it advances and is to recover is given beside), once without
the range items and once as a range with them. Periods follow
`engine.columns.costing`: once items, one month of monthly items, one year of yearly ones.
No fact or item is named here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from dsl.errors import LawtraceError
from engine.model import ir
from engine.columns.arrays import Date, Num, VectorOverflow, VectorUnsupported
from engine.columns.costing import Totals, yuan
from engine.columns.population import DEFAULT_CHUNK_ROWS, PopulationError, Schema, chunk_from_batch, column_names, read_batches
from engine.columns.vector import FEN, VectorProgram

KIND = "employer"


@dataclass
class ItemSum:
    period: str
    ranged: bool
    low: int = 0  # fen: the amount (or the lowest figure of a range)
    high: int = 0  # fen: the highest figure of a range (the amount again otherwise)
    payable_rows: int = 0
    undetermined_rows: int = 0
    by_group: dict[str, list[int]] = field(default_factory=dict)  # group value → [low, high]


@dataclass
class EmployerAccounts:
    regime: str
    population: str
    group_by: str | None
    n: int = 0
    items: dict[str, ItemSum] = field(default_factory=dict)

    def fixed(self) -> int:
        return sum(s.low for s in self.items.values() if not s.ranged)

    def ranged(self) -> tuple[int, int]:
        return (sum(s.low for s in self.items.values() if s.ranged), sum(s.high for s in self.items.values() if s.ranged))

    def as_json(self) -> dict[str, object]:
        def sums(s: ItemSum) -> dict[str, object]:
            out: dict[str, object] = {"period": s.period, "payable_rows": s.payable_rows,
                                      "undetermined_rows": s.undetermined_rows}
            if s.ranged:
                out["range"] = {"min": yuan(s.low), "max": yuan(s.high)}
            else:
                out["amount"] = yuan(s.low)
            if self.group_by is not None:
                out["by_" + self.group_by] = {
                    g: ({"min": yuan(lo), "max": yuan(hi)} if s.ranged else yuan(lo))
                    for g, (lo, hi) in sorted(s.by_group.items(), key=lambda kv: _group_order(kv[0]))}
            return out

        return {"regime": self.regime, "population": self.population, "n": self.n,
                "items": {i: sums(s) for i, s in self.items.items()}}


def _group_order(g: str) -> tuple[int, object]:
    return (0, int(g)) if g.lstrip("-").isdigit() else (1, g)


def employer_accounts(program: ir.Program, population: Path, on: date | None = None, as_of: date | None = None,
                      group_by: str | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                      other_facts: frozenset[str] = frozenset()) -> EmployerAccounts:
    """Every row of an employer population evaluated; sums by item (and by the values of the fact `group_by`)."""
    try:
        vp = VectorProgram(program, KIND)
    except VectorUnsupported as e:
        raise LawtraceError(f"regime {program.regime} cannot be simulated: {e}") from None
    if not vp.benefits:
        raise LawtraceError(f"regime {program.regime} has no items for employer cases")
    if group_by is not None and not isinstance(program.nodes.get(group_by), ir.FactNode):
        raise LawtraceError(f"--employers-by {group_by}: not a fact of regime {program.regime}")
    schema = Schema.of(program, ignored=other_facts)
    name = str(population)
    names = column_names(population)
    schema.check_columns(name, names)
    wanted = [c for c in names if c not in schema.ignored]
    bounds = [node for b in vp.benefits if b.is_range for f, node in sorted(b.fields.items()) if f in ir.RANGE_FIELDS]
    accounts = EmployerAccounts(program.regime, name, group_by)
    first = 0
    for batch in read_batches(population, chunk_rows, wanted):
        chunk, _ = chunk_from_batch(schema, batch, name, first, on)
        if as_of is not None:
            o = as_of.toordinal()
            chunk.as_of = Date(o, None, o, o)
        try:
            items = vp.items(chunk)
            extra = vp.nodes(chunk, bounds + ([group_by] if group_by else []))
        except VectorOverflow as e:
            raise PopulationError(name, f"{e} (regime {program.regime})", chunk.first_row + e.row + 1) from None
        except VectorUnsupported as e:
            raise LawtraceError(f"regime {program.regime} cannot be simulated: {e}") from None
        groups = _groups(extra[group_by], chunk.n) if group_by else None
        for item in items:
            b = item.benefit
            s = accounts.items.setdefault(b.id, ItemSum(b.period, b.is_range))
            payable = _mask(item.payable.known, chunk.n) & np.broadcast_to(np.asarray(item.payable.v, dtype=bool), (chunk.n,))
            if b.is_range:
                low, high = extra[b.fields["amount_min"]], extra[b.fields["amount_max"]]
            else:
                low = high = item.amount
            counted = payable & _mask(low.known, chunk.n) & _mask(high.known, chunk.n)  # type: ignore[union-attr]
            decided = _mask(item.payable.known, chunk.n) & (~payable | counted)
            lo, hi = _fen(low, counted, chunk.n), _fen(high, counted, chunk.n)  # type: ignore[arg-type]
            s.low += int(lo.sum(dtype=np.int64))
            s.high += int(hi.sum(dtype=np.int64))
            s.payable_rows += int(np.count_nonzero(counted))
            s.undetermined_rows += int(chunk.n - np.count_nonzero(decided))
            if groups is not None:
                for g in np.unique(groups[counted]) if counted.any() else ():
                    rows = counted & (groups == g)
                    entry = s.by_group.setdefault(str(g), [0, 0])
                    entry[0] += int(lo[rows].sum(dtype=np.int64))
                    entry[1] += int(hi[rows].sum(dtype=np.int64))
        accounts.n += chunk.n
        first += chunk.n
    if first == 0:
        raise PopulationError(name, "the population has no rows")
    return accounts


def _mask(known: object, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if known is None else np.broadcast_to(np.asarray(known, dtype=bool), (n,))


def _fen(amount: Num, counted: np.ndarray, n: int) -> np.ndarray:
    assert amount.den == FEN, "a money node is always in fen"
    return np.where(counted, np.broadcast_to(np.asarray(amount.v, dtype=np.int64), (n,)), 0)


def _groups(col: object, n: int) -> np.ndarray:
    """The group of each row: the fact's value in words ("unknown" where it is not given)."""
    known = _mask(col.known, n)  # type: ignore[attr-defined]
    v = np.broadcast_to(np.asarray(col.v), (n,))  # type: ignore[attr-defined]
    if hasattr(col, "vocab"):
        names = np.array(col.vocab, dtype=object)[v.astype(np.intp)]  # type: ignore[attr-defined]
    elif hasattr(col, "den") and col.den == 1:  # type: ignore[attr-defined]
        names = v.astype(np.int64).astype(str).astype(object)
    else:
        names = v.astype(str).astype(object)
    return np.where(known, names, "unknown")


def fund_balance(outlays: Totals, accounts: EmployerAccounts) -> dict[str, object]:
    """Employers' payments less the fund's outlays: without the range items, and as a range with them."""
    paid_out = outlays.by_payer.get("fund", 0)
    fixed = accounts.fixed()
    low, high = accounts.ranged()
    return {
        "fund_outlays": yuan(paid_out),
        "fund_advances": yuan(outlays.advanced.get("fund", 0)),  # paid first, to be recovered from another party
        "employer_payments": yuan(fixed),
        "employer_payments_in_ranges": {"min": yuan(low), "max": yuan(high)},
        "balance_without_ranges": yuan(fixed - paid_out),
        "balance_with_ranges": {"min": yuan(fixed + low - paid_out), "max": yuan(fixed + high - paid_out)},
    }


def account_lines(accounts: EmployerAccounts, balance: dict[str, object] | None,
                  label: Callable[[str], str] = str) -> list[str]:
    """The employer side and the balance as plain text (the CLI's text format)."""
    lines = [f"employers ({accounts.regime}): {accounts.n:,} rows"]
    for item_id, s in accounts.items.items():
        amount = f"{yuan(s.low)} to {yuan(s.high)}" if s.ranged else yuan(s.low)
        lines.append(f"  {label(item_id):<30} {amount:>30}  {s.period:<8} payable in {s.payable_rows:,} rows,"
                     f" undetermined in {s.undetermined_rows:,}")
        for g, (lo, hi) in sorted(s.by_group.items(), key=lambda kv: _group_order(kv[0])):
            value = f"{yuan(lo)} to {yuan(hi)}" if s.ranged else yuan(lo)
            lines.append(f"    {accounts.group_by} {g:<20} {value:>30}")
    if balance is not None:
        ranged = balance["balance_with_ranges"]
        lines.append(f"fund: outlays {balance['fund_outlays']} (advanced, to be recovered: {balance['fund_advances']}), "
                     f"employers' payments {balance['employer_payments']}"
                     f" (+ {balance['employer_payments_in_ranges']['min']} to "  # type: ignore[index]
                     f"{balance['employer_payments_in_ranges']['max']} in ranges)")  # type: ignore[index]
        lines.append(f"fund balance: {balance['balance_without_ranges']} without the ranges, "
                     f"{ranged['min']} to {ranged['max']} with them")  # type: ignore[index]
    return lines
