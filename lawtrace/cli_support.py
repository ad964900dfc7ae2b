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
    # check_circular off: our results are trees, and indented output is written by json's pure-Python encoder,
    # where the check costs a dict operation per list and mapping of a trace of a few hundred thousand characters
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, check_circular=False))
