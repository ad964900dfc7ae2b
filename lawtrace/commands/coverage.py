"""`lawtrace coverage`: which articles are encoded, by which rules, and exercised by how many tests.

Without `--recording`, runs the statute tests (pytest, in a subprocess, with the
recorder plugin of `tests/coverage_recorder.py`; `--tests` for others or the
whole suite) and measures; with it, reads a recording made earlier
(`python -m pytest --lawtrace-coverage FILE`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from lawtrace.cli_support import emit_json, user_errors

REPO = Path(__file__).resolve().parents[2]
RUNNING = "LAWTRACE_COVERAGE_RUN"  # set in the measured run, so that tests can tell
DEFAULT_TESTS = ("tests/statutes", "tests/test_core_done.py", "statutes")  # the tests with worked numbers: Python, and YAML (statutes/**/tests)


@click.command("coverage")
@click.option("--regime", default="national", show_default=True, help="The regime whose instruments are listed.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--recording", type=click.Path(path_type=Path), help="Read this recording instead of running the tests.")
@click.option("--tests", "tests", multiple=True, type=click.Path(path_type=Path),
              help="Run these test files or directories (default: the statute tests, tests/statutes and "
                   "tests/test_core_done.py; `--tests tests` runs the whole suite).")
@user_errors
def coverage_command(regime: str, fmt: str, recording: Path | None, tests: tuple[Path, ...]) -> None:
    """For every article of the regime: the rules that encode it and the tests that exercise it."""
    from engine.analysis.coverage import coverage, read_recording
    from lawtrace.api import catalog, load_program

    program = load_program(regime)
    if recording is None:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "recording.json"
            _run_tests(tests, out)
            recorded = read_recording(out)
    else:
        recorded = read_recording(recording)
    rows = coverage(catalog(), program, recorded)
    if fmt == "json":
        emit_json({"regime": regime, "tests_recorded": len(recorded), "articles": [r.as_json() for r in rows]})
        return
    _text(rows, len(recorded))


def _run_tests(tests: tuple[Path, ...], out: Path) -> None:
    from dsl.errors import LawtraceError

    suite = REPO / "tests"
    if not (suite / "coverage_recorder.py").exists():
        raise LawtraceError(f"no test suite at {suite} (lawtrace is not installed from its source tree): "
                            "give a recording made with `python -m pytest --lawtrace-coverage FILE` as --recording FILE")
    targets = [str(t.resolve()) for t in tests] or [str(p) for p in DEFAULT_TESTS if (REPO / p).exists()]
    # the recorder is loaded by name, so that a run of YAML tests alone (statutes/**/tests) records too
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "coverage_recorder",
           f"--lawtrace-coverage={out}", *targets]
    path = os.pathsep.join(x for x in (str(suite), os.environ.get("PYTHONPATH", "")) if x)
    env = dict(os.environ, **{RUNNING: "1", "PYTHONPATH": path})
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if not out.exists():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise LawtraceError(f"the test run made no recording (pytest exit code {done.returncode}):\n{tail}")
    if done.returncode not in (0, 1):
        click.echo(f"warning: pytest exited with code {done.returncode}; counting the tests that passed", err=True)
    elif done.returncode == 1:
        click.echo("warning: some tests failed; only passing tests are counted", err=True)


def _text(rows: list, recorded: int) -> None:
    current = None
    for r in rows:
        head = (r.instrument, r.version)
        if head != current:
            current = head
            click.echo(f"\n{r.instrument} ({r.version})")
        line = f"  art. {r.article:<3} {r.status:<11} tests {r.tests:>4}  rules {len(r.rules):>3}"
        if r.status in ("covered", "untested", "partial"):
            shown = ", ".join(r.rules[:4]) + (f", … {len(r.rules) - 4} more" if len(r.rules) > 4 else "")
            line += f"  {shown}"
        if r.paragraphs_not_encoded:
            line += f"  paragraphs not encoded: {', '.join(map(str, r.paragraphs_not_encoded))}"
        elif r.omitted is not None:
            line += f"  omitted: {r.omitted}"
        if r.text not in ("verbatim",):
            line += f"  [text: {r.text}]"
        click.echo(line)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    click.echo(f"\n{len(rows)} articles: {summary}; {recorded} tests recorded")


command = coverage_command
