"""`lawtrace regimes`."""

from __future__ import annotations

import click

from lawtrace.cli_support import emit_json, user_errors


@click.command("regimes")
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


command = regimes
