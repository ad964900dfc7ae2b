"""Imports on demand: a command imports only what it runs (issue 18).

Every command module is importable without the heavy libraries, and `eval`, `explain`, `ask --next`, `check` and
`regimes` of a cached regime run without numpy, pyarrow, networkx, FastAPI or Lark, checked in a fresh interpreter's
`sys.modules` (the test process has them all loaded already).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("numpy", "pyarrow", "networkx", "fastapi", "starlette", "uvicorn", "lark")
COMMANDS = sorted(p.stem for p in (ROOT / "lawtrace" / "commands").glob("*.py") if not p.stem.startswith("_"))

_PROBE = """
import contextlib, io, json, sys
from lawtrace.cli import main
runs = json.loads(sys.argv[1])
for args in runs:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(args, standalone_mode=False)
        except SystemExit as e:
            if e.code:
                raise
    assert out.getvalue(), args
heavy = json.loads(sys.argv[2])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def _run(code: str, *args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LAWTRACE_CACHE_DIR": str(cache)}
    env.pop("LAWTRACE_NO_CACHE", None)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def test_every_command_module_imports_nothing_heavy(tmp_path: Path) -> None:
    code = ("import importlib, json, sys\nimport lawtrace.cli\n"
            "mods = [importlib.import_module('lawtrace.commands.' + n) for n in json.loads(sys.argv[1])]\n"
            "assert all(m.command.name == n for m, n in zip(mods, json.loads(sys.argv[1])))\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in json.loads(sys.argv[2]))))")
    run = _run(code, json.dumps(COMMANDS), json.dumps(HEAVY), cache=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout) == []


def test_the_cli_lists_every_command_module() -> None:
    from click.testing import CliRunner

    from lawtrace.cli import main

    out = CliRunner().invoke(main, ["--help"]).output
    assert all(f"  {name} " in out for name in COMMANDS if name != "cache") and "  cache " in out


RUNS = [
    ["eval", "examples/grade7.yaml"],
    ["eval", "examples/grade7.yaml", "--format", "json"],
    ["explain", "examples/grade7.yaml", "one_time_disability_subsidy"],
    ["ask", "examples/grade7.yaml", "--next"],
    ["ask", "examples/grade7.yaml", "--next", "--format", "json"],
    ["check"],
    ["check", "--regime", "jiangsu"],
    ["regimes"],
    ["regimes", "--format", "json"],
]


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    warm = _run(_PROBE, json.dumps(RUNS), json.dumps(HEAVY), cache=cache)  # compiles every regime and stores it
    assert warm.returncode == 0, warm.stderr[-3000:]
    assert {"lark", "networkx"} <= set(json.loads(warm.stdout)), "the first run compiles (else the test proves nothing)"
    return cache


@pytest.mark.parametrize("args", RUNS, ids=[" ".join(r) for r in RUNS])
def test_commands_of_a_cached_regime_import_nothing_heavy(args: list[str], warm_cache: Path) -> None:
    run = _run(_PROBE, json.dumps([args]), json.dumps(HEAVY), cache=warm_cache)
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout) == []


def test_the_web_server_answers_its_first_request_without_compiling(warm_cache: Path) -> None:
    code = """
import json, sys
from fastapi.testclient import TestClient
from lawtrace.web.app import create_app
with TestClient(create_app()) as client:  # start-up loads every regime: from the cache, nothing compiled
    body = open("examples/grade7.yaml", encoding="utf-8").read()
    r = client.post("/v1/evaluate", content=body, headers={"content-type": "application/yaml"})
    assert r.status_code == 200, r.text
    assert any(i["amount"] == "78000.00" for i in r.json()["items"])
print(json.dumps(sorted(m for m in ("lark", "networkx", "engine.build.compile", "dsl.parser") if m in sys.modules)))
"""
    run = _run(code, cache=warm_cache)
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout) == []
