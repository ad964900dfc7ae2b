"""Simulate a population file under a regime (and a baseline): the driver of `lawtrace simulate`.

Stages, chunk by chunk: read (engine.columns.population) → evaluate every item as
columns (engine.columns.vector) → add to the totals (engine.columns.costing) → write per-row
results (engine.columns.rows_out). Memory stays bounded by the chunk size whatever the
file's size; the per-row file exists only when every chunk was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa

from dsl.errors import LawtraceError
from engine.columns.arrays import Records, VectorOverflow, VectorUnsupported
from engine.columns.batch import keep_freed_blocks
from engine.columns.costing import Outcome, Totals, yuan
from engine.columns.datasets import DatasetWriter, is_dataset_path, population_files
from engine.columns.grouping import YEAR, Groups, check_variables, variable_array, year_column
from engine.columns.population import (DEFAULT_CHUNK_ROWS, ID_COLUMN, PopulationError, Schema, chunk_from_batch,
                                       column_names, read_batches)
from engine.columns.reconcile import Comparison
from engine.columns.rows_out import RowWriter, item_columns, money_array, row_numbers, total_columns
from engine.columns.streams import YearlyFlows, owed_items
from engine.columns.vector import Chunk, ItemColumns, VectorProgram
from engine.model import ir

T = TypeVar("T")


@dataclass(frozen=True)
class Breakdown:
    """What the user asked beyond the totals: groups (`--by`), values of the regime (`--variables`), input columns
    kept in the per-row output (`--keep`)."""

    by: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    years: tuple[int, ...] = ()  # `--years`: cash flow per calendar year (engine.columns.streams)

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
    flows: YearlyFlows | None = None
    baseline_flows: YearlyFlows | None = None

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
        if self.flows is not None:
            out["years"] = self.flows.as_json()
            if self.baseline_flows is not None:
                out["baseline_years"] = self.baseline_flows.as_json()
        return out


def simulate(program: ir.Program, population: Path, baseline: ir.Program | None = None,
             on: date | None = None, out: Path | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
             progress: Callable[[int, int], None] | None = None,
             other_facts: frozenset[str] = frozenset(), breakdown: Breakdown = Breakdown()) -> Simulation:
    """Evaluate every row of the population (a file, a directory of Parquet files or a glob), streaming chunk by
    chunk; totals, and per-row results written to `out` when given (a file, or a directory of Parquet parts).

    A column named as a fact of `other_facts` (facts of other regimes) is read past; any other column
    that is not a fact of the regimes evaluated, nor asked for by `breakdown`, is an error.
    """
    files = population_files(population)
    plan = plan_run(program, baseline, files, on, other_facts, breakdown, str(population))
    run = plan.start()
    dataset = out is not None and (len(files) > 1 or is_dataset_path(out))
    writer: RowWriter | DatasetWriter | None = None
    if out is not None:
        writer = DatasetWriter(out) if dataset else RowWriter(out)
    rows = 0
    try:
        for index, file in enumerate(files):
            part = RowWriter(writer.part(index)) if isinstance(writer, DatasetWriter) else writer
            for batch, first in plan.batches(file, chunk_rows):
                columns = run.chunk(batch, first, part is not None, str(file), rows)
                if part is not None and columns is not None:
                    part.write(columns)
                rows += batch.num_rows
                if progress is not None:
                    progress(batch.num_rows, batch.nbytes)
            if isinstance(writer, DatasetWriter) and part is not None:
                part.close()
        if writer is not None:
            if rows == 0:
                raise_empty(str(population))
            writer.commit() if isinstance(writer, DatasetWriter) else writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return run.result(plan.ignored)


def simulate_batches(program: ir.Program, batches: Iterable[pa.RecordBatch], baseline: ir.Program | None = None,
                     on: date | None = None, name: str = "<batches>",
                     breakdown: Breakdown = Breakdown()) -> Simulation:
    """The same over record batches made elsewhere (generated on the fly, read from a stream): nothing is kept but
    the totals, so memory is one batch whatever the number of rows."""
    plan = Plan(program, baseline, Schema.of(*_programs(program, baseline), ignored=frozenset(breakdown.input_columns())),
                on, breakdown, name, (), [])
    run = plan.start()
    rows = 0
    for batch in batches:
        run.chunk(batch, rows, False, name, rows)
        rows += batch.num_rows
    return run.result(())


def _programs(program: ir.Program, baseline: ir.Program | None) -> list[ir.Program]:
    return [program] + ([baseline] if baseline is not None else [])


@dataclass(frozen=True)
class Plan:
    """What every part of a run shares: the programs, the population's schema, the columns to read. Picklable: a
    cluster ships it to each worker once."""

    program: ir.Program
    baseline: ir.Program | None
    schema: Schema
    on: date | None
    breakdown: Breakdown
    name: str
    ignored: tuple[str, ...]
    wanted: list[str]

    def start(self) -> _Run:
        return _Run(self.program, self.baseline, self.schema, self.on, self.breakdown, self.name)

    def batches(self, file: Path, chunk_rows: int) -> Iterator[tuple[pa.RecordBatch, int]]:
        """The file's record batches, each with its first row's index in the file (for the errors' row numbers)."""
        first = 0
        for batch in read_batches(file, chunk_rows, [c for c in column_names(file) if c in self.wanted]):
            yield batch, first
            first += batch.num_rows


def plan_run(program: ir.Program, baseline: ir.Program | None, files: list[Path], on: date | None,
             other_facts: frozenset[str], breakdown: Breakdown, name: str) -> Plan:
    """Checks what can be checked before any row is read: the variables asked for, every file's columns."""
    keep_freed_blocks()
    check_variables(program, breakdown.variables)
    extra = breakdown.input_columns()
    schema = Schema.of(*_programs(program, baseline), ignored=other_facts | frozenset(extra))
    names: list[str] = []
    for file in files:
        columns = column_names(file)
        schema.check_columns(str(file), columns)
        for column in extra:
            if column not in columns and column != YEAR:
                raise PopulationError(str(file), f"no column '{column}' to keep or group by", column=column)
        names += [c for c in columns if c not in names]
    ignored = tuple(c for c in names if c in schema.ignored and c not in extra)
    wanted = [c for c in names if c not in schema.ignored or c in extra]
    return Plan(program, baseline, schema, on, breakdown, name, ignored, wanted)


@dataclass
class Sums:
    """A run's sums over the rows it has seen: all a part of a population sends back to be added."""

    totals: Totals
    baseline: Totals | None
    comparison: Comparison | None
    groups: Groups | None
    overall: Groups | None
    flows: YearlyFlows | None = None
    baseline_flows: YearlyFlows | None = None


class _Run:
    """The state of one simulation over its chunks (also one partition's, when a cluster evaluates it)."""

    def __init__(self, program: ir.Program, baseline: ir.Program | None, schema: Schema, on: date | None,
                 breakdown: Breakdown, name: str):
        self.program, self.baseline_program = program, baseline
        self.schema, self.on, self.breakdown, self.name = schema, on, breakdown, name
        self.reform_vp = _compiled(program)
        self.baseline_vp = _compiled(baseline) if baseline is not None else None
        self.totals = Totals()
        self.base_totals = Totals() if baseline is not None else None
        self.comparison = Comparison() if baseline is not None else None
        compared = baseline is not None
        self.groups = Groups(breakdown.by, breakdown.variables, compared) if breakdown.by else None
        self.overall = Groups((), breakdown.variables, compared) if breakdown.variables else None
        self.flows = YearlyFlows(breakdown.years) if breakdown.years else None
        self.base_flows = YearlyFlows(breakdown.years) if breakdown.years and baseline is not None else None

    def chunk(self, batch: pa.RecordBatch, first: int, rows_out: bool, file: str,
              offset: int) -> dict[str, object] | None:
        """One record batch: `first` its first row in `file` (errors name it), `offset` in the whole population."""
        chunk, ids = chunk_from_batch(self.schema, batch, file, first, self.on)
        years = self.breakdown.years
        items, values = _items(self.reform_vp, chunk, file, list(self.breakdown.variables))
        items, flows = _guarded(lambda: owed_items(self.reform_vp, chunk, items, years), self.reform_vp, chunk, file)
        outcome = self.totals.add(items, chunk.n)
        base_items: tuple[ItemColumns, ...] = ()
        base_outcome: Outcome | None = None
        diffs = None
        base_flows = None
        if self.baseline_vp is not None:
            assert self.base_totals is not None and self.comparison is not None
            vp = self.baseline_vp
            base_items, _ = _items(vp, chunk, file, [])
            base_items, base_flows = _guarded(lambda: owed_items(vp, chunk, base_items, years), vp, chunk, file)
            base_outcome = self.base_totals.add(base_items, chunk.n)
            diffs = self.comparison.add(outcome, base_outcome)
        if self.flows is not None and flows is not None:
            self.flows.merge(flows)
            if self.base_flows is not None and base_flows is not None:
                self.base_flows.merge(base_flows)
        if self.groups is not None:
            keys = [_key_column(batch, b, chunk) for b in self.breakdown.by]
            self.groups.add(keys, outcome, base_outcome, diffs, values)
        if self.overall is not None:
            self.overall.add([], outcome, base_outcome, diffs, values)
        if not rows_out:
            return None
        columns: dict[str, object] = {"row": row_numbers(offset, chunk.n)}
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

    def sums(self) -> Sums:
        """What a part sends back: its sums only (the programs stay where they are)."""
        return Sums(self.totals, self.base_totals, self.comparison, self.groups, self.overall, self.flows, self.base_flows)

    def merge(self, other: Sums) -> None:
        """Adds another part's sums (exact: integer fen and fractions), e.g. a partition evaluated on a worker."""
        self.totals.merge(other.totals)
        if self.base_totals is not None and other.baseline is not None:
            self.base_totals.merge(other.baseline)
        if self.comparison is not None and other.comparison is not None:
            self.comparison.merge(other.comparison)
        if self.groups is not None and other.groups is not None:
            self.groups.merge(other.groups)
        if self.overall is not None and other.overall is not None:
            self.overall.merge(other.overall)
        if self.flows is not None and other.flows is not None:
            self.flows.merge(other.flows)
        if self.base_flows is not None and other.baseline_flows is not None:
            self.base_flows.merge(other.baseline_flows)

    def result(self, ignored: tuple[str, ...]) -> Simulation:
        labels = {b.id: {"zh": b.labels.zh, "en": b.labels.en} for b in self.reform_vp.benefits}
        if self.baseline_vp is not None:
            for b in self.baseline_vp.benefits:
                labels.setdefault(b.id, {"zh": b.labels.zh, "en": b.labels.en})
        return Simulation(self.program.regime, self.baseline_program.regime if self.baseline_program else None,
                          self.name, self.on, self.totals, self.base_totals, self.comparison, ignored,
                          self.groups, self.overall, labels, self.flows, self.base_flows)


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


_COMPILED: dict[int, tuple[ir.Program, VectorProgram]] = {}


def _compiled(program: ir.Program) -> VectorProgram:
    """The program compiled to column operations, once per program object in this process (a worker keeps the
    compiled form of the program it was sent for every partition it evaluates)."""
    hit = _COMPILED.get(id(program))
    if hit is None or hit[0] is not program:
        try:
            hit = (program, VectorProgram(program))
        except VectorUnsupported as e:
            raise LawtraceError(f"regime {program.regime} cannot be simulated: {e}") from None
        if len(_COMPILED) > 16:
            _COMPILED.clear()
        _COMPILED[id(program)] = hit
    return hit[1]


def _items(vp: VectorProgram, chunk: Chunk, file: str,
           names: list[str]) -> tuple[tuple[ItemColumns, ...], dict[str, object]]:
    try:
        return vp.items_and_nodes(chunk, names)  # type: ignore[return-value]
    except VectorOverflow as e:
        raise PopulationError(file, f"{e} (regime {vp.program.regime})", chunk.first_row + e.row + 1) from None
    except VectorUnsupported as e:
        raise LawtraceError(f"regime {vp.program.regime} cannot be simulated: {e}") from None


def _guarded(compute: Callable[[], T], vp: VectorProgram, chunk: Chunk, file: str) -> T:
    try:
        return compute()
    except VectorOverflow as e:
        raise PopulationError(file, f"{e} (regime {vp.program.regime})", chunk.first_row + e.row + 1) from None
    except VectorUnsupported as e:
        raise LawtraceError(f"regime {vp.program.regime} cannot be simulated: {e}") from None


def year_lines(flows: YearlyFlows, title: str) -> list[str]:
    """`--years` as text: by payer and by item, a column per year (yuan, whole months; part months apart)."""
    head = "".join(f"{y:>16}" for y in flows.years)
    out = [f"{title} (yuan; whole months only, later events not given taken as not happening: upper bounds):",
           f"  {'payer':<28}{head}"]
    for label, table in (("", flows.by_payer), ("advanced by ", flows.advances)):
        for key, per in table.items():
            out.append(f"  {label + key:<28}" + "".join(f"{yuan(per[y]):>16}" for y in flows.years))
    out.append(f"  {'item':<28}{head}")
    for key, per in flows.by_item.items():
        out.append(f"  {key:<28}" + "".join(f"{yuan(per[y]):>16}" for y in flows.years))
    for key, per in flows.partial.items():
        out.append(f"  {'part months: ' + key:<28}" + "".join(f"{yuan(per[y]):>16}" for y in flows.years))
    if flows.undated:
        out.append("  owed, days or amounts not given (not counted): "
                   + ", ".join(f"{k} {v:,} rows" for k, v in flows.undated.items()))
    return out


def raise_empty(name: str) -> None:
    raise PopulationError(name, "the population has no rows")
