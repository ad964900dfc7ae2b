"""`lawtrace verify`: does a saved result still stand? Its receipt checked, its case evaluated again."""

from __future__ import annotations

import click

from lawtrace.cli_support import emit_json, user_errors


@click.command("verify")
@click.argument("result")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@user_errors
def verify(result: str, fmt: str) -> None:
    """Check RESULT.json (written by `lawtrace eval --format json` or the API) against its receipt and a fresh
    evaluation: exit 0 when it is confirmed, 1 with the cause (result edited, fact edited, statute or engine changed)."""
    import json
    import sys
    from pathlib import Path

    from dsl.errors import LawtraceError
    from dsl.source import SourceFile
    from engine.model.safe_load import InputRefused, load_json
    from lawtrace.receipt import verify as check

    try:
        source = SourceFile("<stdin>", sys.stdin.read()) if result == "-" else SourceFile.read(Path(result), result)
    except OSError as e:
        raise LawtraceError(f"{result}: cannot read the result: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise LawtraceError(f"{result}: not UTF-8 text (byte {e.start + 1})") from None
    try:
        data = load_json(source.text)
    except json.JSONDecodeError as e:
        raise LawtraceError(f"{result}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    except InputRefused as e:
        raise LawtraceError(f"{result}: {e.message}") from None
    if not isinstance(data, dict):
        raise LawtraceError(f"{result}: a result is a JSON object with `items` and `receipt`")
    verdict = check(data)
    if fmt == "json":
        emit_json(verdict.as_json())
    else:
        click.echo(f"{result}: " + ("confirmed: the result stands, evaluated again with the same statutes and engine"
                                    if verdict.confirmed else "NOT confirmed"))
        for cause in verdict.causes:
            click.echo(f"  - {cause}")
        for d in verdict.differences:
            click.echo(f"    {d}")
    if not verdict.confirmed:
        sys.exit(1)


command = verify
