"""`simulate --dask`: a partitioned population evaluated on a Dask cluster, exact to the fen.

The cluster is Dask's (`distributed`): a LocalCluster of worker processes on this machine (`local[:N]`) or a
scheduler's address (`tcp://host:8786`, as Kubernetes, YARN or SLURM deployments of Dask give). The run's plan (the
compiled regimes and the population's schema) is scattered to every worker once; each partition file is a task that
runs the single-process code on that file and sends back its sums, which are added in the files' order (integer
fen). Dask retries the tasks of a worker that dies; a retried partition gives the same sums and overwrites its own
part of the output. Needs `pip install 'lawtrace[dask]'`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from dsl.errors import LawtraceError
from engine.columns.datasets import DatasetWriter, population_files
from engine.columns.partitions import PartResult, combine, run_file_partition, run_frame_partition
from engine.columns.population import DEFAULT_CHUNK_ROWS, PopulationError, Schema, count_rows
from engine.columns.simulation import Breakdown, Plan, Simulation, plan_run
from engine.model import ir

CONNECT_TIMEOUT = "5s"


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise LawtraceError("--dask needs Dask: pip install 'lawtrace[dask]' (dask and distributed)") from None
    return distributed


class Cluster:
    """A client of a Dask scheduler (and the LocalCluster it runs on, when we started one); closed on exit."""

    def __init__(self, address: str):
        distributed = _distributed()
        self.local = None
        if address == "local" or address.startswith("local:"):
            workers = address.partition(":")[2]
            if workers and not workers.isdigit() or workers == "0":
                raise LawtraceError(f"--dask {address}: expected local or local:N with N workers (N ≥ 1)")
            n = int(workers) if workers else max(1, os.cpu_count() or 1)
            self.local = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                  dashboard_address=None, silence_logs=logging.ERROR)
            self.client = distributed.Client(self.local)
            return
        try:
            self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise LawtraceError(f"cannot reach the Dask scheduler at {address}: {reason}") from None

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.local is not None:
            self.local.close()


def simulate_on_cluster(client: Any, program: ir.Program, population: Path | str, baseline: ir.Program | None = None,
                        on: date | None = None, out: Path | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                        progress: Callable[[int, int], None] | None = None, other_facts: frozenset[str] = frozenset(),
                        breakdown: Breakdown = Breakdown()) -> Simulation:
    """Each Parquet file of the population a task on the cluster; the same result as `engine.columns.simulation`."""
    files = [f.resolve() for f in population_files(population)]
    plan = plan_run(program, baseline, files, on, other_facts, breakdown, str(population))
    counts = [count_rows(f) or 0 for f in files]
    offsets = [sum(counts[:i]) for i in range(len(files))]
    writer = DatasetWriter(out) if out is not None else None
    try:
        [shipped] = client.scatter([plan], broadcast=True)  # the compiled regimes go to each worker once
        futures = [client.submit(run_file_partition, shipped, str(f), i, offsets[i],
                                 str(writer.part(i)) if writer is not None else None, chunk_rows, pure=False)
                   for i, f in enumerate(files)]
        parts = _gather(futures, progress, counts)
        sim, rows = combine(plan, parts)
        if rows == 0:
            raise PopulationError(str(population), "the population has no rows")
        if writer is not None:
            writer.commit()
        return sim
    except BaseException:
        if writer is not None:
            writer.abort()
        raise


def _gather(futures: list[Any], progress: Callable[[int, int], None] | None, counts: list[int]) -> list[PartResult]:
    distributed = _distributed()
    parts: list[PartResult] = []
    for future in distributed.as_completed(futures):
        part = future.result()
        parts.append(part)
        if progress is not None:
            progress(counts[part.index], 0)
        if part.error is not None:  # the first error stops the run: the others are not waited for
            for f in futures:
                f.cancel()
            break
    return parts


def simulate_frame(frame: Any, program: ir.Program, baseline: ir.Program | None = None, on: date | None = None,
                   other_facts: frozenset[str] = frozenset(), breakdown: Breakdown = Breakdown(),
                   name: str = "<dask dataframe>") -> Simulation:
    """A Dask DataFrame (one row per case, a column per fact), each partition a task of Dask's current scheduler
    (a distributed Client when one is active); the plan is one task every partition depends on, sent once."""
    import dask

    extra = breakdown.input_columns()
    schema = Schema.of(program, *([baseline] if baseline is not None else []), ignored=other_facts | frozenset(extra))
    columns = [str(c) for c in frame.columns]
    schema.check_columns(name, columns)
    ignored = tuple(c for c in columns if c in schema.ignored and c not in extra)
    wanted = [c for c in columns if c not in schema.ignored or c in extra]
    plan = Plan(program, baseline, schema, on, breakdown, name, ignored, wanted)
    shipped = dask.delayed(plan, pure=True)
    tasks = [dask.delayed(run_frame_partition, pure=True)(shipped, part, i)
             for i, part in enumerate(frame[wanted].to_delayed())]
    parts = dask.compute(*tasks)
    sim, _ = combine(plan, parts)
    return sim
