"""`lawtrace simulate`: a population file evaluated under a regime (and a baseline), as totals."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lawtrace.cli_support import emit_json, user_errors


@click.command("simulate")
@click.argument("population", type=click.Path(path_type=Path))
@click.option("--regime", required=True, help="Regime to apply to every row.")
@click.option("--baseline", help="A second regime to compare with: deltas by payer and item, winners and losers.")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="A DSL overlay file (repeatable).")
@click.option("--date", "on", help="Accident date for every row, YYYY-MM-DD (overrides the `date` column).")
@click.option("--out", type=click.Path(path_type=Path), help="Write per-row results here (.parquet or .csv).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--chunk-rows", type=click.IntRange(1, None), default=262_144, show_default=True,
              help="Rows read and evaluated at a time (memory stays bounded by it).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error (default: when it is a terminal).")
@click.option("--employers", type=click.Path(path_type=Path),
              help="A population of employers (kind: employer): premiums, late fees and fines beside the fund's outlays.")
@click.option("--employers-by", "employers_by", default="industry_risk_class", show_default=True,
              help="The employers' fact to give their totals by.")
@click.option("--as-of", "as_of", help="Evaluation date of the employers' late fees and fines, YYYY-MM-DD.")
@user_errors
def simulate(population: Path, regime: str, baseline: str | None, rules: tuple[Path, ...], on: str | None,
             out: Path | None, fmt: str, chunk_rows: int, progress: bool | None, employers: Path | None = None,
             employers_by: str | None = None, as_of: str | None = None) -> None:
    """Evaluate every row of a population (CSV or Parquet): totals by item and payer, reform against baseline.

    One row per case, a column per fact named as the fact, `date` for the
    accident date; an empty cell is unknown. See README, "Populations".
    """
    from datetime import date

    from dsl.errors import LawtraceError
    from engine.columns.population import count_rows, population_format
    from engine.columns.simulation import simulate as run
    from engine.columns.simulation import summary_lines
    from lawtrace.api import catalog, load_program

    when = None
    if on is not None:
        try:
            when = date.fromisoformat(on)
        except ValueError:
            raise LawtraceError(f"--date {on}: expected a date written YYYY-MM-DD") from None
    if not population.exists():
        raise LawtraceError(f"{population}: no such population file")
    population_format(population)
    program = load_program(regime, rules)
    base = None
    if baseline is not None:
        shipped = baseline in catalog().regimes
        base = load_program(baseline, () if shipped else rules)
    others: set[str] = set()
    for name in catalog().regimes:  # a column of another regime's fact is read past, not refused
        try:
            others.update(f.id for f in load_program(name).facts())
        except LawtraceError:
            continue
    total = count_rows(population)
    size = population.stat().st_size
    show = progress if progress is not None else sys.stderr.isatty()
    if show:
        label = f"simulate {population.name}"
        # Parquet says how many rows it has; for CSV the bar follows the bytes read (Arrow's size of the text read)
        with click.progressbar(length=total or size, label=label, file=sys.stderr, show_pos=total is not None) as bar:

            def advance(rows: int, nbytes: int) -> None:
                bar.update(rows if total is not None else min(nbytes, max(0, size - bar.pos)))

            sim = run(program, population, base, when, out, chunk_rows, advance, frozenset(others))
            bar.update((total or size) - bar.pos)
    else:
        sim = run(program, population, base, when, out, chunk_rows, None, frozenset(others))
    accounts = None
    if employers is not None:
        from lawtrace.fund_report import fund_accounts

        accounts = fund_accounts(sim, employers, program, base, when, as_of, employers_by, chunk_rows, frozenset(others))
    if fmt == "json":
        emit_json(sim.as_json() | ({"fund_accounts": accounts.as_json()} if accounts is not None else {}))
    else:
        for line in summary_lines(sim):
            click.echo(line)
        if accounts is not None:
            for line in accounts.lines():
                click.echo(line)
        if out is not None:
            click.echo(f"per-row results: {out}")


command = simulate
