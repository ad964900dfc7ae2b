"""lawtrace engines for the OpenFisca performance anchor (../shared/bench/openfisca_anchor).

    BENCH_EXTRA_PIP="-e $PWD" ../shared/bench/openfisca_anchor/run.sh \\
        --engine $PWD/benchmarks/openfisca_anchor.py:make_engine

`setup` compiles benchmarks/anchor_rules.lt (the synthetic rule set in the
statute language) with the ordinary compiler; `run` converts the population's
numpy arrays into exact columns (money to int fen) and evaluates the compiled
program with the vectorized evaluator (no hand-written formula here: the
adapter only names the two output nodes the harness asks for); `run_traced`
evaluates one case with the single-case evaluator and returns its full trace.

Two engines are offered: `lawtrace` (one thread) and `lawtrace_2threads`
(row blocks evaluated on two threads; numpy releases the GIL inside array
operations).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dsl.parser import parse_file
from dsl.source import SourceFile
from engine.model import ir
from engine.columns.batch import evaluate_arrays_yuan
from engine.build.catalog import index
from engine.build.compile import compile_regime
from engine.run.evaluate import Evaluator
from engine.columns.population import Schema
from engine.run.result import TRACE_SCHEMA
from engine.columns.vector import VectorProgram

RULES = HERE / "anchor_rules.lt"
REGIME = "anchor"
OUTPUTS = ("total_fund_liability", "total_employer_liability")


def compile_rules(path: Path = RULES, regime: str = REGIME) -> ir.Program:
    """The synthetic rule set compiled by the ordinary compiler (its own catalog: it is not law)."""
    name = path.name
    module = parse_file(path, name)
    return compile_regime(index([module], {name: SourceFile.read(path, name)}), regime)


def period_date(period: str) -> date:
    return date.fromisoformat(f"{period}-01") if len(period) == 7 else date.fromisoformat(period)


class LawtraceEngine:
    def __init__(self, threads: int = 1):
        self.threads = threads
        self.name = "lawtrace" if threads == 1 else f"lawtrace_{threads}threads"

    def setup(self) -> None:
        self.program = compile_rules()
        self.vector = VectorProgram(self.program)
        self.single = Evaluator(self.program)
        self.schema = Schema.of(self.program)
        self.fact_types = {f.id: f.type for f in self.program.facts()}

    def run(self, pop: dict[str, np.ndarray], period: str) -> tuple[np.ndarray, np.ndarray]:
        out = evaluate_arrays_yuan(self.vector, self.schema, pop, period_date(period), OUTPUTS, threads=self.threads)
        return tuple(out[name] for name in OUTPUTS)  # type: ignore[return-value]

    def run_traced(self, pop: dict[str, np.ndarray], period: str):
        """One case (row 0) with the single-case evaluator and its full trace (every node read, with citations)."""
        facts = {name: _fact(values[0], self.fact_types[name]) for name, values in pop.items()}
        ev = self.single.evaluate(facts, period_date(period))
        values = [ev.get(name) for name in OUTPUTS]
        fund, employer = (np.array([float(v.value)]) for v in values)
        return fund, employer, Trace(self.program, ev)


class Trace:
    """The trace of one evaluation; the harness's "+serialize" row calls the two methods OpenFisca's tracer has."""

    def __init__(self, program: ir.Program, evaluation: object):
        self.program = program
        self.nodes = evaluation.trace  # type: ignore[attr-defined]
        self.computation_log = self

    def get_serialized_flat_trace(self) -> dict[str, object]:
        """Every node as JSON data: value, whether known, citations, inputs, rule and version (as result JSON's trace)."""
        from engine.model.values import to_json

        out: dict[str, object] = {"schema": TRACE_SCHEMA}
        for t in self.nodes.values():
            node = self.program.nodes.get(t.id.split("@")[0])
            out[t.id] = {"value": to_json(t.value.value, node.type) if node is not None else None,
                         "known": t.value.known, "citations": [c.as_json() for c in t.citations],
                         "inputs": list(t.inputs), "rule": t.rule_span,
                         "from": t.rule_from.isoformat() if t.rule_from else None}
        return out

    def lines(self) -> list[str]:
        """The trace as indented text, one line per node."""
        return [f"{t.id} = {t.value.value!r}  [{'; '.join(c.en() for c in t.citations)}]  <- {', '.join(t.inputs)}"
                for t in self.nodes.values()]


def _fact(x: np.generic, t: object) -> object:
    """One cell as the single-case evaluator holds it: Decimal numbers (money to the nearest fen), bools."""
    from dsl import types as T

    if isinstance(t, T.BoolType):
        return bool(x)
    if isinstance(t, T.MoneyType):
        return Decimal(int(np.rint(float(x) * 100))) / 100
    return Decimal(int(x))


def make_engine():
    threads = int(os.environ.get("LAWTRACE_BENCH_THREADS", "2"))
    engines = [LawtraceEngine(1)]
    if threads > 1:
        engines.append(LawtraceEngine(threads))
    return engines
