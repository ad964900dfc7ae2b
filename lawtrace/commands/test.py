"""`lawtrace test`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lawtrace.cli_support import emit_json


@click.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path),
              help="An overlay file added to every test (after the test file's own `rules`).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def test_command(paths: tuple[Path, ...], rules: tuple[Path, ...], fmt: str) -> None:
    """Run YAML statute tests (files, or folders searched for `tests/*.yaml`): one line a test, a diff of expected
    and actual for each failure, exit code 1 if any fails."""
    from dataclasses import replace

    from dsl.errors import LawtraceError
    from lawtrace.testing.runner import report_json, report_text, run_all
    from lawtrace.testing.spec import find_test_files, read_tests

    file_errors: list[str] = []
    tests = []
    try:
        files = find_test_files(paths)
    except LawtraceError as e:
        click.echo(e.render(), err=True)
        sys.exit(1)
    for p in rules:
        if not p.is_file():
            click.echo(f"{p}: no such rules file", err=True)
            sys.exit(1)
    extra = tuple(p.resolve() for p in rules)
    for f in files:
        try:
            tests.extend(replace(t, rules=t.rules + extra) for t in read_tests(f))
        except LawtraceError as e:
            file_errors.append(e.render())
    outcomes, seconds = run_all(tests)
    if fmt == "json":
        emit_json(report_json(outcomes, seconds, file_errors))
    else:
        for e in file_errors:
            click.echo(e, err=True)
        if not files:
            click.echo("no test files found (YAML files with `tests:` in folders named tests)", err=True)
        click.echo(report_text(outcomes, seconds), nl=False)
    failed = file_errors or not files or any(o.status != "passed" for o in outcomes)
    sys.exit(1 if failed else 0)


command = test_command
