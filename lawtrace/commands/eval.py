"""`lawtrace eval`."""

from __future__ import annotations

from pathlib import Path

import click

from lawtrace.cli_support import FORMATS_REPORT, LANGS, emit_json, user_errors


@click.command("eval")
@click.argument("case")
@click.option("--regime", help="Regime to apply (overrides the case file's).")
@click.option("--date", "on", help="Date of the accident, YYYY-MM-DD (overrides the case file's).")
@click.option("--as-of", "as_of", help="Evaluation date of deadlines and late fees, YYYY-MM-DD (overrides the case file's).")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="A DSL overlay file.")
@click.option("--format", "fmt", type=FORMATS_REPORT, default="text", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--from", "window_from", help="First day of a window, YYYY-MM-DD: what falls due in it, month by month.")
@click.option("--to", "window_to", help="Last day of the window, YYYY-MM-DD (with --from).")
@click.option("--detail", is_flag=True, help="Reports also show the rules' internal names and formulas (DSL text).")
@user_errors
def eval_(case: str, regime: str | None, on: str | None, as_of: str | None, rules: tuple[Path, ...], fmt: str,
          lang: str, window_from: str | None, window_to: str | None, detail: bool) -> None:
    """Evaluate one case file (YAML or JSON; `-` reads standard input)."""
    from engine.run.case import read_case
    from engine.run.result import result_json
    from lawtrace.api import evaluate_case, owed_json, parse_window

    window = parse_window(window_from, window_to)
    parsed = read_case(case)
    result = evaluate_case(parsed, regime, on, rules, as_of)
    data = result_json(result)
    if window is not None:
        data["owed"] = owed_json(result, *window)
    data["case"] = {k: parsed.data[k] for k in ("id", "name", "notes") if parsed.data.get(k) is not None}
    if fmt in ("json", "html"):  # the formats that show or keep it; a text or Markdown report has no receipt
        from lawtrace.receipt import attach

        attach(data, parsed.raw_facts, result.program, rules)
    if fmt == "json":
        emit_json(data)
    else:
        from explain.render import render_result

        click.echo(render_result(data, lang, fmt, parsed.data, detail), nl=False)


command = eval_
