"""`lawtrace prove`: the built-in properties of a regime (and against a baseline) proved over every case within
the bounds, or refuted with a counterexample case file that the ordinary evaluator confirms."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from lawtrace.cli_support import LANGS, emit_json, user_errors


def bounds_options(f):  # type: ignore[no-untyped-def]
    f = click.option("--timeout", type=click.FloatRange(0.1, None), default=10.0, show_default=True,
                     help="Seconds the solver may spend on each proof; past it the answer is unknown.")(f)
    f = click.option("--list-bound", type=click.IntRange(0, 20), default=4, show_default=True,
                     help="Records of a list fact (dependants) considered: proofs hold up to this many.")(f)
    f = click.option("--dates", default="2004-01-01..2026-12-31", show_default=True,
                     help="The range of case dates covered, FROM..TO.")(f)
    f = click.option("--out", "out", type=click.Path(path_type=Path), default=Path("counterexamples"),
                     show_default=True, help="Directory for counterexample case files (created when one is found).")(f)
    return f


def parse_bounds(dates: str, list_bound: int):  # type: ignore[no-untyped-def]
    from dsl.errors import LawtraceError
    from engine.prove.encode import Bounds

    try:
        lo, hi = (date.fromisoformat(x) for x in dates.split(".."))
    except ValueError:
        raise LawtraceError(f"--dates {dates}: expected FROM..TO, two dates written YYYY-MM-DD") from None
    if lo > hi:
        raise LawtraceError(f"--dates {dates}: the first date is after the last")
    return Bounds(first_date=lo, last_date=hi, list_bound=list_bound)


@click.command("prove")
@click.option("--regime", default="national", show_default=True, help="The regime whose rules are proved.")
@click.option("--baseline", help="A regime to compare with, item by item: never less, never more, the same payer.")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="A DSL overlay file (repeatable).")
@click.option("--property", "props", multiple=True,
              type=click.Choice(["final_payer", "non_negative", "parts_sum", "names_missing", "never_less", "never_more",
                                 "same_payer", "same_advance_payer", "once_total_never_less"]),
              help="Prove only these properties (repeatable; default: all that apply).")
@click.option("--item", "items", multiple=True, help="Prove only for these items (repeatable).")
@bounds_options
@click.option("--each", is_flag=True, help="List every proof (property and item) with the time it took.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@user_errors
def prove(regime: str, baseline: str | None, rules: tuple[Path, ...], props: tuple[str, ...], items: tuple[str, ...],
          timeout: float, list_bound: int, dates: str, out: Path, each: bool, fmt: str, lang: str) -> None:
    """Prove the built-in properties of REGIME for every case within the bounds (Z3).

    Each answer is proved, refuted (a counterexample case file, evaluated again by the ordinary engine and
    explained), or unknown (with the reason). Exit 3 when the evaluator does not confirm a counterexample.
    """
    from lawtrace.proving import exit_code, render, report_json, run, write_counterexamples

    bounds = parse_bounds(dates, list_bound)
    report = run(regime, rules, baseline, bounds, timeout, props or None, False, items)
    confirmed = write_counterexamples(report, out, rules)
    if fmt == "json":
        emit_json(report_json(report, confirmed))
    else:
        click.echo(render(report, confirmed, lang, fmt, each), nl=False)
    code = exit_code(report, confirmed)
    if code == 3:
        click.echo("internal inconsistency: a counterexample of the translation is not confirmed by the evaluator"
                   " (内部不一致：求解器的反例未被求值器确认)", err=True)
    sys.exit(code)


command = prove
