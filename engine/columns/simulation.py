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

import numpy as np

from dsl.errors import LawtraceError
from engine.columns.arrays import Records, VectorOverflow, VectorUnsupported
from engine.columns.batch import keep_freed_blocks
from engine.columns.costing import Outcome, Totals
from engine.columns.grouping import YEAR, Groups, check_variables, variable_array, year_column
from engine.columns.population import (DEFAULT_CHUNK_ROWS, ID_COLUMN, PopulationError, Schema, chunk_from_batch,
                                       column_names, read_batches)
from engine.columns.reconcile import Comparison
from engine.columns.rows_out import RowWriter, item_columns, money_array, row_numbers, total_columns
from engine.columns.vector import Chunk, ItemColumns, VectorProgram
from engine.model import ir


@dataclass(frozen=True)
class Breakdown:
    """What the user asked beyond the totals: groups (`--by`), values of the regime (`--variables`), input columns
    kept in the per-row output (`--keep`)."""

    by: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()

    def input_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.by + self.keep))


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
    groups: Groups | None = None
    variables: Groups | None = None  # the variables over every row
    labels: dict[str, dict[str, str]] | None = None  # item id → {"zh", "en"}

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"regime": self.regime, "population": self.population,
                                  "date": self.date.isoformat() if self.date else None}
        out.update(self.totals.as_json())
        if self.labels:
            out["labels"] = self.labels
        if self.ignored_columns:
            out["ignored_columns"] = list(self.ignored_columns)
        if self.baseline is not None and self.comparison is not None:
            out["baseline_regime"] = self.baseline_regime
            out["baseline"] = self.baseline.as_json()
            out["delta"] = self.comparison.as_json()
        if self.variables is not None and self.variables.variables:
            out["variables"] = self.variables.overall()
        if self.groups is not None:
            out["by"] = self.groups.as_json()
        return out


def simulate(program: ir.Program, population: Path, baseline: ir.Program | None = None,
             on: date | None = None, out: Path | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
             progress: Callable[[int, int], None] | None = None,
             other_facts: frozenset[str] = frozenset(), breakdown: Breakdown = Breakdown()) -> Simulation:
    """Evaluate every row of the population file; totals, and per-row results written to `out` when given.

    A column named as a fact of `other_facts` (facts of other regimes) is read past; any other column
    that is not a fact of the regimes evaluated, nor asked for by `breakdown`, is an error.
    """
    keep_freed_blocks()
    check_variables(program, breakdown.variables)
    programs = [program] + ([baseline] if baseline is not None else [])
    extra = breakdown.input_columns()
    schema = Schema.of(*programs, ignored=other_facts | frozenset(extra))
    name = str(population)
    names = column_names(population)
    schema.check_columns(name, names)
    for column in extra:
        if column not in names and column != YEAR:
            raise PopulationError(name, f"no column '{column}' to keep or group by", column=column)
    run = _Run(program, baseline, schema, on, breakdown, name)
    ignored = tuple(c for c in names if c in schema.ignored and c not in extra)
    wanted = [c for c in names if c not in schema.ignored or c in extra]
    writer = RowWriter(out) if out is not None else None
    first = 0
    try:
        for batch in read_batches(population, chunk_rows, wanted):
            columns = run.chunk(batch, first, writer is not None)
            if writer is not None and columns is not None:
                writer.write(columns)
            first += batch.num_rows
            if progress is not None:
                progress(batch.num_rows, batch.nbytes)
        if writer is not None:
            if first == 0:
                raise_empty(name)
            writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return run.result(ignored)


class _Run:
    """The state of one simulation over its chunks (also one partition's, when a cluster evaluates it)."""

    def __init__(self, program: ir.Program, baseline: ir.Program | None, schema: Schema, on: date | None,
                 breakdown: Breakdown, name: str):
        self.program, self.baseline_program = program, baseline
        self.schema, self.on, self.breakdown, self.name = schema, on, breakdown, name
        self.reform_vp = _vectorized(program)
        self.baseline_vp = _vectorized(baseline) if baseline is not None else None
        self.totals = Totals()
        self.base_totals = Totals() if baseline is not None else None
        self.comparison = Comparison() if baseline is not None else None
        compared = baseline is not None
        self.groups = Groups(breakdown.by, breakdown.variables, compared) if breakdown.by else None
        self.overall = Groups((), breakdown.variables, compared) if breakdown.variables else None

    def chunk(self, batch: object, first: int, rows_out: bool) -> dict[str, object] | None:
        chunk, ids = chunk_from_batch(self.schema, batch, self.name, first, self.on)  # type: ignore[arg-type]
        items, values = _items(self.reform_vp, chunk, self.name, list(self.breakdown.variables))
        outcome = self.totals.add(items, chunk.n)
        base_items: tuple[ItemColumns, ...] = ()
        base_outcome: Outcome | None = None
        diffs = None
        if self.baseline_vp is not None:
            assert self.base_totals is not None and self.comparison is not None
            base_items, _ = _items(self.baseline_vp, chunk, self.name, [])
            base_outcome = self.base_totals.add(base_items, chunk.n)
            diffs = self.comparison.add(outcome, base_outcome)
        if self.groups is not None:
            keys = [_key_column(batch, b, chunk) for b in self.breakdown.by]
            self.groups.add(keys, outcome, base_outcome, diffs, values)
        if self.overall is not None:
            self.overall.add([], outcome, base_outcome, diffs, values)
        if not rows_out:
            return None
        columns: dict[str, object] = {"row": row_numbers(first, chunk.n)}
        if ids is not None:
            columns[ID_COLUMN] = ids
        for k in self.breakdown.keep:
            if k != ID_COLUMN:
                columns[k] = _key_column(batch, k, chunk)
        columns.update(item_columns("", items, outcome))
        for v in self.breakdown.variables:
            columns[v] = variable_array(values[v], chunk.n)
        columns.update(total_columns("", outcome))
        if base_outcome is not None and diffs is not None:
            columns.update(item_columns("baseline.", base_items, base_outcome))
            columns.update(total_columns("baseline.", base_outcome))
            for p, d in diffs.items():
                ones = np.ones(chunk.n, dtype=bool)
                both = outcome.determined.get(p, ones) & base_outcome.determined.get(p, ones)
                columns[f"delta.{p}"] = money_array(d, both)
        return columns

    def result(self, ignored: tuple[str, ...]) -> Simulation:
        labels = {b.id: {"zh": b.labels.zh, "en": b.labels.en} for b in self.reform_vp.benefits}
        if self.baseline_vp is not None:
            for b in self.baseline_vp.benefits:
                labels.setdefault(b.id, {"zh": b.labels.zh, "en": b.labels.en})
        return Simulation(self.program.regime, self.baseline_program.regime if self.baseline_program else None,
                          self.name, self.on, self.totals, self.base_totals, self.comparison, ignored,
                          self.groups, self.overall, labels)


def _key_column(batch: object, name: str, chunk: Chunk) -> object:
    """A fact as its typed value (CSV text and Parquet columns group alike); another column as given; `year`."""
    fact = chunk.facts.get(name)
    if fact is not None and not isinstance(fact, Records):
        return variable_array(fact, chunk.n)
    names = batch.schema.names  # type: ignore[attr-defined]
    if name in names:
        col = batch.column(names.index(name))  # type: ignore[attr-defined]
        import pyarrow as pa

        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        return col
    return year_column(chunk.date, chunk.n)


def _vectorized(program: ir.Program) -> VectorProgram:
    try:
        return VectorProgram(program)
    except VectorUnsupported as e:
        raise LawtraceError(f"regime {program.regime} cannot be simulated: {e}") from None


def _items(vp: VectorProgram, chunk: Chunk, file: str,
           names: list[str]) -> tuple[tuple[ItemColumns, ...], dict[str, object]]:
    try:
        return vp.items_and_nodes(chunk, names)  # type: ignore[return-value]
    except VectorOverflow as e:
        raise PopulationError(file, f"{e} (regime {vp.program.regime})", chunk.first_row + e.row + 1) from None
    except VectorUnsupported as e:
        raise LawtraceError(f"regime {vp.program.regime} cannot be simulated: {e}") from None


def raise_empty(name: str) -> None:
    raise PopulationError(name, "the population has no rows")
