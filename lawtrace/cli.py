"""The `lawtrace` command: a thin layer that turns user errors into messages and exit codes."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from dsl.errors import LawtraceError

FORMATS_REPORT = click.Choice(["text", "json", "md", "html"])
LANGS = click.Choice(["zh", "en"])


def user_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Report a LawtraceError on stderr with exit code 1, never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except LawtraceError as e:
            click.echo(e.render(), err=True)
            sys.exit(1)

    return wrapper


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lawtrace")
def main() -> None:
    """Work-injury insurance law (工伤保险) as checked rules: what is owed, by whom, and why."""


@main.command("eval")
@click.argument("case")
@click.option("--regime", help="Regime to apply (overrides the case file's).")
@click.option("--date", "on", help="Date of the accident, YYYY-MM-DD (overrides the case file's).")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="A DSL overlay file.")
@click.option("--format", "fmt", type=FORMATS_REPORT, default="text", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@user_errors
def eval_(case: str, regime: str | None, on: str | None, rules: tuple[Path, ...], fmt: str, lang: str) -> None:
    """Evaluate one case file (YAML or JSON; `-` reads standard input)."""
    from engine.case import read_case
    from engine.result import result_json
    from explain.render import render_result
    from lawtrace.api import evaluate_case

    parsed = read_case(case)
    result = evaluate_case(parsed, regime, on, rules)
    data = result_json(result)
    if fmt == "json":
        emit_json(data)
    else:
        click.echo(render_result(data, lang, fmt, parsed.data), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--regime", help="Check this regime only (with the given files as overlays).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(paths: tuple[Path, ...], regime: str | None, fmt: str) -> None:
    """Parse, resolve, type-check and lint DSL files (default: every shipped statute)."""
    from lawtrace.checking import check_paths

    errors, warnings = check_paths(paths, regime)
    if fmt == "json":
        emit_json({
            "ok": not errors,
            "diagnostics": [d for e in errors for d in e.as_json()] + [w.as_json() for w in warnings],
        })
    else:
        for e in errors:
            click.echo(e.render(), err=True)
        for w in warnings:
            click.echo(f"warning: {w.message}", err=True)
        if errors:
            click.echo(f"{len(errors)} error{'s' if len(errors) != 1 else ''} found", err=True)
        else:
            click.echo(f"ok: {len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    sys.exit(1 if errors else 0)


@main.command()
@click.option("--regime", default="national", show_default=True)
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["dot", "graphml", "mermaid"]), default="dot", show_default=True)
@user_errors
def graph(regime: str, rules: tuple[Path, ...], fmt: str) -> None:
    """The dependency graph of conditions and formulas."""
    from engine.graph import to_dot, to_graphml, to_mermaid
    from lawtrace.api import load_program

    program = load_program(regime, rules)
    render = {"dot": to_dot, "graphml": to_graphml, "mermaid": to_mermaid}[fmt]
    click.echo(render(program.graph), nl=False)  # type: ignore[arg-type]


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@user_errors
def regimes(fmt: str) -> None:
    """The regimes available, with their instruments and dates in force."""
    from lawtrace.api import regimes as list_regimes

    data = list_regimes()
    if fmt == "json":
        emit_json(data)
        return
    for r in data:
        label = r["label"]
        click.echo(f"{r['name']}  {label['zh']} / {label['en']}")  # type: ignore[index]
        for i in r["instruments"]:  # type: ignore[attr-defined]
            versions = ", ".join(f"{v['version']} (in force {v['in_force']})" for v in i["versions"])
            click.echo(f"  {i['code']:<5} {i['title']['zh']}  {versions}")
