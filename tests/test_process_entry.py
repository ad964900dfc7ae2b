"""The `lawtrace` process (`python -m lawtrace`, the console script): the collector set for a short process (#18)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from lawtrace.__main__ import COMMAND_YOUNG_SWEEP

ROOT = Path(__file__).resolve().parent.parent

# atexit handlers run after `run` returns or raises SystemExit: they see the collector as the process leaves it
_PROBE = """
import atexit, gc, sys
def report():
    sys.stderr.write("threshold=%d frozen=%d\\n" % (gc.get_threshold()[0], gc.get_freeze_count()))
atexit.register(report)
sys.argv = ["lawtrace"] + sys.argv[1:]
from lawtrace.__main__ import run
run()
"""


def _probe(*args: str) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "LAWTRACE_NO_CACHE": "1"})
    return done.returncode, done.stdout, done.stderr


def test_a_command_runs_with_rare_sweeps_and_ends_frozen():
    code, out, err = _probe("--version")
    assert code == 0 and "lawtrace" in out
    threshold, frozen = (int(part.split("=")[1]) for part in err.split()[-2:])
    assert threshold == COMMAND_YOUNG_SWEEP
    assert frozen > 10_000  # the modules and their objects, out of the shutdown's collections


def test_a_failing_command_is_still_frozen_and_keeps_its_exit_code():
    code, _, err = _probe("eval", "no-such-case.yaml")
    assert code == 1 and "no-such-case.yaml" in err and "Traceback" not in err
    assert int(err.split()[-1].split("=")[1]) > 0


def test_the_console_script_is_the_process_entry():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["lawtrace"] == "lawtrace.__main__:run"


def test_in_process_callers_keep_their_collector():
    from click.testing import CliRunner

    from lawtrace.cli import main

    before = gc.get_threshold(), gc.get_freeze_count()
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
