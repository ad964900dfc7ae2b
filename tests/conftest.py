"""Shared helpers: evaluate a case dict, compile a DSL snippet, and golden files refreshed by a flag."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Compiled programs go to a cache of this run's own, never the user's (tests of the cache set their own).
os.environ["LAWTRACE_CACHE_DIR"] = tempfile.mkdtemp(prefix="lawtrace-test-cache-")

from dsl.parser import parse_text
from dsl.source import SourceFile
from engine.build.catalog import index
from engine.build.compile import compile_regime
from engine.run.evaluate import Evaluator
from engine.run.result import Result, evaluate, result_json
from lawtrace.api import evaluate_case

GOLDEN = Path(__file__).with_name("golden")
pytest_plugins = ["coverage_recorder"]  # `--lawtrace-coverage FILE`: the recording `lawtrace coverage` reads


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    regen = request.config.getoption("--regen-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if regen or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
        assert actual == path.read_text(encoding="utf-8"), f"golden file {name} differs (refresh with --regen-golden)"

    return check


def run(facts: dict, date: str | None = "2020-06-15", regime: str = "national") -> dict:
    """The result JSON of a case given as facts."""
    case: dict = {"regime": regime, "facts": facts}
    if date is not None:
        case["date"] = date
    return result_json(evaluate_case(case), include_trace=True)


def item(result: dict, item_id: str) -> dict:
    return next(i for i in result["items"] if i["id"] == item_id)


HEADER = 'instrument T "测试" en "test" version 2010 in_force 2011-01-01\n'
REGIME = 'regime t "测试" = T\n'


def compile_snippet(body: str, name: str = "snippet.lt"):
    """Compile a DSL snippet (the instrument header and a regime are added) into a Program.

    A citation must name an article the instrument declares: the articles a snippet cites without declaring them
    are added as `unavailable` (no text), after the snippet's own.
    """
    import re

    declared = {int(n) for n in re.findall(r"(?m)^article (\d+)", body)}
    body = body + "".join(f"\narticle {n} unavailable" for n in range(1, 100) if n not in declared) + "\n"
    modules = [parse_text(SourceFile(name, HEADER + body)), parse_text(SourceFile("regime.lt", REGIME))]
    sources = {name: SourceFile(name, HEADER + body), "regime.lt": SourceFile("regime.lt", REGIME)}
    return compile_regime(index(modules, sources), "t")


def eval_snippet(body: str, facts: dict, date=None) -> Result:
    from datetime import date as D

    program = compile_snippet(body)
    return evaluate(Evaluator(program), facts, date or D(2020, 1, 1))


BASE_GRADE7 = {
    "work_injury_recognized": True,
    "employer_insured": True,
    "disability_grade": 7,
    "monthly_wage": 6000,
    "regional_avg_monthly_wage": 8000,
}
