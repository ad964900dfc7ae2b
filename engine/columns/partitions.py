"""One partition of a population evaluated on its own (on a cluster's worker), and the parts added up exactly.

Guarantees: a partition is evaluated by the same code as a single-process run
(`engine.columns.simulation`), chunk by chunk; what it returns is its sums
(integer fen, exact fractions), which add up to the single-process figures
whatever the order the partitions finished in (they are added in the files'
order). An error in a partition comes back as its message, naming the
partition's file, the row within that file and the column. A partition written
twice (a retried task) overwrites its part atomically.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from dsl.errors import LawtraceError
from engine.columns.population import DEFAULT_CHUNK_ROWS
from engine.columns.rows_out import RowWriter
from engine.columns.simulation import Plan, Simulation, Sums


@dataclass
class PartResult:
    """What a worker sends back: the partition's sums, its row count, or the error that stopped it."""

    index: int
    rows: int
    sums: Sums | None
    error: str | None = None


def run_file_partition(plan: Plan, file: str, index: int, offset: int, part_out: str | None,
                       chunk_rows: int = DEFAULT_CHUNK_ROWS) -> PartResult:
    """Evaluate one Parquet file of the population; `offset` is its first row in the whole population."""
    run = plan.start()
    rows = 0
    writer = RowWriter(Path(part_out)) if part_out is not None else None  # written beside, renamed when whole
    try:
        for batch, first in plan.batches(Path(file), chunk_rows):
            columns = run.chunk(batch, first, writer is not None, file, offset + rows)
            if writer is not None and columns is not None:
                writer.write(columns)
            rows += batch.num_rows
        if writer is not None:
            writer.close()  # an empty partition has no part
    except LawtraceError as e:
        if writer is not None:
            writer.abort()
        return PartResult(index, rows, None, e.render())
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return PartResult(index, rows, run.sums())


def run_frame_partition(plan: Plan, frame: object, index: int) -> PartResult:
    """Evaluate one partition of a DataFrame (pandas, as Dask hands it to a task)."""
    run = plan.start()
    name = f"{plan.name} partition {index + 1}"
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)  # type: ignore[arg-type]
        rows = 0
        for batch in table.to_batches(max_chunksize=DEFAULT_CHUNK_ROWS):
            run.chunk(batch, rows, False, name, rows)
            rows += batch.num_rows
    except LawtraceError as e:
        return PartResult(index, 0, None, e.render())
    except (pa.ArrowException, ValueError, TypeError) as e:
        return PartResult(index, 0, None, f"{name}: cannot read this partition: {e}")
    return PartResult(index, rows, run.sums())


def combine(plan: Plan, parts: Iterable[PartResult]) -> tuple[Simulation, int]:
    """The parts added in the files' order (exact), or the first partition's error raised."""
    ordered = sorted(parts, key=lambda p: p.index)
    for p in ordered:
        if p.error is not None:
            raise LawtraceError(p.error)
    total = plan.start()
    rows = 0
    for p in ordered:
        assert p.sums is not None
        total.merge(p.sums)
        rows += p.rows
    return total.result(plan.ignored), rows
