"""`lawtrace check`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lawtrace.cli_support import emit_json


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--regime", help="Check this regime only (with the given files as overlays).")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path),
              help="A DSL overlay file to check on top of the regime (as with eval --rules).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--prove", "prove_", is_flag=True,
              help="Also prove the statutes' `assert` declarations (Z3) for every regime checked.")
@click.option("--timeout", type=click.FloatRange(0.1, None), default=10.0, show_default=True,
              help="With --prove: seconds per assertion.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def check(paths: tuple[Path, ...], regime: str | None, rules: tuple[Path, ...], fmt: str, prove_: bool,
          timeout: float, lang: str) -> None:
    """Parse, resolve, type-check and lint DSL files (default: every shipped statute).

    Warnings (a lower rule contradicting a higher one without authority, which then prevails) do not fail the check.
    """
    from lawtrace.checking import check_shipped, check_paths

    cached = None if paths or rules or prove_ else check_shipped(regime)
    errors, warnings = ([], cached) if cached is not None else check_paths(paths + rules, regime)
    if prove_ and not errors:
        from lawtrace.proving import prove_assertions

        sys.exit(prove_assertions(regime, rules, timeout, fmt, lang, warnings))
    if fmt == "json":
        emit_json({
            "ok": not errors,
            "diagnostics": [{**d, "citations": d.get("citations", [])} for e in errors for d in e.as_json()]
            + [w.as_json() for w in warnings],
        })
    else:
        for e in errors:
            click.echo(e.render(), err=True)
        for w in warnings:
            where = f"{w.span}: " if w.span is not None else ""
            cites = "; ".join(c.en() for c in w.citations)
            click.echo(f"{where}warning: {w.message}" + (f" [{cites}]" if cites else ""), err=True)
        if errors:
            click.echo(f"{len(errors)} error{'s' if len(errors) != 1 else ''} found", err=True)
        else:
            click.echo(f"ok: {len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    sys.exit(1 if errors else 0)


command = check
