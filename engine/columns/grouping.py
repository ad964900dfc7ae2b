"""Figures by group (`simulate --by`) and a regime's intermediate values (`--variables`), chunk by chunk.

Guarantees: a group is the combination of the values of the `--by` columns
in a row (an empty cell is a group of its own, "undetermined"); the sums per
group are exact (integer fen, or exact fractions for other numbers) and add
up to the totals of the whole population; periods stay apart. `year` (when
the population has no column of that name) is the year of the accident date.
A variable's sum and mean are over the rows where it is known, and the rows
where it is not are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pyarrow as pa

from dsl.errors import LawtraceError, did_you_mean
from engine.columns.arrays import ORDINAL_EPOCH, Bool, Codes, Col, Date, Num
from engine.columns.costing import Outcome, known_rows, period_order, row_values, yuan
from engine.model import ir

YEAR = "year"
_UNIX_ORDINAL = date(1970, 1, 1).toordinal()


def check_variables(program: ir.Program, names: tuple[str, ...]) -> None:
    """Every name is a fact or value of the regime (a table or parameter is not a per-row figure)."""
    for name in names:
        node = program.nodes.get(name)
        if node is None or isinstance(node, ir.ParamNode):
            values = [k for k, v in program.nodes.items() if not isinstance(v, ir.ParamNode)]
            hint = did_you_mean(name, values)
            raise LawtraceError(f"--variables {name}: not a fact or value of regime {program.regime}"
                                + (f"\n  hint: {hint}" if hint else ""))


def year_column(day: Date, n: int) -> pa.Array:
    """The accident year of each row (null where the date is unknown)."""
    ords = row_values(day.v, n).astype(np.int64) - _UNIX_ORDINAL
    years = ords.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    known = known_rows(day.known, n) & (row_values(day.v, n) != ORDINAL_EPOCH) if day.known is not None \
        else np.ones(n, dtype=bool)
    return pa.array(years.astype(np.int32), mask=~known)


def variable_array(col: Col, n: int) -> pa.Array:
    """A node's values as an Arrow column for the per-row output (null where unknown)."""
    mask = ~known_rows(col.known, n)  # type: ignore[union-attr]
    if isinstance(col, Num):
        scale = _decimal_scale(col.den)
        v = row_values(col.v, n).astype(np.int64)
        if col.den == 1:
            return pa.array(v, mask=mask)
        if scale is not None:
            from engine.columns.rows_out import decimal_array

            return decimal_array(v * (10**scale // col.den), ~mask, scale)
        return pa.array(v / col.den, mask=mask)
    if isinstance(col, Bool):
        return pa.array(row_values(col.v, n).astype(bool), mask=mask)
    if isinstance(col, Codes):
        codes = row_values(col.v, n).astype(np.int32)
        return pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask), pa.array(list(col.vocab))).cast(pa.string())
    if isinstance(col, Date):
        days = row_values(col.v, n).astype(np.int64) - _UNIX_ORDINAL
        return pa.array(days.astype(np.int32), mask=mask).cast(pa.date32())
    raise LawtraceError("a list cannot be a column of the per-row output")


def _decimal_scale(den: int) -> int | None:
    for scale in range(0, 13):
        if (10**scale) % den == 0:
            return scale
    return None


@dataclass
class GroupSums:
    rows: int = 0
    amount: dict[str, int] = field(default_factory=dict)  # period → fen (determined amounts)
    undetermined: dict[str, int] = field(default_factory=dict)  # period → rows undetermined
    baseline: dict[str, int] = field(default_factory=dict)
    both: dict[str, int] = field(default_factory=dict)  # rows determined under both
    change: dict[str, int] = field(default_factory=dict)  # over those rows
    winners: dict[str, int] = field(default_factory=dict)
    losers: dict[str, int] = field(default_factory=dict)
    sums: dict[str, Fraction] = field(default_factory=dict)  # variables
    known: dict[str, int] = field(default_factory=dict)

    def as_json(self, periods: list[str], variables: tuple[str, ...], compared: bool) -> dict[str, object]:
        out: dict[str, object] = {"rows": self.rows}
        per: dict[str, object] = {}
        for p in periods:
            entry: dict[str, object] = {"amount": yuan(self.amount.get(p, 0)),
                                        "undetermined_rows": self.undetermined.get(p, 0)}
            if compared:
                entry.update({"baseline": yuan(self.baseline.get(p, 0)),
                              "rows_determined_under_both": self.both.get(p, 0),
                              "change": yuan(self.change.get(p, 0)),
                              "winners": self.winners.get(p, 0), "losers": self.losers.get(p, 0)})
            per[p] = entry
        out["periods"] = per
        if variables:
            out["variables"] = {v: _stat(self.sums.get(v), self.known.get(v, 0), self.rows) for v in variables}
        return out


def _stat(total: Fraction | None, known: int, rows: int) -> dict[str, object]:
    out: dict[str, object] = {"known_rows": known, "undetermined_rows": rows - known}
    if total is not None:
        out["sum"] = _decimal(total)
        out["mean"] = _decimal(total / known) if known else None
    return out


def _decimal(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    for scale in range(1, 13):
        if (10**scale) % x.denominator == 0:
            v = x.numerator * (10**scale // x.denominator)
            sign = "-" if v < 0 else ""
            s = str(abs(v)).rjust(scale + 1, "0")
            return f"{sign}{s[:-scale]}.{s[-scale:]}"
    return f"{float(x):.6f}"


@dataclass
class Groups:
    """The figures of each group; `by` empty makes one group of every row (the variables' overall sums)."""

    by: tuple[str, ...]
    variables: tuple[str, ...]
    compared: bool
    groups: dict[tuple[object, ...], GroupSums] = field(default_factory=dict)
    periods: set[str] = field(default_factory=set)

    def add(self, keys: list[pa.Array], reform: Outcome, baseline: Outcome | None,
            diffs: dict[str, np.ndarray] | None, variables: dict[str, Col]) -> None:
        n = reform.n
        cols: dict[str, object] = {f"k{i}": k for i, k in enumerate(keys)} if keys else {"k": np.zeros(n, np.int8)}
        cols["rows"] = np.ones(n, dtype=np.int64)
        for p in reform.determined:
            self.periods.add(p)
            cols[f"a.{p}"] = reform.total[p]
            cols[f"u.{p}"] = (~reform.determined[p]).astype(np.int64)
        if baseline is not None and diffs is not None:
            ones = np.ones(n, dtype=bool)
            for p, d in diffs.items():
                self.periods.add(p)
                both = reform.determined.get(p, ones) & baseline.determined.get(p, ones)
                cols[f"b.{p}"] = baseline.total.get(p, np.zeros(n, dtype=np.int64))
                cols[f"both.{p}"] = both.astype(np.int64)
                cols[f"c.{p}"] = np.where(both, d, 0)
                cols[f"w.{p}"] = (both & (d > 0)).astype(np.int64)
                cols[f"l.{p}"] = (both & (d < 0)).astype(np.int64)
        dens: dict[str, int] = {}
        for name in self.variables:
            col = variables[name]
            known = known_rows(col.known, n)  # type: ignore[union-attr]
            cols[f"k.{name}"] = known.astype(np.int64)
            if isinstance(col, Num):
                cols[f"s.{name}"] = np.where(known, row_values(col.v, n).astype(np.int64), 0)
                dens[name] = col.den
            elif isinstance(col, Bool):
                cols[f"s.{name}"] = (known & row_values(col.v, n).astype(bool)).astype(np.int64)
                dens[name] = 1
        table = pa.table({k: v if isinstance(v, (pa.Array, pa.ChunkedArray)) else pa.array(v) for k, v in cols.items()})
        key_names = [k for k in cols if k.startswith("k") and not k.startswith("k.")]
        sums = [c for c in cols if c not in key_names]
        grouped = table.group_by(key_names).aggregate([(c, "sum") for c in sums]).to_pydict()
        for row in range(len(grouped["rows_sum"])):
            key = tuple(grouped[k][row] for k in key_names) if keys else ()
            g = self.groups.setdefault(key, GroupSums())
            g.rows += grouped["rows_sum"][row]
            for c in sums:
                if c == "rows":
                    continue
                kind, _, name = c.partition(".")
                v = grouped[f"{c}_sum"][row]
                if kind == "s":
                    g.sums[name] = g.sums.get(name, Fraction(0)) + Fraction(v, dens[name])
                    continue
                into = {"a": g.amount, "u": g.undetermined, "b": g.baseline, "both": g.both, "c": g.change,
                        "w": g.winners, "l": g.losers, "k": g.known}[kind]
                into[name] = into.get(name, 0) + v

    def merge(self, other: Groups) -> None:
        self.periods |= other.periods
        for key, o in other.groups.items():
            g = self.groups.setdefault(key, GroupSums())
            g.rows += o.rows
            for mine, theirs in ((g.amount, o.amount), (g.undetermined, o.undetermined), (g.baseline, o.baseline),
                                 (g.both, o.both), (g.change, o.change), (g.winners, o.winners),
                                 (g.losers, o.losers), (g.known, o.known)):
                for k, v in theirs.items():
                    mine[k] = mine.get(k, 0) + v
            for k, f in o.sums.items():
                g.sums[k] = g.sums.get(k, Fraction(0)) + f

    def as_json(self) -> dict[str, object]:
        periods = sorted(self.periods, key=period_order)
        rows = []
        for key in sorted(self.groups, key=lambda k: tuple(_order(v) for v in k)):
            entry = {"group": {b: _key(v) for b, v in zip(self.by, key)}}
            entry.update(self.groups[key].as_json(periods, self.variables, self.compared))
            rows.append(entry)
        return {"by": list(self.by), "groups": rows}

    def overall(self) -> dict[str, object]:
        """The variables over every row (a Groups with no `by`)."""
        g = self.groups.get((), GroupSums())
        return {v: _stat(g.sums.get(v), g.known.get(v, 0), g.rows) for v in self.variables}


def _order(v: object) -> tuple[int, object, str]:
    """Groups in the natural order of their values (numbers as numbers), the undetermined last."""
    if v is None:
        return (2, 0, "")
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return (0, v, "")
    return (1, 0, str(v))


def _key(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, date):
        return v.isoformat()
    return v
