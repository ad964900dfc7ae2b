"""Simulate a population file under a regime (and a baseline): the driver of `lawtrace simulate`.

Stages, chunk by chunk: read (engine.columns.population) → evaluate every item as
columns (engine.columns.vector) → add to the totals (engine.columns.costing) → write per-row
results (engine.columns.rows_out). Memory stays bounded by the chunk size whatever the
file's size; the per-row file exists only when every chunk was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dsl.errors import LawtraceError
from engine.model import ir
from engine.columns.batch import keep_freed_blocks
from engine.columns.arrays import VectorOverflow, VectorUnsupported
from engine.columns.costing import Comparison, Totals, yuan
from engine.columns.population import DEFAULT_CHUNK_ROWS, PopulationError, Schema, chunk_from_batch, column_names, read_batches
from engine.columns.rows_out import RowWriter, item_columns, money_array, row_numbers
from engine.columns.vector import Chunk, ItemColumns, VectorProgram


@dataclass
class Simulation:
    regime: str
    baseline_regime: str | None
    population: str
    date: date | None
    totals: Totals
    baseline: Totals | None
    comparison: Comparison | None
    ignored_columns: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"regime": self.regime, "population": self.population,
                                  "date": self.date.isoformat() if self.date else None}
        out.update(self.totals.as_json())
        if self.ignored_columns:
            out["ignored_columns"] = list(self.ignored_columns)
        if self.baseline is not None and self.comparison is not None:
            out["baseline_regime"] = self.baseline_regime
            out["baseline"] = self.baseline.as_json()
            out["delta"] = self.comparison.as_json(self.totals, self.baseline)
        return out


def simulate(program: ir.Program, population: Path, baseline: ir.Program | None = None,
             on: date | None = None, out: Path | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
             progress: Callable[[int, int], None] | None = None,
             other_facts: frozenset[str] = frozenset()) -> Simulation:
    """Evaluate every row of the population file; totals, and per-row results written to `out` when given.

    A column named as a fact of `other_facts` (facts of other regimes) is read past; any other column
    that is not a fact of the regimes evaluated is an error.
    """
    keep_freed_blocks()
    programs = [program] + ([baseline] if baseline is not None else [])
    schema = Schema.of(*programs, ignored=other_facts)
    reform_vp = _vectorized(program)
    baseline_vp = _vectorized(baseline) if baseline is not None else None
    totals, base_totals = Totals(), (Totals() if baseline is not None else None)
    comparison = Comparison() if baseline is not None else None
    writer = RowWriter(out) if out is not None else None
    name = str(population)
    first = 0
    ignored: tuple[str, ...] = ()
    names = column_names(population)
    schema.check_columns(name, names)
    ignored = tuple(c for c in names if c in schema.ignored)
    wanted = [c for c in names if c not in schema.ignored]
    try:
        for batch in read_batches(population, chunk_rows, wanted):
            chunk, ids = chunk_from_batch(schema, batch, name, first, on)
            items = _items(reform_vp, chunk, name)
            outcome = totals.add(items, chunk.n)
            columns = None
            if writer is not None:
                columns = {"row": row_numbers(first, chunk.n)}
                if ids is not None:
                    columns["id"] = ids
                columns.update(item_columns("", items, outcome))
            if baseline_vp is not None:
                assert base_totals is not None and comparison is not None
                base_items = _items(baseline_vp, chunk, name)
                base_outcome = base_totals.add(base_items, chunk.n)
                diff = comparison.add(outcome, base_outcome)
                if columns is not None:
                    columns.update(item_columns("baseline.", base_items, base_outcome))
                    columns["delta"] = money_array(diff, outcome.determined & base_outcome.determined)
            if writer is not None and columns is not None:
                writer.write(columns)
            first += chunk.n
            if progress is not None:
                progress(chunk.n, batch.nbytes)
        if writer is not None:
            if first == 0:
                raise_empty(name)
            writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return Simulation(program.regime, baseline.regime if baseline is not None else None, name, on,
                      totals, base_totals, comparison, ignored)


def _vectorized(program: ir.Program) -> VectorProgram:
    try:
        return VectorProgram(program)
    except VectorUnsupported as e:
        raise LawtraceError(f"regime {program.regime} cannot be simulated: {e}") from None


def _items(vp: VectorProgram, chunk: Chunk, file: str) -> tuple[ItemColumns, ...]:
    try:
        return vp.items(chunk)
    except VectorOverflow as e:
        raise PopulationError(file, f"{e} (regime {vp.program.regime})", chunk.first_row + e.row + 1) from None
    except VectorUnsupported as e:
        raise LawtraceError(f"regime {vp.program.regime} cannot be simulated: {e}") from None


def raise_empty(name: str) -> None:
    raise PopulationError(name, "the population has no rows")


def summary_lines(sim: Simulation, lang: str = "en") -> list[str]:
    """The totals as plain text (the CLI's text format)."""
    t = sim.totals
    lines = [f"regime {sim.regime}: {t.n:,} rows, {t.undetermined_rows:,} undetermined"
             + (f" (date {sim.date.isoformat()} for every row)" if sim.date else "")]
    if sim.ignored_columns:
        lines.append(f"columns read past (facts of other regimes): {', '.join(sim.ignored_columns)}")
    lines.append("totals by payer (yuan; once items, one month of monthly items, one year of yearly items):")
    for party, fen in t.by_payer.items():
        lines.append(f"  {party:<12} {yuan(fen):>22}")
    lines.append("totals by item:")
    for item_id, it in t.items.items():
        lines.append(f"  {item_id:<30} {yuan(it.amount):>22}  {it.period:<8} payable in {it.payable_rows:,} rows,"
                     f" undetermined in {it.undetermined_rows:,}")
    if sim.baseline is not None and sim.comparison is not None:
        b, c = sim.baseline, sim.comparison
        delta = c.as_json(t, b)
        lines.append(f"baseline {sim.baseline_regime}: {b.undetermined_rows:,} undetermined rows")
        lines.append("change against the baseline, by payer:")
        for party, amount in delta["by_payer"].items():  # type: ignore[union-attr]
            lines.append(f"  {party:<12} {amount:>22}")
        lines.append("change by item:")
        for item_id, amount in delta["by_item"].items():  # type: ignore[union-attr]
            if amount != "0.00":
                lines.append(f"  {item_id:<30} {amount:>22}")
        lines.append(f"winners {c.winners:,} (gain {yuan(c.gains)}), losers {c.losers:,} (loss {yuan(c.losses)}), "
                     f"unchanged {c.unchanged:,}, undetermined under either {c.undetermined:,}")
    return lines
