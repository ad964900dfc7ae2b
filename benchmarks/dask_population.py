"""Benchmark: a partitioned population on one process and on a Dask LocalCluster, and a streamed run at flat memory.

    python benchmarks/dask_population.py --rows 10000000 --parts 40        # dataset, single process, local:1, local:2
    python benchmarks/dask_population.py --stream 100000000                # generated on the fly, never on disk

The dataset is the synthetic population of `statutes_population.py` (every fact of the national and Jiangsu
regimes, about 5 % of each unknown), written as PARTS Parquet files under --dir (the first four generated, the
others the same rows shuffled afresh: generating a row costs more than evaluating it). Each run is `lawtrace simulate DIR
--regime jiangsu --baseline national --format json` in a process of its own: wall time, and the peak memory of that
process (with --dask, of the driver; the workers are processes of their own, their peak is not included). The three
runs' JSON must be identical, and the script says so. `--stream N` evaluates N rows that are never written: batches of
262,144 rows generated in memory (a pool of distinct batches, each used with its rows shuffled afresh), fed to
`engine.columns.simulation.simulate_batches`, the resident memory sampled as it goes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from statutes_population import machine, make_population  # noqa: E402

BATCH = 262_144
POOL = 4  # distinct generated parts; generating every row takes longer than evaluating it


def rss_mib() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


def write_dataset(directory: Path, rows: int, parts: int) -> None:
    from engine.columns.population import Schema
    from lawtrace.api import load_program

    schema = Schema.of(load_program("national"), load_program("jiangsu"))
    directory.mkdir(parents=True, exist_ok=True)
    per = -(-rows // parts)
    t0 = time.perf_counter()
    pool = [make_population(schema, per, seed=1000 + i) for i in range(min(parts, POOL))]
    rng = np.random.default_rng(11)
    for i in range(parts):
        n = min(per, rows - i * per)
        table = pool[i % len(pool)]  # the first POOL parts generated, the others their rows shuffled afresh
        table = table.take(rng.permutation(per)[:n]) if i >= len(pool) else table.slice(0, n)
        pq.write_table(table, directory / f"part-{i:05d}.parquet", row_group_size=BATCH)
    size = sum(f.stat().st_size for f in directory.iterdir()) / 2**20
    print(f"# dataset: {rows:,} rows in {parts} files, {size:,.0f} MiB, written in {time.perf_counter() - t0:.0f} s")


def timed(argv: list[str]) -> tuple[float, float, float, str]:
    t0 = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE)
    out = child.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - t0, cpu, usage.ru_maxrss / 1024, hashlib.sha256(out).hexdigest()[:16]


def cluster_runs(directory: Path, rows: int) -> None:
    base = [sys.executable, "-m", "lawtrace", "simulate", str(directory), "--regime", "jiangsu",
            "--baseline", "national", "--format", "json", "--no-progress"]
    digests = set()
    for label, extra in (("single process", []), ("LocalCluster, 1 worker", ["--dask", "local:1"]),
                         ("LocalCluster, 2 workers", ["--dask", "local:2"])):
        wall, cpu, peak, digest = timed(base + extra)
        digests.add(digest)
        print(f"{label:<24} {wall:7.1f} s wall  {rows / wall:>10,.0f} rows/s  CPU of this process {cpu:7.1f} s  "
              f"peak {peak:,.0f} MiB (this process)  json {digest}", flush=True)
    print("results identical:" if len(digests) == 1 else "RESULTS DIFFER:", ", ".join(sorted(digests)))


def stream(rows: int, pool: int) -> None:
    from engine.columns.population import Schema
    from engine.columns.simulation import simulate_batches
    from lawtrace.api import load_program

    national, jiangsu = load_program("national"), load_program("jiangsu")
    schema = Schema.of(national, jiangsu)
    batches = [make_population(schema, BATCH, seed=5000 + i).combine_chunks().to_batches()[0] for i in range(pool)]
    rng = np.random.default_rng(7)
    samples: list[tuple[int, float, float]] = []
    t0 = time.perf_counter()

    def generate():
        done = 0
        while done < rows:
            n = min(BATCH, rows - done)
            batch = batches[(done // BATCH) % pool]
            yield batch.take(rng.permutation(BATCH)[:n])
            done += n
            if (done // BATCH) % 40 == 0 or done == rows:
                samples.append((done, time.perf_counter() - t0, rss_mib()))
                print(f"  {done:>13,} rows  {samples[-1][1]:7.0f} s  RSS {samples[-1][2]:,.0f} MiB", flush=True)

    print(f"# stream: {rows:,} rows generated in memory (pool of {pool} batches of {BATCH:,}), jiangsu vs national; "
          f"RSS before: {rss_mib():,.0f} MiB")
    sim = simulate_batches(jiangsu, generate(), national)
    wall = time.perf_counter() - t0
    low, high = min(s[2] for s in samples), max(s[2] for s in samples)
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"streamed {sim.totals.n:,} rows in {wall:.0f} s ({sim.totals.n / wall:,.0f} rows/s; process CPU "
          f"{usage.ru_utime + usage.ru_stime:.0f} s); RSS from {low:,.0f} to {high:,.0f} MiB over the run")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--parts", type=int, default=40)
    ap.add_argument("--dir", type=Path, help="dataset directory (default /tmp/lawtrace_parts_ROWS)")
    ap.add_argument("--stream", type=int, help="instead: stream this many rows generated on the fly")
    ap.add_argument("--pool", type=int, default=8, help="distinct generated batches cycled by --stream")
    args = ap.parse_args()
    print(f"# machine: {machine()}")
    if args.stream:
        stream(args.stream, args.pool)
        return 0
    directory = args.dir or Path(f"/tmp/lawtrace_parts_{args.rows}")
    if not directory.exists():
        write_dataset(directory, args.rows, args.parts)
    cluster_runs(directory, args.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
