"""`lawtrace explain`: why (or why not) one item is payable, by whom, how much, article by article.

CASE is a case file (evaluated first) or a result JSON saved by `lawtrace eval
--format json` (explained from its trace alone, with no evaluation).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from engine.model.safe_load import InputRefused, load_json

from lawtrace.cli_support import LANGS, user_errors


@click.command("explain")
@click.argument("case")
@click.argument("item")  # an id, or the item's Chinese or English label
@click.option("--regime", help="Regime to apply (overrides the case file's).")
@click.option("--date", "on", help="Date of the accident, YYYY-MM-DD (overrides the case file's).")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="A DSL overlay file.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--detail", is_flag=True, help="Also show the rules' internal names and formulas (DSL text).")
@user_errors
def explain(case: str, item: str, regime: str | None, on: str | None, rules: tuple[Path, ...], fmt: str, lang: str,
            detail: bool) -> None:
    """Why (or why not) ITEM is payable in CASE: the facts, conditions and formulas, each with its article.

    ITEM is an item's id, or its label in Chinese or English (一次性伤残补助金, "one-time disability subsidy")."""
    from dsl.errors import LawtraceError
    from engine.run.case import parse_case
    from engine.run.result import result_json
    from explain.render import render_explanation
    from explain.saved import check_saved_result
    from explain.why import resolve_item
    from lawtrace.api import evaluate_case

    source = _read(case)
    stored = _stored_result(source.text)
    if stored is not None:
        if regime or on or rules:
            raise LawtraceError(f"{case}: a saved result is explained as it is; --regime, --date and --rules need a case file")
        check_saved_result(stored)
        data, meta = stored, {}
    else:
        parsed = parse_case(source)
        data, meta = result_json(evaluate_case(parsed, regime, on, rules)), parsed.data
    item = resolve_item(data, item)
    click.echo(render_explanation(data, item, lang, fmt, meta, detail), nl=False)


def _read(path: str):  # type: ignore[no-untyped-def]
    from dsl.errors import LawtraceError
    from dsl.source import SourceFile

    if path == "-":
        return SourceFile("<stdin>", sys.stdin.read())
    try:
        return SourceFile.read(Path(path), path)
    except FileNotFoundError:
        raise LawtraceError(f"{path}: no such case file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise LawtraceError(f"{path}: cannot read the case file: {e}") from None


def _stored_result(text: str) -> dict[str, object] | None:
    """The result JSON in `text`, if it is one (a case file has `facts`, a result has `items` and `trace`)."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        data = load_json(text)
    except (json.JSONDecodeError, InputRefused):
        return None
    if isinstance(data, dict) and "items" in data and isinstance(data.get("trace"), dict) and "facts" not in data:
        return data
    return None


command = explain
