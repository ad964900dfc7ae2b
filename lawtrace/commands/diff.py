"""`lawtrace diff`."""

from __future__ import annotations

from pathlib import Path

import click

from lawtrace.cli_support import LANGS, emit_json, user_errors


@click.command("diff")
@click.argument("a")
@click.argument("b")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path),
              help="A DSL overlay applied on top of B.")
@click.option("--cases", "cases", help="A JSON or YAML list of cases to compare outcomes on.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "json"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--detail", is_flag=True, help="Show each changed rule's expression (the DSL) under its description.")
@user_errors
def diff(a: str, b: str, rules: tuple[Path, ...], cases: str | None, fmt: str, lang: str, detail: bool) -> None:
    """What differs between regimes A and B (each optionally REGIME@YYYY-MM-DD): rules, then outcomes on cases."""
    from explain.diff_view import render_diff
    from lawtrace.diffing import run_diff

    report = run_diff(a, b, rules, cases)
    data = report.as_json()
    if fmt == "json":
        emit_json(data)
    else:
        click.echo(render_diff(data, lang, fmt, detail), nl=False)


command = diff
