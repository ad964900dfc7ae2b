"""The public Python API: load a regime, evaluate a case, explain an item, simulate a population, diff two regimes.

The loading and evaluating live in `lawtrace.law` (which `lawtrace.diffing` uses too); this module adds the four
verbs as data, as the CLI prints them in JSON.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from engine.run.case import Case
from lawtrace.law import (DEFAULT_REGIME, catalog, evaluate_case, evaluator, load_program, overlay_modules, regimes,
                          with_overlays)

__all__ = ["DEFAULT_REGIME", "catalog", "diff", "evaluate", "evaluate_case", "evaluator", "explain", "load_program",
           "overlay_modules", "regimes", "simulate", "with_overlays"]


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


def simulate(population: str | Path, regime: str = DEFAULT_REGIME, baseline: str | None = None,
             rules: tuple[Path, ...] = (), on: str | None = None, chunk_rows: int = 262_144) -> dict[str, object]:
    """A population file (CSV or Parquet) evaluated as columns: `lawtrace simulate --format json`'s totals."""
    from engine.columns.simulation import simulate as run

    program = load_program(regime, rules)
    base = load_program(baseline, () if baseline in catalog().regimes else rules) if baseline else None
    others = frozenset(f.id for name in catalog().regimes for f in load_program(name).facts())
    when = date.fromisoformat(on) if on else None
    return run(program, Path(population), base, when, None, chunk_rows, None, others).as_json()


def diff(a: str, b: str, rules: tuple[Path, ...] = (), cases: str | None = None) -> dict[str, object]:
    """What differs between two regimes (`national@2010-06-01`), and on cases: `lawtrace diff --format json`."""
    from lawtrace.diffing import run_diff

    return run_diff(a, b, rules, cases).as_json()
