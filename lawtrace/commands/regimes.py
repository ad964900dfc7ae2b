"""`lawtrace regimes`."""

from __future__ import annotations

import click

from lawtrace.cli_support import emit_json, user_errors


@click.command("regimes")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@user_errors
def regimes(fmt: str) -> None:
    """The regimes available: their instruments, dates in force, and what each lower instrument fills or overrides."""
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
            level = f" [{i['level']}]" if i["level"] else ""
            click.echo(f"  {i['code']:<5} {i['title']['zh']}{level}  {versions}")
        for c in r["overrides"]:  # type: ignore[attr-defined]
            click.echo("    " + _change_line(c))


def _change_line(c: dict) -> str:
    where = ", ".join(_cite(x) for x in c["citations"]) or c["instrument"]
    replaced = c["replaces"]
    what = {"fill": "fills", "override": "overrides", "part": "adds"}[c["kind"]]
    line = f"{where} {what} {c['target']}"
    if replaced is not None:
        line += f" (set by {', '.join(_cite(x) for x in replaced['citations']) or replaced['instrument']})"
    if c["applied"]:
        line += f": {c['authority']}"
    elif c["applies_where_higher_names_no_party"]:
        line += ": refused where the higher rule names a party (上位法优于下位法); applies where it names none"
    else:
        line += ": refused, the higher rule prevails (上位法优于下位法)"
    return line


def _cite(c: dict) -> str:
    text = f"{c['instrument']} {c['article']}"
    if "paragraph" in c:
        text += f"({c['paragraph']})" + (f"({c['item']})" if "item" in c else "")
    return text


command = regimes
