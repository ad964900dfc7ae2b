"""Benchmark: the real statutes (national, Jiangsu, ...) on a synthetic population of 1,000,000 cases.

    python benchmarks/statutes_population.py                      # make /tmp/lawtrace_pop_1000000.parquet, time it
    python benchmarks/statutes_population.py --rows 100000 --regimes national
    lawtrace simulate --regime jiangsu --baseline national /tmp/lawtrace_pop_1000000.parquet
    python benchmarks/statutes_population.py --breakdown           # simulate with and without --by/--variables
    python benchmarks/statutes_population.py --process-years 2025..2030   # simulate with and without --years

The population is synthetic (seeded numpy, no Python loop over rows): every
fact the regimes declare, by its type, with a few facts given realistic
shapes (wages around the area average, grades weighted towards 7-10, 2 %
deaths with dependants), dates spread over 2005-2025 so that both texts of the
Regulations apply, and about 5 % of every other fact left empty (unknown).
It measures, per regime: compiling the program (once), reading + evaluating +
totalling the Parquet file in chunks (`engine.columns.simulation.simulate`, as
`lawtrace simulate` does), and the evaluation alone on columns already in
memory; and checks a sample of rows against the single-case evaluator.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dsl import types as T
from engine.columns.population import Schema, chunk_from_batch

SEED = 20240101
EPOCH = date(1970, 1, 1).toordinal()

# realistic shapes for a few facts; every other fact is drawn by its type
TRUE_SHARE = {"work_injury_recognized": 0.9, "employer_insured": 0.85, "employer_pays": 0.6, "died": 0.02,
              "third_party_caused": 0.1, "third_party_pays": 0.6, "occupational_disease": 0.05,
              "late_application": 0.05, "no_disability": 0.1, "died_after_suspension": 0.01}
GRADE_P = np.array([0.005, 0.005, 0.01, 0.02, 0.03, 0.04, 0.09, 0.12, 0.16, 0.22])


def make_population(schema: Schema, n: int, seed: int = SEED, missing: float = 0.05) -> pa.Table:
    rng = np.random.default_rng(seed)
    accident = rng.integers(date(2005, 1, 1).toordinal(), date(2025, 12, 31).toordinal(), n)
    avg = np.round(rng.uniform(3000, 14000, 31)[rng.integers(0, 31, n)], 2)
    columns: dict[str, pa.Array] = {"date": _dates(accident)}
    died = None
    for name, t in sorted(schema.facts.items()):
        absent = rng.random(n) < (0.0 if name in ("work_injury_recognized", "disability_grade") else missing)
        if isinstance(t, T.BoolType):
            values = rng.random(n) < TRUE_SHARE.get(name, 0.5)
            if name == "died":
                died = values
            columns[name] = pa.array(values, mask=absent)
        elif isinstance(t, T.IntType):
            if t.low == 1 and t.high == 10:
                values = rng.choice(np.arange(1, 11), n, p=GRADE_P / GRADE_P.sum())
                absent |= rng.random(n) < 0.2  # not yet appraised
            elif t.low is not None and t.high is not None and t.high - t.low <= 1000:
                values = rng.integers(t.low, t.high + 1, n)
            elif t.low is not None:  # an open range (`int 0..`: days, months, counts): realistic small numbers
                values = rng.integers(t.low, t.low + 366, n)
            else:
                values = rng.integers(16, 66, n)
            columns[name] = pa.array(values, mask=absent)
        elif isinstance(t, T.MoneyType):
            if name == "regional_avg_monthly_wage":
                values = avg
            elif "wage" in name or "pay" in name:
                values = np.round(avg * rng.lognormal(-0.1, 0.55, n), 2)
            else:
                values = np.round(rng.uniform(0, 200_000, n), 2)
            columns[name] = pa.array(values, mask=absent)
        elif isinstance(t, T.RateType):
            columns[name] = pa.array(np.round(rng.random(n), 3), mask=absent)
        elif isinstance(t, T.DateType):
            columns[name] = _dates(accident + rng.integers(-20_000 if "birth" in name else 0, 800, n), absent)
        elif isinstance(t, T.EnumType):
            codes = rng.integers(0, len(t.values), n)
            columns[name] = pa.DictionaryArray.from_arrays(pa.array(codes, mask=absent), pa.array(list(t.values)))
        elif isinstance(t, T.ListType):
            columns[name] = _lists(rng, t, n, died)
    return pa.table(columns)


def _dates(ordinals: np.ndarray, absent: np.ndarray | None = None) -> pa.Array:
    days = pa.array((ordinals - EPOCH).astype(np.int32), mask=absent)
    return days.cast(pa.date32())


def _lists(rng: np.random.Generator, t: T.ListType, n: int, died: np.ndarray | None) -> pa.Array:
    """Lists of records: none for most rows, 0-4 for the deceased (or for 2 % of rows when no fact says who died)."""
    has = died if died is not None else rng.random(n) < 0.02
    lengths = np.where(has, rng.integers(0, 5, n), 0)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    m = int(offsets[-1])
    fields = []
    for f in t.fields:
        if isinstance(f.type, T.EnumType):
            values = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(f.type.values), m)),
                                                    pa.array(list(f.type.values))).cast(pa.string())
        elif isinstance(f.type, T.BoolType):
            values = pa.array(rng.random(m) < 0.1)
        elif isinstance(f.type, T.IntType):
            values = pa.array(rng.integers(f.type.low or 0, min(f.type.high or 80, 2100) + 1, m))
        elif isinstance(f.type, T.MoneyType):
            values = pa.array(np.round(rng.uniform(3000, 14000, m), 2))
        elif isinstance(f.type, T.DateType):  # most scope dates absent: a dependant's later events are rare
            born = rng.integers(date(1940, 1, 1).toordinal(), date(2024, 1, 1).toordinal(), m)
            later = rng.integers(date(2006, 1, 1).toordinal(), date(2040, 1, 1).toordinal(), m)
            values = _dates(born if "birth" in f.name else later, None if "birth" in f.name else rng.random(m) < 0.9)
        else:
            raise SystemExit(f"no generator for list field {f.name}: {f.type}")
        fields.append((f.name, values))
    struct = pa.StructArray.from_arrays([v for _, v in fields], [k for k, _ in fields])
    return pa.ListArray.from_arrays(pa.array(offsets), struct, mask=pa.array(~has))


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}, numpy {np.__version__}, pyarrow {pa.__version__}"


def _facts(program, record: dict) -> dict:  # type: ignore[no-untyped-def]
    from engine.run.case import convert

    declared = {f.id: f.type for f in program.facts()}
    facts = {}
    for k, v in record.items():
        if k == "date" or v is None or k not in declared:
            continue
        if isinstance(v, float):
            v = f"{v:.2f}" if isinstance(declared[k], T.MoneyType) else repr(v)
        if isinstance(v, list):
            v = [{a: (b.isoformat() if isinstance(b, date) else f"{b:.2f}" if isinstance(b, float) else b)
                  for a, b in r.items() if b is not None} for r in v]
        facts[k] = convert(v.isoformat() if isinstance(v, date) else v, declared[k], k)
    return facts


def single_years(program, table: pa.Table, years: tuple[int, ...]) -> dict:  # type: ignore[no-untyped-def]
    """The sum, per item and year, of `eval --from Y-01-01 --to Y-12-31` over the rows (fen)."""
    from decimal import Decimal

    from engine.run.evaluate import Evaluator
    from engine.run.owed import owed
    from engine.run.result import evaluate

    ev = Evaluator(program)
    out: dict = {}
    for record in table.to_pylist():
        result = evaluate(ev, _facts(program, record), record["date"])
        for y in years:
            for k, v in owed(result.items, date(y, 1, 1), date(y, 12, 31))["by_item"].items():
                out[(k, y)] = out.get((k, y), 0) + int(Decimal(v) * 100)
    return out


def check_sample(program, table: pa.Table, rows: list[int], items) -> int:
    """Rows of the in-memory evaluation against the single-case evaluator; returns how many were compared."""
    from engine.run.evaluate import Evaluator
    from engine.run.result import evaluate
    from engine.columns.vector import row_item

    ev = Evaluator(program)
    for i in rows:
        record = table.slice(i, 1).to_pylist()[0]
        result = evaluate(ev, _facts(program, record), record["date"])
        for it, cols in zip(result.items, items):
            it = it.whole or it  # a monthly item judged as a whole, as this one-instant evaluation does
            got = row_item(cols, i)
            payable = it.payable.value if it.payable.known else None
            assert got["payable"] == payable, (i, it.benefit.id)
            if payable is not False:
                want = it.amount.value if it.amount.known else None
                assert got["amount"] == want, (i, it.benefit.id, got["amount"], want)
    return len(rows)


def check_owed(program, schema: Schema, table: pa.Table, rows: list[int]) -> int:  # type: ignore[no-untyped-def]
    """The sample rows' items as `simulate` counts them (a monthly item: its first period in which it is owed,
    `engine.columns.streams.owed_items`) against the single-case result's items; returns how many were compared."""
    from engine.columns.streams import owed_items
    from engine.columns.vector import VectorProgram, row_item
    from engine.run.evaluate import Evaluator
    from engine.run.result import evaluate

    vp, ev = VectorProgram(program), Evaluator(program)
    sub = table.take(rows).combine_chunks()
    chunk, _ = chunk_from_batch(schema, sub.to_batches()[0], "<sample>", 0, None)
    items, _ = owed_items(vp, chunk, vp.items(chunk))
    for i, record in enumerate(sub.to_pylist()):
        result = evaluate(ev, _facts(program, record), record["date"])
        for it, cols in zip(result.items, items):
            got = row_item(cols, i)
            payable = it.payable.value if it.payable.known else None
            assert got["payable"] == payable, (rows[i], it.benefit.id)
            if payable is not False:
                want = it.amount.value if it.amount.known else None
                assert got["amount"] == want, (rows[i], it.benefit.id, got["amount"], want)
    return len(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--regimes", default="national,jiangsu", help="comma list; those not in the catalog are skipped")
    ap.add_argument("--out", type=Path, help="population file (default /tmp/lawtrace_pop_ROWS.parquet)")
    ap.add_argument("--check", type=int, default=200, help="rows compared with the single-case evaluator")
    ap.add_argument("--years", help="also time `simulate --years Y1..Y2` and check its flows on the --check sample")
    ap.add_argument("--json", type=Path, help="write the figures as JSON")
    ap.add_argument("--breakdown", action="store_true",
                    help="only time `lawtrace simulate` (jiangsu against national) with and without --by/--variables, "
                         "each in a process of its own (wall time and peak memory)")
    ap.add_argument("--process-years", metavar="Y1..Y2",
                    help="only time `lawtrace simulate POP --regime national` with and without `--years Y1..Y2`, "
                         "each in a process of its own (wall, CPU, peak memory)")
    args = ap.parse_args()
    if args.breakdown:
        return breakdown(args)
    if args.process_years:
        return years_processes(args)

    from engine.columns.batch import keep_freed_blocks
    from engine.columns.simulation import Breakdown, simulate
    from engine.columns.vector import VectorProgram
    from lawtrace.api import catalog, load_program

    keep_freed_blocks()
    names = [r for r in args.regimes.split(",") if r in catalog().regimes]
    t0 = time.perf_counter()
    programs = {r: load_program(r) for r in names}
    compile_s = time.perf_counter() - t0
    schema = Schema.of(*programs.values())
    path = args.out or Path(f"/tmp/lawtrace_pop_{args.rows}.parquet")
    t0 = time.perf_counter()
    table = make_population(schema, args.rows)
    pq.write_table(table, path, row_group_size=262_144)
    print(f"# machine: {machine()}")
    print(f"# population: {args.rows:,} rows, {len(table.column_names)} columns, {path} "
          f"({path.stat().st_size / 2**20:.1f} MiB), generated in {time.perf_counter() - t0:.1f} s")
    print(f"# compile {', '.join(names)}: {compile_s:.2f} s")
    figures: dict[str, object] = {"rows": args.rows, "machine": machine(), "compile_s": compile_s, "regimes": {}}
    for name, program in programs.items():
        vp = VectorProgram(program)
        t0 = time.perf_counter()
        sim = simulate(program, path, other_facts=frozenset(schema.facts))
        file_s = time.perf_counter() - t0
        batch = table.combine_chunks().to_batches()[0] if table.num_rows else None
        t0 = time.perf_counter()
        chunk, _ = chunk_from_batch(schema, batch, str(path), 0, None)
        convert_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        items = vp.items(chunk)
        eval_s = time.perf_counter() - t0
        rng = random.Random(SEED)
        sample_rows = [rng.randrange(args.rows) for _ in range(args.check)]
        checked = check_sample(program, table, sample_rows, items)
        check_owed(program, schema, table, sorted(set(sample_rows)))
        line = (f"{name:<10} file→totals {file_s:6.2f} s ({args.rows / file_s:,.0f} rows/s) | in memory: "
                f"convert {convert_s:5.2f} s, evaluate {len(items)} items {eval_s:5.2f} s "
                f"({args.rows / eval_s:,.0f} rows/s) | undetermined rows {sim.totals.undetermined_rows:,} | "
                f"{checked} rows equal to the single-case evaluator (judged as a whole, and as `simulate` counts them)")
        print(line)
        years_figures: dict[str, object] = {}
        if args.years:
            from engine.columns.streams import YearlyFlows, yearly_flows

            span = tuple(int(y) for y in args.years.split(".."))
            years = tuple(range(span[0], span[1] + 1))
            t0 = time.perf_counter()
            simulate(program, path, other_facts=frozenset(schema.facts), breakdown=Breakdown(years=years))
            years_s = time.perf_counter() - t0
            sample = rng.sample(range(args.rows), min(args.check, args.rows))
            sub = table.take(sample)
            sub_chunk, _ = chunk_from_batch(schema, sub.combine_chunks().to_batches()[0], str(path), 0, None)
            vector = yearly_flows(vp, sub_chunk, years)
            single = single_years(program, sub, years)
            got = {(k, y): per[y] for k, per in vector.by_item.items() for y in years if per[y]}
            same = got == {k: v for k, v in single.items() if v}
            print(f"{name:<10} --years {args.years}: file→totals and yearly flows {years_s:6.2f} s "
                  f"({years_s / file_s:.1f}× the one-instant run) | {len(sample)} sample rows: yearly flows "
                  f"{'equal to' if same else 'DIFFERENT from'} the sum of single-case windows")
            years_figures = {"years_s": years_s, "years_ratio": years_s / file_s, "years_sample_equal": same}
            if not same:
                return 1
        figures["regimes"][name] = {"file_to_totals_s": file_s, "convert_s": convert_s,  # type: ignore[index]
                                    "evaluate_s": eval_s, "items": len(items), "checked_rows": checked,
                                    "totals": sim.as_json()["totals"]} | years_figures
    if len(programs) >= 2:
        reform, base = names[1], names[0]
        t0 = time.perf_counter()
        sim = simulate(programs[reform], path, programs[base], other_facts=frozenset(schema.facts))
        both_s = time.perf_counter() - t0
        once = sim.comparison.periods["once"]  # type: ignore[union-attr]
        print(f"{reform} vs {base}: file→totals and deltas {both_s:.2f} s; "
              f"once items: winners {once.winners:,}, losers {once.losers:,}")
        figures["baseline_s"] = both_s
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str))
    return 0


BREAKDOWN = ["--by", "disability_grade,year", "--variables", "wage_base,subsidy_share"]


def timed_process(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process (its CPU seconds printed)."""
    wall, _, peak = timed_process_cpu(argv)
    return wall, peak


def timed_process_cpu(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MiB) of one child process."""
    import subprocess

    t0 = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    cpu = usage.ru_utime + usage.ru_stime
    print(f"  (CPU {cpu:.1f} s)", end=" ")
    return wall, cpu, usage.ru_maxrss / 1024


def _population_file(args: argparse.Namespace) -> Path:
    """The population the process benchmarks read (made once, then reused), with the machine and the file said."""
    from lawtrace.api import load_program

    path = args.out or Path(f"/tmp/lawtrace_pop_{args.rows}.parquet")
    if not path.exists():
        schema = Schema.of(load_program("national"), load_program("jiangsu"))
        pq.write_table(make_population(schema, args.rows), path, row_group_size=262_144)
    print(f"# machine: {machine()}")
    print(f"# population: {args.rows:,} rows, {path}")
    return path


def years_processes(args: argparse.Namespace) -> int:
    """`lawtrace simulate POP --regime national` with and without `--years`, each in a process of its own: wall,
    CPU and peak memory (the second goal of issue 13: the yearly flows within 3x of the one-instant run)."""
    path = _population_file(args)
    base = [sys.executable, "-m", "lawtrace", "simulate", str(path), "--regime", "national", "--format", "json",
            "--no-progress"]
    figures = {}
    for label, argv in (("plain", base), (f"--years {args.process_years}", base + ["--years", args.process_years])):
        wall, cpu, peak = timed_process_cpu(argv)
        figures[label] = (wall, cpu, peak)
        print(f"{label:<18} wall {wall:6.1f} s, CPU {cpu:6.1f} s, peak {peak:,.0f} MiB")
    (w0, c0, m0), (w1, c1, m1) = figures.values()
    print(f"ratio: wall {w1 / w0:.2f}x, CPU {c1 / c0:.2f}x, memory {m1 / m0:.2f}x")
    return 0 if c1 / c0 <= 3 else 1


def breakdown(args: argparse.Namespace) -> int:
    path = _population_file(args)
    base = [sys.executable, "-m", "lawtrace", "simulate", str(path), "--regime", "jiangsu", "--baseline", "national",
            "--format", "json", "--no-progress"]
    figures = {}
    for label, argv in (("plain", base), ("by+variables", base + BREAKDOWN)):
        wall, peak = timed_process(argv)
        figures[label] = (wall, peak)
        print(f"{label:<13} {wall:6.1f} s, peak {peak:,.0f} MiB   ({' '.join(argv[3:])})")
    (w0, m0), (w1, m1) = figures["plain"], figures["by+variables"]
    print(f"ratio: time {w1 / w0:.2f}x, memory {m1 / m0:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
