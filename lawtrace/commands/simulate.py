"""`lawtrace simulate`: a population file evaluated under a regime (and a baseline), as totals."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lawtrace.cli_support import LANGS, emit_json, user_errors


@click.command("simulate")
@click.argument("population", type=click.Path(path_type=Path))
@click.option("--regime", required=True, help="Regime to apply to every row.")
@click.option("--baseline", help="A second regime to compare with: deltas by payer and item, winners and losers.")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="A DSL overlay file (repeatable).")
@click.option("--date", "on", help="Accident date for every row, YYYY-MM-DD (overrides the `date` column).")
@click.option("--out", type=click.Path(path_type=Path), help="Write per-row results here (.parquet or .csv).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--by", "by", default="", help="Figures by group: input columns or facts, comma-separated (`year`: of the accident).")
@click.option("--variables", "variables", default="",
              help="Values of the regime (e.g. wage_base), comma-separated: per row, and their sums and means.")
@click.option("--keep", "keep", default="", help="Input columns to carry into the per-row output, comma-separated.")
@click.option("--chunk-rows", type=click.IntRange(1, None), default=262_144, show_default=True,
              help="Rows read and evaluated at a time (memory stays bounded by it).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error (default: when it is a terminal).")
@click.option("--employers", type=click.Path(path_type=Path),
              help="A population of employers (kind: employer): premiums, late fees and fines beside the fund's outlays.")
@click.option("--employers-by", "employers_by", default="industry_risk_class", show_default=True,
              help="The employers' fact to give their totals by.")
@click.option("--as-of", "as_of", help="Evaluation date of the employers' late fees and fines, YYYY-MM-DD.")
@click.option("--years", "years", help="Cash flow per calendar year, e.g. 2025..2030 (streams judged over time).")
@click.option("--dask", "dask_at", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS|local[:N]]",
              help="Evaluate the partitions on a Dask cluster: a scheduler's address, or local[:N] worker processes "
                   "here (needs lawtrace[dask]); --out is then a directory of Parquet parts.")
@user_errors
def simulate(population: Path, regime: str, baseline: str | None, rules: tuple[Path, ...], on: str | None,
             out: Path | None, fmt: str, chunk_rows: int, progress: bool | None, employers: Path | None = None,
             employers_by: str | None = None, as_of: str | None = None, lang: str = "zh", by: str = "",
             variables: str = "", keep: str = "", dask_at: str | None = None,
             years: str | None = None) -> None:
    """Evaluate every row of a population: totals by item and payer, reform against baseline.

    POPULATION is a CSV or Parquet file, a directory of Parquet files or a glob
    (quote it). One row per case, a column per fact named as the fact, `date`
    for the accident date; an empty cell is unknown. See README, "Populations".
    """
    from datetime import date

    from dsl.errors import LawtraceError
    from dsl import bounds
    from engine.columns.datasets import population_files
    from engine.columns.population import count_rows
    from engine.columns.simulation import Breakdown
    from explain.simulation_view import render_simulation
    from lawtrace.api import baseline_rules, load_program, other_facts

    when = None
    if on is not None:
        try:
            when = date.fromisoformat(on)
        except ValueError:
            raise LawtraceError(f"--date {on}: expected a date written YYYY-MM-DD") from None
        problem = bounds.date_problem(when)
        if problem:
            raise LawtraceError(f"--date {on}: {problem}")
    span = _years(years)
    files = population_files(population)
    program = load_program(regime, rules)
    base = None
    if baseline is not None:
        base = load_program(baseline, baseline_rules(baseline, rules))
    others = other_facts()  # a column of another regime's fact is read past, not refused
    breakdown = Breakdown(_names(by), _names(variables), _names(keep), span)
    counts = [count_rows(f) for f in files]
    total = sum(c for c in counts if c is not None) if all(c is not None for c in counts) else None
    size = sum(f.stat().st_size for f in files)
    show = progress if progress is not None else sys.stderr.isatty()
    if show:
        label = f"simulate {population.name}"
        # Parquet says how many rows it has; for CSV the bar follows the bytes read (Arrow's size of the text read)
        with click.progressbar(length=total or size, label=label, file=sys.stderr, show_pos=total is not None) as bar:

            def advance(rows: int, nbytes: int) -> None:
                bar.update(rows if total is not None else min(nbytes, max(0, size - bar.pos)))

            sim = _run(dask_at, program, population, base, when, out, chunk_rows, advance, frozenset(others),
                       breakdown)
            bar.update((total or size) - bar.pos)
    else:
        sim = _run(dask_at, program, population, base, when, out, chunk_rows, None, frozenset(others), breakdown)
    accounts = None
    if employers is not None:
        from lawtrace.fund_report import fund_accounts

        accounts = fund_accounts(sim, employers, program, base, when, as_of, employers_by, chunk_rows, frozenset(others))
    data = sim.as_json() | ({"fund_accounts": accounts.as_json()} if accounts is not None else {})
    if fmt == "json":
        emit_json(data)
        return
    click.echo(render_simulation(data, lang, fmt), nl=False)
    if fmt == "text" and sim.flows is not None:
        from engine.columns.simulation import year_lines

        for line in year_lines(sim.flows, "cash flow per calendar year"):
            click.echo(line)
        if sim.baseline_flows is not None:
            for line in year_lines(sim.baseline_flows, f"baseline {sim.baseline_regime}: cash flow per calendar year"):
                click.echo(line)
    if fmt == "text":
        if accounts is not None:
            for line in accounts.lines():
                click.echo(line)
        if out is not None:
            click.echo(f"per-row results: {out}" if lang == "en" else f"逐行结果：{out}")


def _run(dask_at: str | None, *args: object) -> object:
    if dask_at is None:
        from engine.columns.simulation import simulate as run

        return run(*args)  # type: ignore[arg-type]
    from lawtrace.cluster import Cluster, simulate_on_cluster

    with Cluster(dask_at) as cluster:
        return simulate_on_cluster(cluster.client, *args)  # type: ignore[arg-type]


def _years(raw: str | None) -> tuple[int, ...]:
    """`--years 2025..2030` → (2025, ..., 2030); a clear error otherwise."""
    from dsl.errors import LawtraceError

    if raw is None:
        return ()
    first, sep, last = raw.partition("..")
    if not (sep and first.isdigit() and last.isdigit() and 2004 <= int(first) <= int(last) <= 2200):
        raise LawtraceError(f"--years {raw}: expected two years written Y1..Y2, the first not after the second "
                            "(from 2004), e.g. 2025..2030")
    return tuple(range(int(first), int(last) + 1))


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


command = simulate
