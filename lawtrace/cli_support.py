"""What every command shares: error handling, JSON output, common option types."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
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
    """`data` as indented JSON on standard output, in UTF-8.

    orjson writes it: the standard library writes indented JSON with its pure-Python encoder, ~14 ms for a result
    with its trace. The bytes are the standard library's (`indent=2`, `ensure_ascii=False`) except a float's
    exponent (1e-05 is written 0.00001): the same number. What orjson refuses (a whole number beyond 64 bits, a key
    that is not text) is written by the standard library."""
    import orjson

    try:
        out = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")  # text: stdout may be a text-only stream
    except (TypeError, orjson.JSONEncodeError):
        out = json.dumps(data, ensure_ascii=False, indent=2, check_circular=False)
    click.echo(out)
