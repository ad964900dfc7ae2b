"""The public Python API: load a regime, evaluate a case, explain an item, simulate a population, diff two regimes.

The loading and evaluating live in `lawtrace.law` (which `lawtrace.diffing` uses too); this module adds the four
verbs as data, as the CLI prints them in JSON.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from engine.run.case import Case
from lawtrace.law import (DEFAULT_REGIME, baseline_rules, cached_program, catalog, compile_program, evaluate_case,
                          evaluator, load_program, other_facts, overlay_modules, regime_names, regimes, with_overlays)

__all__ = ["DEFAULT_REGIME", "baseline_rules", "cached_program", "catalog", "compile_program", "diff", "evaluate", "evaluate_case",
           "evaluator", "explain", "load_program", "other_facts", "overlay_modules", "regime_names", "regimes",
           "owed_json", "parse_window", "simulate", "with_overlays"]


# ---------------------------------------------------------------- the four verbs, as data (what the CLI prints)


def evaluate(case: str | Case | dict, regime: str | None = None, on: str | None = None,
             rules: tuple[Path, ...] = (), as_of: str | None = None, trace: bool = True) -> dict[str, object]:
    """A case's result JSON (CONTRACT.md), as `lawtrace eval --format json` writes it."""
    from engine.run.result import result_json

    return result_json(evaluate_case(case, regime, on, rules, as_of), include_trace=trace)


def explain(case_or_result: str | Case | dict, item: str, lang: str = "zh", fmt: str = "text",
            regime: str | None = None, on: str | None = None, rules: tuple[Path, ...] = ()) -> str:
    """Why (or why not) an item (its id, or its Chinese or English label) is payable: `lawtrace explain`'s text."""
    from explain.render import render_explanation
    from explain.why import resolve_item

    result = case_or_result if isinstance(case_or_result, dict) and "items" in case_or_result else \
        evaluate(case_or_result, regime, on, rules)
    return render_explanation(result, resolve_item(result, item), lang, fmt)


def simulate(population: object, regime: str = DEFAULT_REGIME, baseline: str | None = None,
             rules: tuple[Path, ...] = (), on: str | date | None = None, out: Path | None = None,
             by: tuple[str, ...] = (), variables: tuple[str, ...] = (), keep: tuple[str, ...] = (),
             dask: object = None) -> object:
    """A population evaluated under `regime` (and `baseline`): the `Simulation` (`.as_json()` as `lawtrace simulate`
    prints it).

    `population` is a path (a CSV or Parquet file, a directory of Parquet files, a glob) or a Dask DataFrame (one
    row per case, a column per fact; its partitions run on Dask's current scheduler). `dask` runs a path's
    partitions on a cluster: a scheduler address, `"local"`/`"local:N"`, or a `distributed.Client` already open.
    """
    from engine.columns.simulation import Breakdown
    from engine.columns.simulation import simulate as run_here

    program = load_program(regime, tuple(rules))
    base = None
    if baseline is not None:
        base = load_program(baseline, baseline_rules(baseline, tuple(rules)))
    when = date.fromisoformat(on) if isinstance(on, str) else on
    breakdown = Breakdown(tuple(by), tuple(variables), tuple(keep))
    if hasattr(population, "to_delayed") and hasattr(population, "npartitions"):
        from lawtrace.cluster import simulate_frame

        return simulate_frame(population, program, base, when, other_facts(), breakdown)
    path = Path(str(population))
    if dask is None:
        return run_here(program, path, base, when, out, other_facts=other_facts(), breakdown=breakdown)
    from lawtrace.cluster import Cluster, simulate_on_cluster

    if isinstance(dask, str):
        with Cluster(dask) as cluster:
            return simulate_on_cluster(cluster.client, program, path, base, when, out, other_facts=other_facts(),
                                       breakdown=breakdown)
    return simulate_on_cluster(dask, program, path, base, when, out, other_facts=other_facts(), breakdown=breakdown)


def diff(a: str, b: str, rules: tuple[Path, ...] = (), cases: str | None = None) -> dict[str, object]:
    """What differs between two regimes (`national@2010-06-01`), and on cases: `lawtrace diff --format json`."""
    from lawtrace.diffing import run_diff

    return run_diff(a, b, rules, cases).as_json()


def parse_window(start: str | None, end: str | None) -> tuple[date, date] | None:
    """`--from D1 --to D2`: the window of what falls due (both days included); a clear error when half given or bad."""
    from dsl.errors import LawtraceError

    if start is None and end is None:
        return None
    if start is None or end is None:
        raise LawtraceError("--from and --to go together: give both days of the window (YYYY-MM-DD)")
    days = []
    for option, raw in (("--from", start), ("--to", end)):
        try:
            days.append(date.fromisoformat(raw))
        except ValueError:
            raise LawtraceError(f"{option} {raw}: expected a date written YYYY-MM-DD") from None
    if days[0] > days[1]:
        raise LawtraceError(f"--from {start} is after --to {end}")
    return days[0], days[1]


def owed_json(result: object, start: date, end: date) -> dict[str, object]:
    """What the case owes in the window (CONTRACT "Benefits over time": `owed`)."""
    from engine.run.owed import owed

    return owed(result.items, start, end)  # type: ignore[attr-defined]
