"""`lawtrace graph`."""

from __future__ import annotations

from pathlib import Path

import click

from lawtrace.cli_support import user_errors


@click.command("graph")
@click.option("--regime", default="national", show_default=True)
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["dot", "graphml", "mermaid", "ir"]), default="dot", show_default=True)
@user_errors
def graph(regime: str, rules: tuple[Path, ...], fmt: str) -> None:
    """The dependency graph of conditions and formulas (`--format ir`: the compiled rules as text)."""
    from engine.build.graph import to_dot, to_graphml, to_mermaid
    from engine.model.printer import show_program
    from lawtrace.api import load_program

    program = load_program(regime, rules)
    if fmt == "ir":
        click.echo(show_program(program), nl=False)
        return
    render = {"dot": to_dot, "graphml": to_graphml, "mermaid": to_mermaid}[fmt]
    click.echo(render(program.graph), nl=False)  # type: ignore[arg-type]


command = graph
