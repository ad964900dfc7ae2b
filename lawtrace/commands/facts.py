"""`lawtrace facts`: the facts a population may give, as columns, and an empty population file to fill."""

from __future__ import annotations

from pathlib import Path

import click

from lawtrace.cli_support import LANGS, emit_json, user_errors


@click.command("facts")
@click.option("--regime", help="Only this regime's facts (default: every shipped regime's).")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="A DSL overlay file (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv-header"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--template", type=click.Path(path_type=Path),
              help="Write an empty population file (.parquet or .csv) with a column per fact, typed as simulate reads.")
@user_errors
def facts(regime: str | None, rules: tuple[Path, ...], fmt: str, lang: str, template: Path | None) -> None:
    """Every fact of the regime: type, unit, allowed values, label, citation, and the column `simulate` reads."""
    from engine.columns.population_schema import fact_entries, template_schema, write_template
    from explain.i18n import cite_text
    from lawtrace.api import load_program, regime_names

    names = [regime] if regime else list(regime_names())
    programs = [load_program(n, rules) for n in names]
    if template is not None:
        schema = template_schema(programs)
        write_template(template, schema)
        click.echo(f"{template}: {len(schema.names)} columns, 0 rows" if lang == "en"
                   else f"{template}：{len(schema.names)} 列，0 行")
        return
    entries = fact_entries(programs)
    if fmt == "json":
        emit_json({"regimes": names, "columns": {"id": "text, carried to the per-row output",
                                                 "date": "the accident date, YYYY-MM-DD"}, "facts": entries})
        return
    if fmt == "csv-header":
        click.echo(",".join(template_schema(programs).names))
        return
    titles = {i.code: {"zh": i.title_zh, "en": i.title_en, "latest": i.latest}
              for p in programs for i in p.instruments}
    undetermined = "尚不能确定" if lang == "zh" else "undetermined"
    click.echo(("列 id：案件编号；列 date：事故日期 YYYY-MM-DD；空单元格为" if lang == "zh" else
                "column id: the case's id; column date: the accident date YYYY-MM-DD; an empty cell is ") + undetermined)
    for e in entries:
        cites = "; ".join(cite_text(c, lang, titles) for c in e["citations"])  # type: ignore[attr-defined]
        allowed = e["allowed"]
        extra = ""
        if isinstance(allowed, dict):
            extra = f" {allowed['min']}..{allowed['max']}"
        click.echo(f"{e['id']}  {e['label'][lang]}  [{e['type']}{extra}]"  # type: ignore[index]
                   + (f"  {cites}" if cites else ""))
        column = e["column"]
        click.echo(f"    parquet {column['parquet']}; csv: {column['csv']}"  # type: ignore[index]
                   + (f"; {'regimes' if lang == 'en' else '规则'}: {', '.join(e['regimes'])}"  # type: ignore[arg-type]
                      if not regime else ""))


command = facts
