"""`lawtrace check`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lawtrace.cli_support import emit_json


@click.command("check")
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


command = check
